/**
 * The sideload handler against a real S3-compatible server (s3rver on
 * 127.0.0.1, random port, temporary directory) with the real SDK v3 client,
 * and a temporary directory as the EFS mount.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { localClient, spawnS3rver, type LocalS3 } from "../../../bench/s3rver";
import { createHandler, handler as lambdaHandler, optionsFromEnv, type LogEntry, type Summary } from "../../../lambda/sideload/index";
import { DEFAULT_FOLDERS } from "../../../lambda/sideload/keys";

const BUCKET = "sideload-test";
const RESYNC_BUCKET = "sideload-resync";
const HOSTILE_BUCKET = "sideload-hostile";

/** The key as S3 puts it into an event: form-encoded (space → `+`), `/` kept. */
function eventKey(key: string): string {
    return encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");
}

function record(eventName: string, rawKey: string, bucket = BUCKET, versionId?: string) {
    return {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "eu-west-1",
        eventName,
        s3: { s3SchemaVersion: "1.0", bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: rawKey, size: 1, versionId } },
    };
}
const created = (key: string, versionId?: string) => ({ Records: [record("ObjectCreated:Put", eventKey(key), BUCKET, versionId)] });
const removed = (key: string, name = "ObjectRemoved:Delete") => ({ Records: [record(name, eventKey(key))] });
const summary = (s: Partial<Summary>): Summary => ({ copied: 0, deleted: 0, unchanged: 0, rejected: 0, ...s });

/** Every path under `dir` (lstat, symlinks not followed), relative, sorted. */
function tree(dir: string): string[] {
    const out: string[] = [];
    const walk = (abs: string, rel: string): void => {
        for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
            const r = rel === "" ? e.name : `${rel}/${e.name}`;
            out.push(e.isDirectory() ? `${r}/` : e.isSymbolicLink() ? `${r}@` : r);
            if (e.isDirectory()) walk(path.join(abs, e.name), r);
        }
    };
    walk(dir, "");
    return out.sort();
}

describe("lambda/sideload handler (s3rver)", function () {
    this.timeout(15000);
    let s3dir: string;
    let server: LocalS3;
    let s3: S3Client;
    let work: string; // per test: <work>/root is the mount, <work>/sentinel sits beside it
    let root: string;
    let sentinel: string;
    let logs: LogEntry[];
    let handle: (event: unknown) => Promise<Summary>;

    const put = async (key: string, body: string | Buffer, bucket = BUCKET) => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
        return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    };
    const del = (key: string, bucket = BUCKET) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const file = (rel: string) => path.join(root, rel);
    const read = (rel: string) => fs.readFileSync(file(rel), "utf8");
    const mode = (rel: string) => fs.lstatSync(file(rel)).mode & 0o7777;

    before(async () => {
        s3dir = fs.mkdtempSync(path.join(os.tmpdir(), "sideload-s3-"));
        server = await spawnS3rver(s3dir, [BUCKET, RESYNC_BUCKET, HOSTILE_BUCKET]);
        s3 = localClient(server.endpoint);
    });
    after(async () => {
        s3.destroy();
        await server.close();
        fs.rmSync(s3dir, { recursive: true, force: true });
    });
    beforeEach(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "sideload-mnt-"));
        root = path.join(work, "root");
        sentinel = path.join(work, "sentinel");
        fs.mkdirSync(root);
        fs.mkdirSync(sentinel);
        logs = [];
        handle = createHandler({ s3, root, folders: { ...DEFAULT_FOLDERS }, bucket: BUCKET, log: (e) => logs.push(e) });
    });
    afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

    it("creates a file: content, mode 0644, mtime = LastModified, parent directories 0755, no temporary file", async () => {
        const head = await put("images/brand/logo.png", "PNG-1");
        assert.deepEqual(await handle(created("images/brand/logo.png", "ignored-version")), summary({ copied: 1 }));
        assert.equal(read("images/brand/logo.png"), "PNG-1");
        assert.equal(mode("images/brand/logo.png"), 0o644);
        assert.equal(mode("images"), 0o755);
        assert.equal(mode("images/brand"), 0o755);
        assert.equal(Math.floor(fs.statSync(file("images/brand/logo.png")).mtimeMs / 1000), Math.floor(head.LastModified!.getTime() / 1000));
        assert.deepEqual(tree(root), ["images/", "images/brand/", "images/brand/logo.png"]);
        assert.deepEqual(logs, [{ level: "info", action: "copied", eventName: "ObjectCreated:Put", key: "images/brand/logo.png" }]);
    });

    it("overwrites a file with the current version, and deletes it (and empty parents, not the folder) once S3 no longer has it", async () => {
        await put("themes/dark/a/theme.css", "v1");
        await handle(created("themes/dark/a/theme.css"));
        await put("themes/dark/a/theme.css", "version 2, longer");
        assert.deepEqual(await handle(created("themes/dark/a/theme.css")), summary({ copied: 1 }));
        assert.equal(read("themes/dark/a/theme.css"), "version 2, longer");
        await del("themes/dark/a/theme.css");
        assert.deepEqual(await handle(removed("themes/dark/a/theme.css")), summary({ deleted: 1 }));
        assert.deepEqual(tree(root), ["themes/"]);
    });

    it("handles spaces (+), a literal +, unicode and nested folders", async () => {
        const keys = ["images/My Photos/summer day.png", "themes/a+b/c+d.css", "images/日本語/ファイル é.png", "images/x/y/z/w/deep file.txt"];
        for (const k of keys) await put(k, `content of ${k}`);
        for (const k of keys) assert.deepEqual(await handle(created(k)), summary({ copied: 1 }));
        for (const k of keys) assert.equal(read(k), `content of ${k}`);
        assert.equal(eventKey("themes/a+b/c+d.css"), "themes/a%2Bb/c%2Bd.css");
        assert.equal(eventKey("images/My Photos/summer day.png"), "images/My+Photos/summer+day.png");
        for (const k of keys) await del(k);
        for (const k of keys) assert.deepEqual(await handle(removed(k)), summary({ deleted: 1 }));
        assert.deepEqual(tree(root), ["images/", "themes/"]);
    });

    it("maps excel-data/ uploads to the excel directory", async () => {
        await put("excel-data/q1/report.xlsx", "XLSX");
        assert.deepEqual(await handle(created("excel-data/q1/report.xlsx")), summary({ copied: 1 }));
        assert.deepEqual(tree(root), ["excel/", "excel/q1/", "excel/q1/report.xlsx"]);
        assert.equal(read("excel/q1/report.xlsx"), "XLSX");
    });

    it("placeholder keys (trailing /) create and remove directories; a placeholder keeps its directory when the last file goes", async () => {
        await put("images/new folder/", "");
        assert.deepEqual(await handle(created("images/new folder/")), summary({ copied: 1 }));
        assert.equal(mode("images/new folder"), 0o755);
        assert.deepEqual(await handle(created("images/new folder/")), summary({ unchanged: 1 }));
        await put("images/new folder/pic.png", "P");
        await handle(created("images/new folder/pic.png"));
        await del("images/new folder/pic.png");
        assert.deepEqual(await handle(removed("images/new folder/pic.png")), summary({ deleted: 1 }));
        assert.deepEqual(tree(root), ["images/", "images/new folder/"]);
        await del("images/new folder/");
        assert.deepEqual(await handle(removed("images/new folder/")), summary({ deleted: 1 }));
        assert.deepEqual(tree(root), ["images/"]);
        // a placeholder event whose key is already gone creates nothing
        assert.deepEqual(await handle(created("themes/gone/")), summary({ unchanged: 1 }));
        assert.deepEqual(tree(root), ["images/"]);
    });

    it("is level-triggered: duplicates, late created events, deletes while still present, delete markers", async () => {
        await put("images/dup.png", "one");
        assert.deepEqual(await handle(created("images/dup.png")), summary({ copied: 1 }));
        assert.deepEqual(await handle(created("images/dup.png")), summary({ copied: 1 }));
        assert.equal(read("images/dup.png"), "one");
        // a removed event while S3 still has the key: nothing is deleted
        assert.deepEqual(await handle(removed("images/dup.png")), summary({ unchanged: 1 }));
        assert.equal(read("images/dup.png"), "one");
        // v1's event arrives after v2 was uploaded: the current version is written
        await put("images/order.png", "v1");
        await put("images/order.png", "v2 is current");
        await handle(created("images/order.png"));
        assert.equal(read("images/order.png"), "v2 is current");
        // a created event arriving after the object was deleted acts as a removal
        await del("images/order.png");
        assert.deepEqual(await handle(created("images/order.png")), summary({ deleted: 1 }));
        assert.equal(fs.existsSync(file("images/order.png")), false);
        // removed (delete marker) arrives after a re-upload: the file stays and is brought up to date
        await put("images/again.png", "first");
        await handle(created("images/again.png"));
        await del("images/again.png");
        await put("images/again.png", "re-uploaded");
        assert.deepEqual(await handle(removed("images/again.png", "ObjectRemoved:DeleteMarkerCreated")), summary({ copied: 1 }));
        assert.equal(read("images/again.png"), "re-uploaded");
        // removal of something never copied, twice
        assert.deepEqual(await handle(removed("images/never/there.png")), summary({ unchanged: 1 }));
        assert.deepEqual(await handle(removed("images/never/there.png")), summary({ unchanged: 1 }));
        assert.deepEqual(tree(root), ["images/", "images/again.png", "images/dup.png"]);
    });

    it("handles several records in one event in order, and accepts an s3:-prefixed event name", async () => {
        await put("themes/one.css", "1");
        await put("themes/two.css", "2");
        const event = {
            Records: [
                record("ObjectCreated:Put", "themes/one.css"),
                record("s3:ObjectCreated:CompleteMultipartUpload", "themes/two.css"),
                record("ObjectRemoved:Delete", "themes/missing.css"),
                record("ObjectCreated:Put", "keys/id_rsa"),
                record("ObjectRestore:Completed", "themes/one.css"),
            ],
        };
        assert.deepEqual(await handle(event), summary({ copied: 2, unchanged: 1, rejected: 1 }));
        assert.deepEqual(tree(root), ["themes/", "themes/one.css", "themes/two.css"]);
        assert.deepEqual(
            logs.map((l) => [l.action, l.key, l.reason]),
            [
                ["copied", "themes/one.css", undefined],
                ["copied", "themes/two.css", undefined],
                ["unchanged", "themes/missing.css", undefined],
                ["rejected", "keys/id_rsa", "folder not allowed"],
                ["ignored", "themes/one.css", "event type not handled"],
            ],
        );
    });

    it("refuses the hostile-key corpus without throwing and writes nothing outside the allowed directories", async () => {
        const hostile = createHandler({ s3, root, folders: { ...DEFAULT_FOLDERS }, bucket: HOSTILE_BUCKET, log: (e) => logs.push(e) });
        // Objects a naive handler would happily copy somewhere dangerous.
        for (const k of ["keys/id_rsa", "logs/app.log", "svg/x.svg", "scripts/run.sh", "images\\evil.png", "images/a\\b.png", "images/link/evil.txt", "images/evil.txt", "themes/x.css"]) {
            await put(k, "BAIT", HOSTILE_BUCKET);
        }
        // Symlinks planted inside allowed folders (the app servers also write this file system).
        fs.mkdirSync(file("images"));
        fs.symlinkSync(sentinel, file("images/link"));
        fs.symlinkSync(path.join(sentinel, "evil.txt"), file("images/evil.txt"));
        const victim = path.join(work, "victim");
        fs.mkdirSync(victim);
        fs.writeFileSync(path.join(victim, "keep.txt"), "keep");
        fs.symlinkSync(victim, file("images/victim"));
        fs.writeFileSync(file("images/plain"), "a file, not a directory");

        const corpus: [string, string][] = [
            ["../x", "dot segment"],
            ["../../../../etc/passwd", "dot segment"],
            ["images/../../etc/passwd", "dot segment"],
            ["images/%2e%2e/%2e%2e/etc/passwd", "dot segment"],
            ["%2e%2e/x", "dot segment"],
            ["%2E%2E%2Fx", "dot segment"],
            ["images/%2e%2e/x", "dot segment"],
            ["images/./x", "dot segment"],
            ["images//x", "empty segment"],
            ["/etc/passwd", "leading /"],
            ["%2Fetc%2Fpasswd", "leading /"],
            ["/images/x", "leading /"],
            ["images/a%00b", "control character"],
            ["images/a%0Ab", "control character"],
            ["images/a%7Fb", "control character"],
            ["images%5Cevil.png", "backslash"],
            ["images/a%5Cb.png", "backslash"],
            ["images/..%5C..%5Cx", "backslash"],
            [`images/${"a".repeat(1020)}`, "longer than 1024 bytes"],
            [`images/${"%E6%97%A5".repeat(340)}`, "longer than 1024 bytes"],
            [`images/${"d/".repeat(16)}x`, "more than 16 levels"],
            [`images/${"n".repeat(256)}`, "segment longer than 255 bytes"],
            ["keys/id_rsa", "folder not allowed"],
            ["logs/app.log", "folder not allowed"],
            ["svg/x.svg", "folder not allowed"],
            ["scripts/run.sh", "folder not allowed"],
            ["excel/x.xlsx", "folder not allowed"],
            ["Images/x.png", "folder not allowed"],
            ["__proto__/x", "folder not allowed"],
            ["constructor/x", "folder not allowed"],
            ["images", "no name below the folder"],
            ["images/x%zz", "invalid percent-encoding"],
            ["images/%E0%A4%A", "invalid percent-encoding"],
            ["images/%ED%A0%80", "invalid percent-encoding"],
            ["images/.x.0011223344556677.sideload-tmp", "reserved temporary file name"],
            ["images/link/evil.txt", "symlink in path"],
            ["images/link/sub/", "symlink in path"],
            ["images/evil.txt", "target is a symlink"],
            ["images/victim/keep.txt", "symlink in path"],
            ["images/plain/x.png", "not a directory in path"],
        ];
        for (const [raw, reason] of corpus) {
            for (const name of ["ObjectCreated:Put", "ObjectRemoved:Delete"]) {
                logs = [];
                const result = await hostile({ Records: [record(name, raw, HOSTILE_BUCKET)] });
                assert.deepEqual(result, summary({ rejected: 1 }), `${name} ${raw}`);
                assert.deepEqual(logs, [{ level: "warn", action: "rejected", reason, eventName: name, key: raw }], `${name} ${raw}`);
            }
        }
        // another bucket's event is refused too
        logs = [];
        assert.deepEqual(await hostile({ Records: [record("ObjectCreated:Put", "themes/x.css", "other-bucket")] }), summary({ rejected: 1 }));
        assert.equal(logs[0].reason, "unexpected bucket");

        // A folder directory that is itself a symlink refuses everything below it, also on resync.
        fs.symlinkSync(sentinel, file("themes"));
        logs = [];
        assert.deepEqual(await hostile({ Records: [record("ObjectCreated:Put", "themes/x.css", HOSTILE_BUCKET)] }), summary({ rejected: 1 }));
        assert.equal(logs[0].reason, "symlink in path");
        logs = [];
        // resync refuses images/a\b.png, images/link/evil.txt, images/evil.txt and themes/, deletes the stray plain file
        assert.deepEqual(await hostile({ resync: true }), summary({ rejected: 4, deleted: 1 }));
        assert.deepEqual(
            logs.filter((l) => l.action === "rejected").map((l) => [l.key, l.reason]),
            [
                ["images/a\\b.png", "backslash"],
                ["images/evil.txt", "target is a symlink"],
                ["images/link/evil.txt", "symlink in path"],
                ["themes/", "symlink in path"],
            ],
        );

        // Nothing was written anywhere but the allowed folders; the planted links and the victim are intact.
        assert.deepEqual(tree(work), [
            "root/",
            "root/excel/",
            "root/images/",
            "root/images/evil.txt@",
            "root/images/link@",
            "root/images/victim@",
            "root/themes@",
            "sentinel/",
            "victim/",
            "victim/keep.txt",
        ]);
        assert.deepEqual(fs.readdirSync(sentinel), []);
        assert.equal(fs.readFileSync(path.join(victim, "keep.txt"), "utf8"), "keep");
        assert.ok(!JSON.stringify(logs).includes("BAIT"), "logs never carry object contents");
    });

    it("resync copies what is missing or different, deletes extras and stale temporary files, removes empty directories", async () => {
        const resyncLogs: LogEntry[] = [];
        const resync = createHandler({ s3, root, folders: { ...DEFAULT_FOLDERS }, bucket: RESYNC_BUCKET, log: (e) => resyncLogs.push(e), tempMaxAgeMs: 0, listPageSize: 2 });
        const same = await put("images/same.png", "same", RESYNC_BUCKET);
        await put("images/missing/deep.png", "missing", RESYNC_BUCKET);
        await put("themes/size.css", "S3 size", RESYNC_BUCKET);
        const mtime = await put("themes/mtime.css", "same-len", RESYNC_BUCKET);
        await put("excel-data/data.xlsx", "x", RESYNC_BUCKET);
        await put("images/kept folder/", "", RESYNC_BUCKET);
        await put("images/bad\\name.png", "bad", RESYNC_BUCKET);
        await put("other/ignored.txt", "not an allowed folder", RESYNC_BUCKET);

        const write = (rel: string, body: string, when?: Date) => {
            fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
            fs.writeFileSync(file(rel), body);
            if (when) fs.utimesSync(file(rel), when, when);
        };
        write("images/same.png", "same", same.LastModified);
        write("themes/size.css", "local, other size");
        write("themes/mtime.css", "same-len", new Date(mtime.LastModified!.getTime() - 60_000));
        write("images/extra.png", "S3 never had it");
        write("images/sub/extra.png", "nor this");
        write("images/.leftover.abc123.sideload-tmp", "partial");
        fs.mkdirSync(file("themes/empty/inner"), { recursive: true });
        fs.mkdirSync(file("logs"));
        write("logs/app.log", "not ours");

        assert.deepEqual(await resync({ resync: true }), summary({ copied: 5, deleted: 3, unchanged: 1, rejected: 1 }));
        assert.deepEqual(tree(root), [
            "excel/",
            "excel/data.xlsx",
            "images/",
            "images/kept folder/",
            "images/missing/",
            "images/missing/deep.png",
            "images/same.png",
            "logs/",
            "logs/app.log",
            "themes/",
            "themes/mtime.css",
            "themes/size.css",
        ]);
        assert.equal(read("themes/size.css"), "S3 size");
        assert.equal(Math.floor(fs.statSync(file("themes/mtime.css")).mtimeMs / 1000), Math.floor(mtime.LastModified!.getTime() / 1000));
        assert.equal(mode("images/missing/deep.png"), 0o644);
        assert.deepEqual(resyncLogs.filter((l) => l.action === "rejected"), [{ level: "warn", action: "rejected", reason: "backslash", key: "images/bad\\name.png" }]);
        // A second resync finds nothing to do.
        assert.deepEqual(await resync({ resync: true }), summary({ unchanged: 6, rejected: 1 }));
    });

    it("throws on S3 errors (so the invocation is retried) but never for refused keys", async () => {
        const dead = localClient("http://127.0.0.1:9", 1); // nothing listens on the discard port
        const offline = createHandler({ s3: dead, root, folders: { ...DEFAULT_FOLDERS }, bucket: BUCKET, log: (e) => logs.push(e) });
        await assert.rejects(offline({ Records: [record("ObjectCreated:Put", "images/a.png"), record("ObjectRemoved:Delete", "themes/b.css")] }), /^Error: 2 of 2 records failed/);
        assert.deepEqual(await offline(created("logs/x")), summary({ rejected: 1 }));
        await assert.rejects(offline({ resync: true }));
        dead.destroy();
        // a missing mount is a file-system error, not a refusal
        const noMount = createHandler({ s3, root: path.join(work, "absent"), folders: { ...DEFAULT_FOLDERS }, bucket: BUCKET, log: () => undefined });
        await put("images/a.png", "A");
        await assert.rejects(noMount(created("images/a.png")), /ENOENT/);
    });

    it("ignores unrecognised invocations and refuses unsafe folder configuration", async () => {
        assert.deepEqual(await handle({ hello: "world" }), summary({}));
        assert.deepEqual(await handle("resync"), summary({}));
        assert.deepEqual(logs.map((l) => l.reason), ["neither resync nor S3 records", "event is not an object"]);
        assert.throws(() => createHandler({ s3, root, folders: { images: "../etc" }, bucket: BUCKET }), /plain name/);
        assert.throws(() => createHandler({ s3, root, folders: { keys: "keys" }, bucket: BUCKET }), /reserved/);
    });

    it("reads SIDELOAD_ROOT, SIDELOAD_FOLDERS and BUCKET_NAME from the environment", () => {
        assert.deepEqual(optionsFromEnv({ SIDELOAD_ROOT: "/mnt/content", BUCKET_NAME: "b" }, s3), {
            s3,
            root: "/mnt/content",
            bucket: "b",
            folders: { images: "images", themes: "themes", "excel-data": "excel" },
        });
        assert.deepEqual(optionsFromEnv({ SIDELOAD_ROOT: "/mnt/content", BUCKET_NAME: "b", SIDELOAD_FOLDERS: '{"images":"img"}' }, s3).folders, { images: "img" });
        assert.throws(() => optionsFromEnv({ SIDELOAD_ROOT: "/mnt/content" }, s3), /BUCKET_NAME is not set/);
        assert.throws(() => optionsFromEnv({ SIDELOAD_ROOT: "/mnt/content", BUCKET_NAME: "b", SIDELOAD_FOLDERS: '{"images":"/etc"}' }, s3), /plain name/);
    });

    it("the Lambda entry point fails (and is retried) when its environment is incomplete", async () => {
        const saved = { root: process.env.SIDELOAD_ROOT, bucket: process.env.BUCKET_NAME };
        const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
        try {
            delete process.env.SIDELOAD_ROOT;
            process.env.BUCKET_NAME = BUCKET;
            await assert.rejects(lambdaHandler({ resync: true }), /SIDELOAD_ROOT is not set/);
        } finally {
            restore("SIDELOAD_ROOT", saved.root);
            restore("BUCKET_NAME", saved.bucket);
        }
    });
});
