/**
 * The compliance results of a planned stack: the policy pack's own policies (`policy/policies.ts`), run
 * over the resources the mock run recorded, the way the Pulumi CLI runs them over a preview. Violations
 * become today's result lines; the rules exist once, in `policy/`. Only the plan knows the twin run (the
 * same config under a second stack name), which the physical-name rule then compares as well.
 */
import type { ReportViolation, ResourceValidation } from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import { policies } from "../policy/policies";
import type { DashboardPolicy, Environment } from "../policy/rule";
import { NotApplicable, resourceArgs, stackArgs, stackResources, type PlannedResource } from "./policyArgs";

export type { PlannedResource } from "./policyArgs";

/** Everything the rules may look at. */
export interface ComplianceContext {
    readonly resources: readonly PlannedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
    readonly environment: Environment;
    /** Plain-text secret values that must appear nowhere (e.g. the licence key). */
    readonly secrets: readonly string[];
    /** The same config under another stack name, for the physical-name rule. */
    readonly twin?: readonly PlannedResource[];
    /** The stack name, for the URNs of resources that carry none. @default "test" */
    readonly stack?: string;
}

/** `advisory`: an advisory policy found violations, which are reported and fail nothing (the CLI's warnings). */
export type Verdict = "pass" | "fail" | "advisory" | "not applicable";

export interface RuleResult {
    readonly id: string;
    readonly title: string;
    readonly verdict: Verdict;
    /** One line per violation (fail, advisory) or the reasons (not applicable). */
    readonly details: readonly string[];
}

const { UnknownValueError } = policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error };

/**
 * Runs every policy of the pack, as the pack would for the context's environment.
 *
 * @param ctx The recorded resources, outputs, environment, secrets and twin run. @default required
 */
export function checkCompliance(ctx: ComplianceContext): RuleResult[] {
    const stack = ctx.stack ?? "test";
    const resources = stackResources(ctx.resources, ctx.outputs, stack);
    const inputs = resourceArgs(ctx.resources, resources);
    const twin = ctx.twin === undefined ? undefined : stackResources(ctx.twin, {}, `${stack}-twin`);
    return policies({ environment: ctx.environment, secrets: ctx.secrets, twin }).map((p) => {
        const base = { id: p.id, title: p.description };
        if (p.enforcementLevel === "disabled") return { ...base, verdict: "not applicable", details: [p.elsewhere ?? `${ctx.environment} stack`] };
        const violations: string[] = [];
        const reasons = new Set<string>();
        const report: ReportViolation = (message) => {
            violations.push(message);
        };
        const attempt = (validate: () => unknown) => {
            try {
                if (validate() instanceof Promise) throw new Error(`${p.name}: the offline plan runs synchronous validators only`);
            } catch (e) {
                if (e instanceof NotApplicable) reasons.add(e.message);
                else if (e instanceof UnknownValueError) reasons.add(`can't run during preview: ${e.message}`);
                else throw e;
            }
        };
        if (isStackPolicy(p)) attempt(() => p.validateStack(stackArgs(resources), report));
        else for (const args of inputs) for (const v of validations(p.validateResource)) attempt(() => v(args, report));
        if (violations.length > 0) return { ...base, verdict: p.enforcementLevel === "advisory" ? "advisory" : "fail", details: violations };
        return reasons.size > 0 ? { ...base, verdict: "not applicable", details: [...reasons] } : { ...base, verdict: "pass", details: [] };
    });
}

const isStackPolicy = (p: DashboardPolicy): p is Extract<DashboardPolicy, { validateStack: unknown }> => "validateStack" in p;
const validations = (v: ResourceValidation | ResourceValidation[] | undefined): ResourceValidation[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The failed rules' lines, `<id>: <detail>`.
 *
 * @param results The results of `checkCompliance`. @default required
 */
export function findings(results: readonly RuleResult[]): string[] {
    return results.filter((r) => r.verdict === "fail").flatMap((r) => r.details.map((d) => `${r.id}: ${d}`));
}


