import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AppConfig, DomainConfig, Environment } from "../../config/types";
import {
    ELB_ACCOUNT_REGIONS,
    ENABLED_METRICS,
    WARMUP_SECONDS,
    accessLogBucketPolicy,
    ec2TrustPolicy,
    ingressRules,
    instanceRefreshPlan,
    instanceRolePolicy,
    isHostedZoneId,
    launchTemplateImageId,
    listenerPorts,
    metadataHopLimit,
    scalingPlan,
} from "./appClusterPlan";
import { InstanceAutomation } from "./instanceAutomation";
import { efsUtilsSource, type EfsUtilsSource } from "./instanceAutomationPlan";
import { REFRESH_SCRIPT, renderUserData } from "./userData";

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** What the app servers need to know about the database. */
export interface AppDatabaseArgs {
    /** Host name of the database. @default required */
    readonly address: pulumi.Input<string>;
    /** Port of the database; the app group gets egress to it. @default required */
    readonly port: pulumi.Input<number>;
    /** Engine name written into the env file (mariadb, postgres, mysql). @default required */
    readonly engine: pulumi.Input<string>;
    /** Schema/database name written into the env file. @default required */
    readonly databaseName: pulumi.Input<string>;
    /** ARN of the Secrets Manager secret with the credentials; the instance role may read exactly this secret. @default required */
    readonly secretArn: pulumi.Input<string>;
    /**
     * The database's security group: the app group's egress to `port` names it.
     * @default none: egress to `port` goes to the VPC's CIDR block instead
     */
    readonly securityGroupId?: pulumi.Input<string>;
}

/** What the app servers need to know about the shared content file system. */
export interface AppSideloadArgs {
    /** EFS file system id. @default required */
    readonly fileSystemId: pulumi.Input<string>;
    /** EFS file system ARN (the instance role's mount permission names it). @default required */
    readonly fileSystemArn: pulumi.Input<string>;
    /** The access point the servers mount through. @default required */
    readonly accessPointId: pulumi.Input<string>;
    /** The access point's ARN (condition of the mount permission). @default required */
    readonly accessPointArn: pulumi.Input<string>;
    /** Mount path on the app servers. @default required */
    readonly mountPath: string;
    /** Upload prefix → directory name on the file system. @default required */
    readonly directories: Readonly<Record<string, string>>;
    /** Directory the content directories are linked into on the servers. @default none */
    readonly linkInto?: string;
    /**
     * The file system's security group: the app group's egress to NFS (2049) names it.
     * @default none: egress to 2049 goes to the VPC's CIDR block instead
     */
    readonly securityGroupId?: pulumi.Input<string>;
    /**
     * The file system's mount targets: the Auto Scaling group waits for them, so
     * the first servers do not boot before there is anything to mount.
     * @default [] (the boot script retries the mount instead)
     */
    readonly mountTargets?: readonly pulumi.Resource[];
}

export interface AppClusterArgs {
    /**
     * The app settings (image, size, scaling, env file, container, licence). A
     * change to anything the launch template carries (AMI, instance type, volume,
     * user data inputs) makes a new template version and a rolling instance
     * refresh; `desiredSize` applies only when the group is created. Changing
     * `port` replaces the target group. @default required
     */
    readonly app: AppConfig;
    /**
     * Domain served over HTTPS (alias record, certificate). Without one the load
     * balancer answers plain HTTP on port 80 (development only: config refuses
     * production without a domain). Changing `name` replaces the certificate.
     * @default none
     */
    readonly domain?: DomainConfig;
    /** Who may reach the load balancer on its listener ports (IPv4 or IPv6 CIDR blocks). @default required */
    readonly allowedCidrs: readonly string[];
    /** `production` turns on load-balancer deletion protection and access logs (a dedicated bucket). @default required */
    readonly environment: Environment;
    /** The VPC. Changing it replaces everything. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the load balancer, one per zone. @default required */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets of the app servers, one per zone (the servers get no public address). @default required */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The database the app uses. @default required */
    readonly database: AppDatabaseArgs;
    /** The shared content file system. @default required */
    readonly sideload: AppSideloadArgs;
    /** Retention of the app log group (a value CloudWatch Logs accepts). @default required */
    readonly logRetentionDays: number;
    /** Pulumi `protect` on the access-log bucket (production). @default required */
    readonly protect: boolean;
    /**
     * Device name of the AMI's root volume, which gets the encrypted gp3 volume of
     * `app.volumeGb`. Amazon Linux 2023 uses `/dev/xvda`; Ubuntu images (the
     * vendor AMI) use `/dev/sda1`. A wrong name adds a second volume and leaves the
     * root volume at the image's size.
     * @default "/dev/xvda"
     */
    readonly rootDeviceName?: string;
    /**
     * Extra tags for the instances and their volumes. Provider default tags do not
     * reach what the Auto Scaling group launches, so pass them here.
     * @default {}
     */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /**
     * Where the servers get amazon-efs-utils: `distributor` adds a State Manager association that
     * installs AWS's AmazonEFSUtils package on each instance of the group (the vendor's Ubuntu image);
     * `image` leaves it to the image's own repository (Amazon Linux's dnf). Adds or removes only the association.
     * @default efsUtilsSource(app.ami): `image` for an Amazon Linux public parameter, else `distributor`
     */
    readonly efsUtils?: EfsUtilsSource;
}

/**
 * The dashboard's web tier: a public Application Load Balancer (HTTP → HTTPS,
 * ACM certificate, Route 53 alias) in front of an Auto Scaling group of app
 * servers in the private subnets of every zone, with step scaling on CPU and a
 * rolling, launch-before-terminate instance refresh on every launch-template
 * change.
 *
 * Security groups: the load balancer admits its listener ports from
 * `allowedCidrs` and sends only to the app port of the servers' group; the
 * servers admit only the app port from the load balancer and send HTTPS (AWS
 * APIs, licence manager, package repositories through NAT), HTTP (Ubuntu's apt
 * mirrors), the database port and NFS. The database and file system add the matching ingress rules
 * themselves (`allowFrom("app", securityGroupId)`). No port 22 anywhere: shell
 * access is through Session Manager.
 *
 * Scaling: +1 instance when average CPU stays above `scaleOutCpuPercent` for
 * two minutes (a step policy; a launching instance counts as capacity for its
 * 300 s warm-up, so a lasting alarm adds no second one before the first is
 * warm); −1 when it stays below `scaleInCpuPercent` for ten minutes (a simple
 * policy with a 300 s cooldown between removals). Missing data is not breaching.
 *
 * Desired capacity: `app.desiredSize` applies when the group is created; after
 * that scaling owns it (`ignoreChanges`), so `pulumi up` never undoes a scale-out.
 *
 * New images: with an `ssm:` AMI parameter EC2 resolves the image at each
 * launch, so a new image reaches new instances without a template change; to
 * replace running ones, start an instance refresh with `SkipMatching` false
 * (`aws autoscaling start-instance-refresh --preferences '{"SkipMatching":false,"MinHealthyPercentage":100,"MaxHealthyPercentage":200}'`).
 */
export class AppCluster extends pulumi.ComponentResource {
    /** `https://<domain>`, or `http://<load balancer DNS name>` without a domain. */
    public readonly url: pulumi.Output<string>;
    public readonly loadBalancerDnsName: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` LoadBalancer dimension). */
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` TargetGroup dimension). */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The app servers' security group (source for the database and file-system ingress rules). */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** The licence secret's ARN (never its value), undefined without a licence key. */
    public readonly licenceSecretArn: pulumi.Output<string | undefined>;
    /** The app servers' role (named in the content file system's policy). */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: AppClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:app:AppCluster", name, {}, opts);
        const { app, domain } = args;
        const production = args.environment === "production";
        const partition = aws.getPartitionOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const nameTag = `${pulumi.getStack()}-${name}`;

        // ---- security groups (rules as separate resources) ----
        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            { vpcId: args.vpcId, description: "Dashboard load balancer: listener ports from the allowed CIDR blocks" },
            { parent: this },
        );
        const appSg = new aws.ec2.SecurityGroup(
            `${name}-servers`,
            { vpcId: args.vpcId, description: "Dashboard app servers: app port from the load balancer only" },
            { parent: this },
        );
        for (const rule of ingressRules(args.allowedCidrs, listenerPorts(domain !== undefined))) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-in-${rule.key}`,
                {
                    securityGroupId: albSg.id,
                    description: `HTTP${rule.port === 443 ? "S" : ""} from ${rule.cidrIpv4 ?? rule.cidrIpv6}`,
                    ipProtocol: "tcp",
                    fromPort: rule.port,
                    toPort: rule.port,
                    cidrIpv4: rule.cidrIpv4,
                    cidrIpv6: rule.cidrIpv6,
                },
                { parent: this },
            );
        }
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-alb-out-app`,
            { securityGroupId: albSg.id, description: "App port to the app servers", ipProtocol: "tcp", fromPort: app.port, toPort: app.port, referencedSecurityGroupId: appSg.id },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-servers-in-alb`,
            { securityGroupId: appSg.id, description: "App port from the load balancer", ipProtocol: "tcp", fromPort: app.port, toPort: app.port, referencedSecurityGroupId: albSg.id },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-out-https`,
            { securityGroupId: appSg.id, description: "HTTPS to AWS APIs, the licence manager and package repositories", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-out-http`,
            // Ubuntu's EC2 package mirrors (the vendor image) serve apt over plain HTTP; packages are signed.
            { securityGroupId: appSg.id, description: "HTTP to package repositories (apt mirrors)", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" },
            { parent: this },
        );
        const needsVpcCidr = args.database.securityGroupId === undefined || args.sideload.securityGroupId === undefined;
        const vpcCidr = needsVpcCidr ? aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this }).cidrBlock : undefined;
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-out-db`,
            {
                securityGroupId: appSg.id,
                description: "Database port to the database",
                ipProtocol: "tcp",
                fromPort: args.database.port,
                toPort: args.database.port,
                ...(args.database.securityGroupId === undefined ? { cidrIpv4: vpcCidr } : { referencedSecurityGroupId: args.database.securityGroupId }),
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-servers-out-nfs`,
            {
                securityGroupId: appSg.id,
                description: "NFS to the content file system",
                ipProtocol: "tcp",
                fromPort: 2049,
                toPort: 2049,
                ...(args.sideload.securityGroupId === undefined ? { cidrIpv4: vpcCidr } : { referencedSecurityGroupId: args.sideload.securityGroupId }),
            },
            { parent: this },
        );

        // ---- access logs (production) ----
        let albDependsOn: pulumi.Resource[] = [];
        let accessLogs: aws.types.input.lb.LoadBalancerAccessLogs | undefined;
        if (production) {
            const bucket = new aws.s3.Bucket(`${name}-alb-logs`, {}, { parent: this, protect: args.protect });
            new aws.s3.BucketOwnershipControls(`${name}-alb-logs`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
            const publicAccess = new aws.s3.BucketPublicAccessBlock(
                `${name}-alb-logs`,
                { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                { parent: this },
            );
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${name}-alb-logs`,
                // Load-balancer log delivery supports only SSE-S3.
                { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
                { parent: this },
            );
            new aws.s3.BucketVersioning(`${name}-alb-logs`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
            new aws.s3.BucketLifecycleConfiguration(
                `${name}-alb-logs`,
                {
                    bucket: bucket.id,
                    rules: [
                        {
                            id: "expire-access-logs",
                            status: "Enabled",
                            filter: {},
                            expiration: { days: 90 },
                            noncurrentVersionExpiration: { noncurrentDays: 7 },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                { parent: this },
            );
            const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
            const elbAccountArn: pulumi.Output<string | undefined> = region.apply((r) =>
                ELB_ACCOUNT_REGIONS.includes(r) ? aws.elb.getServiceAccountOutput({ region: r }, { parent: this }).arn : pulumi.output(undefined),
            );
            const policy = new aws.s3.BucketPolicy(
                `${name}-alb-logs`,
                {
                    bucket: bucket.id,
                    policy: pulumi
                        .output({ bucketArn: bucket.arn, accountId, elbAccountArn })
                        .apply((a) => JSON.stringify(accessLogBucketPolicy(a))),
                },
                { parent: this, dependsOn: [publicAccess] },
            );
            albDependsOn = [policy];
            accessLogs = { bucket: bucket.bucket, enabled: true };
        }

        // ---- load balancer, target group, listeners ----
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [albSg.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableHttp2: true,
                idleTimeout: 60,
                enableDeletionProtection: production,
                accessLogs,
            },
            { parent: this, dependsOn: albDependsOn },
        );
        const targetGroup = new aws.lb.TargetGroup(
            `${name}-tg`,
            {
                vpcId: args.vpcId,
                protocol: "HTTP",
                port: app.port,
                targetType: "instance",
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: app.healthCheckPath,
                    matcher: "200-399",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                },
                stickiness: { type: "lb_cookie", cookieDuration: app.stickinessSeconds, enabled: true },
            },
            { parent: this },
        );
        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
        const listeners: aws.lb.Listener[] = [];
        if (domain === undefined) {
            listeners.push(
                new aws.lb.Listener(`${name}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: forward }, { parent: this }),
            );
        } else {
            const zoneId = isHostedZoneId(domain.hostedZone)
                ? pulumi.output(domain.hostedZone)
                : aws.route53.getZoneOutput({ name: domain.hostedZone, privateZone: false }, { parent: this }).zoneId;
            const certificateArn = domain.certificateArn ?? this.validatedCertificate(name, domain.name, zoneId);
            listeners.push(
                new aws.lb.Listener(
                    `${name}-http`,
                    {
                        loadBalancerArn: alb.arn,
                        port: 80,
                        protocol: "HTTP",
                        defaultActions: [
                            {
                                type: "redirect",
                                redirect: { host: "#{host}", path: "/#{path}", query: "#{query}", port: "443", protocol: "HTTPS", statusCode: "HTTP_301" },
                            },
                        ],
                    },
                    { parent: this },
                ),
                new aws.lb.Listener(
                    `${name}-https`,
                    { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn, defaultActions: forward },
                    { parent: this },
                ),
            );
            new aws.route53.Record(
                `${name}-alias`,
                { zoneId, name: domain.name, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                { parent: this },
            );
        }

        // ---- licence secret ----
        let licenceSecret: aws.secretsmanager.Secret | undefined;
        if (app.licenceKey !== undefined) {
            licenceSecret = new aws.secretsmanager.Secret(
                `${name}-licence`,
                { description: "Dashboard licence key (read by the app servers at boot)", recoveryWindowInDays: 7 },
                { parent: this },
            );
            new aws.secretsmanager.SecretVersion(
                `${name}-licence`,
                { secretId: licenceSecret.id, secretString: pulumi.secret(app.licenceKey) },
                { parent: this },
            );
        }

        // ---- logs, role, instance profile ----
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, { parent: this });
        const role = new aws.iam.Role(
            `${name}-instance`,
            {
                description: "Dashboard app servers",
                assumeRolePolicy: partition.dnsSuffix.apply((s) => JSON.stringify(ec2TrustPolicy(s))),
            },
            { parent: this },
        );
        // Session Manager, State Manager and Run Command. The CloudWatch agent's rights are in the
        // inline policy (this log group, the CWAgent namespace), not the managed policy that wrote anywhere.
        const ssmCore = new aws.iam.RolePolicyAttachment(
            `${name}-ssm`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
            { parent: this },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-instance`,
            {
                role: role.id,
                policy: pulumi
                    .output({
                        databaseSecretArn: args.database.secretArn,
                        licenceSecretArn: licenceSecret?.arn,
                        fileSystemArn: args.sideload.fileSystemArn,
                        accessPointArn: args.sideload.accessPointArn,
                        logGroupArn: logGroup.arn,
                    })
                    .apply((a) => JSON.stringify(instanceRolePolicy(a))),
            },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, { parent: this });

        // ---- launch template ----
        const userData = pulumi
            .output({
                region,
                fileSystemId: args.sideload.fileSystemId,
                accessPointId: args.sideload.accessPointId,
                databaseSecretArn: args.database.secretArn,
                databaseHost: args.database.address,
                databasePort: args.database.port,
                databaseEngine: args.database.engine,
                databaseName: args.database.databaseName,
                licenceSecretArn: licenceSecret?.arn,
                logGroupName: logGroup.name,
            })
            .apply((v) =>
                Buffer.from(
                    renderUserData({
                        ...v,
                        mountPath: args.sideload.mountPath,
                        directories: args.sideload.directories,
                        linkInto: args.sideload.linkInto,
                        envFile: app.envFile,
                        services: app.services,
                        container: app.container === undefined ? undefined : { image: app.container.image, env: app.container.env, port: app.port },
                        logFiles: app.logFiles,
                    }),
                    "utf8",
                ).toString("base64"),
            );
        const tags = { ...(args.instanceTags ?? {}), Name: nameTag };
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                description: "Dashboard app servers",
                imageId: launchTemplateImageId(app.ami),
                instanceType: app.instanceType,
                iamInstanceProfile: { arn: profile.arn },
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: metadataHopLimit(app),
                    instanceMetadataTags: "enabled",
                },
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [appSg.id] }],
                blockDeviceMappings: [
                    {
                        deviceName: args.rootDeviceName ?? "/dev/xvda",
                        ebs: { volumeType: "gp3", volumeSize: app.volumeGb, encrypted: "true", deleteOnTermination: "true" },
                    },
                ],
                monitoring: { enabled: true },
                userData,
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags },
                    { resourceType: "volume", tags },
                ],
            },
            { parent: this },
        );

        // ---- Auto Scaling group ----
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: args.privateSubnetIds,
                minSize: app.minSize,
                maxSize: app.maxSize,
                desiredCapacity: app.desiredSize,
                healthCheckType: "ELB",
                healthCheckGracePeriod: 300,
                defaultInstanceWarmup: WARMUP_SECONDS,
                capacityRebalance: true,
                enabledMetrics: [...ENABLED_METRICS],
                metricsGranularity: "1Minute",
                targetGroupArns: [targetGroup.arn],
                // A version number, not "$Latest": the provider starts an instance refresh
                // only when the group's launch-template version changes.
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v)) },
                instanceRefresh: instanceRefreshPlan(app.ami, WARMUP_SECONDS),
                instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
                tags: [{ key: "Name", value: nameTag, propagateAtLaunch: true }],
            },
            // Scaling owns the desired capacity after creation; the role's permissions
            // and the listeners exist before the first instance boots.
            { parent: this, ignoreChanges: ["desiredCapacity"], dependsOn: [rolePolicy, ssmCore, ...listeners, ...(args.sideload.mountTargets ?? [])] },
        );
        new InstanceAutomation(
            `${name}-automation`,
            { groupName: group.name, databaseSecretArn: args.database.secretArn, efsUtils: args.efsUtils ?? efsUtilsSource(app.ami), refreshScript: REFRESH_SCRIPT },
            { parent: this },
        );

        // ---- scaling: step out, simple in with a cooldown ----
        for (const plan of scalingPlan(app)) {
            const policy = new aws.autoscaling.Policy(
                `${name}-${plan.role}`,
                { autoscalingGroupName: group.name, ...plan.policy },
                { parent: this },
            );
            new aws.cloudwatch.MetricAlarm(
                `${name}-${plan.role}`,
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
                { parent: this },
            );
        }

        this.url = domain === undefined ? pulumi.interpolate`http://${alb.dnsName}` : pulumi.output(`https://${domain.name}`);
        this.loadBalancerDnsName = alb.dnsName;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.securityGroupId = appSg.id;
        this.loadBalancerSecurityGroupId = albSg.id;
        this.autoScalingGroupName = group.name;
        this.logGroupName = logGroup.name;
        this.licenceSecretArn = licenceSecret === undefined ? pulumi.output(undefined) : licenceSecret.arn;
        this.roleArn = role.arn;
        this.registerOutputs({
            url: this.url,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            securityGroupId: this.securityGroupId,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            autoScalingGroupName: this.autoScalingGroupName,
            logGroupName: this.logGroupName,
            licenceSecretArn: this.licenceSecretArn,
            roleArn: this.roleArn,
        });
    }

    /** An ACM certificate for `domainName`, validated by a DNS record in `zoneId`; returns the validated ARN. */
    private validatedCertificate(name: string, domainName: string, zoneId: pulumi.Input<string>): pulumi.Output<string> {
        const certificate = new aws.acm.Certificate(`${name}-cert`, { domainName, validationMethod: "DNS" }, { parent: this });
        // One name and no alternative names: exactly one validation option, index 0.
        const option = certificate.domainValidationOptions.apply((o) => o[0]);
        const record = new aws.route53.Record(
            `${name}-cert-validation`,
            {
                zoneId,
                name: option.apply((o) => o.resourceRecordName),
                type: option.apply((o) => o.resourceRecordType),
                records: [option.apply((o) => o.resourceRecordValue)],
                ttl: 60,
                allowOverwrite: true,
            },
            { parent: this },
        );
        const validation = new aws.acm.CertificateValidation(
            `${name}-cert`,
            { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
            { parent: this },
        );
        return validation.certificateArn;
    }
}
