/**
 * The recorded resources of a mock run in the shapes the `@pulumi/policy` validators take: a
 * `PolicyResource` per resource for stack validations (its properties are the resource's outputs),
 * `ResourceValidationArgs` per resource for resource validations (its properties are the inputs). Secret
 * values are unwrapped and every property goes through the SDK's own unknown-checking proxy, as the
 * policy server does before it calls a validator.
 */
import type { PolicyProviderResource, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import type * as q from "@pulumi/pulumi/queryable";

/** The part of a registered resource the policies read; the options and links are optional for hand-made cases. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly custom: boolean;
    /** @default `urn:pulumi:<stack>::dashboard::<type>::<name>` */
    readonly urn?: string;
    /** URN of the parent. @default "" (none) */
    readonly parent?: string;
    /** Reference (`<urn>::<id>`) of the provider. @default "" (the default provider) */
    readonly provider?: string;
    /** @default [] */
    readonly dependencies?: readonly string[];
    /** Input → URNs of the resources its value came from. @default {} */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** @default false */
    readonly protect?: boolean;
    /** @default [] */
    readonly ignoreChanges?: readonly string[];
    /** @default false */
    readonly deleteBeforeReplace?: boolean;
}

/** The reason a validator gave to `notApplicable`. */
export class NotApplicable extends Error {}

type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const sdk = policySdk as unknown as { unknownCheckingProxy<V>(props: V): V };
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "not applicable");
};

/**
 * A value as the policy server hands it over: secrets unwrapped to their plain values.
 *
 * @param value A recorded input or output. @default required
 */
export function plain(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plain);
    if (value === null || typeof value !== "object") return value;
    const o = value as Record<string, unknown>;
    if (o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return plain(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
}

const propsOf = (values: Record<string, unknown>): Props => sdk.unknownCheckingProxy(plain(values) as Props);

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const c = resourceClass as { __pulumiType?: unknown };
    return typeof c.__pulumiType === "string" && c.__pulumiType === type;
}

function optionsOf(r: PlannedResource): PolicyResourceOptions {
    return {
        protect: r.protect ?? false,
        ignoreChanges: [...(r.ignoreChanges ?? [])],
        deleteBeforeReplace: r.deleteBeforeReplace ?? false,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

const urnOf = (r: PlannedResource, stack: string) => r.urn ?? `urn:pulumi:${stack}::dashboard::${r.type}::${r.name}`;

/**
 * The stack as a stack validation sees it: one `PolicyResource` per recorded resource (properties: its
 * outputs) with parents, dependencies and providers linked, plus the `pulumi:pulumi:Stack` resource
 * whose properties are the stack outputs.
 *
 * @param resources What the mock run recorded. @default required
 * @param outputs The stack outputs. @default {}
 * @param stack The stack name, for URNs the resources lack. @default "test"
 */
export function stackResources(resources: readonly PlannedResource[], outputs: Readonly<Record<string, unknown>> = {}, stack = "test"): PolicyResource[] {
    const all = [...resources, { type: "pulumi:pulumi:Stack", name: `dashboard-${stack}`, inputs: {}, state: { ...outputs }, custom: false }];
    const made = all.map((r) => {
        const type = r.type;
        const props = propsOf(r.state);
        const resource: PolicyResource = {
            type,
            props,
            urn: urnOf(r, stack),
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(type, cls),
            asType: <R extends pulumi.Resource>(cls: { new (...rest: any[]): R }) => (isTypeOf(type, cls) ? (props as q.ResolvedResource<R>) : undefined), // eslint-disable-line @typescript-eslint/no-explicit-any
        };
        return resource;
    });
    const byUrn = new Map(made.map((m) => [m.urn, m]));
    const linked = (urns: readonly string[] | undefined) => (urns ?? []).flatMap((u) => byUrn.get(u) ?? []);
    all.forEach((r, i) => {
        const m = made[i];
        if (r.parent) m.parent = byUrn.get(r.parent);
        m.dependencies = linked(r.dependencies);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) m.propertyDependencies[k] = linked(urns);
        const provider = providerOf(r, byUrn);
        if (provider !== undefined) m.provider = provider;
    });
    return made;
}

function providerOf(r: PlannedResource, byUrn: ReadonlyMap<string, PolicyResource>): PolicyProviderResource | undefined {
    if (!r.provider) return undefined;
    const p = byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
    return p === undefined ? undefined : { type: p.type, props: p.props, urn: p.urn, name: p.name };
}

/**
 * A stack validation's arguments over `resources`.
 *
 * @param resources The stack's resources, from `stackResources`. @default required
 */
export function stackArgs(resources: PolicyResource[]): StackValidationArgs {
    return { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable };
}

/**
 * A resource validation's arguments for each recorded resource (properties: its inputs), in order.
 *
 * @param resources What the mock run recorded. @default required
 * @param linked The same resources from `stackResources` (for their URNs, options and providers). @default required
 */
export function resourceArgs(resources: readonly PlannedResource[], linked: readonly PolicyResource[]): ResourceValidationArgs[] {
    return resources.map((r, i) => {
        const { type, name, urn, opts, provider } = linked[i];
        const props = propsOf(r.inputs);
        return {
            type,
            props,
            urn,
            name,
            opts,
            ...(provider === undefined ? {} : { provider }),
            stackTags: new Map(),
            isType: (cls) => isTypeOf(type, cls),
            asType: <R extends pulumi.Resource, A>(cls: { new (name: string, args: A, ...rest: any[]): R }) => (isTypeOf(type, cls) ? (props as pulumi.Unwrap<NonNullable<A>>) : undefined), // eslint-disable-line @typescript-eslint/no-explicit-any
            getConfig: <T extends object>() => ({}) as T,
            notApplicable,
        };
    });
}
