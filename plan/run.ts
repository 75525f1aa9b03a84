/**
 * Runs the real program for one stack file under Pulumi's mock runtime and
 * collects what a reviewer needs: config errors, the resource tree, outputs,
 * compliance results and the monthly cost. No AWS account, no Pulumi CLI.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { awsLookups, ConfigError, formatProblem, loadConfig, resolveConfig, type DashboardConfig } from "../config";
import { deploy } from "../program";
import {
    isSecretOutput,
    loadStackConfig,
    restoreFactsFor,
    settle,
    startMocks,
    subnetFactsFor,
    valueOf,
    type MockOptions,
    type RecordedInvoke,
    type RecordedResource,
} from "../tests/mocks";
import { configSecrets } from "../policy/facts";
import { checkCompliance, findings, type RuleResult } from "./compliance";
import { estimateCost, type Assumptions, type CostEstimate } from "./cost";
import { applyOverrides } from "./overrides";
import { settingsOf } from "./settings";

/** The value shown for a secret output. */
export const SECRET_SHOWN = "[secret]";

export interface PlannedNode {
    readonly type: string;
    readonly name: string;
    /** The settings a reviewer cares about (sizes, zones, ports, CIDRs, retention, protection). */
    readonly settings: Readonly<Record<string, unknown>>;
}

export interface PlannedComponent {
    /** `<type token> <name>` of the component, or `stack` for top-level resources. */
    readonly component: string;
    readonly resources: readonly PlannedNode[];
}

/** The plan of one stack: the documented shape of `npm run plan -- --json`. */
export interface StackPlan {
    readonly stack: string;
    readonly region: string;
    readonly environment?: string;
    readonly customer?: string;
    /** Config problems in the contract's format; when present, nothing else is filled. */
    readonly errors: readonly string[];
    readonly warnings: readonly string[];
    readonly components: readonly PlannedComponent[];
    /** Resource count per type token. */
    readonly counts: Readonly<Record<string, number>>;
    readonly outputs: Readonly<Record<string, unknown>>;
    readonly compliance: readonly RuleResult[];
    /** Failed rules, `<rule id>: <detail>`. */
    readonly findings: readonly string[];
    readonly cost?: CostEstimate;
}

export interface PlanOptions {
    /** Directory holding the `Pulumi.<stack>.yaml` files. @default the repository root */
    readonly dir?: string;
    readonly assumptions?: Partial<Assumptions>;
    /** Config overrides, `section.key=value` (plan/overrides.ts). @default [] */
    readonly overrides?: readonly string[];
}

const ROOT = path.join(__dirname, "..");

/** Plans one stack. Never throws for a bad config: the errors come back in the plan. */
export async function planStack(stack: string, options: PlanOptions = {}): Promise<StackPlan> {
    const stackFile = loadStackConfig(stack, options.dir ?? ROOT);
    const file = { ...stackFile, config: applyOverrides(stackFile.config, options.overrides ?? []) };
    const region = file.region ?? "us-east-1";
    const first = await runProgram(stack, region, file.config, file.secretKeys);
    const empty = { stack, region, components: [], counts: {}, outputs: {}, compliance: [], findings: [] };
    if ("errors" in first) return { ...empty, errors: first.errors, warnings: [] };
    // The same config under another stack name, for the no-shared-physical-name rule.
    const twin = await runProgram(`${stack}-twin`, region, file.config, file.secretKeys);
    const compliance = checkCompliance({
        resources: first.resources,
        outputs: first.outputs,
        environment: first.config.environment,
        secrets: configSecrets(file.config, file.secretKeys),
        twin: "errors" in twin ? undefined : twin.resources,
        stack,
    });
    const counts: Record<string, number> = {};
    // Custom resources, and awsx's Vpc: a remote component whose children the mocks do not build.
    for (const r of first.resources.filter((x) => x.custom || x.type === "awsx:ec2:Vpc")) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return {
        stack,
        region,
        environment: first.config.environment,
        customer: first.config.customer,
        errors: [],
        warnings: first.warnings,
        components: tree(first.resources),
        counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
        outputs: first.outputs,
        compliance,
        findings: findings(compliance),
        cost: estimateCost(first.resources, region, options.assumptions),
    };
}

export interface ProgramRun {
    readonly config: DashboardConfig;
    readonly resources: RecordedResource[];
    /** The invokes of the program itself (after the look-up stage). */
    readonly invokes: RecordedInvoke[];
    /** The invokes of the look-up stage, before anything was registered. */
    readonly lookups: RecordedInvoke[];
    readonly outputs: Record<string, unknown>;
    readonly warnings: string[];
}

/** A run that stopped at errors, with what was registered before it stopped. */
export interface FailedRun {
    readonly errors: string[];
    readonly resources: RecordedResource[];
}

/**
 * One run of the real program under mocks, as index.ts runs it: load and validate the config,
 * the look-up stage, then deploy. Existing subnets and restore sources are assumed to fit the
 * config (see `subnetFactsFor`, `restoreFactsFor`) unless `mockOptions` says otherwise.
 */
export async function runProgram(
    stack: string,
    region: string,
    config: Record<string, string>,
    secretKeys: string[],
    mockOptions: Partial<MockOptions> = {},
): Promise<ProgramRun | FailedRun> {
    const run = await startMocks({
        stack,
        region,
        config,
        secretKeys,
        subnets: subnetFactsFor(config, region),
        snapshots: restoreFactsFor(config),
        dbInstances: restoreFactsFor(config),
        ...mockOptions,
    });
    const warnings: string[] = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = async (message: string) => {
        warnings.push(message);
    };
    let cfg: DashboardConfig;
    try {
        cfg = await resolveConfig(loadConfig(), awsLookups(region));
    } catch (e) {
        if (e instanceof ConfigError) return { errors: e.problems.map(formatProblem), resources: [...run.resources] };
        throw e;
    } finally {
        pulumi.log.warn = warn;
    }
    const lookupCount = run.invokes.length;
    // A check that fails while the program runs (an existing subnet in the wrong
    // zone, say) rejects the outputs and registrations that depend on it: report
    // it as an error of the stack, as `pulumi preview` would, not as a crash.
    // A resource whose registration failed never resolves its outputs, so each
    // wait also ends as soon as anything has failed.
    const failures: unknown[] = [];
    let failed: () => void = () => undefined;
    const anyFailure = new Promise<never>((_, reject) => (failed = () => reject(new Error("the program failed"))));
    anyFailure.catch(() => undefined);
    const onRejection = (reason: unknown) => {
        failures.push(reason);
        failed();
    };
    process.on("unhandledRejection", onRejection);
    try {
        let outputs: ReturnType<typeof deploy>;
        try {
            outputs = deploy(cfg, { region, stack });
        } catch (e) {
            return { errors: programErrors([e]), resources: [...run.resources] };
        }
        const resolved: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(outputs) as Array<[string, pulumi.Output<unknown>]>) {
            try {
                const v = await Promise.race([valueOf(value), anyFailure]);
                // JSON has no undefined: an output with no value (no licence, no status page) is null.
                resolved[key] = (await Promise.race([isSecretOutput(value), anyFailure])) ? SECRET_SHOWN : (v ?? null);
            } catch (e) {
                if (failures.length === 0) failures.push(e);
                break;
            }
        }
        if (failures.length === 0) await settle();
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) return { errors: programErrors(failures), resources: [...run.resources] };
        return { config: cfg, resources: [...run.resources], invokes: run.invokes.slice(lookupCount), lookups: run.invokes.slice(0, lookupCount), outputs: resolved, warnings };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

/**
 * The distinct messages of errors thrown while the program ran, without the
 * runtime's "error serializing property" wrapping, one line each; lines naming
 * a config key get the namespace, as config errors do.
 */
export function programErrors(failures: readonly unknown[]): string[] {
    const lines = new Set<string>();
    for (const f of failures) {
        const message = f instanceof Error ? f.message : String(f);
        const inner = message.replace(/^(error serializing property "[^"]*": )+/, "");
        for (const line of inner.split("\n").map((l) => l.trim()).filter(Boolean)) {
            lines.add(/^[a-z][A-Za-z]*\.[A-Za-z.[\]0-9]+: /.test(line) ? `dashboard:${line}` : line);
        }
    }
    return [...lines];
}

/** Groups custom resources under their nearest component. */
function tree(resources: readonly RecordedResource[]): PlannedComponent[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, PlannedNode[]>();
    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
        let parent = byUrn.get(r.parent);
        while (parent !== undefined && parent.custom) parent = byUrn.get(parent.parent);
        const key = parent === undefined ? "stack" : `${parent.type} ${parent.name}`;
        const list = groups.get(key) ?? [];
        list.push({ type: r.type, name: r.name, settings: settingsOf(r) });
        groups.set(key, list);
    }
    // awsx's Vpc is a remote component: list it with its component.
    for (const r of resources.filter((x) => x.type === "awsx:ec2:Vpc")) {
        const parent = byUrn.get(r.parent);
        const key = parent === undefined ? "stack" : `${parent.type} ${parent.name}`;
        const list = groups.get(key) ?? [];
        list.unshift({ type: r.type, name: r.name, settings: settingsOf(r) });
        groups.set(key, list);
    }
    // Sorted, so the same stack always prints (and diffs) the same way whatever the registration order.
    const byTypeAndName = (a: PlannedNode, b: PlannedNode) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);
    return [...groups.entries()]
        .sort(([a], [b]) => (a === "stack" ? -1 : b === "stack" ? 1 : a.localeCompare(b)))
        .map(([component, list]) => ({ component, resources: [...list].sort(byTypeAndName) }));
}
