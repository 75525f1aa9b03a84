/**
 * Pure decisions behind the AppCluster component: IAM and bucket policy
 * documents, the image reference, instance-refresh preferences, load-balancer
 * ingress rules and the step-scaling plan. No Pulumi resources here; each
 * function is table-tested in tests/appCluster.test.ts.
 */
import type { AppConfig } from "../../config/types";
import { denyInsecureTransport, type PolicyDocument } from "../../common/policies";

/** A Route 53 hosted zone id (as opposed to a zone name). */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]+$/;

/** True when `hostedZone` is a zone id such as `Z0123456789ABCDEFGHIJ`, false for a zone name. */
export function isHostedZoneId(hostedZone: string): boolean {
    return HOSTED_ZONE_ID.test(hostedZone);
}

/**
 * The launch template's `imageId` for `app.ami`: an AMI id as is, and
 * `ssm:/path` as `resolve:ssm:/path`, which EC2 resolves at every launch (a new
 * image behind the parameter needs no new launch-template version).
 */
export function launchTemplateImageId(ami: string): string {
    return ami.startsWith("ssm:") ? `resolve:${ami}` : ami;
}

/** The metadata hop limit: 2 lets a container reach IMDSv2 through the docker bridge, 1 keeps it on the host. */
export function metadataHopLimit(app: Pick<AppConfig, "container">): number {
    return app.container === undefined ? 1 : 2;
}

/** The instance-refresh settings of the Auto Scaling group (the provider's input shape). */
export interface InstanceRefreshPlan {
    readonly strategy: "Rolling";
    readonly preferences: {
        readonly minHealthyPercentage: number;
        readonly maxHealthyPercentage: number;
        readonly instanceWarmup: string;
        readonly skipMatching: boolean;
        readonly autoRollback: boolean;
    };
}

/**
 * Rolling, launch-before-terminate refresh (100 % healthy minimum, up to 200 %),
 * started by the provider whenever the launch template's version changes.
 *
 * Auto rollback is on for an AMI id and off for an `ssm:` parameter: Auto
 * Scaling cannot roll back to a launch template whose `ImageId` is a Systems
 * Manager parameter (RollbackInstanceRefresh / instance-refresh-rollback docs),
 * and would reject the refresh.
 */
export function instanceRefreshPlan(ami: string, warmupSeconds: number): InstanceRefreshPlan {
    return {
        strategy: "Rolling",
        preferences: {
            minHealthyPercentage: 100,
            maxHealthyPercentage: 200,
            instanceWarmup: String(warmupSeconds),
            skipMatching: true,
            autoRollback: !ami.startsWith("ssm:"),
        },
    };
}

/** One load-balancer ingress rule: a listener port from one CIDR block. */
export interface IngressRulePlan {
    /** Stable suffix of the rule's logical name, e.g. `443-0`. */
    readonly key: string;
    readonly port: number;
    readonly cidrIpv4?: string;
    readonly cidrIpv6?: string;
}

/** The load balancer's listener ports: 80 and, with a domain, 443. */
export function listenerPorts(hasDomain: boolean): number[] {
    return hasDomain ? [80, 443] : [80];
}

/** One ingress rule per listener port per allowed CIDR block (IPv6 blocks by `cidrIpv6`). */
export function ingressRules(allowedCidrs: readonly string[], ports: readonly number[]): IngressRulePlan[] {
    return ports.flatMap((port) =>
        allowedCidrs.map((cidr, i) => ({
            key: `${port}-${i}`,
            port,
            ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        })),
    );
}

/** The Auto Scaling group metrics collected (every `Group*` instance count and size). */
export const ENABLED_METRICS = [
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
] as const;

/** Seconds a new instance needs before its metrics count (boot to healthy ≈ 3 minutes, plus margin). */
export const WARMUP_SECONDS = 300;

/**
 * Seconds a new instance has before failed ELB health checks make the group replace it: 300 s
 * when the image installs efs-utils itself (boot to healthy is about 3 minutes); 900 s when it
 * comes from the State Manager association, which runs only once the SSM agent has registered
 * the instance and Distributor has installed the package, and the app starts after the mount.
 * A shorter grace there would replace instances that are still booting, forever.
 */
export function healthCheckGraceSeconds(efsUtils: "image" | "distributor"): number {
    return efsUtils === "distributor" ? 900 : 300;
}

/** Seconds between two scale-in steps. */
export const SCALE_IN_COOLDOWN_SECONDS = 300;

/** One scaling policy (its inputs, less the group name) and the CPU alarm that drives it. */
export interface ScalingPlan {
    readonly role: "scale-out" | "scale-in";
    readonly threshold: number;
    readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly policy:
        | {
              readonly policyType: "StepScaling";
              readonly adjustmentType: "ChangeInCapacity";
              readonly estimatedInstanceWarmup: number;
              readonly stepAdjustments: Array<{ metricIntervalLowerBound?: string; metricIntervalUpperBound?: string; scalingAdjustment: number }>;
          }
        | {
              readonly policyType: "SimpleScaling";
              readonly adjustmentType: "ChangeInCapacity";
              readonly scalingAdjustment: number;
              readonly cooldown: number;
          };
    readonly description: string;
}

/**
 * Scaling on the group's average CPU: +1 instance after 2 one-minute periods
 * above `scaleOutCpuPercent` (a step policy: a launching instance counts as
 * capacity for its 300 s warm-up, so a lasting alarm adds no second one before
 * the first is warm), −1 after 10 one-minute periods below `scaleInCpuPercent`
 * (a simple policy with a 300 s cooldown: step policies take no cooldown, and an
 * alarm that stays in ALARM would otherwise remove one instance a minute).
 */
export function scalingPlan(app: Pick<AppConfig, "scaleOutCpuPercent" | "scaleInCpuPercent">): ScalingPlan[] {
    return [
        {
            role: "scale-out",
            threshold: app.scaleOutCpuPercent,
            comparisonOperator: "GreaterThanThreshold",
            periodSeconds: 60,
            evaluationPeriods: 2,
            policy: {
                policyType: "StepScaling",
                adjustmentType: "ChangeInCapacity",
                estimatedInstanceWarmup: WARMUP_SECONDS,
                stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
            },
            description: `Add an app server: average CPU above ${app.scaleOutCpuPercent}% for 2 minutes`,
        },
        {
            role: "scale-in",
            threshold: app.scaleInCpuPercent,
            comparisonOperator: "LessThanThreshold",
            periodSeconds: 60,
            evaluationPeriods: 10,
            policy: { policyType: "SimpleScaling", adjustmentType: "ChangeInCapacity", scalingAdjustment: -1, cooldown: SCALE_IN_COOLDOWN_SECONDS },
            description: `Remove an app server: average CPU below ${app.scaleInCpuPercent}% for 10 minutes`,
        },
    ];
}

/** The ARNs the app servers' inline policy names. */
export interface InstanceRolePolicyArgs {
    readonly databaseSecretArn: string;
    /** The licence secret, when a licence key is configured. */
    readonly licenceSecretArn?: string;
    readonly fileSystemArn: string;
    readonly accessPointArn: string;
    /** The app log group's ARN as the provider reports it (without `:*`). */
    readonly logGroupArn: string;
}

/** The CloudWatch namespace the agent publishes its metrics in (its default). */
export const AGENT_METRICS_NAMESPACE = "CWAgent";

/**
 * The app servers' inline policy: read exactly the database secret (and the
 * licence secret), mount and write the file system only through the access
 * point, write the app log group only (the CloudWatch agent and docker's
 * awslogs driver), and publish metrics only in the agent's namespace. It
 * replaces the managed CloudWatchAgentServerPolicy, which allowed writing to
 * every log group and creating any.
 */
export function instanceRolePolicy(a: InstanceRolePolicyArgs): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadAppSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: a.licenceSecretArn === undefined ? [a.databaseSecretArn] : [a.databaseSecretArn, a.licenceSecretArn],
            },
            {
                Sid: "MountContentThroughAccessPoint",
                Effect: "Allow",
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: [a.fileSystemArn],
                Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": a.accessPointArn } },
            },
            {
                Sid: "WriteAppLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [a.logGroupArn, `${a.logGroupArn}:*`],
            },
            {
                Sid: "PutAgentMetrics",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                // PutMetricData names no resource; the namespace condition is what limits it.
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": AGENT_METRICS_NAMESPACE } },
            },
        ],
    };
}

/** The trust policy of the app servers' role: EC2 in the partition (`ec2.amazonaws.com`, `ec2.amazonaws.com.cn`). */
export function ec2TrustPolicy(dnsSuffix: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${dnsSuffix}` }, Action: "sts:AssumeRole" }],
    };
}

/**
 * Regions whose load balancers deliver access logs as a regional ELB account
 * (the regions available before August 2022); newer regions accept only the
 * `logdelivery.elasticloadbalancing.amazonaws.com` service principal, and
 * `aws.elb.getServiceAccount` fails there, so it is only asked for these.
 */
export const ELB_ACCOUNT_REGIONS: readonly string[] = [
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
];

/** The ELB log-delivery service principal. */
export const LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

export interface AccessLogBucketPolicyArgs {
    readonly bucketArn: string;
    readonly accountId: string;
    /** The region's ELB account (`arn:…:iam::<id>:root`) in regions that have one. */
    readonly elbAccountArn?: string;
}

/**
 * The access-log bucket policy: refuse plain HTTP, and let the load balancer
 * write `AWSLogs/<account>/…`: the log-delivery service principal on behalf of
 * this account only (`aws:SourceAccount`, against the confused deputy), plus,
 * where one exists, the regional ELB account. That older form is an account
 * principal: its requests carry no `aws:SourceAccount` (the key is set only for
 * requests a service principal makes), so a condition on it would refuse every
 * delivery; the `AWSLogs/<account>/` prefix is what scopes it.
 */
export function accessLogBucketPolicy(a: AccessLogBucketPolicyArgs): PolicyDocument {
    const logs = `${a.bucketArn}/AWSLogs/${a.accountId}/*`;
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(a.bucketArn),
            {
                Sid: "AllowLogDeliveryService",
                Effect: "Allow",
                Principal: { Service: LOG_DELIVERY_PRINCIPAL },
                Action: "s3:PutObject",
                Resource: logs,
                Condition: { StringEquals: { "aws:SourceAccount": a.accountId } },
            },
            ...(a.elbAccountArn === undefined
                ? []
                : [{ Sid: "AllowRegionalElbAccount", Effect: "Allow" as const, Principal: { AWS: a.elbAccountArn }, Action: "s3:PutObject", Resource: logs }]),
        ],
    };
}
