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
 * The message has one line per problem.
 */
export class ConfigError extends Error {
    constructor(public readonly problems: readonly Problem[]) {
        super(
            `The stack config has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map(formatProblem).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const cur = [i];
        for (let j = 1; j <= t.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[t.length];
}

/** The known name closest to `name`, if it is a near miss (a typo or a case slip). */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
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
    return bestDistance <= allowed ? best : undefined;
}
