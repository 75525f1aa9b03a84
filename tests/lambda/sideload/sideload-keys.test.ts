/** Table tests of the sideload handler's pure logic (lambda/sideload/keys.ts). */
import * as assert from "node:assert/strict";
import {
    DEFAULT_FOLDERS,
    MAX_SEGMENT_BYTES,
    checkKey,
    decodeEventKey,
    isTempName,
    parseFolders,
    parseInvocation,
    placeholderKey,
    tempName,
    truncateUtf8,
} from "../../../lambda/sideload/keys";

const F = { ...DEFAULT_FOLDERS };

describe("lambda/sideload/keys", () => {
    describe("decodeEventKey", () => {
        const cases: [string, string | null][] = [
            ["images/a.png", "images/a.png"],
            ["images/My+Photos/a+b.png", "images/My Photos/a b.png"],
            ["images/a%2Bb.png", "images/a+b.png"],
            ["images/a%20b.png", "images/a b.png"],
            ["images/%E6%97%A5%E6%9C%AC.png", "images/日本.png"],
            ["images/caf%C3%A9", "images/café"],
            ["images%2Fx", "images/x"],
            ["%2e%2e/x", "../x"],
            ["images/a%00b", "images/a\u0000b"],
            ["images/%zz", null],
            ["images/%", null],
            ["images/%E6%97", null],
            ["images/%ED%A0%80", null], // an encoded surrogate is not UTF-8
        ];
        for (const [raw, want] of cases) {
            it(`${JSON.stringify(raw)} → ${want === null ? "invalid" : JSON.stringify(want)}`, () => {
                assert.deepEqual(decodeEventKey(raw), want === null ? { ok: false, reason: "invalid percent-encoding" } : { ok: true, key: want });
            });
        }
    });

    describe("checkKey accepts and maps", () => {
        const cases: [string, { folder: string; dir: string; segments: string[]; directory: boolean }][] = [
            ["images/a.png", { folder: "images", dir: "images", segments: ["a.png"], directory: false }],
            ["themes/dark/theme.css", { folder: "themes", dir: "themes", segments: ["dark", "theme.css"], directory: false }],
            ["excel-data/q1/report.xlsx", { folder: "excel-data", dir: "excel", segments: ["q1", "report.xlsx"], directory: false }],
            ["images/My Photos/a b.png", { folder: "images", dir: "images", segments: ["My Photos", "a b.png"], directory: false }],
            ["images/日本/ファイル.png", { folder: "images", dir: "images", segments: ["日本", "ファイル.png"], directory: false }],
            ["images/.hidden", { folder: "images", dir: "images", segments: [".hidden"], directory: false }],
            ["images/..x/x..", { folder: "images", dir: "images", segments: ["..x", "x.."], directory: false }],
            ["images/new folder/", { folder: "images", dir: "images", segments: ["new folder"], directory: true }],
            ["images/", { folder: "images", dir: "images", segments: [], directory: true }],
            [`images/${"d/".repeat(14)}x`, { folder: "images", dir: "images", segments: [...Array(14).fill("d"), "x"], directory: false }],
            [`images/${"n".repeat(255)}`, { folder: "images", dir: "images", segments: ["n".repeat(255)], directory: false }],
            [`images/${`${"a".repeat(250)}/`.repeat(4)}${"b".repeat(13)}`, { folder: "images", dir: "images", segments: [...Array(4).fill("a".repeat(250)), "b".repeat(13)], directory: false }], // 1024 bytes
        ];
        for (const [key, want] of cases) {
            it(JSON.stringify(key.length > 60 ? `${key.slice(0, 40)}…(${key.length})` : key), () => {
                assert.deepEqual(checkKey(key, F), { ok: true, ...want });
            });
        }
    });

    describe("checkKey refuses", () => {
        const cases: [string, string][] = [
            ["", "empty key"],
            ["../x", "dot segment"],
            ["images/../../etc/passwd", "dot segment"],
            ["images/a/../b", "dot segment"],
            ["images/./a", "dot segment"],
            ["images/..", "dot segment"],
            ["images/../", "dot segment"],
            ["images//a", "empty segment"],
            ["images/a//", "empty segment"],
            ["/etc/passwd", "leading /"],
            ["/images/a.png", "leading /"],
            ["images\\a.png", "backslash"],
            ["images/..\\..\\x", "backslash"],
            ["images/a\u0000b", "control character"],
            ["images/a\nb", "control character"],
            ["images/a\tb", "control character"],
            ["images/a\u007fb", "control character"],
            ["images/a\u0085b", "control character"],
            ["images/a\ud800b", "unpaired surrogate"],
            [`images/${`${"a".repeat(250)}/`.repeat(4)}${"b".repeat(14)}`, "longer than 1024 bytes"],
            [`images/${"日".repeat(340)}`, "longer than 1024 bytes"],
            [`images/${"d/".repeat(15)}x`, "more than 16 levels"],
            [`images/${"d/".repeat(16)}`, "more than 16 levels"],
            [`images/${"n".repeat(256)}`, "segment longer than 255 bytes"],
            [`images/${"é".repeat(128)}`, "segment longer than 255 bytes"],
            ["images/.a.0011.sideload-tmp", "reserved temporary file name"],
            ["images/x.sideload-tmp/y", "reserved temporary file name"],
            ["keys/id_rsa", "folder not allowed"],
            ["logs/app.log", "folder not allowed"],
            ["svg/a.svg", "folder not allowed"],
            ["excel/a.xlsx", "folder not allowed"],
            ["Images/a.png", "folder not allowed"],
            ["__proto__/a", "folder not allowed"],
            ["constructor/a", "folder not allowed"],
            ["hasOwnProperty/a", "folder not allowed"],
            ["a.png", "folder not allowed"],
            ["images", "no name below the folder"],
        ];
        for (const [key, reason] of cases) {
            it(`${JSON.stringify(key.length > 60 ? `${key.slice(0, 40)}…(${key.length})` : key)}: ${reason}`, () => {
                assert.deepEqual(checkKey(key, F), { ok: false, reason });
            });
        }
    });

    describe("parseFolders", () => {
        it("defaults, with excel-data mapped to excel", () => {
            assert.deepEqual(parseFolders(undefined), { images: "images", themes: "themes", "excel-data": "excel" });
            assert.deepEqual(parseFolders("  "), { images: "images", themes: "themes", "excel-data": "excel" });
        });
        it("accepts a custom mapping", () => {
            assert.deepEqual(parseFolders('{"uploads":"content","excel-data":"excel"}'), { uploads: "content", "excel-data": "excel" });
        });
        const bad: [string, RegExp][] = [
            ["{", /not valid JSON/],
            ["[]", /must be a JSON object/],
            ["null", /must be a JSON object/],
            ['"images"', /must be a JSON object/],
            ["{}", /lists no folder/],
            ['{"images":"../etc"}', /directory for images must be a plain name/],
            ['{"images":"a/b"}', /directory for images must be a plain name/],
            ['{"images":"."}', /directory for images must be a plain name/],
            ['{"images":""}', /directory for images must be a plain name/],
            ['{"images":1}', /directory for images must be a plain name/],
            ['{"../x":"images"}', /upload folder "..\/x" is not a plain name/],
            ['{"images":"keys"}', /reserved name/],
            ['{"logs":"content"}', /reserved name/],
            ['{"svg":"svg"}', /reserved name/],
            ['{"a":"same","b":"same"}', /two upload folders map to the directory same/],
        ];
        for (const [json, err] of bad) {
            it(`refuses ${json}`, () => assert.throws(() => parseFolders(json), err));
        }
    });

    describe("temporary names", () => {
        it("are hidden, end in .sideload-tmp and fit in 255 bytes, never splitting a character", () => {
            assert.equal(tempName("logo.png", "0123456789abcdef"), ".logo.png.0123456789abcdef.sideload-tmp");
            const long = tempName("日".repeat(85), "0123456789abcdef"); // 255 bytes of name
            assert.ok(Buffer.byteLength(long) <= MAX_SEGMENT_BYTES);
            assert.equal(long, `.${"日".repeat(74)}.0123456789abcdef.sideload-tmp`);
            assert.ok(isTempName(long));
            assert.equal(isTempName("logo.png"), false);
            assert.equal(isTempName("x.sideload-tmp"), false);
        });
        it("truncateUtf8 keeps whole characters", () => {
            assert.equal(truncateUtf8("aé日", 1), "a");
            assert.equal(truncateUtf8("aé日", 2), "a");
            assert.equal(truncateUtf8("aé日", 3), "aé");
            assert.equal(truncateUtf8("aé日", 6), "aé日");
            assert.equal(truncateUtf8("😀x", 3), "");
        });
        it("placeholderKey", () => assert.equal(placeholderKey("images", ["a", "b c"]), "images/a/b c/"));
    });

    describe("parseInvocation", () => {
        const rec = (eventName: unknown, key: unknown = "images/a.png", bucket: unknown = "b") => ({ eventName, s3: { bucket: { name: bucket }, object: { key, size: 3 } } });
        const cases: [string, unknown, unknown][] = [
            ["resync", { resync: true }, { type: "resync" }],
            ["resync must be true", { resync: "yes" }, { type: "unrecognised", reason: "neither resync nor S3 records" }],
            ["not an object", "resync", { type: "unrecognised", reason: "event is not an object" }],
            ["null", null, { type: "unrecognised", reason: "event is not an object" }],
            ["an S3 test event", { Service: "Amazon S3", Event: "s3:TestEvent" }, { type: "unrecognised", reason: "neither resync nor S3 records" }],
            [
                "created, removed, delete marker, s3: prefix",
                { Records: [rec("ObjectCreated:Put"), rec("ObjectRemoved:Delete"), rec("ObjectRemoved:DeleteMarkerCreated"), rec("s3:ObjectCreated:Copy", "themes/x")] },
                {
                    type: "records",
                    records: [
                        { kind: "created", eventName: "ObjectCreated:Put", bucket: "b", rawKey: "images/a.png" },
                        { kind: "removed", eventName: "ObjectRemoved:Delete", bucket: "b", rawKey: "images/a.png" },
                        { kind: "removed", eventName: "ObjectRemoved:DeleteMarkerCreated", bucket: "b", rawKey: "images/a.png" },
                        { kind: "created", eventName: "ObjectCreated:Copy", bucket: "b", rawKey: "themes/x" },
                    ],
                },
            ],
            [
                "other and malformed records",
                { Records: [rec("ObjectRestore:Post"), rec("ObjectCreated:Put", 7), rec(undefined), null] },
                {
                    type: "records",
                    records: [
                        { ignored: "event type not handled", eventName: "ObjectRestore:Post", rawKey: "images/a.png" },
                        { ignored: "record without bucket or key", eventName: "ObjectCreated:Put" },
                        { ignored: "record without eventName" },
                        { ignored: "record without eventName" },
                    ],
                },
            ],
        ];
        for (const [name, event, want] of cases) {
            it(name, () => assert.deepEqual(parseInvocation(event), want));
        }
    });
});
