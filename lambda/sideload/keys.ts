/**
 * Pure logic of the sideload handler: configuration parsing, S3 key decoding
 * and validation, upload folder → directory mapping, temporary file names and
 * event parsing. No I/O here, so every rule is tested with tables
 * (tests/lambda/sideload/sideload-keys.test.ts).
 */

/** Upload folder (first key segment) → directory name on the file system. */
export type FolderMap = Record<string, string>;

/**
 * The default folders. Uploads arrive under `excel-data/`, but the app reads
 * Excel files from `excel`: the mapping is explicit so the two never drift.
 */
export const DEFAULT_FOLDERS: Readonly<FolderMap> = Object.freeze({
    images: "images",
    themes: "themes",
    "excel-data": "excel",
});

/**
 * Directories the app keeps beside the content folders which the bucket must
 * never write, whatever the configuration says.
 */
export const RESERVED_DIRECTORIES: readonly string[] = ["keys", "logs", "svg"];

/** Longest S3 key accepted, in UTF-8 bytes (S3's own limit). */
export const MAX_KEY_BYTES = 1024;
/** Most path levels accepted, the folder included (`images/a/b.png` has 3). */
export const MAX_LEVELS = 16;
/** Longest file or directory name most Linux file systems (and EFS) accept, in bytes. */
export const MAX_SEGMENT_BYTES = 255;
/** Suffix of the handler's temporary files; keys whose last segment uses it are refused. */
export const TEMP_SUFFIX = ".sideload-tmp";

/** Exactly one path segment that is safe as a directory name. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** C0 and C1 control characters, DEL included. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate that is not part of a pair (cannot be written as UTF-8). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Parses and checks the `SIDELOAD_FOLDERS` environment value (a JSON object
 * upload folder → directory name). Undefined or empty gives {@link DEFAULT_FOLDERS}.
 * Throws on anything unsafe: a misconfigured function must fail loudly, not
 * write somewhere unexpected.
 */
export function parseFolders(json: string | undefined): FolderMap {
    if (json === undefined || json.trim() === "") return { ...DEFAULT_FOLDERS };
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch {
        throw new Error("SIDELOAD_FOLDERS is not valid JSON");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error("SIDELOAD_FOLDERS must be a JSON object of upload folder → directory name");
    }
    return checkFolders(value as Record<string, unknown>);
}

/** Checks a folder map (see {@link parseFolders}) and returns a clean copy. */
export function checkFolders(folders: Record<string, unknown>): FolderMap {
    const entries = Object.entries(folders);
    if (entries.length === 0) throw new Error("SIDELOAD_FOLDERS lists no folder");
    const out: FolderMap = {};
    const seen = new Set<string>();
    for (const [folder, dir] of entries) {
        if (!SAFE_SEGMENT.test(folder)) {
            throw new Error(`SIDELOAD_FOLDERS: upload folder ${JSON.stringify(folder)} is not a plain name ([A-Za-z0-9._-], up to 63 characters)`);
        }
        if (typeof dir !== "string" || !SAFE_SEGMENT.test(dir)) {
            throw new Error(`SIDELOAD_FOLDERS: directory for ${folder} must be a plain name ([A-Za-z0-9._-], up to 63 characters)`);
        }
        if (RESERVED_DIRECTORIES.includes(dir) || RESERVED_DIRECTORIES.includes(folder)) {
            throw new Error(`SIDELOAD_FOLDERS: ${folder} → ${dir} uses a reserved name (${RESERVED_DIRECTORIES.join(", ")})`);
        }
        if (seen.has(dir)) throw new Error(`SIDELOAD_FOLDERS: two upload folders map to the directory ${dir}`);
        seen.add(dir);
        out[folder] = dir;
    }
    return out;
}

/** A decoded key, or why it could not be decoded. */
export type Decoded = { ok: true; key: string } | { ok: false; reason: string };

/**
 * Decodes a key as S3 puts it into event notifications: form-encoded, so `+`
 * is a space (a literal plus arrives as `%2B`), then percent-decoding.
 */
export function decodeEventKey(raw: string): Decoded {
    try {
        return { ok: true, key: decodeURIComponent(raw.replace(/\+/g, " ")) };
    } catch {
        return { ok: false, reason: "invalid percent-encoding" };
    }
}

/** Where a valid key goes. */
export interface Target {
    /** The upload folder (first key segment), e.g. `excel-data`. */
    folder: string;
    /** The directory on the file system it maps to, e.g. `excel`. */
    dir: string;
    /** Path segments below the folder (empty for the folder placeholder `images/`). */
    segments: string[];
    /** True when the key ends in `/` (a directory placeholder). */
    directory: boolean;
}

/** A valid key's target, or why the key is refused. */
export type Checked = ({ ok: true } & Target) | { ok: false; reason: string };

/**
 * Checks a decoded key and maps it to its target. Refuses: a leading `/`,
 * backslashes, control characters (NUL included), unpaired surrogates, more
 * than {@link MAX_KEY_BYTES} bytes or {@link MAX_LEVELS} levels, empty, `.` or
 * `..` segments, segments over {@link MAX_SEGMENT_BYTES} bytes, a first segment
 * outside the allowed folders, the bare folder name, and names reserved for
 * the handler's temporary files.
 */
export function checkKey(key: string, folders: FolderMap): Checked {
    if (key === "") return { ok: false, reason: "empty key" };
    if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) return { ok: false, reason: `longer than ${MAX_KEY_BYTES} bytes` };
    if (key.startsWith("/")) return { ok: false, reason: "leading /" };
    if (key.includes("\\")) return { ok: false, reason: "backslash" };
    if (CONTROL.test(key)) return { ok: false, reason: "control character" };
    if (LONE_SURROGATE.test(key)) return { ok: false, reason: "unpaired surrogate" };
    const directory = key.endsWith("/");
    const parts = (directory ? key.slice(0, -1) : key).split("/");
    if (parts.length > MAX_LEVELS) return { ok: false, reason: `more than ${MAX_LEVELS} levels` };
    for (const part of parts) {
        if (part === "") return { ok: false, reason: "empty segment" };
        if (part === "." || part === "..") return { ok: false, reason: "dot segment" };
        if (Buffer.byteLength(part, "utf8") > MAX_SEGMENT_BYTES) return { ok: false, reason: `segment longer than ${MAX_SEGMENT_BYTES} bytes` };
        if (part.endsWith(TEMP_SUFFIX)) return { ok: false, reason: "reserved temporary file name" };
    }
    const [folder, ...segments] = parts;
    if (!Object.prototype.hasOwnProperty.call(folders, folder)) return { ok: false, reason: "folder not allowed" };
    if (segments.length === 0 && !directory) return { ok: false, reason: "no name below the folder" };
    return { ok: true, folder, dir: folders[folder], segments, directory };
}

/** The S3 key of a directory placeholder for `folder/segments.../`. */
export function placeholderKey(folder: string, segments: readonly string[]): string {
    return [folder, ...segments].join("/") + "/";
}

/** Keeps at most `maxBytes` UTF-8 bytes of `s`, never splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
    let bytes = 0;
    let out = "";
    for (const ch of s) {
        const n = Buffer.byteLength(ch, "utf8");
        if (bytes + n > maxBytes) break;
        bytes += n;
        out += ch;
    }
    return out;
}

/**
 * The hidden temporary name for `name` in the same directory:
 * `.<name>.<random>.sideload-tmp`, the name shortened so the whole fits in
 * {@link MAX_SEGMENT_BYTES} bytes.
 */
export function tempName(name: string, random: string): string {
    const room = MAX_SEGMENT_BYTES - (1 + 1 + random.length + TEMP_SUFFIX.length);
    return `.${truncateUtf8(name, room)}.${random}${TEMP_SUFFIX}`;
}

/** True for names {@link tempName} produces. */
export function isTempName(name: string): boolean {
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
}

/** One S3 event record, reduced to what the handler uses. */
export interface ObjectEvent {
    kind: "created" | "removed";
    /** e.g. `ObjectCreated:Put`. */
    eventName: string;
    bucket: string;
    /** The key as it appears in the event (still encoded). */
    rawKey: string;
}

/** What an invocation asks for. */
export type Invocation =
    | { type: "resync" }
    | { type: "records"; records: (ObjectEvent | { ignored: string; eventName?: string; rawKey?: string })[] }
    | { type: "unrecognised"; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Recognises `{ "resync": true }` and S3 event notifications
 * (`{ Records: [{ eventName, s3: { bucket: { name }, object: { key } } }] }`).
 * Records of other kinds (e.g. `ObjectRestore:*`) or without a key are ignored.
 */
export function parseInvocation(event: unknown): Invocation {
    if (!isObject(event)) return { type: "unrecognised", reason: "event is not an object" };
    if (event.resync === true) return { type: "resync" };
    if (!Array.isArray(event.Records)) return { type: "unrecognised", reason: "neither resync nor S3 records" };
    const records = event.Records.map((r: unknown) => {
        if (!isObject(r) || typeof r.eventName !== "string") return { ignored: "record without eventName" };
        const eventName = r.eventName.replace(/^s3:/, "");
        const s3 = isObject(r.s3) ? r.s3 : {};
        const bucket = isObject(s3.bucket) && typeof s3.bucket.name === "string" ? s3.bucket.name : undefined;
        const rawKey = isObject(s3.object) && typeof s3.object.key === "string" ? s3.object.key : undefined;
        if (bucket === undefined || rawKey === undefined) return { ignored: "record without bucket or key", eventName };
        if (eventName.startsWith("ObjectCreated:")) return { kind: "created" as const, eventName, bucket, rawKey };
        if (eventName.startsWith("ObjectRemoved:")) return { kind: "removed" as const, eventName, bucket, rawKey };
        return { ignored: "event type not handled", eventName, rawKey };
    });
    return { type: "records", records };
}
