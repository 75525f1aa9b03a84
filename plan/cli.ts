/**
 * npm run plan -- <stack> [<stack>…] | --all | --compare <a> <b>
 *                 [--json | --markdown] [--assume key=value …] [--dir <folder>]
 *                 [--set section.key=value …] [--set-a … | --set-b …  (with --compare: one side only)]
 *
 * Two variants of one stack: npm run plan -- --compare dev dev --set-a network.natGateways=single --set-b network.natGateways=instance
 *
 * Exit 0 when every stack plans cleanly; 1 when a stack has config errors or a
 * compliance rule fails; 2 for a usage error. Never prints a stack trace for a
 * bad stack file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAssumptions, type Assumptions } from "./cost";
import { labelled } from "./overrides";
import { comparePlans, renderComparison, renderMarkdown, renderText } from "./render";
import { planStack, type StackPlan } from "./run";

interface Args {
    stacks: string[];
    all: boolean;
    compare: boolean;
    format: "text" | "json" | "markdown";
    assumptions: Partial<Assumptions>;
    dir: string;
    /** Config overrides for every stack, and for the first or second of a comparison. */
    set: { all: string[]; a: string[]; b: string[] };
}

const USAGE = "usage: npm run plan -- <stack>… | --all | --compare <stackA> <stackB>  [--json|--markdown] [--assume key=value]… [--dir folder] [--set|--set-a|--set-b section.key=value]…";

export function parseArgs(argv: readonly string[]): Args {
    const args: Args = { stacks: [], all: false, compare: false, format: "text", assumptions: {}, dir: path.join(__dirname, ".."), set: { all: [], a: [], b: [] } };
    const pairs: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--all") args.all = true;
        else if (a === "--compare") args.compare = true;
        else if (a === "--json") args.format = "json";
        else if (a === "--markdown") args.format = "markdown";
        else if (a === "--assume") pairs.push(argv[++i] ?? "");
        else if (a.startsWith("--assume=")) pairs.push(a.slice("--assume=".length));
        else if (a === "--dir") args.dir = path.resolve(argv[++i] ?? ".");
        else if (a === "--set" || a === "--set-a" || a === "--set-b") args.set[a === "--set" ? "all" : a === "--set-a" ? "a" : "b"].push(argv[++i] ?? "");
        else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
        else args.stacks.push(a.replace(/^Pulumi\.(.+)\.yaml$/, "$1"));
    }
    args.assumptions = parseAssumptions(pairs);
    if (args.all) args.stacks = stacksIn(args.dir);
    if (args.compare && args.stacks.length !== 2) throw new Error("--compare needs exactly two stacks");
    if (!args.compare && args.set.a.length + args.set.b.length > 0) throw new Error("--set-a and --set-b go with --compare; use --set");
    if (args.stacks.length === 0) throw new Error("name a stack, or use --all");
    for (const s of args.stacks) {
        if (!fs.existsSync(path.join(args.dir, `Pulumi.${s}.yaml`))) throw new Error(`no stack file Pulumi.${s}.yaml in ${args.dir}`);
    }
    return args;
}

/** Every stack with a `Pulumi.<stack>.yaml` in a folder, sorted. */
export function stacksIn(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Runs the command; returns the exit code and what to print. */
export async function main(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        return { code: 2, stdout: "", stderr: `${(e as Error).message}\n${USAGE}\n` };
    }
    const plans: StackPlan[] = [];
    for (const [i, stack] of args.stacks.entries()) {
        const overrides = [...args.set.all, ...(args.compare ? (i === 0 ? args.set.a : args.set.b) : [])];
        try {
            const plan = await planStack(stack, { dir: args.dir, assumptions: args.assumptions, overrides });
            plans.push(args.compare ? { ...plan, stack: labelled(stack, overrides) } : plan);
        } catch (e) {
            return { code: 1, stdout: "", stderr: `${stack}: ${(e as Error).message}\n` };
        }
    }
    const bad = plans.some((p) => p.errors.length > 0 || p.findings.length > 0);
    const code = bad ? 1 : 0;
    if (args.compare) {
        const comparison = comparePlans(plans[0], plans[1]);
        const stdout = args.format === "json" ? JSON.stringify(comparison, null, 2) : renderComparison(comparison);
        return { code, stdout: `${stdout}\n`, stderr: "" };
    }
    if (args.format === "json") return { code, stdout: `${JSON.stringify(args.stacks.length === 1 && !args.all ? plans[0] : plans, null, 2)}\n`, stderr: "" };
    const render = args.format === "markdown" ? renderMarkdown : renderText;
    return { code, stdout: `${plans.map(render).join(args.format === "markdown" ? "\n\n---\n\n" : "\n\n")}\n`, stderr: "" };
}

if (require.main === module) {
    // Pulumi records a stack trace per resource; with source maps on (the
    // TypeScript loader's default) that dominates a plan's time.
    process.setSourceMapsEnabled(false);
    main(process.argv.slice(2)).then(
        ({ code, stdout, stderr }) => {
            process.stdout.write(stdout);
            process.stderr.write(stderr);
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`plan failed: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
