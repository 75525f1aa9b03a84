import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

/** Where the Lambda sources live: one folder per function. */
export const LAMBDA_ROOT = path.join(__dirname, "..", "lambda");

/** Transpiled text by source, so planning many stacks in one process transpiles each file once. */
const transpiled = new Map<string, string>();

/**
 * Transpiles the TypeScript sources of one Lambda folder (`lambda/<name>/*.ts`,
 * tests excluded) to CommonJS for the Node.js 22 runtime. Pure: the same
 * sources give byte-identical output, so an unchanged function is not redeployed.
 *
 * @returns file name in the archive (`index.js`) → JavaScript text
 */
export function transpileLambda(name: string, root = LAMBDA_ROOT): Record<string, string> {
    const dir = path.join(root, name);
    const sources = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".test.ts"))
        .sort();
    if (sources.length === 0) throw new Error(`no TypeScript sources in ${dir}`);
    const files: Record<string, string> = {};
    for (const file of sources) {
        const source = fs.readFileSync(path.join(dir, file), "utf8");
        const key = `${name}/${file}\n${source}`;
        const cached = transpiled.get(key);
        if (cached !== undefined) {
            files[file.replace(/\.ts$/, ".js")] = cached;
            continue;
        }
        const out = ts.transpileModule(source, {
            fileName: file,
            reportDiagnostics: true,
            compilerOptions: {
                target: ts.ScriptTarget.ES2022,
                module: ts.ModuleKind.CommonJS,
                esModuleInterop: true,
                sourceMap: false,
                removeComments: false,
            },
        });
        const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
        if (errors.length > 0) {
            throw new Error(`${name}/${file}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, "\n")}`);
        }
        files[file.replace(/\.ts$/, ".js")] = out.outputText;
        transpiled.set(key, out.outputText);
    }
    return files;
}

/**
 * The deployment package of `lambda/<name>/`, built by the program during
 * `pulumi up`: no manual build or upload step. The AWS SDK v3 comes with the
 * Node.js 22 runtime, so nothing else is bundled. Handler: `index.handler`.
 */
export function lambdaArchive(name: string, root = LAMBDA_ROOT): pulumi.asset.AssetArchive {
    const files = transpileLambda(name, root);
    return new pulumi.asset.AssetArchive(
        Object.fromEntries(Object.entries(files).map(([file, text]) => [file, new pulumi.asset.StringAsset(text)])),
    );
}

/** Lambda's limit on a function name (letters, digits, `-` and `_`). */
const FUNCTION_NAME_MAX = 64;

/**
 * A function's physical name, `<prefix>-<tail>`: the prefix (a component name)
 * cleaned and shortened to fit 64 characters, the tail (a random suffix, with a
 * role before it where a component has several functions) kept whole. Known
 * before the function exists, so its log group can be created first; the random
 * suffix keeps two stacks or two components apart.
 */
export function lambdaFunctionName(prefix: string, tail: string): string {
    const head = prefix.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, FUNCTION_NAME_MAX - tail.length - 1);
    return head === "" ? tail : `${head}-${tail}`;
}
