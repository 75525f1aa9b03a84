/**
 * What every policy of the pack is made of: the policy shape (a `@pulumi/policy` policy plus its exact
 * Checkov / AWS FSBP id and the environments it applies in), the facts about the stack it may read, the
 * resource types the rules read, and the few lookups they share. This folder imports nothing from the
 * program: `pulumi preview --policy-pack policy` loads it on its own.
 */
import type { PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";

/** The stack's safety profile, as `dashboard:environment` names it. */
export type Environment = "development" | "staging" | "production";
export const ENVIRONMENTS: readonly Environment[] = ["development", "staging", "production"];

/** What the pack knows about the stack beyond its resources. */
export interface StackFacts {
    /** The stack's environment: it sets each policy's enforcement level and what a few rules expect. */
    readonly environment: Environment;
    /** Plain-text secret values that must appear nowhere (the licence key). */
    readonly secrets: readonly string[];
    /** The resources of the same config under another stack name; only the offline plan has them. */
    readonly twin?: readonly PolicyResource[];
}

interface RuleMeta {
    /** The exact Checkov and/or AWS Foundational Security Best Practices id, e.g. `CKV_AWS_157 / RDS.5`. */
    readonly id: string;
    /** The environments the rule applies in (mandatory there, disabled elsewhere). @default every environment */
    readonly only?: readonly Environment[];
    /** Why the rule does not apply in the other environments. @default "<environment> stack" */
    readonly elsewhere?: string;
    /** Where the rule applies, its violations are reported but fail nothing (an accepted, documented gap). @default false (mandatory) */
    readonly advisory?: boolean;
}

/** One policy of the pack. Its `name` is its id in the characters policy names allow (see `policyName`). */
export type DashboardPolicy = (ResourceValidationPolicy & RuleMeta) | (StackValidationPolicy & RuleMeta);

/**
 * A policy's name for its id: lowercase letters, digits and hyphens, e.g. `CKV_AWS_157 / RDS.5` → `ckv-aws-157-rds-5`.
 *
 * @param id The exact Checkov / FSBP id. @default required
 */
export const policyName = (id: string) =>
    id
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");

/** The properties of a resource: untyped, as the engine hands them over. */
export type Props = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resource types the rules read. */
export const T = {
    bucket: "aws:s3/bucket:Bucket",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    db: "aws:rds/instance:Instance",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    secretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    lambda: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    permission: "aws:lambda/permission:Permission",
    efs: "aws:efs/fileSystem:FileSystem",
    efsBackup: "aws:efs/backupPolicy:BackupPolicy",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    vpc: "awsx:ec2:Vpc",
    natGateway: "aws:ec2/natGateway:NatGateway",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    ecsCluster: "aws:ecs/cluster:Cluster",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    ecsService: "aws:ecs/service:Service",
    stack: "pulumi:pulumi:Stack",
} as const;

/**
 * `<Type> <name>`, how a violation names a resource.
 *
 * @param r A resource (or a resource validation's arguments). @default required
 */
export const label = (r: { readonly type: string; readonly name: string }) => `${r.type.split(":").pop()} ${r.name}`;
/**
 * The stack's resources of one type.
 *
 * @param resources The stack's resources. @default required
 * @param type A type token. @default required
 */
export const of = (resources: readonly PolicyResource[], type: string) => resources.filter((r) => r.type === type);
/**
 * A boolean property, which may arrive as a string.
 *
 * @param v The property's value. @default required
 */
export const isTrue = (v: unknown) => v === true || v === "true";

// The SDK throws this class when a policy reads a value that is unknown during preview; its typings leave it out.
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

/**
 * What `read` returns, or undefined when it touches a value not known yet (a preview of a resource to be
 * created). Have `read` turn an absent value into something else (`?? null`) to tell the two apart.
 *
 * @param read Reads the value from a resource's properties. @default required
 */
export function known<V>(read: () => V): V | undefined {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return undefined;
        throw e;
    }
}

/**
 * How many distinct items a list holds (subnet ids, say); an item not known yet (preview) counts as a distinct one.
 * Undefined when the whole list is not known yet.
 *
 * @param read Reads the list from a resource's properties (absent: an empty list). @default required
 */
export function distinctCount(read: () => unknown): number | undefined {
    const list = known(() => read() ?? []);
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) return 0;
    // By index: Array.prototype.map would read each item through the SDK's proxy, which throws on an unknown one.
    const items = new Set<unknown>();
    for (let i = 0; i < list.length; i++) items.add(known(() => list[i] as unknown) ?? `unknown-${i}`);
    return items.size;
}

/**
 * Whether a property is set: to a value, or to one not known yet (computed from a resource yet to be created).
 *
 * @param read Reads the value from a resource's properties. @default required
 */
export function isSet(read: () => unknown): boolean {
    const v = known(() => read() ?? null);
    return v === undefined || (v !== null && v !== "" && v !== false);
}

/**
 * Whether `r`'s property `prop` names `target`: its value equals one of `target`'s `keys` properties or,
 * while that value is unknown (preview), the property was computed from `target`.
 *
 * @param r The referring resource. @default required
 * @param prop Its property that holds the reference. @default required
 * @param target The resource it may refer to. @default required
 * @param keys `target`'s properties a reference may hold (its id, name or ARN). @default required
 */
export function refersTo(r: PolicyResource, prop: string, target: PolicyResource, keys: readonly string[]): boolean {
    const value: unknown = known(() => r.props[prop] ?? null);
    if (value === undefined) return (r.propertyDependencies[prop] ?? []).includes(target);
    return value !== null && value !== "" && keys.some((k) => known(() => target.props[k] as unknown) === value);
}

/**
 * A resource validation that runs on resources of `type` and skips the others (they pass, they are not "not applicable").
 *
 * @param type A type token. @default required
 * @param check The check of one resource's inputs. @default required
 */
export function onType(type: string, check: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
    return (args, report) => {
        if (args.type === type) check(args.props, args, report);
    };
}

/**
 * A resource validation: every resource of `type` has the boolean property `field` on (`<label>: <field> is not true`).
 *
 * @param type A type token. @default required
 * @param field A boolean input. @default required
 */
export const mustBeTrue = (type: string, field: string): ResourceValidation =>
    onType(type, (props, args, report) => {
        if (!isTrue(props[field])) report(`${label(args)}: ${field} is not true`);
    });
