import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceName } from "../../config/containers";
import type { FargateDatabaseArgs } from "./args";
import { containerDefinition } from "./containerDefinition";
import type { VolumeAccessPoint } from "./contentVolumes";
import { ecsTasksTrustPolicy, taskRolePolicy, type Place } from "./policies";
import { serviceConnectConfiguration } from "./serviceConnect";
import { DASHBOARD_PORT, SCALED_SERVICES, SERVICE_SPECS, type ContainersConfig } from "./services";
import { taskVolumes, volumesOf } from "./volumes";

/** Arguments of {@link FargateService}: one service and what it runs against. */
export interface FargateServiceArgs {
    /** Which service. @default required */
    readonly service: ServiceName;
    /** The `app.containers` block (image, size, count, env of every service). @default required */
    readonly containers: ContainersConfig;
    /** The task family is `<familyPrefix>-<role>`. A new family registers a new task definition. @default required */
    readonly familyPrefix: string;
    /** The ECS cluster. @default required */
    readonly cluster: { readonly arn: pulumi.Input<string>; readonly name: pulumi.Input<string> };
    /** The Service Connect namespace. @default required */
    readonly namespaceArn: pulumi.Input<string>;
    /** The private subnets the tasks run in. @default required */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The service's own security group. @default required */
    readonly securityGroupId: pulumi.Input<string>;
    /** The service's log group (container and Service Connect proxy logs). @default required */
    readonly logGroupName: pulumi.Input<string>;
    /** The shared execution role (image pull, logs, secrets). @default required */
    readonly executionRoleArn: pulumi.Input<string>;
    /** The cluster's ECS Exec log group, which the task role may write sessions to. @default required */
    readonly execLogGroupArn: pulumi.Input<string>;
    /** The content file system and the volumes' access points (the service mounts its own). @default required */
    readonly fileSystem: { readonly id: pulumi.Input<string>; readonly arn: pulumi.Input<string>; readonly accessPoints: Readonly<Record<string, VolumeAccessPoint>> };
    /** The database. @default required */
    readonly database: FargateDatabaseArgs;
    /** The licence secret (dashboard's `PI_LICENCE`). @default none */
    readonly licenceSecretArn?: pulumi.Input<string>;
    /** The domain behind the TLS load balancer (dashboard's proxy settings). @default none */
    readonly domainName?: string;
    /**
     * Values whose change rolls the service although its task definition stays the same (the licence
     * secret's version: the tasks read `PI_LICENCE` only at start). @default {} (only a new task definition rolls it)
     */
    readonly redeployTriggers?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The load balancer's target group (the dashboard registers its tasks on 8224). @default none */
    readonly targetGroupArn?: pulumi.Input<string>;
    /** Partition, region and account of the stack. @default required */
    readonly place: pulumi.Output<Place>;
    /** What must exist before the first task starts (execution policy, capacity providers, listeners, mount targets). @default [] */
    readonly ready?: readonly pulumi.Resource[];
}

/** Seconds a new dashboard task may fail the load balancer's health check: Tomcat's first start creates the schema. */
export const HEALTH_CHECK_GRACE_SECONDS = 300;

/**
 * One Fargate service (`dashboard:fargate:FargateService`): its task role (ECS Exec, its own volumes),
 * task definition (`<familyPrefix>-<role>`), the ECS service, and for the dashboard and renderer the
 * CPU target-tracking scaling. The service: private subnets, no public IP, FARGATE or FARGATE_SPOT,
 * 100 %/200 % rolling deployments with the circuit breaker rolling back, ECS Exec, tags propagated from
 * the service, Service Connect, and `pulumi up` waits for it to be steady (`waitForSteadyState`: a
 * first deployment whose tasks never get healthy, an image that cannot be pulled, fails the update
 * instead of passing unnoticed). The provider counts a deployment the circuit breaker rolled back as
 * steady too (terraform-provider-aws#20858): ECS's own deployment-failure event reaches the alarm topic.
 */
export class FargateService extends pulumi.ComponentResource {
    public readonly serviceName: pulumi.Output<string>;
    public readonly serviceArn: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly taskDefinitionArn: pulumi.Output<string>;

    constructor(name: string, args: FargateServiceArgs, opts: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:FargateService", name, {}, opts);
        const { service } = args;
        const s = args.containers.services[service];
        const scaled = SCALED_SERVICES.includes(service);
        const taskRole = this.taskRole(name, args);
        const taskDefinition = this.taskDefinition(name, args, taskRole.role.arn);
        const ecsService = new aws.ecs.Service(
            `${name}-service`,
            {
                cluster: args.cluster.arn,
                taskDefinition: taskDefinition.arn,
                desiredCount: "desiredSize" in s ? s.desiredSize : 1,
                capacityProviderStrategies: [{ capacityProvider: s.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                availabilityZoneRebalancing: "ENABLED",
                enableExecuteCommand: true,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                ...(args.targetGroupArn === undefined
                    ? {}
                    : { loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: SERVICE_SPECS.dashboard.role, containerPort: DASHBOARD_PORT }], healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_SECONDS }),
                serviceConnectConfiguration: pulumi
                    .all([args.namespaceArn, args.logGroupName, args.place])
                    .apply(([ns, logs, p]) => serviceConnectConfiguration(service, ns, logs, p.region)),
                // A changed trigger makes the update a forced (rolling) deployment.
                ...(args.redeployTriggers === undefined ? {} : { forceNewDeployment: true, triggers: { ...args.redeployTriggers } }),
                waitForSteadyState: true,
            },
            // Autoscaling owns a scaled service's count after creation; a single task's count is the program's.
            { parent: this, dependsOn: [...(args.ready ?? []), taskRole.policy], ignoreChanges: scaled ? ["desiredCount"] : [] },
        );
        if (scaled && "minSize" in s) this.scaling(name, args, ecsService, s);

        this.serviceName = ecsService.name;
        this.serviceArn = ecsService.arn;
        this.taskRoleArn = taskRole.role.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.registerOutputs({ serviceName: this.serviceName, serviceArn: this.serviceArn, taskRoleArn: this.taskRoleArn, taskDefinitionArn: this.taskDefinitionArn });
    }

    /** The task role and its policy: ECS Exec, and the service's own access points. */
    private taskRole(name: string, args: FargateServiceArgs): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
        const role = new aws.iam.Role(
            `${name}-task`,
            { description: `Dashboard ${SERVICE_SPECS[args.service].role} tasks`, assumeRolePolicy: args.place.apply((p) => JSON.stringify(ecsTasksTrustPolicy(p, true))) },
            { parent: this },
        );
        const own = volumesOf(args.service).map((v) => args.fileSystem.accessPoints[v.name].arn);
        const policy = new aws.iam.RolePolicy(
            `${name}-task`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.execLogGroupArn, args.fileSystem.arn, pulumi.all(own)])
                    .apply(([exec, fs, aps]) => JSON.stringify(taskRolePolicy({ execLogGroupArn: exec, fileSystemArn: aps.length === 0 ? undefined : fs, accessPointArns: aps }))),
            },
            { parent: this },
        );
        return { role, policy };
    }

    /** The task definition: Fargate, awsvpc, the service's size, X86_64 (the vendor's images are amd64), its container and volumes. */
    private taskDefinition(name: string, args: FargateServiceArgs, taskRoleArn: pulumi.Output<string>): aws.ecs.TaskDefinition {
        const { service } = args;
        const s = args.containers.services[service];
        const ids = Object.fromEntries(Object.entries(args.fileSystem.accessPoints).map(([k, v]) => [k, v.id]));
        const resolved = pulumi.output({
            place: args.place,
            logGroupName: args.logGroupName,
            database: { host: args.database.address, port: args.database.port, schemaName: args.database.databaseName, secretArn: args.database.secretArn },
            licenceSecretArn: args.licenceSecretArn,
        });
        return new aws.ecs.TaskDefinition(
            `${name}-taskdef`,
            {
                family: `${args.familyPrefix}-${SERVICE_SPECS[service].role}`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(s.cpu),
                memory: String(s.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: args.executionRoleArn,
                taskRoleArn,
                containerDefinitions: resolved.apply((r) =>
                    JSON.stringify([
                        containerDefinition({
                            service,
                            containers: args.containers,
                            region: r.place.region,
                            logGroupName: r.logGroupName,
                            database: { ...r.database, engine: args.database.engine },
                            licenceSecretArn: r.licenceSecretArn,
                            domainName: args.domainName,
                        }),
                    ]),
                ),
                volumes: pulumi.all([args.fileSystem.id, pulumi.output(ids)]).apply(([fs, apIds]) => taskVolumes(service, fs, apIds)),
            },
            { parent: this },
        );
    }

    /** Target tracking on the service's average CPU between minSize and maxSize (out after 60 s, in after 300 s). */
    private scaling(name: string, args: FargateServiceArgs, service: aws.ecs.Service, s: { minSize: number; maxSize: number; cpuTargetPercent: number }): void {
        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.cluster.name}/${service.name}`,
                minCapacity: s.minSize,
                maxCapacity: s.maxSize,
            },
            { parent: this },
        );
        new aws.appautoscaling.Policy(
            `${name}-cpu`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    targetValue: s.cpuTargetPercent,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            },
            { parent: this },
        );
    }
}
