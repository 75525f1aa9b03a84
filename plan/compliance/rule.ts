/**
 * What a compliance rule is and reads: the registered resources, the shape of a rule and of its
 * result, and the few lookups every rule uses. Each rule in this folder is a self-contained `Rule`.
 */
import type { Environment } from "../../config/types";

/** The part of a registered resource the rules read. */
export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly custom: boolean;
}

/** Everything a rule may look at. */
export interface ComplianceContext {
    readonly resources: readonly PlannedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
    readonly environment: Environment;
    /** Plain-text secret values that must appear nowhere (e.g. the licence key). */
    readonly secrets: readonly string[];
    /** The same config under another stack name, for the physical-name rule. */
    readonly twin?: readonly PlannedResource[];
}

export type Verdict = "pass" | "fail" | "not applicable";

export interface RuleResult {
    readonly id: string;
    readonly title: string;
    readonly verdict: Verdict;
    /** One line per offending resource (fail) or the reason (not applicable). */
    readonly details: readonly string[];
}

/** One rule: its Checkov and/or AWS Foundational Security Best Practices id, and its check. */
export interface Rule {
    readonly id: string;
    readonly title: string;
    /** Problems found, or a string saying why the rule does not apply. */
    check(ctx: ComplianceContext): string[] | { notApplicable: string };
}

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
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

/** `<Type> <name>`, how a finding names a resource. */
export const label = (r: PlannedResource) => `${r.type.split(":").pop()} ${r.name}`;
/** The registered resources of one type. */
export const of = (ctx: ComplianceContext, type: string) => ctx.resources.filter((r) => r.type === type);
/** A boolean input, which a mock may hand over as a string. */
export const isTrue = (v: unknown) => v === true || v === "true";

/** The findings for every resource of `type` whose boolean input `field` is not on: `<label>: <field> is not true`. */
export function notTrue(ctx: ComplianceContext, type: string, field: string): string[] {
    return of(ctx, type).flatMap((r) => (isTrue(r.inputs[field]) ? [] : [`${label(r)}: ${field} is not true`]));
}
