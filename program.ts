import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppCluster } from "./components/app";
import { Database, storageCeilingGb } from "./components/database";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { Sideload } from "./components/sideload";
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
    autoScalingGroupName: pulumi.Output<string>;
    /** Opens a shell on one app server through Session Manager (no SSH). */
    shellCommand: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    appLogGroup: pulumi.Output<string>;
    vpcId: pulumi.Output<string>;
    fileSystemId: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string | undefined>;
    dashboardName: pulumi.Output<string>;
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
 * AppCluster, then Monitoring and the optional StatusPage, with access granted
 * explicitly between them. Every resource gets the default tags through one
 * AWS provider.
 */
export function deploy(config: DashboardConfig, options: ProgramOptions): StackOutputs {
    const tags = stackTags(config, options.stack);
    const provider = new aws.Provider("aws", { region: options.region as aws.Region | undefined, defaultTags: { tags } });
    const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
    const logRetentionDays = config.logRetentionDays;

    const network = new Network("network", { ...config.network, logRetentionDays }, opts);
    const database = new Database(
        "database",
        { ...config.database, vpcId: network.vpcId, subnetIds: network.isolatedSubnetIds, protect: config.protect, logRetentionDays },
        opts,
    );
    const sideload = new Sideload("sideload", sideloadArgs(config, network), opts);
    const app = new AppCluster("app", appArgs(config, tags, network, database, sideload), opts);
    database.allowFrom("app", app.securityGroupId);
    // NFS from the app servers' group, and the file system policy naming their role (and the function's).
    sideload.allowClients([{ name: "app", securityGroupId: app.securityGroupId, roleArn: app.roleArn }]);
    const statusPage = config.statusPage.enabled ? new StatusPage("status", statusPageArgs(config, network, app), opts) : undefined;
    const monitoring = new Monitoring("monitoring", monitoringArgs(config, database, sideload, app, statusPage), opts);

    const region = aws.getRegionOutput({}, { provider }).region;
    return stackOutputs(region, { network, database, sideload, app, monitoring, statusPage });
}

type SideloadArgs = ConstructorParameters<typeof Sideload>[1];
type AppClusterArgs = ConstructorParameters<typeof AppCluster>[1];
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
        app: config.app,
        domain: config.domain,
        allowedCidrs: config.ingress.allowedCidrs,
        environment: config.environment,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        database: {
            address: database.address,
            port: database.port,
            engine: database.engine,
            databaseName: database.databaseName,
            secretArn: database.secretArn,
            securityGroupId: database.securityGroupId,
        },
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
        logRetentionDays: config.logRetentionDays,
        protect: config.protect,
        rootDeviceName: config.app.rootDeviceName,
        // Provider default tags do not reach what the Auto Scaling group launches.
        instanceTags: tags,
    };
}

/** The StatusPage's args: it checks the app's URL from the private subnets. */
function statusPageArgs(config: DashboardConfig, network: Network, app: AppCluster): StatusPageArgs {
    return {
        url: app.url,
        healthCheckPath: config.app.healthCheckPath,
        checkIntervalMinutes: config.statusPage.checkIntervalMinutes,
        title: config.statusPage.title,
        pageReservedConcurrency: config.statusPage.reservedConcurrency,
        logRetentionDays: config.logRetentionDays,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
    };
}

/** The Monitoring's args: what each alarm watches, and the thresholds that follow from the config. */
function monitoringArgs(config: DashboardConfig, database: Database, sideload: Sideload, app: AppCluster, statusPage: StatusPage | undefined): MonitoringArgs {
    return {
        emails: config.alerts?.emails ?? [],
        loadBalancerArnSuffix: app.loadBalancerArnSuffix,
        targetGroupArnSuffix: app.targetGroupArnSuffix,
        autoScalingGroupName: app.autoScalingGroupName,
        minSize: config.app.minSize,
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
    readonly app: AppCluster;
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
        autoScalingGroupName: app.autoScalingGroupName,
        shellCommand: pulumi.interpolate`aws ssm start-session --region ${region} --target "$(aws autoscaling describe-auto-scaling-groups --region ${region} --auto-scaling-group-names ${app.autoScalingGroupName} --query 'AutoScalingGroups[0].Instances[?LifecycleState==\`InService\`] | [0].InstanceId' --output text)"`,
        loadBalancerDnsName: app.loadBalancerDnsName,
        appLogGroup: app.logGroupName,
        vpcId: network.vpcId,
        fileSystemId: sideload.fileSystemId,
        alarmTopicArn: monitoring.topicArn,
        dashboardName: monitoring.dashboardName,
        statusPageUrl: statusPage?.statusPageUrl ?? pulumi.output(undefined),
    };
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
