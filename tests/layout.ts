/**
 * The layout rules of DESIGN.md, measured with the TypeScript compiler: no source file over 300
 * lines, no function over 80 lines, every ComponentResource constructor 60 lines or fewer, and
 * config/ importing nothing from components/. Used by tests/layout.test.ts; run it alone with
 * `npx tsx tests/layout.ts` to list what breaks a rule.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export const ROOT = path.join(__dirname, "..");
/** The program's source folders (tests may be longer: tables of cases). */
export const SOURCE_DIRS = ["components", "config", "plan", "policy", "lambda", "common"];
export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 80;
export const MAX_CONSTRUCTOR_LINES = 60;

/** Every .ts file under the source folders, plus the top-level program files. */
export function sourceFiles(root = ROOT): string[] {
    const out: string[] = ["index.ts", "program.ts"].filter((f) => fs.existsSync(path.join(root, f)));
    const walk = (dir: string) => {
        if (!fs.existsSync(path.join(root, dir))) return;
        for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = path.join(dir, e.name);
            if (e.isDirectory() && e.name !== "node_modules") walk(rel);
            else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    SOURCE_DIRS.forEach(walk);
    return out.sort();
}

function lines(sf: ts.SourceFile, node: ts.Node): number {
    return sf.getLineAndCharacterOfPosition(node.getEnd()).line - sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** `file:line what (n lines)` for each rule a file breaks. */
export function layoutProblems(file: string, root = ROOT): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const problems: string[] = [];
    const total = text.replace(/\n$/, "").split("\n").length;
    if (total > MAX_FILE_LINES) problems.push(`${file}: ${total} lines (at most ${MAX_FILE_LINES})`);
    const at = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (node: ts.Node) => {
        if (ts.isConstructorDeclaration(node) && node.body !== undefined) {
            const n = lines(sf, node);
            if (n > MAX_CONSTRUCTOR_LINES) problems.push(`${at(node)} constructor: ${n} lines (at most ${MAX_CONSTRUCTOR_LINES})`);
        } else if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
            const n = lines(sf, node);
            const name = node.name !== undefined && ts.isIdentifier(node.name) ? node.name.text : "function";
            if (n > MAX_FUNCTION_LINES) problems.push(`${at(node)} ${name}: ${n} lines (at most ${MAX_FUNCTION_LINES})`);
        }
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const spec = node.moduleSpecifier.text;
            if (file.startsWith(`config${path.sep}`) && /(^|\/)components(\/|$)/.test(spec)) problems.push(`${at(node)} config/ imports ${spec}`);
            const helper = reachesIntoComponent(file, spec);
            if (helper !== undefined) problems.push(`${at(node)} imports ${spec}, a helper of components/${helper}/ (import the folder's index)`);
        }
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return problems;
}

/** The component folder whose helper file `spec` (imported from `file`) names, when `file` lies outside that folder. */
export function reachesIntoComponent(file: string, spec: string): string | undefined {
    if (!spec.startsWith(".")) return undefined;
    const target = path.normalize(path.join(path.dirname(file), spec));
    const m = /^components\/([^/]+)\/(.+)$/.exec(target.split(path.sep).join("/"));
    if (m === null || m[2] === "index") return undefined;
    return file.startsWith(path.join("components", m[1]) + path.sep) ? undefined : m[1];
}

if (require.main === module) {
    const all = sourceFiles().flatMap((f) => layoutProblems(f));
    console.log(all.length === 0 ? "layout: no problems" : all.join("\n"));
    process.exitCode = all.length === 0 ? 0 : 1;
}
