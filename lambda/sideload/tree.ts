/**
 * The file-system side of the sideload engine: the tree below the mount path,
 * walked without following anything, and the primitives that write into it
 * (directories 0755, files streamed to a temporary file, 0644, fsynced).
 * See `sync.ts` for the safety rules.
 */
import { constants as C, createWriteStream, type Stats } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Target } from "./keys";
import { Rejected } from "./report";

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

/** The `code` of a Node.js system error (`ENOENT`, ...), if any. */
export function errCode(e: unknown): string | undefined {
    return typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined;
}

/** lstat, or null when nothing is there. */
export async function lstatOrNull(p: string): Promise<Stats | null> {
    try {
        return await fsp.lstat(p);
    } catch (e) {
        if (errCode(e) === "ENOENT") return null;
        throw e;
    }
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** True when a local file has the object's size and (to the second) its LastModified. */
export function sameAsObject(st: Stats, size: number | undefined, lastModified: Date | undefined): boolean {
    return size !== undefined && lastModified !== undefined && st.size === size && seconds(st.mtimeMs) === seconds(lastModified.getTime());
}

/** chmod 0755 on a directory we just created (mkdir's mode is masked by the umask), without following a symlink. */
async function setDirMode(dir: string): Promise<void> {
    const fh = await fsp.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
    try {
        await fh.chmod(DIR_MODE);
    } finally {
        await fh.close();
    }
}

/** fsync a directory (after a rename into it), where the file system can. */
export async function fsyncDir(dir: string): Promise<void> {
    const fh = await fsp.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW);
    try {
        await fh.sync();
    } catch (e) {
        if (errCode(e) !== "EINVAL") throw e; // some file systems cannot fsync a directory
    } finally {
        await fh.close();
    }
}

/** Body → new temporary file (O_EXCL|O_NOFOLLOW), size check, mode 0644, mtime, fsync. Removes the file on failure. */
export async function download(body: Readable, tmp: string, size: number | undefined, lastModified: Date): Promise<void> {
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

/** The tree below the mount path: every walk checks each component with lstat and follows nothing. */
export class SafeTree {
    private realRoot: string | undefined;

    /** @param root the mount path, resolved */
    constructor(readonly root: string) {}

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
    async walkDirs(dir: string, segments: readonly string[], create: boolean): Promise<{ path: string; created: boolean } | null> {
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
                await setDirMode(current);
                created = true;
                break;
            }
        }
        return { path: current, created };
    }

    /** `<root>/<dir>/<segments...>` when every component is a real directory; else missing, or unsafe (a symlink or non-directory on the way). */
    async safeDir(dir: string, segments: readonly string[]): Promise<{ path: string } | "missing" | "unsafe"> {
        try {
            const r = await this.walkDirs(dir, segments, false);
            return r === null ? "missing" : { path: r.path };
        } catch (e) {
            if (e instanceof Rejected) return "unsafe";
            throw e;
        }
    }

    /** Refuses unless the real path of `dir` is exactly where the key maps (defence against a swapped-in symlink). */
    async assertInside(dir: string, target: Target, segments: readonly string[]): Promise<void> {
        const expected = path.join(await this.getRealRoot(), target.dir, ...segments);
        const real = await fsp.realpath(dir);
        if (real !== expected) throw new Rejected("path resolves outside its folder");
    }

    /** The local regular file of a key, or null when there is none (refuses symlinks and directories). */
    async localFile(target: Target): Promise<Stats | null> {
        const parent = await this.walkDirs(target.dir, target.segments.slice(0, -1), false);
        if (parent === null) return null;
        const st = await lstatOrNull(path.join(parent.path, target.segments[target.segments.length - 1]));
        if (st === null) return null;
        if (st.isSymbolicLink()) throw new Rejected("target is a symlink");
        if (!st.isFile()) throw new Rejected("target is not a regular file");
        return st;
    }
}
