import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppCluster, type AppTierArgs } from "./components/app";
import { Database, storageCeilingGb } from "./components/database";
import { DASHBOARD_HEALTH_PATH, FargateCluster, SERVICE_SPECS, stackScopedName } from "./components/fargate";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { CONTENT_ROOT, Sideload } from "./components/sideload";
import { StatusPage } from "./components/statusPage";
import type { DashboardConfig } from "./config";

/** What a user needs from a stack, as stack outputs. No secret value is among them. */
export interface StackOutputs {
    /** Where the dashboard is served. */
    url: pulumi.Output<string>;
    /** Upload themes/, images/ and excel-data/ here. */
    contentBucket: pulumi.Output<string>;
    /** Invoke the sideload function with {"resync": true} (first deploy into a full bucket, after an EFS restore). */
    resyncCommand: pulumi.Output<string>;
    databaseEndpoint: pulumi.Output<string>;
    /** The RDS-managed secret holding the database user and password (the ARN, never the value). */
    databaseSecretArn: pulumi.Output<string>;
    licenceSecretArn: pulumi.Output<string | undefined>;
    /** The app servers' Auto Scaling group (EC2 platform); undefined on Fargate. */
    autoScalingGroupName: pulumi.Output<string | undefined>;
    /** The ECS cluster (Fargate platform); undefined on EC2. */
    clusterName: pulumi.Output<string | undefined>;
    /** The ECS services by role, e.g. `{ dashboard: "app-dashboard-service-…" }` (Fargate platform); undefined on EC2. */
    serviceNames: pulumi.Output<Record<string, string> | undefined>;
    /** Opens a shell: on one app server through Session Manager (EC2), in one dashboard task through ECS Exec (Fargate); no SSH. */
    shellCommand: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    appLogGroup: pulumi.Output<string>;
    vpcId: pulumi.Output<string>;
    fileSystemId: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string | undefined>;
    dashboardName: pulumi.Output<string | undefined>;
    statusPageUrl: pulumi.Output<string | undefined>;
}

/** Options of one program run that do not come from the `dashboard` namespace. */
export interface ProgramOptions {
    /** `aws:region` of the stack; the provider falls back to AWS_REGION when unset. */
    readonly region?: string;
    /** The stack name, for the `stack` tag. */
    readonly stack: string;
}

/**
 * The whole deployment of one stack: Network → Database → Sideload →
 * AppCluster or FargateCluster, then Monitoring and the optional StatusPage, with access granted
 * explicitly between them. Every resource gets the default tags through one
 * AWS provider.
 */
export function deploy(config: DashboardConfig, options: ProgramOptions): StackOutputs {
    const tags = stackTags(config, options.stack);
    const provider = new aws.Provider("aws", { region: options.region as aws.Region | undefined, defaultTags: { tags } });
    const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
    const logRetentionDays = config.logRetentionDays;

    const network = new Network("network", { ...config.network, logRetentionDays, instanceTags: tags }, opts);
    const database = new Database("database", { ...config.database, vpcId: network.vpcId, subnetIds: network.isolatedSubnetIds, protect: config.protect, logRetentionDays }, opts);
    const sideload = new Sideload("sideload", sideloadArgs(config, network), opts);
    const app = config.app.platform === "fargate" ? fargateTier(config, options.stack, network, database, sideload, opts) : ec2Tier(config, tags, network, database, sideload, opts);
    const statusPage = config.statusPage.enabled ? new StatusPage("status", statusPageArgs(config, network, app), opts) : undefined;
    const monitoring = new Monitoring("monitoring", monitoringArgs(config, database, sideload, app, statusPage), opts);

    const region = aws.getRegionOutput({}, { provider }).region;
    return stackOutputs(region, { network, database, sideload, app, monitoring, statusPage });
}

/**
 * What the rest of the stack reads of the app tier, whichever platform runs it: the load balancer and licence secret,
 * the app's log group (the servers', the dashboard service's), the path the status page checks, the fewest servers or
 * dashboard tasks, the Auto Scaling group (EC2) or cluster and services (Fargate), the shell command in the stack's region.
 */
interface AppTier extends ReturnType<typeof loadBalancerParts> {
    readonly logGroupName: pulumi.Output<string>;
    readonly healthCheckPath: string;
    readonly minSize: number;
    readonly autoScalingGroupName?: pulumi.Output<string>;
    readonly ecs?: NonNullable<MonitoringArgs["ecs"]>;
    shellCommand(region: pulumi.Output<string>): pulumi.Output<string>;
}

/** The EC2 platform: the AppCluster, the database and file system admitting its servers. */
function ec2Tier(config: DashboardConfig, tags: Record<string, string>, network: Network, database: Database, sideload: Sideload, opts: pulumi.ComponentResourceOptions): AppTier {
    const app = new AppCluster("app", appArgs(config, tags, network, database, sideload), opts);
    database.allowFrom("app", app.securityGroupId);
    // NFS from the app servers' group, and the file system policy naming their role (and the function's).
    sideload.allowClients([{ name: "app", securityGroupId: app.securityGroupId, roleArn: app.roleArn }]);
    return {
        ...loadBalancerParts(app),
        logGroupName: app.logGroupName,
        autoScalingGroupName: app.autoScalingGroupName,
        healthCheckPath: config.app.healthCheckPath,
        minSize: config.app.minSize,
        shellCommand: (region) =>
            pulumi.interpolate`aws ssm start-session --region ${region} --target "$(aws autoscaling describe-auto-scaling-groups --region ${region} --auto-scaling-group-names ${app.autoScalingGroupName} --query 'AutoScalingGroups[0].Instances[?LifecycleState==\`InService\`] | [0].InstanceId' --output text)"`,
    };
}

/** The Fargate platform: the FargateCluster; the database and file system admit the dashboard's and scheduler's tasks. */
function fargateTier(config: DashboardConfig, stack: string, network: Network, database: Database, sideload: Sideload, opts: pulumi.ComponentResourceOptions): AppTier {
    const containers = config.app.containers!;
    const app = new FargateCluster("app", fargateArgs(config, stack, network, database, sideload), opts);
    const clients = (["dashboard", "scheduler"] as const).map((s) => ({ role: `app-${SERVICE_SPECS[s].role}`, service: app.services[s]! }));
    for (const c of clients) database.allowFrom(c.role, c.service.securityGroupId);
    sideload.allowClients(clients.map((c) => ({ name: c.role, securityGroupId: c.service.securityGroupId, roleArn: c.service.taskRoleArn, accessPointArns: c.service.accessPointArns })));
    const services = Object.entries(app.services).map(([key, s]) => ({ name: SERVICE_SPECS[key as keyof typeof SERVICE_SPECS].role, serviceName: s.serviceName }));
    const dashboard = app.services.dashboard!;
    return {
        ...loadBalancerParts(app),
        logGroupName: dashboard.logGroupName,
        healthCheckPath: DASHBOARD_HEALTH_PATH,
        minSize: containers.services.dashboard.minSize,
        ecs: { clusterName: app.clusterName, clusterArn: app.clusterArn, services, containerInsights: containers.containerInsights },
        shellCommand: (region) =>
            pulumi.interpolate`aws ecs execute-command --region ${region} --cluster ${app.clusterName} --container ${SERVICE_SPECS.dashboard.role} --interactive --command /bin/sh --task "$(aws ecs list-tasks --region ${region} --cluster ${app.clusterName} --service-name ${dashboard.serviceName} --desired-status RUNNING --query 'taskArns[0]' --output text)"`,
    };
}

/** What either platform's component says of its load balancer and licence secret. */
function loadBalancerParts(app: AppCluster | FargateCluster) {
    return { url: app.url, loadBalancerDnsName: app.loadBalancerDnsName, loadBalancerArnSuffix: app.loadBalancerArnSuffix, targetGroupArnSuffix: app.targetGroupArnSuffix, licenceSecretArn: app.licenceSecretArn };
}

type SideloadArgs = ConstructorParameters<typeof Sideload>[1];
type AppClusterArgs = ConstructorParameters<typeof AppCluster>[1];
type FargateClusterArgs = ConstructorParameters<typeof FargateCluster>[1];
type StatusPageArgs = ConstructorParameters<typeof StatusPage>[1];
type MonitoringArgs = ConstructorParameters<typeof Monitoring>[1];

/** The Sideload's args: the private subnets of every zone, the folder mapping, the access point's owner. */
function sideloadArgs(config: DashboardConfig, network: Network): SideloadArgs {
    return {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        availabilityZoneCount: zoneCount(config),
        folders: config.sideload.folders,
        directories: config.sideload.directories,
        uid: config.sideload.uid,
        gid: config.sideload.gid,
        reservedConcurrency: config.sideload.reservedConcurrency,
        logRetentionDays: config.logRetentionDays,
        protect: config.protect,
    };
}

/** The AppCluster's args: the network's tiers and what the servers read from the database and the file system. */
function appArgs(config: DashboardConfig, tags: Record<string, string>, network: Network, database: Database, sideload: Sideload): AppClusterArgs {
    return {
        ...tierArgs(config, network),
        app: config.app,
        database: { address: database.address, port: database.port, engine: database.engine, databaseName: database.databaseName, secretArn: database.secretArn, securityGroupId: database.securityGroupId },
        sideload: {
            fileSystemId: sideload.fileSystemId,
            fileSystemArn: sideload.fileSystemArn,
            accessPointId: sideload.accessPointId,
            accessPointArn: sideload.accessPointArn,
            securityGroupId: sideload.securityGroupId,
            mountTargets: sideload.mountTargets,
            mountPath: config.sideload.mountPath,
            directories: config.sideload.directories,
            linkInto: config.sideload.linkInto,
        },
        rootDeviceName: config.app.rootDeviceName,
        // Provider default tags do not reach what the Auto Scaling group launches.
        instanceTags: tags,
    };
}

/** What both platforms take from the config and the network: who may reach the tier, where it runs, the environment. */
function tierArgs(config: DashboardConfig, network: Network): AppTierArgs {
    return {
        domain: config.domain,
        allowedCidrs: config.ingress.allowedCidrs,
        environment: config.environment,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        logRetentionDays: config.logRetentionDays,
        protect: config.protect,
    };
}

/** The FargateCluster's args: the network's tiers, the database, the file system's layout, the stack-scoped names. */
function fargateArgs(config: DashboardConfig, stack: string, network: Network, database: Database, sideload: Sideload): FargateClusterArgs {
    const scoped = stackScopedName(config.customer, stack);
    return {
        containers: config.app.containers!, // validateConfig requires it with platform fargate
        licenceKey: config.app.licenceKey,
        stickinessSeconds: config.app.stickinessSeconds,
        ...tierArgs(config, network),
        database: { address: database.address, port: database.port, engine: config.database.engine, databaseName: database.databaseName, secretArn: database.secretArn, securityGroupId: database.securityGroupId },
        // uid, gid, folders and directories from the config; the file system from the Sideload.
        sideload: { ...config.sideload, contentRoot: CONTENT_ROOT, fileSystemId: sideload.fileSystemId, fileSystemArn: sideload.fileSystemArn, securityGroupId: sideload.securityGroupId, mountTargets: sideload.mountTargets },
        namespaceName: scoped,
        familyPrefix: scoped,
    };
}

/** The StatusPage's args: it checks the app's URL from the private subnets. */
function statusPageArgs(config: DashboardConfig, network: Network, app: AppTier): StatusPageArgs {
    return {
        url: app.url,
        healthCheckPath: app.healthCheckPath,
        checkIntervalMinutes: config.statusPage.checkIntervalMinutes,
        title: config.statusPage.title,
        pageReservedConcurrency: config.statusPage.reservedConcurrency,
        logRetentionDays: config.logRetentionDays,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
    };
}

/** The Monitoring's args: what each alarm watches, and the thresholds that follow from the config. */
function monitoringArgs(config: DashboardConfig, database: Database, sideload: Sideload, app: AppTier, statusPage: StatusPage | undefined): MonitoringArgs {
    return {
        emails: config.alerts?.emails ?? [],
        dashboard: config.monitoring.dashboard,
        loadBalancerArnSuffix: app.loadBalancerArnSuffix,
        targetGroupArnSuffix: app.targetGroupArnSuffix,
        autoScalingGroupName: app.autoScalingGroupName,
        ecs: app.ecs,
        minSize: app.minSize,
        dbInstanceIdentifier: database.instanceIdentifier,
        dbInstanceClass: config.database.instanceClass,
        engine: config.database.engine,
        dbStorageGb: storageCeilingGb(config.database.storageGb, config.database.maxStorageGb),
        sideloadFunctionName: sideload.functionName,
        sideloadDeadLetterQueueName: sideload.deadLetterQueueName,
        dbMaxConnections: maxConnectionsParameter(config.database.parameters),
        statusPage:
            statusPage === undefined
                ? undefined
                : {
                      checkerFunctionName: statusPage.checkerFunctionName,
                      checkerDeadLetterQueueName: statusPage.deadLetterQueueArn.apply((arn) => arn.split(":").pop() ?? arn),
                  },
    };
}

/** The built components of one stack. */
interface StackParts {
    readonly network: Network;
    readonly database: Database;
    readonly sideload: Sideload;
    readonly app: AppTier;
    readonly monitoring: Monitoring;
    readonly statusPage?: StatusPage;
}

/** The stack outputs, with the commands a user runs against this stack's resources in its region. */
function stackOutputs(region: pulumi.Output<string>, p: StackParts): StackOutputs {
    const { network, database, sideload, app, monitoring, statusPage } = p;
    return {
        url: app.url,
        contentBucket: sideload.bucketName,
        resyncCommand: pulumi.interpolate`aws lambda invoke --region ${region} --function-name ${sideload.functionName} --cli-binary-format raw-in-base64-out --payload '{"resync":true}' /dev/stdout`,
        databaseEndpoint: pulumi.interpolate`${database.address}:${database.port}`,
        databaseSecretArn: database.secretArn,
        licenceSecretArn: app.licenceSecretArn,
        autoScalingGroupName: app.autoScalingGroupName ?? pulumi.output<string | undefined>(undefined),
        clusterName: pulumi.output<string | undefined>(app.ecs?.clusterName),
        serviceNames: app.ecs === undefined ? pulumi.output<Record<string, string> | undefined>(undefined) : serviceNames(app.ecs.services),
        shellCommand: app.shellCommand(region),
        loadBalancerDnsName: app.loadBalancerDnsName,
        appLogGroup: app.logGroupName,
        vpcId: network.vpcId,
        fileSystemId: sideload.fileSystemId,
        alarmTopicArn: monitoring.topicArn,
        dashboardName: monitoring.dashboardName,
        statusPageUrl: statusPage?.statusPageUrl ?? pulumi.output(undefined),
    };
}

/** The ECS services' names by role, as one output. */
function serviceNames(services: NonNullable<MonitoringArgs["ecs"]>["services"]): pulumi.Output<Record<string, string>> {
    return pulumi.all(services.map((s) => pulumi.output(s.serviceName).apply((n) => [s.name, n] as const))).apply((entries) => Object.fromEntries(entries));
}

/** The tags every resource of a stack carries. */
export function stackTags(config: DashboardConfig, stack: string): Record<string, string> {
    return { customer: config.customer, environment: config.environment, stack, "managed-by": "pulumi" };
}

/** A `max_connections` set in the parameter group, when it is a plain number. */
export function maxConnectionsParameter(parameters: Readonly<Record<string, string>>): number | undefined {
    const value = parameters.max_connections;
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The number of zones (and so private subnets) the stack spans: known before deployment. */
export function zoneCount(config: DashboardConfig): number {
    return config.network.mode === "new" ? config.network.availabilityZones : config.network.privateSubnetIds.length;
}
