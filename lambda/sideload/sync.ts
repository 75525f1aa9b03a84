/**
 * The sideload engine: makes one key (or, on resync, every allowed folder) on
 * the shared file system match the bucket. Level-triggered: every action reads
 * the CURRENT state of S3 and of the file system, so duplicate and
 * out-of-order events are harmless.
 *
 * Safety:
 * - only keys accepted by {@link checkKey} are touched, and only below
 *   `<root>/<mapped directory>`;
 * - no symlink is ever followed: every existing path component under the root
 *   is checked with lstat (a symlink or a non-directory refuses the key), new
 *   files are opened with O_NOFOLLOW|O_EXCL, and before a rename or unlink the
 *   real path of the parent directory must be the expected one;
 * - objects are streamed to a hidden temporary file in the target directory
 *   (never /tmp, never buffered), fsynced, given mode 0644 and the object's
 *   LastModified as mtime, then renamed over the target (readers never see a
 *   partial file) and the directory is fsynced; directories are 0755.
 *
 * Refused keys are logged (one JSON line with the reason, never the contents)
 * and counted; S3 and file-system errors propagate so the invocation is retried.
 */
import { randomBytes } from "node:crypto";
import { constants as C, createWriteStream, type Stats } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import {
    checkKey,
    decodeEventKey,
    isTempName,
    parseInvocation,
    placeholderKey,
    tempName,
    type FolderMap,
    type Target,
} from "./keys";

/** One structured log line. */
export interface LogEntry {
    level: "info" | "warn" | "error";
    /** What happened: `copied`, `deleted`, `rejected`, `error`, `resync`, ... */
    action: string;
    reason?: string;
    /** The key (as received in the event, or as listed on resync). */
    key?: string;
    eventName?: string;
    bytes?: number;
    [field: string]: unknown;
}

/** What an invocation did. Directory placeholders count as copied when created. */
export interface Summary {
    copied: number;
    deleted: number;
    unchanged: number;
    rejected: number;
}

export interface SideloadOptions {
    /** The S3 client (production: SDK defaults). */
    s3: S3Client;
    /** The mount path, e.g. `/mnt/content`. Must exist. */
    root: string;
    /** Upload folder → directory name (checked with `checkFolders`). */
    folders: FolderMap;
    /** The bucket events come from and resync lists. */
    bucket: string;
    /** Where log lines go. @default one JSON line per entry on stdout */
    log?: (entry: LogEntry) => void;
    /**
     * Resync deletes temporary files older than this (younger ones may belong
     * to a copy in progress). @default 900000 (15 minutes)
     */
    tempMaxAgeMs?: number;
    /** Keys per ListObjectsV2 page on resync. @default S3's own (1000) */
    listPageSize?: number;
}

type Outcome = "copied" | "deleted" | "unchanged";

/** A refusal: logged and counted, never retried. */
class Rejected extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;
/** How often a copy is redone when S3 changed while it was downloading. */
const COPY_ATTEMPTS = 3;

function errCode(e: unknown): string | undefined {
    return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}

/** True for S3's "no such key" answers (GetObject NoSuchKey, HeadObject NotFound, any 404). */
export function isNotFound(e: unknown): boolean {
    if (typeof e !== "object" || e === null) return false;
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata?.httpStatusCode === 404;
}

async function lstatOrNull(p: string): Promise<Stats | null> {
    try {
        return await fsp.lstat(p);
    } catch (e) {
        if (errCode(e) === "ENOENT") return null;
        throw e;
    }
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** True when a local file has the object's size and (to the second) its LastModified. */
function sameAsObject(st: Stats, size: number | undefined, lastModified: Date | undefined): boolean {
    return size !== undefined && lastModified !== undefined && st.size === size && seconds(st.mtimeMs) === seconds(lastModified.getTime());
}

export class Sideload {
    private readonly s3: S3Client;
    private readonly root: string;
    private readonly folders: FolderMap;
    private readonly bucket: string;
    private readonly log: (entry: LogEntry) => void;
    private readonly tempMaxAgeMs: number;
    private readonly listPageSize: number | undefined;
    private realRoot: string | undefined;

    constructor(opts: SideloadOptions) {
        this.s3 = opts.s3;
        this.root = path.resolve(opts.root);
        this.folders = opts.folders;
        this.bucket = opts.bucket;
        this.log = opts.log ?? ((entry) => console.log(JSON.stringify(entry)));
        this.tempMaxAgeMs = opts.tempMaxAgeMs ?? 15 * 60 * 1000;
        this.listPageSize = opts.listPageSize;
    }

    /** Handles one invocation: S3 event records (sequentially) or `{ resync: true }`. */
    async handle(event: unknown): Promise<Summary> {
        const inv = parseInvocation(event);
        if (inv.type === "resync") return this.resync();
        const summary: Summary = { copied: 0, deleted: 0, unchanged: 0, rejected: 0 };
        if (inv.type === "unrecognised") {
            this.log({ level: "warn", action: "ignored", reason: inv.reason });
            return summary;
        }
        const errors: unknown[] = [];
        for (const record of inv.records) {
            if ("ignored" in record) {
                this.log({ level: "info", action: "ignored", reason: record.ignored, eventName: record.eventName, key: record.rawKey });
                continue;
            }
            const base = { eventName: record.eventName, key: record.rawKey };
            try {
                if (record.bucket !== this.bucket) throw new Rejected("unexpected bucket");
                const decoded = decodeEventKey(record.rawKey);
                if (!decoded.ok) throw new Rejected(decoded.reason);
                const target = checkKey(decoded.key, this.folders);
                if (!target.ok) throw new Rejected(target.reason);
                const outcome = await this.reconcile(decoded.key, target, record.kind);
                summary[outcome]++;
                this.log({ level: "info", action: outcome, ...base });
            } catch (e) {
                if (e instanceof Rejected) {
                    summary.rejected++;
                    this.log({ level: "warn", action: "rejected", reason: e.reason, ...base });
                } else {
                    // Keep going so one failing record does not hold back the others; throw at the end.
                    errors.push(e);
                    this.log({ level: "error", action: "error", reason: e instanceof Error ? e.message : String(e), ...base });
                }
            }
        }
        if (errors.length > 0) {
            const first = errors[0];
            throw new Error(`${errors.length} of ${inv.records.length} records failed: ${first instanceof Error ? first.message : String(first)}`, { cause: first });
        }
        return summary;
    }

    /** Makes one key's path on the file system match S3's current state. */
    private async reconcile(key: string, target: Target, kind: "created" | "removed"): Promise<Outcome> {
        if (target.directory) return this.reconcileDirectory(key, target);
        if (kind === "removed") {
            const head = await this.head(key);
            if (head === null) return this.removeFile(target);
            const local = await this.localFile(target);
            if (local !== null && sameAsObject(local, head.size, head.lastModified)) return "unchanged";
            // Still there but different (e.g. the current version was deleted and an older one is current again).
        }
        return this.copy(key, target);
    }

    /** HeadObject: size, LastModified and ETag of the current version, or null when S3 no longer has the key. */
    private async head(key: string): Promise<{ size?: number; lastModified?: Date; etag?: string } | null> {
        try {
            const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
            return { size: r.ContentLength, lastModified: r.LastModified, etag: r.ETag };
        } catch (e) {
            if (isNotFound(e)) return null;
            throw e;
        }
    }

    private async getRealRoot(): Promise<string> {
        if (this.realRoot === undefined) {
            const st = await fsp.stat(this.root);
            if (!st.isDirectory()) throw new Error(`SIDELOAD_ROOT ${this.root} is not a directory`);
            this.realRoot = await fsp.realpath(this.root);
        }
        return this.realRoot;
    }

    /**
     * Walks `<root>/<dir>/<segments...>` component by component without
     * following anything: a symlink or a non-directory refuses the key. Missing
     * directories are created (0755) when `create`, else null is returned.
     * @returns the directory path and whether the last one was created
     */
    private async walkDirs(dir: string, segments: readonly string[], create: boolean): Promise<{ path: string; created: boolean } | null> {
        await this.getRealRoot();
        let current = this.root;
        let created = false;
        for (const part of [dir, ...segments]) {
            current = path.join(current, part);
            created = false;
            for (;;) {
                const st = await lstatOrNull(current);
                if (st?.isSymbolicLink()) throw new Rejected("symlink in path");
                if (st !== null && !st.isDirectory()) throw new Rejected("not a directory in path");
                if (st !== null) break;
                if (!create) return null;
                try {
                    await fsp.mkdir(current, { mode: DIR_MODE });
                } catch (e) {
                    if (errCode(e) === "EEXIST") continue; // raced with someone else: look again
                    throw e;
                }
                await this.setDirMode(current);
                created = true;
                break;
            }
        }
        return { path: current, created };
    }

    /** `<root>/<dir>/<segments...>` when every component is a real directory; else missing, or unsafe (a symlink or non-directory on the way). */
    private async safeDir(dir: string, segments: readonly string[]): Promise<{ path: string } | "missing" | "unsafe"> {
        try {
            const r = await this.walkDirs(dir, segments, false);
            return r === null ? "missing" : { path: r.path };
        } catch (e) {
            if (e instanceof Rejected) return "unsafe";
            throw e;
        }
    }

    /** chmod 0755 on a directory we just created (mkdir's mode is masked by the umask), without following a symlink. */
    private async setDirMode(dir: string): Promise<void> {
        const fh = await fsp.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
        try {
            await fh.chmod(DIR_MODE);
        } finally {
            await fh.close();
        }
    }

    /** Refuses unless the real path of `dir` is exactly where the key maps (defence against a swapped-in symlink). */
    private async assertInside(dir: string, target: Target, segments: readonly string[]): Promise<void> {
        const expected = path.join(await this.getRealRoot(), target.dir, ...segments);
        const real = await fsp.realpath(dir);
        if (real !== expected) throw new Rejected("path resolves outside its folder");
    }

    private async fsyncDir(dir: string): Promise<void> {
        const fh = await fsp.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
        try {
            await fh.sync();
        } catch (e) {
            if (errCode(e) !== "EINVAL") throw e; // some file systems cannot fsync a directory
        } finally {
            await fh.close();
        }
    }

    /** The local regular file of a key, or null when there is none (refuses symlinks and directories). */
    private async localFile(target: Target): Promise<Stats | null> {
        const parent = await this.walkDirs(target.dir, target.segments.slice(0, -1), false);
        if (parent === null) return null;
        const st = await lstatOrNull(path.join(parent.path, target.segments[target.segments.length - 1]));
        if (st === null) return null;
        if (st.isSymbolicLink()) throw new Rejected("target is a symlink");
        if (!st.isFile()) throw new Rejected("target is not a regular file");
        return st;
    }

    /**
     * Streams the current version of `key` to a temporary file beside the
     * target, then renames it over the target. When S3 no longer has the key,
     * removes the local file instead.
     */
    private async copy(key: string, target: Target): Promise<Outcome> {
        const parentSegments = target.segments.slice(0, -1);
        const name = target.segments[target.segments.length - 1];
        for (let attempt = 1; ; attempt++) {
            const parent = await this.walkDirs(target.dir, parentSegments, true);
            if (parent === null) throw new Error("unreachable: walkDirs with create");
            const finalPath = path.join(parent.path, name);
            const existing = await lstatOrNull(finalPath);
            if (existing?.isSymbolicLink()) throw new Rejected("target is a symlink");
            if (existing !== null && !existing.isFile()) throw new Rejected("target is not a regular file");

            let obj;
            try {
                obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
            } catch (e) {
                if (isNotFound(e)) return this.removeFile(target);
                throw e;
            }
            const body = obj.Body;
            if (!(body instanceof Readable)) throw new Error("GetObject returned no readable body");
            if (obj.LastModified === undefined) {
                body.destroy();
                throw new Error("GetObject returned no LastModified");
            }
            const tmp = path.join(parent.path, tempName(name, randomBytes(8).toString("hex")));
            try {
                await this.download(body, tmp, obj.ContentLength, obj.LastModified);
            } catch (e) {
                body.destroy();
                if (errCode(e) === "ENOENT" && attempt < COPY_ATTEMPTS) continue; // directory pruned meanwhile: walk again
                throw e;
            }
            try {
                // Still the current version? If S3 changed while we downloaded, start again (or remove).
                const head = await this.head(key);
                if (head === null || head.etag !== obj.ETag || head.lastModified?.getTime() !== obj.LastModified.getTime()) {
                    await fsp.unlink(tmp);
                    if (head === null) return this.removeFile(target);
                    if (attempt < COPY_ATTEMPTS) continue;
                    throw new Error("object kept changing while it was copied");
                }
                await this.assertInside(parent.path, target, parentSegments);
                const now = await lstatOrNull(finalPath);
                if (now !== null && (now.isSymbolicLink() || !now.isFile())) throw new Rejected("target is not a regular file");
                await fsp.rename(tmp, finalPath);
            } catch (e) {
                await fsp.unlink(tmp).catch(() => undefined);
                throw e;
            }
            await this.fsyncDir(parent.path);
            return "copied";
        }
    }

    /** Body → new temporary file (O_EXCL|O_NOFOLLOW), size check, mode 0644, mtime, fsync. Removes the file on failure. */
    private async download(body: Readable, tmp: string, size: number | undefined, lastModified: Date): Promise<void> {
        const fh = await fsp.open(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, 0o600);
        try {
            // A stream over the numeric descriptor: a FileHandle stream without autoClose keeps the handle referenced and close() would wait forever.
            await pipeline(body, createWriteStream("", { fd: fh.fd, autoClose: false }));
            const st = await fh.stat();
            if (size !== undefined && st.size !== size) throw new Error(`short read: got ${st.size} of ${size} bytes`);
            await fh.chmod(FILE_MODE);
            await fh.utimes(lastModified, lastModified);
            await fh.sync();
        } catch (e) {
            await fh.close().catch(() => undefined);
            await fsp.unlink(tmp).catch(() => undefined);
            throw e;
        }
        await fh.close();
    }

    /** Deletes the local file of a key S3 no longer has, then prunes empty parents. */
    private async removeFile(target: Target): Promise<Outcome> {
        const parentSegments = target.segments.slice(0, -1);
        const parent = await this.walkDirs(target.dir, parentSegments, false);
        if (parent === null) return "unchanged";
        const filePath = path.join(parent.path, target.segments[target.segments.length - 1]);
        const st = await lstatOrNull(filePath);
        let outcome: Outcome = "unchanged";
        if (st !== null) {
            if (st.isSymbolicLink()) throw new Rejected("target is a symlink");
            if (!st.isFile()) throw new Rejected("target is not a regular file");
            await this.assertInside(parent.path, target, parentSegments);
            try {
                await fsp.unlink(filePath);
                outcome = "deleted";
            } catch (e) {
                if (errCode(e) !== "ENOENT") throw e;
            }
        }
        await this.prune(target.folder, target.dir, parentSegments);
        return outcome;
    }

    /**
     * Removes empty directories from `<dir>/<segments...>` upwards, stopping
     * below the folder's own directory, at the first non-empty one, or at one
     * S3 still has a placeholder (`key/`) for.
     * @returns the depths (number of segments) of the directories removed
     */
    private async prune(folder: string, dir: string, segments: readonly string[]): Promise<number[]> {
        const removed: number[] = [];
        for (let n = segments.length; n > 0; n--) {
            const rel = segments.slice(0, n);
            const found = await this.safeDir(dir, rel);
            if (found === "missing") continue;
            if (found === "unsafe") break;
            const p = found.path;
            if ((await fsp.readdir(p)).length > 0) break;
            if ((await this.head(placeholderKey(folder, rel))) !== null) break;
            try {
                await fsp.rmdir(p);
                removed.push(n);
            } catch (e) {
                const code = errCode(e);
                if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOENT") break;
                throw e;
            }
        }
        return removed;
    }

    /** A placeholder key (`a/b/`): the directory exists iff S3 has the key. */
    private async reconcileDirectory(key: string, target: Target): Promise<Outcome> {
        if ((await this.head(key)) !== null) {
            const r = await this.walkDirs(target.dir, target.segments, true);
            return r?.created === true ? "copied" : "unchanged";
        }
        if (target.segments.length === 0) return "unchanged"; // the folder's own directory stays
        const existing = await this.walkDirs(target.dir, target.segments, false);
        if (existing === null) return "unchanged";
        const removed = await this.prune(target.folder, target.dir, target.segments);
        return removed.includes(target.segments.length) ? "deleted" : "unchanged";
    }

    /**
     * Makes every allowed folder on the file system match the bucket: copies
     * what is missing or differs (size, or mtime ≠ LastModified to the second),
     * deletes files S3 no longer has and stale temporary files, removes empty
     * directories that are not placeholders.
     */
    async resync(): Promise<Summary> {
        const summary: Summary = { copied: 0, deleted: 0, unchanged: 0, rejected: 0 };
        const reject = (key: string | undefined, reason: string): void => {
            summary.rejected++;
            this.log({ level: "warn", action: "rejected", reason, key });
        };
        for (const [folder, dir] of Object.entries(this.folders)) {
            let base: string;
            try {
                const r = await this.walkDirs(dir, [], true);
                base = r?.path ?? path.join(this.root, dir);
            } catch (e) {
                if (!(e instanceof Rejected)) throw e;
                reject(`${folder}/`, e.reason);
                continue;
            }

            // What S3 has, by path relative to the folder.
            const files = new Map<string, { key: string; target: Target; size?: number; lastModified?: Date }>();
            const placeholders = new Map<string, { key: string; target: Target }>();
            let token: string | undefined;
            do {
                const page = await this.s3.send(
                    new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${folder}/`, ContinuationToken: token, MaxKeys: this.listPageSize }),
                );
                for (const o of page.Contents ?? []) {
                    if (o.Key === undefined) continue;
                    const t = checkKey(o.Key, this.folders);
                    if (!t.ok) {
                        reject(o.Key, t.reason);
                        continue;
                    }
                    const rel = t.segments.join("/");
                    if (t.directory) placeholders.set(rel, { key: o.Key, target: t });
                    else files.set(rel, { key: o.Key, target: t, size: o.Size, lastModified: o.LastModified });
                }
                token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
            } while (token !== undefined);

            // What the file system has (lstat only: symlinks are never followed).
            const localFiles = new Map<string, Stats>();
            const localDirs: string[] = [];
            const walk = async (abs: string, rel: string[]): Promise<void> => {
                for (const entry of await fsp.readdir(abs, { withFileTypes: true })) {
                    const p = path.join(abs, entry.name);
                    const r = [...rel, entry.name];
                    if (entry.isDirectory()) {
                        localDirs.push(r.join("/"));
                        await walk(p, r);
                    } else if (entry.isFile()) {
                        const st = await lstatOrNull(p);
                        if (st === null) continue;
                        if (isTempName(entry.name)) {
                            if (Date.now() - st.ctimeMs >= this.tempMaxAgeMs && typeof (await this.safeDir(dir, rel)) === "object") {
                                await fsp.unlink(p).catch((e: unknown) => {
                                    if (errCode(e) !== "ENOENT") throw e;
                                });
                                summary.deleted++;
                                this.log({ level: "info", action: "deleted", reason: "stale temporary file", key: `${folder}/${r.join("/")}` });
                            }
                        } else {
                            localFiles.set(r.join("/"), st);
                        }
                    }
                    // Symlinks and other types are left alone; a key mapping onto one is refused below.
                }
            };
            await walk(base, []);

            const run = async (key: string, op: () => Promise<Outcome>): Promise<void> => {
                try {
                    const outcome = await op();
                    summary[outcome]++;
                    if (outcome !== "unchanged") this.log({ level: "info", action: outcome, key });
                } catch (e) {
                    if (!(e instanceof Rejected)) throw e;
                    reject(key, e.reason);
                }
            };
            for (const [rel, f] of files) {
                const local = localFiles.get(rel);
                if (local !== undefined && sameAsObject(local, f.size, f.lastModified)) {
                    summary.unchanged++;
                    continue;
                }
                await run(f.key, () => this.copy(f.key, f.target));
            }
            for (const rel of localFiles.keys()) {
                if (files.has(rel)) continue;
                const key = `${folder}/${rel}`;
                const t = checkKey(key, this.folders);
                if (!t.ok) {
                    reject(key, `local file: ${t.reason}`);
                    continue;
                }
                // HeadObject first: the key may have been uploaded since the listing.
                await run(key, () => this.reconcile(key, t, "removed"));
            }
            for (const p of placeholders.values()) {
                await run(p.key, async () => ((await this.walkDirs(p.target.dir, p.target.segments, true))?.created === true ? "copied" : "unchanged"));
            }
            // Empty directories that are not placeholders, deepest first.
            for (const rel of localDirs.sort((a, b) => b.split("/").length - a.split("/").length)) {
                if (placeholders.has(rel)) continue;
                const found = await this.safeDir(dir, rel.split("/"));
                if (typeof found !== "object" || (await fsp.readdir(found.path)).length > 0) continue;
                try {
                    await fsp.rmdir(found.path);
                    this.log({ level: "info", action: "deleted", reason: "empty directory", key: `${folder}/${rel}/` });
                } catch (e) {
                    const code = errCode(e);
                    if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw e;
                }
            }
        }
        this.log({ level: "info", action: "resync", ...summary });
        return summary;
    }
}
