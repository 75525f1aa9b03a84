/**
 * The compliance rules, checked against what a program run registered. One
 * implementation serves the compliance test suite and `npm run plan`.
 * Each rule carries its Checkov and/or AWS Foundational Security Best Practices id.
 */
import type { Environment } from "../config/types";

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

interface Rule {
    readonly id: string;
    readonly title: string;
    /** Problems found, or a string saying why the rule does not apply. */
    check(ctx: ComplianceContext): string[] | { notApplicable: string };
}

const T = {
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

/** TLS policies that allow only TLS 1.2 and 1.3. */
export const TLS12_POLICIES: readonly string[] = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/** Inputs that are physical names of the resource itself (not e.g. a DNS name the user chose). */
const PHYSICAL_NAME_FIELDS = ["name", "bucket", "identifier", "finalSnapshotIdentifier", "functionName", "dashboardName", "alarmName", "roleName", "dbSubnetGroupName"];
// A DNS name the user chose, names scoped to their parent (an API stage), and names of something else
// (an SSM association's `name` is the document it runs), are not account-wide physical names.
const NOT_PHYSICAL_NAME_TYPES = new Set(["aws:route53/record:Record", "aws:acm/certificate:Certificate", "aws:apigatewayv2/stage:Stage", "aws:ssm/association:Association"]);

const label = (r: PlannedResource) => `${r.type.split(":").pop()} ${r.name}`;
const of = (ctx: ComplianceContext, type: string) => ctx.resources.filter((r) => r.type === type);
const isTrue = (v: unknown) => v === true || v === "true";

/** The resources of `type` attached to a bucket (by its id or name). */
function attached(ctx: ComplianceContext, type: string, bucket: PlannedResource): PlannedResource[] {
    const keys = new Set([bucket.state.id, bucket.state.bucket].filter(Boolean));
    return of(ctx, type).filter((r) => keys.has(r.inputs.bucket));
}

function parsePolicy(policy: unknown): { Statement?: any[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof policy === "string") {
        try {
            return JSON.parse(policy);
        } catch {
            return {};
        }
    }
    return (policy ?? {}) as { Statement?: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Whether a policy denies every request made without TLS. */
function deniesInsecureTransport(policy: unknown): boolean {
    return (parsePolicy(policy).Statement ?? []).some(
        (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
    );
}

/** Names by which a Lambda function can be referred to. */
function functionRefs(fn: PlannedResource): Set<string> {
    return new Set([fn.state.name, fn.state.arn, fn.inputs.name].filter(Boolean));
}

/** Every string inside a value, for secret scanning. */
function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
    return out;
}

function decodeUserData(data: unknown): string {
    if (typeof data !== "string") return "";
    const decoded = Buffer.from(data, "base64").toString("utf8");
    return Buffer.from(decoded, "utf8").toString("base64") === data ? decoded : data;
}

export const RULES: readonly Rule[] = [
    {
        id: "CKV_AWS_53-56 / S3.8",
        title: "S3 buckets block all public access",
        check: (ctx) =>
            of(ctx, T.bucket).flatMap((b) => {
                const blocks = attached(ctx, T.publicAccessBlock, b);
                const ok = blocks.some((p) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => isTrue(p.inputs[k])));
                return ok ? [] : [`${label(b)}: not all four public-access blocks are on`];
            }),
    },
    {
        id: "CKV_AWS_145 / S3.17",
        title: "S3 buckets are encrypted at rest",
        check: (ctx) =>
            of(ctx, T.bucket).flatMap((b) => {
                const ok = attached(ctx, T.encryption, b).some((e) =>
                    (e.inputs.rules ?? []).some((r: any) => ["AES256", "aws:kms", "aws:kms:dsse"].includes(r.applyServerSideEncryptionByDefault?.sseAlgorithm)), // eslint-disable-line @typescript-eslint/no-explicit-any
                );
                return ok ? [] : [`${label(b)}: no default encryption`];
            }),
    },
    {
        id: "CKV_AWS_21 / S3.14",
        title: "S3 buckets are versioned",
        check: (ctx) =>
            of(ctx, T.bucket).flatMap((b) =>
                attached(ctx, T.versioning, b).some((v) => v.inputs.versioningConfiguration?.status === "Enabled") ? [] : [`${label(b)}: versioning is not enabled`],
            ),
    },
    {
        id: "S3.5",
        title: "S3 buckets refuse requests without TLS",
        check: (ctx) =>
            of(ctx, T.bucket).flatMap((b) =>
                attached(ctx, T.bucketPolicy, b).some((p) => deniesInsecureTransport(p.inputs.policy)) ? [] : [`${label(b)}: no policy denying aws:SecureTransport false`],
            ),
    },
    {
        id: "CKV_AWS_16 / RDS.3",
        title: "RDS storage is encrypted",
        check: (ctx) => of(ctx, T.db).flatMap((d) => (isTrue(d.inputs.storageEncrypted) ? [] : [`${label(d)}: storageEncrypted is not true`])),
    },
    {
        id: "CKV_AWS_17 / RDS.2",
        title: "RDS is not publicly accessible",
        check: (ctx) => of(ctx, T.db).flatMap((d) => (isTrue(d.inputs.publiclyAccessible) ? [`${label(d)}: publicly accessible`] : [])),
    },
    {
        id: "CKV_AWS_157 / RDS.5",
        title: "RDS is Multi-AZ in production",
        check: (ctx) =>
            ctx.environment !== "production"
                ? { notApplicable: `${ctx.environment} stack` }
                : of(ctx, T.db).flatMap((d) => (isTrue(d.inputs.multiAz) ? [] : [`${label(d)}: multiAz is not true`])),
    },
    {
        id: "CKV_AWS_293 / RDS.8",
        title: "RDS has deletion protection (staging and production)",
        check: (ctx) =>
            ctx.environment === "development"
                ? { notApplicable: "development stack: deletion protection off so it can be torn down" }
                : of(ctx, T.db).flatMap((d) => (isTrue(d.inputs.deletionProtection) ? [] : [`${label(d)}: deletionProtection is not true`])),
    },
    {
        id: "RDS.11",
        title: "RDS keeps automated backups for 7 days or more and a final snapshot",
        check: (ctx) =>
            of(ctx, T.db).flatMap((d) => [
                ...(Number(d.inputs.backupRetentionPeriod ?? 0) >= 7 ? [] : [`${label(d)}: backupRetentionPeriod ${d.inputs.backupRetentionPeriod ?? 0} < 7`]),
                ...(isTrue(d.inputs.skipFinalSnapshot) || !d.inputs.finalSnapshotIdentifier ? [`${label(d)}: no final snapshot`] : []),
            ]),
    },
    {
        id: "CKV_AWS_129 / RDS.9",
        title: "RDS exports its logs to CloudWatch",
        check: (ctx) => of(ctx, T.db).flatMap((d) => ((d.inputs.enabledCloudwatchLogsExports ?? []).length > 0 ? [] : [`${label(d)}: no log exports`])),
    },
    {
        id: "CKV_AWS_2 / ELB.1",
        title: "The load balancer redirects HTTP to HTTPS",
        check: (ctx) => {
            const listeners = of(ctx, T.listener);
            if (!listeners.some((l) => l.inputs.protocol === "HTTPS") && ctx.environment === "development") {
                return { notApplicable: "development stack without a domain: HTTP only by design" };
            }
            return listeners
                .filter((l) => l.inputs.protocol === "HTTP")
                .flatMap((l) => {
                    const action = (l.inputs.defaultActions ?? [])[0];
                    const ok = action?.type === "redirect" && action.redirect?.protocol === "HTTPS" && action.redirect?.statusCode === "HTTP_301";
                    return ok ? [] : [`${label(l)}: port ${l.inputs.port} does not redirect to HTTPS`];
                });
        },
    },
    {
        id: "CKV_AWS_103 / ELB.17",
        title: "HTTPS listeners allow TLS 1.2 or newer only",
        check: (ctx) => {
            const https = of(ctx, T.listener).filter((l) => l.inputs.protocol === "HTTPS");
            if (https.length === 0) return { notApplicable: "no HTTPS listener" };
            return https.flatMap((l) => (TLS12_POLICIES.includes(l.inputs.sslPolicy) ? [] : [`${label(l)}: sslPolicy ${l.inputs.sslPolicy}`]));
        },
    },
    {
        id: "CKV_AWS_131 / ELB.4",
        title: "The load balancer drops invalid header fields",
        check: (ctx) => of(ctx, T.alb).flatMap((a) => (isTrue(a.inputs.dropInvalidHeaderFields) ? [] : [`${label(a)}: dropInvalidHeaderFields is not true`])),
    },
    {
        id: "CKV_AWS_79 / EC2.8",
        title: "Instances require IMDSv2",
        check: (ctx) => of(ctx, T.launchTemplate).flatMap((t) => (t.inputs.metadataOptions?.httpTokens === "required" ? [] : [`${label(t)}: httpTokens is not required`])),
    },
    {
        id: "CKV_AWS_8 / EC2.3",
        title: "Instance volumes are encrypted",
        check: (ctx) =>
            of(ctx, T.launchTemplate).flatMap((t) => {
                const mappings: any[] = t.inputs.blockDeviceMappings ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
                if (mappings.length === 0) return [`${label(t)}: no block device mapping, so the root volume follows the AMI`];
                return mappings.filter((m) => !isTrue(m.ebs?.encrypted)).map((m) => `${label(t)}: ${m.deviceName} not encrypted`);
            }),
    },
    {
        id: "CKV_AWS_88 / EC2.9",
        title: "Instances get no public IP address",
        check: (ctx) =>
            of(ctx, T.launchTemplate).flatMap((t) => {
                const nics: any[] = t.inputs.networkInterfaces ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
                const ok = nics.length > 0 && nics.every((n) => n.associatePublicIpAddress === false || n.associatePublicIpAddress === "false");
                return ok ? [] : [`${label(t)}: associatePublicIpAddress is not false`];
            }),
    },
    {
        id: "CKV_AWS_24/25/260 / EC2.18-19",
        title: "No security group admits the internet, except the load balancer on 80 and 443",
        check: (ctx) => {
            const albGroups = new Set(of(ctx, T.alb).flatMap((a) => a.inputs.securityGroups ?? []));
            const open = (cidr: unknown) => cidr === "0.0.0.0/0" || cidr === "::/0";
            const problems: string[] = [];
            for (const r of of(ctx, T.ingressRule)) {
                if (!open(r.inputs.cidrIpv4) && !open(r.inputs.cidrIpv6)) continue;
                const ports = [r.inputs.fromPort, r.inputs.toPort];
                const webOnly = ports[0] === ports[1] && (ports[0] === 80 || ports[0] === 443);
                if (!(albGroups.has(r.inputs.securityGroupId) && webOnly)) problems.push(`${label(r)}: admits ${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6} on ${ports.join("-")}`);
            }
            for (const r of of(ctx, T.sgRule).filter((x) => x.inputs.type === "ingress")) {
                if ((r.inputs.cidrBlocks ?? []).some(open)) problems.push(`${label(r)}: admits the internet`);
            }
            for (const g of of(ctx, T.sg)) {
                for (const rule of g.inputs.ingress ?? []) {
                    if ((rule.cidrBlocks ?? []).some(open) || (rule.ipv6CidrBlocks ?? []).some(open)) problems.push(`${label(g)}: inline ingress from the internet`);
                }
            }
            return problems;
        },
    },
    {
        id: "CKV_AWS_117 / Lambda.3",
        title: "Lambda functions run in a VPC",
        check: (ctx) => of(ctx, T.lambda).flatMap((f) => ((f.inputs.vpcConfig?.subnetIds ?? []).length > 0 ? [] : [`${label(f)}: not in a VPC`])),
    },
    {
        id: "CKV_AWS_116",
        title: "Asynchronously invoked Lambda functions have an on-failure destination",
        check: (ctx) => {
            const asyncCallers = new Set(["s3.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com"]);
            return of(ctx, T.lambda).flatMap((f) => {
                const refs = functionRefs(f);
                const isAsync = of(ctx, T.permission).some((p) => refs.has(p.inputs.function) && asyncCallers.has(p.inputs.principal));
                if (!isAsync) return [];
                const hasDestination =
                    Boolean(f.inputs.deadLetterConfig?.targetArn) ||
                    of(ctx, T.invokeConfig).some((c) => refs.has(c.inputs.functionName) && Boolean(c.inputs.destinationConfig?.onFailure?.destination));
                return hasDestination ? [] : [`${label(f)}: invoked asynchronously without an on-failure destination`];
            });
        },
    },
    {
        // Checkov's CKV_AWS_115 wants a reservation on every function; DESIGN.md decides otherwise:
        // a new account (quota 10, of which 10 must stay unreserved) must accept the stack, so a
        // reservation is opt-in. What must never happen is a reservation of 0, which throttles the
        // function to nothing.
        id: "CKV_AWS_115 (opt-in)",
        title: "Lambda reserved concurrency is opt-in and never 0",
        check: (ctx) =>
            of(ctx, T.lambda).flatMap((f) => (Number(f.inputs.reservedConcurrentExecutions ?? -1) === 0 ? [`${label(f)}: reserved concurrency 0 throttles every invocation`] : [])),
    },
    {
        id: "CKV_AWS_42 / EFS.1",
        title: "EFS is encrypted",
        check: (ctx) => of(ctx, T.efs).flatMap((f) => (isTrue(f.inputs.encrypted) ? [] : [`${label(f)}: not encrypted`])),
    },
    {
        id: "EFS.2",
        title: "EFS is backed up",
        check: (ctx) =>
            of(ctx, T.efs).flatMap((f) =>
                of(ctx, T.efsBackup).some((b) => b.inputs.fileSystemId === f.state.id && b.inputs.backupPolicy?.status === "ENABLED") ? [] : [`${label(f)}: no enabled backup policy`],
            ),
    },
    {
        id: "CKV2_AWS_11 / EC2.6",
        title: "VPC flow logs record all traffic",
        check: (ctx) => {
            const vpcs = of(ctx, T.vpc);
            if (vpcs.length === 0) return { notApplicable: "existing VPC: its flow logs belong to its owner" };
            return vpcs.flatMap((v) =>
                of(ctx, T.flowLog).some((f) => f.inputs.vpcId === v.state.vpcId && f.inputs.trafficType === "ALL") ? [] : [`${label(v)}: no flow log of ALL traffic`],
            );
        },
    },
    {
        id: "CKV_AWS_66",
        title: "Every log group has a retention period",
        check: (ctx) => of(ctx, T.logGroup).flatMap((g) => (Number(g.inputs.retentionInDays ?? 0) > 0 ? [] : [`${label(g)}: no retention`])),
    },
    {
        id: "SecretsManager.1 / SecretsManager.4",
        title: "The database secret rotates at least every 90 days",
        check: (ctx) =>
            of(ctx, T.db).flatMap((d) => {
                const arns = new Set((d.state.masterUserSecrets ?? []).map((s: { secretArn: string }) => s.secretArn));
                if (arns.size === 0) return [`${label(d)}: password not managed in Secrets Manager`];
                const rotation = of(ctx, T.secretRotation).find((r) => arns.has(r.inputs.secretId));
                const days = Number(rotation?.inputs.rotationRules?.automaticallyAfterDays ?? Infinity);
                return days <= 90 ? [] : [`${label(d)}: managed secret rotation ${rotation ? `every ${days} days` : "not set (RDS default is 7 days, unmanaged here)"}`];
            }),
    },
    {
        id: "CKV_AWS_46 / CKV_AWS_45",
        title: "No secret in user data, Lambda environment, tags or outputs",
        check: (ctx) => {
            const problems: string[] = [];
            const leaks = (text: string) => ctx.secrets.filter((s) => s.length > 0 && text.includes(s)).length > 0 || /(password|passwd|secret_?key)\s*[=:]\s*['"]?[^\s'"$]{6,}/i.test(text);
            for (const t of of(ctx, T.launchTemplate)) if (leaks(decodeUserData(t.inputs.userData))) problems.push(`${label(t)}: user data carries a secret`);
            for (const f of of(ctx, T.lambda)) if (strings(f.inputs.environment).some(leaks)) problems.push(`${label(f)}: environment carries a secret`);
            for (const r of ctx.resources) if (strings([r.inputs.tags, r.inputs.tagsAll]).some((s) => ctx.secrets.some((x) => x.length > 0 && s.includes(x)))) problems.push(`${label(r)}: a tag carries a secret`);
            for (const [k, v] of Object.entries(ctx.outputs)) if (strings(v).some((s) => ctx.secrets.some((x) => x.length > 0 && s.includes(x)))) problems.push(`output ${k} carries a secret`);
            return problems;
        },
    },
    {
        id: "AutoScaling.2 / ELB.13",
        title: "Every tier spans two or more availability zones in production",
        check: (ctx) => {
            if (ctx.environment !== "production") return { notApplicable: `${ctx.environment} stack` };
            const problems: string[] = [];
            const count = (v: unknown) => new Set(Array.isArray(v) ? v : []).size;
            for (const a of of(ctx, T.alb)) if (count(a.inputs.subnets) < 2) problems.push(`${label(a)}: ${count(a.inputs.subnets)} subnet(s)`);
            for (const g of of(ctx, T.asg)) if (count(g.inputs.vpcZoneIdentifiers) < 2) problems.push(`${label(g)}: ${count(g.inputs.vpcZoneIdentifiers)} subnet(s)`);
            for (const g of of(ctx, T.dbSubnetGroup)) if (count(g.inputs.subnetIds) < 2) problems.push(`${label(g)}: ${count(g.inputs.subnetIds)} subnet(s)`);
            for (const d of of(ctx, T.db)) if (!isTrue(d.inputs.multiAz)) problems.push(`${label(d)}: single-AZ`);
            for (const f of of(ctx, T.efs)) {
                const targets = of(ctx, T.mountTarget).filter((m) => m.inputs.fileSystemId === f.state.id);
                if (count(targets.map((m) => m.inputs.subnetId)) < 2) problems.push(`${label(f)}: ${targets.length} mount target(s)`);
            }
            for (const v of of(ctx, T.vpc)) if (v.inputs.natGateways?.strategy !== "OnePerAz") problems.push(`${label(v)}: NAT strategy ${v.inputs.natGateways?.strategy ?? "none"} is one zone's`);
            return problems;
        },
    },
    {
        id: "DASH.1",
        title: "No fixed physical name: the same config under two stack names shares none",
        check: (ctx) => {
            if (ctx.twin === undefined) return { notApplicable: "no second run to compare with" };
            const names = (rs: readonly PlannedResource[]) => {
                const m = new Map<string, string>();
                for (const r of rs) {
                    if (!r.custom || NOT_PHYSICAL_NAME_TYPES.has(r.type) || r.type.startsWith("pulumi:")) continue;
                    for (const f of PHYSICAL_NAME_FIELDS) {
                        const v = r.inputs[f];
                        if (typeof v === "string" && v !== "") m.set(`${v}`, `${label(r)}.${f}`);
                    }
                }
                return m;
            };
            const mine = names(ctx.resources);
            const theirs = names(ctx.twin);
            return [...mine.entries()].filter(([v]) => theirs.has(v)).map(([v, where]) => `${where} = "${v}" in both stacks`);
        },
    },
];

/** Runs every rule. */
export function checkCompliance(ctx: ComplianceContext): RuleResult[] {
    return RULES.map((rule) => {
        const result = rule.check(ctx);
        if (!Array.isArray(result)) return { id: rule.id, title: rule.title, verdict: "not applicable", details: [result.notApplicable] };
        return { id: rule.id, title: rule.title, verdict: result.length === 0 ? "pass" : "fail", details: result };
    });
}

/** The failed rules' lines, `<id>: <detail>`. */
export function findings(results: readonly RuleResult[]): string[] {
    return results.filter((r) => r.verdict === "fail").flatMap((r) => r.details.map((d) => `${r.id}: ${d}`));
}
