import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceName } from "../../config/containers";
import { LoadBalancer } from "../app";
import type { FargateClusterArgs } from "./args";
import { ContentVolumes } from "./contentVolumes";
import { EcsCluster } from "./ecsCluster";
import { FargateService } from "./fargateService";
import { ecsTasksTrustPolicy, executionRolePolicy, type Place } from "./policies";
import { RotationRedeploy } from "./rotation";
import { SecurityGroups } from "./securityGroups";
import { DASHBOARD_HEALTH_PATH, DASHBOARD_PORT, DATABASE_CLIENTS, SERVICE_SPECS, checkNames, enabledServices, imageReference } from "./services";
import { volumesOf } from "./volumes";

/** What the program and Monitoring read of one service. */
export interface FargateServiceOutputs {
    readonly serviceName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** The access points of the volumes it mounts (none for renderer, pirana, excel-reader). */
    readonly accessPointArns: readonly pulumi.Output<string>[];
}

/** The parts the services are built on. */
interface Foundation {
    readonly loadBalancer: LoadBalancer;
    readonly cluster: EcsCluster;
    readonly volumes: ContentVolumes;
    readonly groups: SecurityGroups;
    readonly logGroups: Partial<Record<ServiceName, aws.cloudwatch.LogGroup>>;
    readonly executionRoleArn: pulumi.Output<string>;
    readonly ready: readonly pulumi.Resource[];
    readonly licenceSecretArn?: pulumi.Output<string>;
    /** The licence secret's current version: a new one rolls the dashboard. */
    readonly licenceVersionId?: pulumi.Output<string>;
}

/**
 * The app tier on ECS Fargate (`dashboard:fargate:FargateCluster`): the vendor's containers
 * (dashboard, scheduler, renderer, optionally pirana and excel-reader) as ECS services behind the
 * same public load balancer as the EC2 platform, with target type `ip` on the dashboard's 8224.
 *
 * Its parts in `pulumi preview`: `<name>-lb` (LoadBalancer), `<name>-ecs` (EcsCluster: cluster,
 * Cloud Map namespace, ECS Exec log group, capacity providers), `<name>-volumes` (ContentVolumes: one
 * access point per volume), `<name>-sg` (SecurityGroups: one group per service, rules only between
 * callers and callees), one `<name>-<role>` FargateService each, and `<name>-rotation`
 * (RotationRedeploy). Beside them: the licence secret, a log group per service, and the one
 * execution role, which may read only the stack's secrets, write only the services' logs and pull only
 * their images. Secrets reach the containers as `secrets` (`valueFrom`), never in `environment`.
 */
export class FargateCluster extends pulumi.ComponentResource {
    /** `https://<domain>`, or `http://<load balancer DNS name>` without a domain. */
    public readonly url: pulumi.Output<string>;
    public readonly loadBalancerDnsName: pulumi.Output<string>;
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** The log group of ECS Exec sessions. */
    public readonly execLogGroupName: pulumi.Output<string>;
    /** The licence secret's ARN (never its value); undefined without a licence key. */
    public readonly licenceSecretArn: pulumi.Output<string | undefined>;
    /** The services that run, by config key. */
    public readonly services: Readonly<Partial<Record<ServiceName, FargateServiceOutputs>>>;

    constructor(name: string, args: FargateClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:FargateCluster", name, {}, opts);
        checkNames(args.namespaceName, args.familyPrefix);
        const place = this.place();
        const f = this.foundation(name, args, place);
        const built = this.buildServices(name, args, place, f);
        new RotationRedeploy(
            `${name}-rotation`,
            { databaseSecretArn: args.database.secretArn, clusterArn: f.cluster.clusterArn, place, services: DATABASE_CLIENTS.map((s) => ({ role: SERVICE_SPECS[s].role, ...built[s]! })) },
            { parent: this },
        );

        this.url = f.loadBalancer.url;
        this.loadBalancerDnsName = f.loadBalancer.dnsName;
        this.loadBalancerArnSuffix = f.loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = f.loadBalancer.targetGroupArnSuffix;
        this.loadBalancerSecurityGroupId = f.loadBalancer.securityGroupId;
        this.clusterName = f.cluster.clusterName;
        this.clusterArn = f.cluster.clusterArn;
        this.execLogGroupName = f.cluster.execLogGroupName;
        this.licenceSecretArn = f.licenceSecretArn ?? pulumi.output<string | undefined>(undefined);
        this.services = built;
        this.registerOutputs({
            url: this.url,
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            execLogGroupName: this.execLogGroupName,
            licenceSecretArn: this.licenceSecretArn,
            serviceNames: Object.fromEntries(Object.entries(built).map(([k, v]) => [k, v.serviceName])),
        });
    }

    /** The stack's partition, region and account, for ARNs and trust policies. */
    private place(): pulumi.Output<Place> {
        const parent = { parent: this };
        return pulumi
            .all([aws.getPartitionOutput({}, parent).partition, aws.getRegionOutput({}, parent).region, aws.getCallerIdentityOutput({}, parent).accountId])
            .apply(([partition, region, accountId]) => ({ partition, region, accountId }));
    }

    /** Everything the services stand on: load balancer, cluster, volumes, groups, log groups, licence secret, execution role. */
    private foundation(name: string, args: FargateClusterArgs, place: pulumi.Output<Place>): Foundation {
        const parent = { parent: this };
        const services = enabledServices(args.containers);
        const loadBalancer = new LoadBalancer(
            `${name}-lb`,
            { ...args, prefix: name, targetPort: DASHBOARD_PORT, healthCheckPath: DASHBOARD_HEALTH_PATH, stickinessSeconds: args.stickinessSeconds, targetType: "ip" },
            parent,
        );
        const cluster = new EcsCluster(`${name}-ecs`, { namespaceName: args.namespaceName, containerInsights: args.containers.containerInsights, logRetentionDays: args.logRetentionDays }, parent);
        const volumes = new ContentVolumes(`${name}-volumes`, args.sideload, parent);
        const groups = new SecurityGroups(
            `${name}-sg`,
            { vpcId: args.vpcId, services, loadBalancerSecurityGroupId: loadBalancer.securityGroupId, database: args.database, fileSystemSecurityGroupId: args.sideload.securityGroupId },
            parent,
        );
        loadBalancer.allowTo("dashboard", groups.securityGroupIds.dashboard!, DASHBOARD_PORT, "Dashboard port to the dashboard tasks");
        const logGroups = Object.fromEntries(
            services.map((s) => [s, new aws.cloudwatch.LogGroup(`${name}-${SERVICE_SPECS[s].role}-logs`, { retentionInDays: args.logRetentionDays }, parent)]),
        ) as Partial<Record<ServiceName, aws.cloudwatch.LogGroup>>;
        const licence = args.licenceKey === undefined ? undefined : this.licenceSecret(name, args.licenceKey);
        const execution = this.executionRole(name, args, place, Object.values(logGroups), licence?.secret.arn);
        const ready = [execution.policy, cluster.capacityProviders, ...(args.sideload.mountTargets ?? [])];
        return { loadBalancer, cluster, volumes, groups, logGroups, executionRoleArn: execution.role.arn, ready, licenceSecretArn: licence?.secret.arn, licenceVersionId: licence?.versionId };
    }

    /** The licence key in Secrets Manager: the dashboard's tasks get it as `PI_LICENCE` at start; a new key is a new version. */
    private licenceSecret(name: string, licenceKey: pulumi.Input<string>): { secret: aws.secretsmanager.Secret; versionId: pulumi.Output<string> } {
        const secret = new aws.secretsmanager.Secret(`${name}-licence`, { description: "Dashboard licence key (PI_LICENCE of the dashboard's tasks)", recoveryWindowInDays: 7 }, { parent: this });
        const version = new aws.secretsmanager.SecretVersion(`${name}-licence`, { secretId: secret.id, secretString: pulumi.secret(licenceKey) }, { parent: this });
        return { secret, versionId: version.versionId };
    }

    /** The one execution role of every service, and its policy (see {@link executionRolePolicy}). */
    private executionRole(name: string, args: FargateClusterArgs, place: pulumi.Output<Place>, logGroups: aws.cloudwatch.LogGroup[], licenceSecretArn: pulumi.Output<string> | undefined) {
        const role = new aws.iam.Role(
            `${name}-execution`,
            { description: "Starts the dashboard's Fargate tasks: image pull, logs, secrets", assumeRolePolicy: place.apply((p) => JSON.stringify(ecsTasksTrustPolicy(p, false))) },
            { parent: this },
        );
        const c = args.containers;
        const images = enabledServices(c).map((s) => imageReference(c.repository, c.services[s].image, c.tag));
        const secrets = [args.database.secretArn, ...(licenceSecretArn === undefined ? [] : [licenceSecretArn]), ...(c.registryCredentials === undefined ? [] : [c.registryCredentials])];
        const policy = new aws.iam.RolePolicy(
            `${name}-execution`,
            {
                role: role.id,
                policy: pulumi
                    .all([place, pulumi.all(logGroups.map((g) => g.arn)), pulumi.all(secrets)])
                    .apply(([p, logGroupArns, secretArns]) => JSON.stringify(executionRolePolicy({ logGroupArns, secretArns, images, partition: p.partition }))),
            },
            { parent: this },
        );
        return { role, policy };
    }

    /** One FargateService per service that runs; the dashboard in the load balancer's target group. */
    private buildServices(name: string, args: FargateClusterArgs, place: pulumi.Output<Place>, f: Foundation): Partial<Record<ServiceName, FargateServiceOutputs>> {
        const out: Partial<Record<ServiceName, FargateServiceOutputs>> = {};
        for (const s of enabledServices(args.containers)) {
            const dashboard = s === "dashboard";
            const logGroup = f.logGroups[s]!;
            const securityGroupId = f.groups.securityGroupIds[s]!;
            const service = new FargateService(
                `${name}-${SERVICE_SPECS[s].role}`,
                {
                    service: s,
                    containers: args.containers,
                    familyPrefix: args.familyPrefix,
                    cluster: { arn: f.cluster.clusterArn, name: f.cluster.clusterName },
                    namespaceArn: f.cluster.namespaceArn,
                    subnetIds: args.privateSubnetIds,
                    securityGroupId,
                    logGroupName: logGroup.name,
                    executionRoleArn: f.executionRoleArn,
                    execLogGroupArn: f.cluster.execLogGroupArn,
                    fileSystem: { id: args.sideload.fileSystemId, arn: args.sideload.fileSystemArn, accessPoints: f.volumes.accessPoints },
                    database: args.database,
                    licenceSecretArn: f.licenceSecretArn,
                    domainName: args.domain?.name,
                    targetGroupArn: dashboard ? f.loadBalancer.targetGroupArn : undefined,
                    redeployTriggers: dashboard && f.licenceVersionId !== undefined ? { licence: f.licenceVersionId } : undefined,
                    place,
                    // A service cannot register in a target group no listener uses yet.
                    ready: dashboard ? [...f.ready, ...f.loadBalancer.listeners] : f.ready,
                },
                { parent: this },
            );
            const accessPointArns = volumesOf(s).map((v) => f.volumes.accessPoints[v.name].arn);
            out[s] = { serviceName: service.serviceName, serviceArn: service.serviceArn, securityGroupId, taskRoleArn: service.taskRoleArn, logGroupName: logGroup.name, accessPointArns };
        }
        return out;
    }
}
