/**
 * DESIGN.md's layout rules hold for every source file: at most 300 lines a file, 80 a function and
 * 60 a constructor, config/ free of components/, and no file outside a component's folder reaching
 * into its helpers. Each rule also has a case that must fail, written to a temporary tree.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { layoutProblems, reachesIntoComponent, sourceFiles } from "./layout";

describe("layout (DESIGN.md)", () => {
    it("every source file keeps the limits and the import rules", () => {
        const files = sourceFiles();
        assert.ok(files.length > 50, `only ${files.length} source files found`);
        assert.deepEqual(files.flatMap((f) => layoutProblems(f)), []);
    });

    it("reports a long file, a long function, a long constructor and config/ importing components/", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "layout-"));
        try {
            fs.mkdirSync(path.join(root, "config"));
            const body = (n: number) => Array.from({ length: n }, (_, i) => `    x += ${i};`).join("\n");
            const text = [
                'import { Network } from "../components/network";',
                `export function long(): number {\n    let x = 0;\n${body(80)}\n    return x;\n}`,
                `export class C {\n    x = 0;\n    constructor() {\n        let x = 0;\n${body(60)}\n        this.x = x;\n    }\n}`,
                ...Array.from({ length: 150 }, (_, i) => `export const k${i} = ${i};`),
                "export type N = Network;",
            ].join("\n");
            fs.writeFileSync(path.join(root, "config", "bad.ts"), text);
            const problems = layoutProblems(path.join("config", "bad.ts"), root).map((p) => p.replace(/:\d+ /, ": "));
            assert.deepEqual(problems, [
                "config/bad.ts: 303 lines (at most 300)",
                "config/bad.ts: config/ imports ../components/network",
                "config/bad.ts: long: 84 lines (at most 80)",
                "config/bad.ts: constructor: 64 lines (at most 60)",
            ]);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("reaching into a component's helpers: only from inside its folder", () => {
        assert.equal(reachesIntoComponent("program.ts", "./components/app/userData"), "app");
        assert.equal(reachesIntoComponent("plan/run.ts", "../components/database/parameters"), "database");
        assert.equal(reachesIntoComponent("program.ts", "./components/app"), undefined);
        assert.equal(reachesIntoComponent("program.ts", "./components/app/index"), undefined);
        assert.equal(reachesIntoComponent(path.join("components", "app", "serverGroup.ts"), "./userData"), undefined);
        assert.equal(reachesIntoComponent(path.join("components", "app", "serverGroup.ts"), "../sideload/policies"), "sideload");
    });
});
