/**
 * Resync: makes every allowed folder on the file system match the bucket.
 * Copies what is missing or differs (size, or mtime ≠ LastModified to the
 * second), deletes files S3 no longer has and stale temporary files, removes
 * empty directories that are not placeholders. Each step goes through the same
 * safe paths as an event (see `sync.ts`).
 */
import type { Stats } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { checkKey, isTempName, type FolderMap, type Target } from "./keys";
import { emptySummary, Rejected, type LogEntry, type Outcome, type Summary } from "./report";
import { errCode, lstatOrNull, sameAsObject, type SafeTree } from "./tree";

/** What a resync uses of the engine. */
export interface ResyncContext {
    readonly s3: S3Client;
    readonly bucket: string;
    readonly folders: FolderMap;
    readonly listPageSize: number | undefined;
    readonly tempMaxAgeMs: number;
    readonly log: (entry: LogEntry) => void;
    readonly tree: SafeTree;
    /** Copies the current version of a key over its file. */
    copy(key: string, target: Target): Promise<Outcome>;
    /** Reconciles a key whose local file S3 may no longer have (HeadObject first). */
    reconcileRemoved(key: string, target: Target): Promise<Outcome>;
}

/** What S3 has under one folder, by path relative to the folder. */
interface Listing {
    files: Map<string, { key: string; target: Target; size?: number; lastModified?: Date }>;
    placeholders: Map<string, { key: string; target: Target }>;
}

/** What the file system has under one folder (temporary files aside). */
interface Local {
    files: Map<string, Stats>;
    dirs: string[];
}

/** One resync run; {@link Resync.run} returns its summary. */
export class Resync {
    private readonly summary: Summary = emptySummary();

    constructor(private readonly ctx: ResyncContext) {}

    async run(): Promise<Summary> {
        for (const [folder, dir] of Object.entries(this.ctx.folders)) {
            const base = await this.folderBase(folder, dir);
            if (base === null) continue;
            const listing = await this.list(folder);
            const local: Local = { files: new Map(), dirs: [] };
            await this.scan(folder, dir, base, [], local);
            await this.copyChanged(listing, local);
            await this.removeDeleted(folder, listing, local);
            for (const p of listing.placeholders.values()) {
                await this.apply(p.key, async () => ((await this.ctx.tree.walkDirs(p.target.dir, p.target.segments, true))?.created === true ? "copied" : "unchanged"));
            }
            await this.removeEmptyDirs(folder, dir, listing, local);
        }
        this.ctx.log({ level: "info", action: "resync", ...this.summary });
        return this.summary;
    }

    private reject(key: string | undefined, reason: string): void {
        this.summary.rejected++;
        this.ctx.log({ level: "warn", action: "rejected", reason, key });
    }

    /** The folder's own directory, created when missing; null (and a refusal) when unsafe. */
    private async folderBase(folder: string, dir: string): Promise<string | null> {
        try {
            const r = await this.ctx.tree.walkDirs(dir, [], true);
            return r?.path ?? path.join(this.ctx.tree.root, dir);
        } catch (e) {
            if (!(e instanceof Rejected)) throw e;
            this.reject(`${folder}/`, e.reason);
            return null;
        }
    }

    /** Lists the folder's keys page by page; refused keys are counted and logged. */
    private async list(folder: string): Promise<Listing> {
        const listing: Listing = { files: new Map(), placeholders: new Map() };
        let token: string | undefined;
        do {
            const page = await this.ctx.s3.send(
                new ListObjectsV2Command({ Bucket: this.ctx.bucket, Prefix: `${folder}/`, ContinuationToken: token, MaxKeys: this.ctx.listPageSize }),
            );
            for (const o of page.Contents ?? []) {
                if (o.Key === undefined) continue;
                const t = checkKey(o.Key, this.ctx.folders);
                if (!t.ok) {
                    this.reject(o.Key, t.reason);
                    continue;
                }
                const rel = t.segments.join("/");
                if (t.directory) listing.placeholders.set(rel, { key: o.Key, target: t });
                else listing.files.set(rel, { key: o.Key, target: t, size: o.Size, lastModified: o.LastModified });
            }
            token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
        return listing;
    }

    /** Walks the folder's tree (lstat only: symlinks are never followed), deleting stale temporary files. */
    private async scan(folder: string, dir: string, abs: string, rel: string[], local: Local): Promise<void> {
        for (const entry of await fsp.readdir(abs, { withFileTypes: true })) {
            const p = path.join(abs, entry.name);
            const r = [...rel, entry.name];
            if (entry.isDirectory()) {
                local.dirs.push(r.join("/"));
                await this.scan(folder, dir, p, r, local);
            } else if (entry.isFile()) {
                const st = await lstatOrNull(p);
                if (st === null) continue;
                if (isTempName(entry.name)) {
                    if (Date.now() - st.ctimeMs >= this.ctx.tempMaxAgeMs && typeof (await this.ctx.tree.safeDir(dir, rel)) === "object") {
                        await fsp.unlink(p).catch((e: unknown) => {
                            if (errCode(e) !== "ENOENT") throw e;
                        });
                        this.summary.deleted++;
                        this.ctx.log({ level: "info", action: "deleted", reason: "stale temporary file", key: `${folder}/${r.join("/")}` });
                    }
                } else {
                    local.files.set(r.join("/"), st);
                }
            }
            // Symlinks and other types are left alone; a key mapping onto one is refused below.
        }
    }

    /** Runs one key's step: counts and logs its outcome, or its refusal. */
    private async apply(key: string, op: () => Promise<Outcome>): Promise<void> {
        try {
            const outcome = await op();
            this.summary[outcome]++;
            if (outcome !== "unchanged") this.ctx.log({ level: "info", action: outcome, key });
        } catch (e) {
            if (!(e instanceof Rejected)) throw e;
            this.reject(key, e.reason);
        }
    }

    /** Copies every listed file that is missing locally or differs. */
    private async copyChanged(listing: Listing, local: Local): Promise<void> {
        for (const [rel, f] of listing.files) {
            const st = local.files.get(rel);
            if (st !== undefined && sameAsObject(st, f.size, f.lastModified)) {
                this.summary.unchanged++;
                continue;
            }
            await this.apply(f.key, () => this.ctx.copy(f.key, f.target));
        }
    }

    /** Reconciles every local file the listing does not have. */
    private async removeDeleted(folder: string, listing: Listing, local: Local): Promise<void> {
        for (const rel of local.files.keys()) {
            if (listing.files.has(rel)) continue;
            const key = `${folder}/${rel}`;
            const t = checkKey(key, this.ctx.folders);
            if (!t.ok) {
                this.reject(key, `local file: ${t.reason}`);
                continue;
            }
            // HeadObject first: the key may have been uploaded since the listing.
            await this.apply(key, () => this.ctx.reconcileRemoved(key, t));
        }
    }

    /** Removes empty directories that are not placeholders, deepest first. */
    private async removeEmptyDirs(folder: string, dir: string, listing: Listing, local: Local): Promise<void> {
        for (const rel of local.dirs.sort((a, b) => b.split("/").length - a.split("/").length)) {
            if (listing.placeholders.has(rel)) continue;
            const found = await this.ctx.tree.safeDir(dir, rel.split("/"));
            if (typeof found !== "object" || (await fsp.readdir(found.path)).length > 0) continue;
            try {
                await fsp.rmdir(found.path);
                this.ctx.log({ level: "info", action: "deleted", reason: "empty directory", key: `${folder}/${rel}/` });
            } catch (e) {
                const code = errCode(e);
                if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw e;
            }
        }
    }
}
