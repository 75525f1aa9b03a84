import { RunError } from "@pulumi/pulumi";

/** The config namespace of this project. */
export const NAMESPACE = "dashboard";

/** One thing wrong with a stack config. */
export interface Problem {
    /** Key path below the namespace, e.g. `app.instanceType`. */
    readonly path: string;
    /** What is wrong. */
    readonly message: string;
    /** How to fix it. */
    readonly fix: string;
}

/** `dashboard:<key.path>: <what is wrong> (<how to fix it>)` */
export function formatProblem(p: Problem): string {
    return `${NAMESPACE}:${p.path}: ${p.message} (${p.fix})`;
}

/**
 * Every problem of a stack config, thrown before any resource is registered.
 * The message has one line per problem. A Pulumi `RunError`, so `pulumi up` and
 * `pulumi preview` print the lines without a stack trace.
 */
export class ConfigError extends RunError {
    constructor(public readonly problems: readonly Problem[]) {
        super(
            `The stack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map(formatProblem).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
    for (let j = 1; j <= t.length; j++) d[0][j] = j;
    for (let i = 1; i <= s.length; i++) {
        for (let j = 1; j <= t.length; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[s.length][t.length];
}

/**
 * The known name closest to `name`, if it is a near miss: a typo, a case slip,
 * a swapped pair of letters, or a part of the name (`perAz` → `onePerAz`).
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
    const lower = name.toLowerCase();
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
        const d = editDistance(name, k);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    const allowed = Math.max(1, Math.floor(name.length / 3));
    if (bestDistance <= allowed) return best;
    return lower.length >= 3 ? known.find((k) => k.toLowerCase().includes(lower)) : undefined;
}
