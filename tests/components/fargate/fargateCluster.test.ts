/**
 * The FargateCluster under the mocks: its parts, the load balancer's `ip` target group, the ECS cluster
 * (Container Insights, ECS Exec logging, Service Connect namespace, capacity providers), the access
 * points, each task definition and service exactly, and the scaling. Security groups: securityGroups.test.ts;
 * rotation: rotation.test.ts; what the roles may do: accessMatrix.test.ts.
 */
import * as assert from "node:assert/strict";
import { FargateCluster } from "../../../components/fargate";
import { containerDefinition } from "../../../components/fargate/containerDefinition";
import { VOLUMES } from "../../../components/fargate/volumes";
import { ACCOUNT_ID, isSecretOutput, settle, startMocks, valueOf, type MockRun } from "../../mocks";
import { CERT, DB_HOST, FS_ID, LICENCE, PRIVATE, T, buildCluster, fargateArgs, json } from "./build";
import { DB_SECRET, containersConfig } from "./fixtures";

const NAMESPACE = "dashboard-acme-acme-dev";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

describe("FargateCluster (mocks)", () => {
    let run: MockRun;
    let cluster: Awaited<ReturnType<typeof buildCluster>>["cluster"];
    before(async () => {
        ({ run, cluster } = await buildCluster());
    });
    const arnOf = (type: string, name: string) => run.get(type, name).state.arn as string;
    const nameOf = (type: string, name: string) => run.get(type, name).state.name as string;

    it("builds its parts as nested components: load balancer, ECS cluster, volumes, groups, one service each, rotation", () => {
        const parts = run.resources.filter((r) => !r.custom && r.parent === run.get("dashboard:fargate:FargateCluster", "app").urn).map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(parts, [
            "dashboard:app:LoadBalancer app-lb",
            "dashboard:fargate:EcsCluster app-ecs",
            "dashboard:fargate:ContentVolumes app-volumes",
            "dashboard:fargate:SecurityGroups app-sg",
            "dashboard:fargate:FargateService app-dashboard",
            "dashboard:fargate:FargateService app-scheduler",
            "dashboard:fargate:FargateService app-renderer",
            "dashboard:fargate:FargateService app-pirana",
            "dashboard:fargate:RotationRedeploy app-rotation",
        ]);
        // No excel-reader by default, and every log group keeps the stack's retention.
        assert.deepEqual(run.byType(T.logGroup).map((g) => [g.name, g.inputs.retentionInDays]).sort(), [
            ["app-dashboard-logs", 30],
            ["app-ecs-exec-logs", 30],
            ["app-pirana-logs", 30],
            ["app-renderer-logs", 30],
            ["app-scheduler-logs", 30],
        ]);
    });

    it("registers tasks by IP on 8224 in the load balancer's target group, health-checked on /pi/version, sticky", () => {
        assert.deepEqual(run.get(T.tg, "app-tg").inputs, {
            vpcId: "vpc-0123456789abcdef0",
            protocol: "HTTP",
            port: 8224,
            targetType: "ip",
            deregistrationDelay: 30,
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/pi/version", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
            stickiness: { type: "lb_cookie", cookieDuration: 86400, enabled: true },
        });
        assert.equal(run.get(T.listener, "app-https").inputs.certificateArn, CERT);
    });

    it("ECS cluster: auto-named, Container Insights per config, every ECS Exec session logged, Service Connect's namespace, FARGATE and FARGATE_SPOT", () => {
        const ecs = run.get(T.cluster, "app-ecs-cluster");
        assert.equal(ecs.inputs.name, undefined);
        assert.deepEqual(ecs.inputs, {
            settings: [{ name: "containerInsights", value: "disabled" }],
            configuration: { executeCommandConfiguration: { logging: "OVERRIDE", logConfiguration: { cloudWatchLogGroupName: nameOf(T.logGroup, "app-ecs-exec-logs"), cloudWatchEncryptionEnabled: false } } },
            serviceConnectDefaults: { namespace: arnOf(T.namespace, "app-ecs-namespace") },
        });
        assert.deepEqual(run.get(T.namespace, "app-ecs-namespace").inputs, { name: NAMESPACE, description: "Service Connect between the dashboard's services" });
        assert.deepEqual(run.get(T.capacity, "app-ecs-capacity").inputs, {
            clusterName: ecs.state.name,
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
        });
    });

    it("one access point per volume: the sideload's user, keys 0700, content volumes where the sideload writes, the rest outside /content", async () => {
        const fsAp = VOLUMES.map((v) => [`app-volumes-${v.name}`, run.get(T.accessPoint, `app-volumes-${v.name}`).inputs]);
        const ap = (volume: string, path: string, permissions = "0755") => [
            `app-volumes-${volume}`,
            { fileSystemId: FS_ID, posixUser: { uid: 1000, gid: 1000 }, rootDirectory: { path, creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions } }, tags: { Name: `app-volumes-${volume}` } },
        ];
        assert.deepEqual(fsAp, [
            ap("keys", "/app/keys", "0700"),
            ap("custom_jdbc", "/app/custom_jdbc"),
            ap("themes", "/content/themes"),
            ap("images", "/content/images"),
            ap("files", "/content/excel"),
            ap("svg", "/app/svg"),
            ap("locale", "/app/locale"),
        ]);
        // The dashboard's and scheduler's outputs name their own access points (the file system policy's grants).
        assert.deepEqual(await valueOf(cluster.services.scheduler!.accessPointArns[0]), arnOf(T.accessPoint, "app-volumes-keys"));
        assert.equal(cluster.services.dashboard!.accessPointArns.length, 7);
        assert.equal(cluster.services.renderer!.accessPointArns.length, 0);
    });

    it("each task definition: Fargate, awsvpc, the service's size, X86_64, its family, the shared execution role, its own task role, its volumes", () => {
        const ids = Object.fromEntries(VOLUMES.map((v) => [v.name, run.get(T.accessPoint, `app-volumes-${v.name}`).id]));
        const volume = (name: string) => ({ name, efsVolumeConfiguration: { fileSystemId: FS_ID, transitEncryption: "ENABLED", authorizationConfig: { accessPointId: ids[name], iam: "ENABLED" } } });
        for (const [role, cpu, memory, volumes] of [
            ["dashboard", "1024", "2048", VOLUMES.map((v) => volume(v.name))],
            ["scheduler", "256", "512", [volume("keys")]],
            ["renderer", "1024", "2048", []],
            ["pirana", "1024", "2048", []],
        ] as const) {
            const td = { ...run.get(T.taskDefinition, `app-${role}-taskdef`).inputs };
            delete td.containerDefinitions;
            assert.deepEqual(td, {
                family: `dashboard-acme-acme-dev-${role}`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu,
                memory,
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: arnOf(T.role, "app-execution"),
                taskRoleArn: arnOf(T.role, `app-${role}-task`),
                volumes,
            }, role);
        }
    });

    it("each container definition is the exact one of containerDefinition() with the stack's resolved values: its log group, the database, the licence secret, the domain", () => {
        const containers = containersConfig();
        for (const service of ["dashboard", "scheduler", "renderer", "pirana"] as const) {
            const role = service;
            const expected = containerDefinition({
                service,
                containers,
                region: "us-east-1",
                logGroupName: nameOf(T.logGroup, `app-${role}-logs`),
                database: { host: DB_HOST, port: 3306, schemaName: "dashboard", engine: "mariadb", secretArn: DB_SECRET },
                licenceSecretArn: arnOf(T.secret, "app-licence"),
                domainName: "dashboard.acme.example.com",
            });
            assert.deepEqual(json(run.get(T.taskDefinition, `app-${role}-taskdef`).inputs.containerDefinitions), [JSON.parse(JSON.stringify(expected))], role);
        }
        const dashboard = json(run.get(T.taskDefinition, "app-dashboard-taskdef").inputs.containerDefinitions)[0];
        assert.deepEqual(dashboard.secrets.map((s: { name: string }) => s.name), ["PI_DB_USERNAME", "PI_DB_PASSWORD", "PI_LICENCE"]);
        assert.ok(!JSON.stringify(run.byType(T.taskDefinition).map((t) => t.inputs)).includes(LICENCE), "the licence key itself is in no task definition");
    });

    it("stores the licence key as a secret value in Secrets Manager", () => {
        const secret = run.get(T.secret, "app-licence");
        assert.deepEqual(secret.inputs, { description: "Dashboard licence key (PI_LICENCE of the dashboard's tasks)", recoveryWindowInDays: 7 });
        assert.deepEqual(run.get(T.secretVersion, "app-licence").inputs, { secretId: secret.id, secretString: { [SIG_KEY]: SECRET_SIG, value: LICENCE } });
    });

    it("dashboard service: private subnets, no public IP, rolling 100/200 with rollback, ECS Exec, target group with a 300 s grace, Service Connect, steady before `up` ends", () => {
        const svc = run.get(T.service, "app-dashboard-service");
        const { serviceConnectConfiguration, ...rest } = svc.inputs;
        assert.deepEqual(rest, {
            cluster: arnOf(T.cluster, "app-ecs-cluster"),
            taskDefinition: arnOf(T.taskDefinition, "app-dashboard-taskdef"),
            desiredCount: 1,
            capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
            networkConfiguration: { subnets: PRIVATE, securityGroups: [run.get(T.sg, "app-sg-dashboard").id], assignPublicIp: false },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            availabilityZoneRebalancing: "ENABLED",
            enableExecuteCommand: true,
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            loadBalancers: [{ targetGroupArn: arnOf(T.tg, "app-tg"), containerName: "dashboard", containerPort: 8224 }],
            healthCheckGracePeriodSeconds: 300,
            // A new licence key is a new secret version, which rolls the dashboard (its tasks read PI_LICENCE at start).
            forceNewDeployment: true,
            triggers: { licence: run.get(T.secretVersion, "app-licence").state.versionId },
            waitForSteadyState: true,
        });
        assert.match(rest.triggers.licence, /^[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}$/);
        assert.equal(svc.inputs.launchType, undefined, "capacity providers, never a launch type (ECS refuses both)");
        assert.deepEqual(serviceConnectConfiguration.services.map((s: { clientAlias: unknown }) => s.clientAlias), [[{ dnsName: "dashboard", port: 8224 }], [{ dnsName: "dashboard", port: 28748 }]]);
        assert.equal(serviceConnectConfiguration.namespace, arnOf(T.namespace, "app-ecs-namespace"));
        assert.deepEqual(svc.ignoreChanges, ["desiredCount"]);
        // Registered only once the listeners exist (a target group without a load balancer is refused), after the execution policy and capacity providers.
        for (const dep of ["app-http", "app-https", "app-execution", "app-ecs-capacity", "app-dashboard-task"]) {
            assert.ok(svc.dependencies.some((d) => d.endsWith(`::${dep}`)), dep);
        }
    });

    it("the other services: no load balancer, their own group, one task of the program's (scheduler, pirana) or autoscaling's (renderer)", () => {
        for (const [role, ignore] of [["scheduler", []], ["renderer", ["desiredCount"]], ["pirana", []]] as const) {
            const svc = run.get(T.service, `app-${role}-service`);
            assert.deepEqual([svc.inputs.forceNewDeployment, svc.inputs.triggers], [undefined, undefined], role);
            assert.equal(svc.inputs.loadBalancers, undefined, role);
            assert.equal(svc.inputs.healthCheckGracePeriodSeconds, undefined, role);
            assert.deepEqual(svc.inputs.networkConfiguration, { subnets: PRIVATE, securityGroups: [run.get(T.sg, `app-sg-${role}`).id], assignPublicIp: false }, role);
            assert.equal(svc.inputs.desiredCount, 1);
            assert.deepEqual(svc.ignoreChanges, ignore, role);
            assert.equal(svc.inputs.enableExecuteCommand, true);
            assert.ok(!svc.dependencies.some((d) => d.endsWith("::app-https")), `${role} does not wait for the listeners`);
        }
    });

    it("scales the dashboard and renderer on average CPU between their counts; not the others", () => {
        const ecsCluster = nameOf(T.cluster, "app-ecs-cluster");
        for (const role of ["dashboard", "renderer"]) {
            const resourceId = `service/${ecsCluster}/${nameOf(T.service, `app-${role}-service`)}`;
            const target = { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId };
            assert.deepEqual(run.get(T.scalingTarget, `app-${role}-scaling`).inputs, { ...target, minCapacity: 1, maxCapacity: 2 });
            assert.deepEqual(run.get(T.scalingPolicy, `app-${role}-cpu`).inputs, {
                ...target,
                policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, targetValue: 60, scaleOutCooldown: 60, scaleInCooldown: 300 },
            });
        }
        assert.deepEqual(run.byType(T.scalingTarget).map((t) => t.name).sort(), ["app-dashboard-scaling", "app-renderer-scaling"]);
    });

    it("outputs what the program and Monitoring read; the licence secret's ARN is no secret", async () => {
        assert.equal(await valueOf(cluster.url), "https://dashboard.acme.example.com");
        assert.equal(await valueOf(cluster.clusterName), nameOf(T.cluster, "app-ecs-cluster"));
        assert.equal(await valueOf(cluster.clusterArn), `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:cluster/${nameOf(T.cluster, "app-ecs-cluster")}`);
        assert.equal(await valueOf(cluster.execLogGroupName), nameOf(T.logGroup, "app-ecs-exec-logs"));
        assert.equal(await valueOf(cluster.licenceSecretArn), arnOf(T.secret, "app-licence"));
        assert.equal(await isSecretOutput(cluster.licenceSecretArn), false);
        assert.deepEqual(Object.keys(cluster.services), ["dashboard", "scheduler", "renderer", "pirana"]);
        const d = cluster.services.dashboard!;
        assert.deepEqual(
            await Promise.all([d.serviceName, d.securityGroupId, d.taskRoleArn, d.logGroupName].map(valueOf)),
            [nameOf(T.service, "app-dashboard-service"), run.get(T.sg, "app-sg-dashboard").id, arnOf(T.role, "app-dashboard-task"), nameOf(T.logGroup, "app-dashboard-logs")],
        );
    });
});

describe("FargateCluster options (mocks)", () => {
    it("Spot, Container Insights, the excel-reader, production counts; no licence secret without a key", async () => {
        const containers = containersConfig(
            { containerInsights: true, services: { renderer: { spot: true, minSize: 2, desiredSize: 3, maxSize: 6, cpuTargetPercent: 50 }, excelReader: { enabled: true }, pirana: { enabled: false } } },
            "production",
        );
        const { run } = await buildCluster({ containers, licenceKey: undefined, environment: "production", protect: true });
        assert.deepEqual(run.get(T.cluster, "app-ecs-cluster").inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        const renderer = run.get(T.service, "app-renderer-service");
        assert.deepEqual([renderer.inputs.capacityProviderStrategies, renderer.inputs.desiredCount], [[{ capacityProvider: "FARGATE_SPOT", weight: 1 }], 3]);
        assert.deepEqual([run.get(T.scalingTarget, "app-renderer-scaling").inputs.minCapacity, run.get(T.scalingTarget, "app-renderer-scaling").inputs.maxCapacity], [2, 6]);
        assert.equal(run.get(T.scalingPolicy, "app-renderer-cpu").inputs.targetTrackingScalingPolicyConfiguration.targetValue, 50);
        assert.deepEqual(run.get(T.service, "app-dashboard-service").inputs.desiredCount, 2);
        assert.deepEqual(run.byType(T.service).map((s) => s.name).sort(), ["app-dashboard-service", "app-excel-reader-service", "app-renderer-service", "app-scheduler-service"]);
        assert.equal(run.get(T.taskDefinition, "app-excel-reader-taskdef").inputs.family, "dashboard-acme-acme-dev-excel-reader");
        assert.deepEqual(run.byType(T.secret), []);
        assert.equal(run.get(T.service, "app-dashboard-service").inputs.triggers, undefined, "no licence, nothing to roll on");
        const dashboard = json(run.get(T.taskDefinition, "app-dashboard-taskdef").inputs.containerDefinitions)[0];
        assert.ok(!dashboard.secrets.some((s: { name: string }) => s.name === "PI_LICENCE"));
        assert.ok(!dashboard.environment.some((e: { name: string }) => e.name === "PI_VARIABLE_ANALYTICS_SERVER_URL"), "no pirana, no analytics URL");
    });

    it("refuses a namespace or family name AWS would refuse, before any child is registered", async () => {
        const run = await startMocks({ stack: "acme-dev" });
        assert.throws(() => new FargateCluster("bad", fargateArgs({ namespaceName: "a/b" })), /namespaceName "a\/b"/);
        assert.throws(() => new FargateCluster("bad2", fargateArgs({ familyPrefix: "a.b" })), /familyPrefix "a.b"/);
        await settle();
        assert.deepEqual(run.resources.filter((r) => r.custom), []);
    });
});
