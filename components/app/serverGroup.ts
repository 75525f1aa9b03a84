import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig } from "../../config/types";
import type { AppClusterArgs } from "./args";
import { ENABLED_METRICS, WARMUP_SECONDS, ec2TrustPolicy, healthCheckGraceSeconds, instanceRefreshPlan, instanceRolePolicy, scalingPlan } from "./appClusterPlan";
import type { EfsUtilsSource } from "./instanceAutomationPlan";
import { launchTemplateArgs } from "./launchTemplate";
import { MovedChildren, type NestedOptions } from "./moved";

/** The servers' part of the AppCluster's args, and what they take from the load balancer. */
export interface ServerGroupArgs
    extends Pick<AppClusterArgs, "app" | "vpcId" | "privateSubnetIds" | "database" | "sideload" | "logRetentionDays" | "rootDeviceName" | "instanceTags"> {
    /**
     * Prefix of the children's names (`<prefix>-servers`, `<prefix>-asg`, …): the AppCluster's name, so
     * the resources keep the names they had before this component existed; also the instances' Name tag
     * (`<stack>-<prefix>`).
     * @default required
     */
    readonly prefix: string;
    /**
     * Where the servers get efs-utils; `distributor` means the boot waits for the State Manager
     * association, so the group gives a new instance longer before its first ELB health check
     * counts (see {@link healthCheckGraceSeconds}).
     * @default required
     */
    readonly efsUtils: EfsUtilsSource;
    /** The load balancer's group: the only source of the app port. @default required */
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    /** The target group the Auto Scaling group registers its instances in. @default required */
    readonly targetGroupArn: pulumi.Input<string>;
    /** What exists before the first instance boots (the listeners). @default [] */
    readonly loadBalancerReady?: readonly pulumi.Resource[];
}

/** The instance role and what the group must wait for before it launches. */
interface InstanceRole {
    readonly role: aws.iam.Role;
    readonly profile: aws.iam.InstanceProfile;
    readonly ready: readonly pulumi.Resource[];
}

/**
 * The app servers: their security group (app port from the load balancer only; HTTPS, HTTP, the
 * database port and NFS out), log group, licence secret, instance role and profile, launch template,
 * the Auto Scaling group and its CPU step-scaling policies and alarms.
 */
export class ServerGroup extends MovedChildren {
    /** The app servers' security group (source for the database and file-system ingress rules). */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** The licence secret's ARN (never its value), undefined without a licence key. */
    public readonly licenceSecretArn: pulumi.Output<string | undefined>;
    /** The app servers' role. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ServerGroupArgs, opts: NestedOptions) {
        super("dashboard:app:ServerGroup", name, args.prefix, opts);
        const securityGroup = this.securityGroup(args);
        const licenceSecret = args.app.licenceKey === undefined ? undefined : this.licenceSecret(args.app.licenceKey);
        const logGroup = new aws.cloudwatch.LogGroup(`${this.prefix}-logs`, { retentionInDays: args.logRetentionDays }, this.child());
        const { role, profile, ready } = this.instanceRole(args, logGroup, licenceSecret);
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${this.prefix}-lt`,
            launchTemplateArgs(args, { region, securityGroupId: securityGroup.id, profileArn: profile.arn, logGroupName: logGroup.name, licenceSecretArn: licenceSecret?.arn }),
            this.child(),
        );
        const group = this.autoScalingGroup(args, launchTemplate, [...ready, ...(args.loadBalancerReady ?? [])]);
        this.scaling(args.app, group);

        this.securityGroupId = securityGroup.id;
        this.autoScalingGroupName = group.name;
        this.logGroupName = logGroup.name;
        this.licenceSecretArn = licenceSecret === undefined ? pulumi.output(undefined) : licenceSecret.arn;
        this.roleArn = role.arn;
        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            autoScalingGroupName: this.autoScalingGroupName,
            logGroupName: this.logGroupName,
            licenceSecretArn: this.licenceSecretArn,
            roleArn: this.roleArn,
        });
    }

    /** The servers' group: the app port from the load balancer; HTTPS, HTTP, the database port and NFS out. */
    private securityGroup(args: ServerGroupArgs): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${this.prefix}-servers`,
            { vpcId: args.vpcId, description: "Dashboard app servers: app port from the load balancer only" },
            this.child(),
        );
        const port = args.app.port;
        new aws.vpc.SecurityGroupIngressRule(
            `${this.prefix}-servers-in-alb`,
            { securityGroupId: group.id, description: "App port from the load balancer", ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: args.loadBalancerSecurityGroupId },
            this.child(),
        );
        const egress = (role: string, description: string, toPort: pulumi.Input<number>, destination: { cidrIpv4?: pulumi.Input<string>; referencedSecurityGroupId?: pulumi.Input<string> }) =>
            new aws.vpc.SecurityGroupEgressRule(
                `${this.prefix}-servers-out-${role}`,
                { securityGroupId: group.id, description, ipProtocol: "tcp", fromPort: toPort, toPort, ...destination },
                this.child(),
            );
        egress("https", "HTTPS to AWS APIs, the licence manager and package repositories", 443, { cidrIpv4: "0.0.0.0/0" });
        // Ubuntu's EC2 package mirrors (the vendor image) serve apt over plain HTTP; packages are signed.
        egress("http", "HTTP to package repositories (apt mirrors)", 80, { cidrIpv4: "0.0.0.0/0" });
        const needsVpcCidr = args.database.securityGroupId === undefined || args.sideload.securityGroupId === undefined;
        const vpcCidr = needsVpcCidr ? aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock : undefined;
        const to = (securityGroupId: pulumi.Input<string> | undefined) => (securityGroupId === undefined ? { cidrIpv4: vpcCidr } : { referencedSecurityGroupId: securityGroupId });
        egress("db", "Database port to the database", args.database.port, to(args.database.securityGroupId));
        egress("nfs", "NFS to the content file system", 2049, to(args.sideload.securityGroupId));
        return group;
    }

    /** The licence key in Secrets Manager (read by the servers at boot, never in user data). */
    private licenceSecret(licenceKey: pulumi.Input<string>): aws.secretsmanager.Secret {
        const secret = new aws.secretsmanager.Secret(
            `${this.prefix}-licence`,
            { description: "Dashboard licence key (read by the app servers at boot)", recoveryWindowInDays: 7 },
            this.child(),
        );
        new aws.secretsmanager.SecretVersion(`${this.prefix}-licence`, { secretId: secret.id, secretString: pulumi.secret(licenceKey) }, this.child());
        return secret;
    }

    /** The servers' role: Session Manager's managed policy and an inline policy naming each resource. */
    private instanceRole(args: ServerGroupArgs, logGroup: aws.cloudwatch.LogGroup, licenceSecret: aws.secretsmanager.Secret | undefined): InstanceRole {
        const partition = aws.getPartitionOutput({}, { parent: this });
        const role = new aws.iam.Role(
            `${this.prefix}-instance`,
            { description: "Dashboard app servers", assumeRolePolicy: partition.dnsSuffix.apply((s) => JSON.stringify(ec2TrustPolicy(s))) },
            this.child(),
        );
        // Session Manager, State Manager and Run Command. The CloudWatch agent's rights are in the
        // inline policy (this log group, the CWAgent namespace), not the managed policy that wrote anywhere.
        const ssmCore = new aws.iam.RolePolicyAttachment(
            `${this.prefix}-ssm`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
            this.child(),
        );
        const policy = pulumi
            .output({
                databaseSecretArn: args.database.secretArn,
                licenceSecretArn: licenceSecret?.arn,
                fileSystemArn: args.sideload.fileSystemArn,
                accessPointArn: args.sideload.accessPointArn,
                logGroupArn: logGroup.arn,
            })
            .apply((a) => JSON.stringify(instanceRolePolicy(a)));
        const rolePolicy = new aws.iam.RolePolicy(`${this.prefix}-instance`, { role: role.id, policy }, this.child());
        const profile = new aws.iam.InstanceProfile(`${this.prefix}-instance`, { role: role.name }, this.child());
        return { role, profile, ready: [rolePolicy, ssmCore] };
    }

    /** The group: every private subnet, ELB health checks, a rolling refresh on each template version. */
    private autoScalingGroup(args: ServerGroupArgs, launchTemplate: aws.ec2.LaunchTemplate, ready: pulumi.Resource[]): aws.autoscaling.Group {
        const app = args.app;
        return new aws.autoscaling.Group(
            `${this.prefix}-asg`,
            {
                vpcZoneIdentifiers: args.privateSubnetIds,
                minSize: app.minSize,
                maxSize: app.maxSize,
                desiredCapacity: app.desiredSize,
                healthCheckType: "ELB",
                healthCheckGracePeriod: healthCheckGraceSeconds(args.efsUtils),
                defaultInstanceWarmup: WARMUP_SECONDS,
                capacityRebalance: true,
                enabledMetrics: [...ENABLED_METRICS],
                metricsGranularity: "1Minute",
                targetGroupArns: [args.targetGroupArn],
                // A version number, not "$Latest": the provider starts an instance refresh
                // only when the group's launch-template version changes.
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v)) },
                instanceRefresh: instanceRefreshPlan(app.ami, WARMUP_SECONDS),
                instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
                tags: [{ key: "Name", value: `${pulumi.getStack()}-${this.prefix}`, propagateAtLaunch: true }],
            },
            // Scaling owns the desired capacity after creation; the role's permissions
            // and the listeners exist before the first instance boots.
            this.child({ ignoreChanges: ["desiredCapacity"], dependsOn: [...ready, ...(args.sideload.mountTargets ?? [])] }),
        );
    }

    /** Scaling: step out, simple in with a cooldown, each policy with its CPU alarm. */
    private scaling(app: AppConfig, group: aws.autoscaling.Group): void {
        for (const plan of scalingPlan(app)) {
            const policy = new aws.autoscaling.Policy(`${this.prefix}-${plan.role}`, { autoscalingGroupName: group.name, ...plan.policy }, this.child());
            new aws.cloudwatch.MetricAlarm(
                `${this.prefix}-${plan.role}`,
                {
                    alarmDescription: plan.description,
                    namespace: "AWS/EC2",
                    metricName: "CPUUtilization",
                    statistic: "Average",
                    dimensions: { AutoScalingGroupName: group.name },
                    period: plan.periodSeconds,
                    evaluationPeriods: plan.evaluationPeriods,
                    threshold: plan.threshold,
                    comparisonOperator: plan.comparisonOperator,
                    treatMissingData: "notBreaching",
                    alarmActions: [policy.arn],
                },
                this.child(),
            );
        }
    }
}
