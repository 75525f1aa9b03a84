import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { lambdaFunctionName, transpileLambda } from "../../common/lambdaPackage";

describe("common/lambdaPackage", () => {
    it("packages each Lambda folder's TypeScript as CommonJS, tests excluded", () => {
        assert.deepEqual(Object.keys(transpileLambda("sideload")), ["index.js", "keys.js", "report.js", "resync.js", "sync.js", "tree.js"]);
        assert.deepEqual(Object.keys(transpileLambda("status-checker")), ["check.js", "index.js"]);
        assert.deepEqual(Object.keys(transpileLambda("status-page")), ["index.js", "render.js", "store.js", "uptime.js"]);
        const index = transpileLambda("sideload")["index.js"];
        assert.match(index, /exports\.handler = handler;/);
        assert.match(index, /require\("\.\/keys"\)/);
        assert.doesNotMatch(index, /: S3Client/, "types are stripped");
    });

    it("gives byte-identical output for the same sources, so an unchanged function is not redeployed", () => {
        assert.deepEqual(transpileLambda("sideload"), transpileLambda("sideload"));
    });

    it("loads under Node with only the AWS SDK beside it, as in the Lambda runtime: the handler is a function", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-"));
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.symlinkSync(path.join(__dirname, "..", "..", "node_modules", "@aws-sdk"), path.join(dir, "node_modules", "@aws-sdk"));
        for (const name of ["sideload", "status-checker", "status-page"]) {
            fs.mkdirSync(path.join(dir, name));
            for (const [file, text] of Object.entries(transpileLambda(name))) fs.writeFileSync(path.join(dir, name, file), text);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(path.join(dir, name, "index.js"));
            assert.equal(typeof mod.handler, "function", name);
        }
    });

    it("refuses a folder with a syntax error or without sources", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "lambdas-"));
        fs.mkdirSync(path.join(root, "broken"));
        fs.writeFileSync(path.join(root, "broken", "index.ts"), "export const handler = (;\n");
        fs.writeFileSync(path.join(root, "broken", "index.test.ts"), "");
        assert.throws(() => transpileLambda("broken", root), /^Error: broken\/index\.ts: /);
        fs.mkdirSync(path.join(root, "empty"));
        assert.throws(() => transpileLambda("empty", root), /no TypeScript sources/);
    });

    for (const [prefix, tail, expected] of [
        ["sideload", "ab12cd34", "sideload-ab12cd34"],
        ["acme prod/sideload", "ab12cd34", "acme-prod-sideload-ab12cd34"],
        ["status", "checker-abcd1234", "status-checker-abcd1234"],
        ["acme.prod/status", "page-abcd1234", "acme-prod-status-page-abcd1234"],
        ["--", "ab12cd34", "ab12cd34"],
        ["x".repeat(80), "ab12cd34", `${"x".repeat(55)}-ab12cd34`],
        ["x".repeat(100), "checker-abcd1234", `${"x".repeat(47)}-checker-abcd1234`],
    ] as const) {
        it(`lambdaFunctionName(${prefix.slice(0, 20)}, ${tail}) = ${expected.slice(0, 30)}`, () => {
            const got = lambdaFunctionName(prefix, tail);
            assert.equal(got, expected);
            assert.ok(got.length <= 64 && /^[A-Za-z0-9_-]+$/.test(got));
        });
    }
});
