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
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { checkKey, decodeEventKey, parseInvocation, placeholderKey, tempName, type FolderMap, type Target } from "./keys";
import { emptySummary, Rejected, type LogEntry, type Outcome, type Summary } from "./report";
import { Resync } from "./resync";
import { download, errCode, fsyncDir, lstatOrNull, SafeTree, sameAsObject } from "./tree";

export type { LogEntry, Summary } from "./report";

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

/** How often a copy is redone when S3 changed while it was downloading. */
const COPY_ATTEMPTS = 3;

/** True for S3's "no such key" answers (GetObject NoSuchKey, HeadObject NotFound, any 404). */
export function isNotFound(e: unknown): boolean {
    if (typeof e !== "object" || e === null) return false;
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata?.httpStatusCode === 404;
}

export class Sideload {
    private readonly s3: S3Client;
    private readonly folders: FolderMap;
    private readonly bucket: string;
    private readonly log: (entry: LogEntry) => void;
    private readonly tempMaxAgeMs: number;
    private readonly listPageSize: number | undefined;
    private readonly tree: SafeTree;

    constructor(opts: SideloadOptions) {
        this.s3 = opts.s3;
        this.tree = new SafeTree(path.resolve(opts.root));
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
        const summary = emptySummary();
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
            const local = await this.tree.localFile(target);
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

    /**
     * Streams the current version of `key` to a temporary file beside the
     * target, then renames it over the target. When S3 no longer has the key,
     * removes the local file instead.
     */
    private async copy(key: string, target: Target): Promise<Outcome> {
        const parentSegments = target.segments.slice(0, -1);
        const name = target.segments[target.segments.length - 1];
        for (let attempt = 1; ; attempt++) {
            const parent = await this.tree.walkDirs(target.dir, parentSegments, true);
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
                await download(body, tmp, obj.ContentLength, obj.LastModified);
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
                await this.tree.assertInside(parent.path, target, parentSegments);
                const now = await lstatOrNull(finalPath);
                if (now !== null && (now.isSymbolicLink() || !now.isFile())) throw new Rejected("target is not a regular file");
                await fsp.rename(tmp, finalPath);
            } catch (e) {
                await fsp.unlink(tmp).catch(() => undefined);
                throw e;
            }
            await fsyncDir(parent.path);
            return "copied";
        }
    }

    /** Deletes the local file of a key S3 no longer has, then prunes empty parents. */
    private async removeFile(target: Target): Promise<Outcome> {
        const parentSegments = target.segments.slice(0, -1);
        const parent = await this.tree.walkDirs(target.dir, parentSegments, false);
        if (parent === null) return "unchanged";
        const filePath = path.join(parent.path, target.segments[target.segments.length - 1]);
        const st = await lstatOrNull(filePath);
        let outcome: Outcome = "unchanged";
        if (st !== null) {
            if (st.isSymbolicLink()) throw new Rejected("target is a symlink");
            if (!st.isFile()) throw new Rejected("target is not a regular file");
            await this.tree.assertInside(parent.path, target, parentSegments);
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
            const found = await this.tree.safeDir(dir, rel);
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
            const r = await this.tree.walkDirs(target.dir, target.segments, true);
            return r?.created === true ? "copied" : "unchanged";
        }
        if (target.segments.length === 0) return "unchanged"; // the folder's own directory stays
        const existing = await this.tree.walkDirs(target.dir, target.segments, false);
        if (existing === null) return "unchanged";
        const removed = await this.prune(target.folder, target.dir, target.segments);
        return removed.includes(target.segments.length) ? "deleted" : "unchanged";
    }

    /**
     * Makes every allowed folder on the file system match the bucket (see `resync.ts`).
     */
    async resync(): Promise<Summary> {
        return new Resync({
            s3: this.s3,
            bucket: this.bucket,
            folders: this.folders,
            listPageSize: this.listPageSize,
            tempMaxAgeMs: this.tempMaxAgeMs,
            log: this.log,
            tree: this.tree,
            copy: (key, target) => this.copy(key, target),
            reconcileRemoved: (key, target) => this.reconcile(key, target, "removed"),
        }).run();
    }
}
