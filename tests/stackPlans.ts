/** Plans of the repository's stack files, made once per test run and shared by the suites that read them. */
import * as fs from "node:fs";
import * as path from "node:path";
import { planStack, type StackPlan } from "../plan/run";

export const ROOT = path.join(__dirname, "..");

/** Every stack with a Pulumi.<stack>.yaml in the repository. */
export const STACKS: readonly string[] = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

const plans = new Map<string, Promise<StackPlan>>();
/** The mock runtime is global: plans are made one after another. */
let queue: Promise<unknown> = Promise.resolve();

/** The plan of a repository stack (the real program under mocks, twice: once under a twin name). */
export function planOf(stack: string): Promise<StackPlan> {
    let p = plans.get(stack);
    if (p === undefined) {
        p = queue.then(() => planStack(stack));
        queue = p.catch(() => undefined);
        plans.set(stack, p);
    }
    return p;
}
