/**
 * IAM as a policy engine sees it: the roles, identity policies (inline and
 * managed) and resource policies a program run registered, rendered from the
 * mock-recorded resources, and an access matrix evaluated by
 * @cloud-copilot/iam-simulate (same-account and cross-account rules, condition
 * operators, resource policies, explicit denies).
 *
 * Usage:
 *   const iam = stackIam(run.resources);
 *   const result = await checkMatrix(iam, [
 *       { who: iam.roleArn("app-instance"), action: "logs:PutLogEvents", resource: "…", expect: "Allowed" },
 *   ]);
 *   assert.deepEqual(result.wrong, []);
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT_ID, type RecordedResource } from "./mocks";

/** A policy document as the engine reads it. */
export type Document = { Version?: string; Statement: Array<Record<string, unknown>> };

/**
 * The AWS-managed policies the stack attaches, as AWS publishes them (default
 * versions: AmazonSSMManagedInstanceCore v2, AWSLambdaENIManagementAccess v2,
 * AmazonRDSEnhancedMonitoringRole v1; CloudWatchAgentServerPolicy v3, no longer
 * attached, kept so that an old revision can still be simulated). An attachment
 * of any other managed policy fails the helper: add its document here first.
 */
export const MANAGED_POLICIES: Readonly<Record<string, Document>> = {
    AmazonSSMManagedInstanceCore: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument",
                    "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations",
                    "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus",
                    "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
                ],
                Resource: "*",
            },
            { Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
            {
                Effect: "Allow",
                Action: ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"],
                Resource: "*",
            },
        ],
    },
    AWSLambdaENIManagementAccess: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                Resource: "*",
            },
        ],
    },
    AmazonRDSEnhancedMonitoringRole: {
        Version: "2012-10-17",
        Statement: [
            { Sid: "EnableCreationAndManagementOfRDSCloudwatchLogGroups", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:PutRetentionPolicy"], Resource: ["arn:aws:logs:*:*:log-group:RDS*"] },
            {
                Sid: "EnableCreationAndManagementOfRDSCloudwatchLogStreams",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"],
                Resource: ["arn:aws:logs:*:*:log-group:RDS*:log-stream:*"],
            },
        ],
    },
    CloudWatchAgentServerPolicy: {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CWACloudWatchServerPermissions",
                Effect: "Allow",
                Action: [
                    "cloudwatch:PutMetricData", "ec2:DescribeVolumes", "ec2:DescribeTags", "logs:PutLogEvents", "logs:PutRetentionPolicy",
                    "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogStream", "logs:CreateLogGroup", "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
                ],
                Resource: "*",
            },
            { Sid: "CWASSMServerPermissions", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*" },
        ],
    },
};

/** One role of the stack with everything attached to it. */
export interface StackRole {
    /** Logical name (e.g. `app-instance`). */
    readonly name: string;
    readonly arn: string;
    readonly trustPolicy: Document;
    /** Inline and managed policies, by logical or managed name. */
    readonly policies: ReadonlyArray<{ name: string; policy: Document }>;
}

/** The IAM of one program run. */
export interface StackIam {
    readonly roles: readonly StackRole[];
    /** Resource policies by the logical name of the resource that carries them. */
    readonly resourcePolicies: Readonly<Record<string, Document>>;
    /** The ARN of a role by logical name; fails when the run has none. */
    roleArn(name: string): string;
    /** The state of one recorded resource by type and logical name. */
    state(type: string, name: string): Record<string, any>;
}

const parse = (policy: unknown): Document => (typeof policy === "string" ? JSON.parse(policy) : policy) as Document;

/** Types whose `policy` input is a resource policy, with the input that names what it protects. */
const RESOURCE_POLICY_TYPES = [
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:efs/fileSystemPolicy:FileSystemPolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:kms/key:Key",
    "aws:sqs/queuePolicy:QueuePolicy",
];

/** Renders the roles and resource policies of a run from its recorded resources. */
export function stackIam(resources: readonly RecordedResource[]): StackIam {
    const of = (type: string) => resources.filter((r) => r.type === type);
    const roles: StackRole[] = of("aws:iam/role:Role").map((role) => {
        const refs = new Set([role.id, role.state.name, role.state.arn]);
        const inline = of("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => refs.has(p.inputs.role))
            .map((p) => ({ name: p.name, policy: parse(p.inputs.policy) }));
        const managed = of("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => refs.has(a.inputs.role))
            .map((a) => {
                const managedName = String(a.inputs.policyArn).split("/").pop()!;
                const policy = MANAGED_POLICIES[managedName];
                if (policy === undefined) throw new Error(`${a.name} attaches ${a.inputs.policyArn}: add its document to MANAGED_POLICIES`);
                return { name: managedName, policy };
            });
        if (role.inputs.inlinePolicies !== undefined || role.inputs.managedPolicyArns !== undefined) throw new Error(`${role.name}: policies inside the role are not rendered here`);
        return { name: role.name, arn: role.state.arn, trustPolicy: parse(role.inputs.assumeRolePolicy), policies: [...inline, ...managed] };
    });
    const resourcePolicies: Record<string, Document> = {};
    for (const r of resources.filter((x) => RESOURCE_POLICY_TYPES.includes(x.type) && x.inputs.policy !== undefined)) resourcePolicies[r.name] = parse(r.inputs.policy);
    return {
        roles,
        resourcePolicies,
        roleArn(name) {
            const role = roles.find((r) => r.name === name);
            if (role === undefined) throw new Error(`no role ${name}; have ${roles.map((r) => r.name).join(", ")}`);
            return role.arn;
        },
        state(type, name) {
            const found = resources.filter((r) => r.type === type && r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
            return found[0].state;
        },
    };
}

export type Expectation = "Allowed" | "Denied";

/** One request of an access matrix. */
export interface AccessCase {
    /**
     * Who asks: a role ARN of the stack (its identity policies apply; the request
     * is made by a session of it), any other IAM ARN (no identity policy unless
     * `identityPolicies` gives one), or a service principal (`…amazonaws.com`).
     */
    readonly who: string;
    readonly action: string;
    readonly resource: string;
    /** The account owning the resource. @default the mocks' account */
    readonly resourceAccount?: string;
    /** Logical name of the resource policy that applies (a key of {@link StackIam.resourcePolicies}), or a document. @default none */
    readonly resourcePolicy?: string | Document;
    /** Identity policies of a principal that is not a stack role. @default none */
    readonly identityPolicies?: readonly Document[];
    /** Request context; `aws:SecureTransport` true, `aws:PrincipalArn` and `aws:PrincipalAccount` are filled in unless given. @default {} */
    readonly context?: Readonly<Record<string, string | string[]>>;
    readonly expect: Expectation;
    /** Why this row matters (shown when it fails). */
    readonly why: string;
}

/** What a matrix came to: rows whose result differs from the expectation, and counts. */
export interface MatrixResult {
    readonly wrong: string[];
    readonly allowed: number;
    readonly denied: number;
}

const SERVICE = /\.amazonaws\.com(\.cn)?$/;
const ROLE = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.+)$/;

/** Evaluates one request: Allowed, or Denied (explicitly or implicitly). Throws on a request or policy the engine rejects. */
export async function evaluate(iam: StackIam, c: AccessCase): Promise<Expectation> {
    const role = iam.roles.find((r) => r.arn === c.who);
    const roleMatch = ROLE.exec(c.who);
    const principal = roleMatch !== null ? `arn:${roleMatch[1]}:sts::${roleMatch[2]}:assumed-role/${roleMatch[3]}/session` : c.who;
    const context: Record<string, string | string[]> = { "aws:SecureTransport": "true", ...(c.context ?? {}) };
    if (!SERVICE.test(c.who)) {
        context["aws:PrincipalArn"] ??= c.who;
        context["aws:PrincipalAccount"] ??= c.who.split(":")[4];
    }
    const resourcePolicy = typeof c.resourcePolicy === "string" ? iam.resourcePolicies[c.resourcePolicy] : c.resourcePolicy;
    if (typeof c.resourcePolicy === "string" && resourcePolicy === undefined) throw new Error(`no resource policy ${c.resourcePolicy}; have ${Object.keys(iam.resourcePolicies).join(", ")}`);
    const identity = role !== undefined ? role.policies.map((p) => ({ name: p.name, policy: p.policy })) : (c.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy }));
    const result = await runSimulation(
        {
            request: { principal, action: c.action, resource: { resource: c.resource, accountId: c.resourceAccount ?? ACCOUNT_ID }, contextVariables: context },
            identityPolicies: identity,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy,
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`${c.action} on ${c.resource} by ${c.who}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
    return result.overallResult === "Allowed" ? "Allowed" : "Denied";
}

/** Evaluates every row; the rows that came out otherwise than expected are returned, not thrown, so one run shows them all. */
export async function checkMatrix(iam: StackIam, cases: readonly AccessCase[]): Promise<MatrixResult> {
    const wrong: string[] = [];
    for (const c of cases) {
        const got = await evaluate(iam, c);
        if (got !== c.expect) wrong.push(`${c.expect === "Allowed" ? "should be allowed" : "should be denied"}: ${c.who} ${c.action} ${c.resource} (${c.why}), got ${got}`);
    }
    return { wrong, allowed: cases.filter((c) => c.expect === "Allowed").length, denied: cases.filter((c) => c.expect === "Denied").length };
}

/** The trust-policy row: `service` assuming a stack role, with the context a real request carries. */
export function assume(iam: StackIam, roleName: string, service: string, context: Record<string, string>, expect: Expectation, why: string): AccessCase {
    const role = iam.roles.find((r) => r.name === roleName);
    if (role === undefined) throw new Error(`no role ${roleName}`);
    return { who: service, action: "sts:AssumeRole", resource: role.arn, resourcePolicy: role.trustPolicy, context, expect, why };
}
