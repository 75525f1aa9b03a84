/**
 * npm run bench:cost
 * Plans every stack file of the repository (offline, plan/run.ts) and prints its monthly total
 * against its target. Exit 1 when a stack with a target is above it: the development stack
 * (Pulumi.dev.yaml) at $85, the production example (Pulumi.example-production.yaml, at the zones
 * it configures) at $230. A stack that does not plan cleanly fails too.
 */
import * as path from "node:path";
import { stacksIn } from "../plan/cli";
import { planStack } from "../plan/run";

/** Monthly targets, USD, by stack. */
export const COST_TARGETS: Readonly<Record<string, number>> = { dev: 85, "example-production": 230 };

/** One stack's line and whether it meets its target. */
export interface CostLine {
    readonly stack: string;
    readonly total: number;
    readonly target?: number;
    readonly ok: boolean;
    readonly text: string;
}

/**
 * A stack's total against its target.
 * @param stack the stack name @default required
 * @param total its monthly total, USD @default required
 * @param target its target @default none (printed, never fails)
 */
export function costLine(stack: string, total: number, target?: number): CostLine {
    const ok = target === undefined || total <= target;
    const against = target === undefined ? "(no target)" : `target $${target.toFixed(2)}: ${ok ? "ok" : "OVER"} by $${Math.abs(target - total).toFixed(2)}`;
    return { stack, total, target, ok, text: `${stack.padEnd(24)} $${total.toFixed(2).padStart(7)}  ${against}` };
}

async function main(): Promise<number> {
    process.setSourceMapsEnabled(false);
    const dir = path.join(__dirname, "..");
    const lines: CostLine[] = [];
    for (const stack of stacksIn(dir)) {
        const plan = await planStack(stack, { dir });
        if (plan.errors.length > 0 || plan.cost === undefined) {
            process.stdout.write(`${stack}: does not plan: ${plan.errors.join("; ")}\n`);
            lines.push({ stack, total: Number.NaN, ok: false, text: "" });
            continue;
        }
        const line = costLine(stack, plan.cost.total, COST_TARGETS[stack]);
        lines.push(line);
        process.stdout.write(`${line.text}\n`);
    }
    const over = lines.filter((l) => !l.ok);
    if (over.length > 0) process.stdout.write(`\nabove target: ${over.map((l) => l.stack).join(", ")} (see the README, Cost)\n`);
    return over.length > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`bench:cost failed: ${(e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
