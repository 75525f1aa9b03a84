/**
 * A synthetic Fargate stack in the shape the Fargate platform registers (cluster, task definitions with
 * their container definitions as a JSON string, services, EFS access points, log groups), for the ECS
 * rules' passing and failing cases: through the plan's adapter (tests/policy/containers.test.ts) and the
 * pack under the SDK's runner (tests/policy/server.pack.ts). `fargateStack()` passes every ECS rule;
 * each case changes one thing.
 */
import type { PlannedResource } from "../../plan/compliance";
import type { RecordedResource } from "../mocks";

/** The ids of the ECS rules, in the pack's order. */
export const ECS_RULES: readonly string[] = ["CKV_AWS_97 / ECS.18", "CKV_AWS_334 / ECS.4", "ECS.9", "CKV_AWS_333 / ECS.2", "ECS.8", "CKV_AWS_249", "CKV_AWS_336 / ECS.5", "CKV_AWS_65 / ECS.12"];

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
export const TYPES = {
    cluster: "aws:ecs/cluster:Cluster",
    task: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    accessPoint: "aws:efs/accessPoint:AccessPoint",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

/** A resource whose outputs are its inputs plus `state`, with the URN a stack `stack` gives it. */
export function res(type: string, name: string, inputs: Record<string, any>, state: Record<string, any> = {}, stack = "test"): PlannedResource {
    return { type, name, inputs, state: { ...inputs, ...state }, custom: true, urn: `urn:pulumi:${stack}::dashboard::${type}::${name}` };
}

const logGroupName = (service: string) => `app-${service}-logs-0a1b2c3`;
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

/** A container definition as the Fargate platform writes it; `overrides` replace or add keys. */
export function container(service: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: service,
        image: `ghcr.io/pi-cr/${service === "dashboard" ? "server" : service}:2025_10.1`,
        essential: true,
        portMappings: [{ containerPort: service === "dashboard" ? 8224 : 9917, protocol: "tcp" }],
        environment: [
            { name: "PI_DB_HOST", value: "dashboard-x1y2.c0mock0abcd.us-east-1.rds.amazonaws.com" },
            { name: "PI_DB_PORT", value: "3306" },
            { name: "PI_EXTERNAL_DB", value: "true" },
            { name: "PI_TOMCAT_MAX_MEMORY", value: "1024" },
            { name: "PI_PROXY_IS_SECURE", value: "true" },
            { name: "RENDERER_DASHBOARD_URL", value: "http://dashboard:28748" },
        ],
        secrets: [
            { name: "PI_DB_USERNAME", valueFrom: `${secretArn("rds!db-1")}:username::` },
            { name: "PI_DB_PASSWORD", valueFrom: `${secretArn("rds!db-1")}:password::` },
            { name: "PI_LICENCE", valueFrom: secretArn("app-licence") },
        ],
        mountPoints: [{ sourceVolume: "keys", containerPath: "/var/panintelligence/Dashboard/keys", readOnly: false }],
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroupName(service), "awslogs-region": REGION, "awslogs-stream-prefix": service } },
        privileged: false,
        readonlyRootFilesystem: true,
        healthCheck: { command: ["CMD-SHELL", "curl -fs http://127.0.0.1:8224/pi/version || exit 1"], interval: 30, retries: 3 },
        linuxParameters: { initProcessEnabled: true },
        ...overrides,
    };
}

/** An EFS volume through an access point, with TLS and IAM authorization. */
export function efsVolume(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, efsVolumeConfiguration: { fileSystemId: "fs-0123", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: `fsap-${name}`, iam: "ENABLED" }, ...overrides } };
}

/** A Fargate task definition of one service. */
export function taskDefinition(service: string, containers = [container(service)], extra: Record<string, unknown> = {}): PlannedResource {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app-${service}-0a1b2c3:1`;
    return res(
        TYPES.task,
        `app-${service}-task`,
        {
            family: `app-${service}-0a1b2c3`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "1024",
            memory: "2048",
            executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-execution-0a1b2c3`,
            taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-${service}-task-0a1b2c3`,
            containerDefinitions: JSON.stringify(containers),
            volumes: [efsVolume("keys")],
            ...extra,
        },
        { arn, id: arn },
    );
}

/** An ECS service of one task definition in two private subnets; the dashboard's is behind the load balancer. */
export function service(name: string, extra: Record<string, unknown> = {}): PlannedResource {
    const loadBalancers = name === "dashboard" ? [{ targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/app-tg/0a1b`, containerName: "dashboard", containerPort: 8224 }] : [];
    return res(TYPES.service, `app-${name}`, {
        cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app-cluster-0a1b2c3`,
        taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app-${name}-0a1b2c3:1`,
        desiredCount: name === "dashboard" ? 2 : 1,
        networkConfiguration: { subnets: ["subnet-private-a", "subnet-private-b"], securityGroups: [`sg-${name}`], assignPublicIp: false },
        capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
        enableExecuteCommand: true,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        loadBalancers,
        ...extra,
    });
}

/** The cluster, with Container Insights and ECS Exec sessions logged to a log group. */
export function cluster(insights = "enabled"): PlannedResource {
    return res(TYPES.cluster, "app-cluster", {
        settings: [{ name: "containerInsights", value: insights }],
        configuration: { executeCommandConfiguration: { logging: "OVERRIDE", logConfiguration: { cloudWatchLogGroupName: "app-exec-logs-0a1b2c3", cloudWatchEncryptionEnabled: true } } },
    });
}

/** A Fargate stack that passes every ECS rule: dashboard and scheduler, `replace` swapping resources by name. */
export function fargateStack(replace: readonly PlannedResource[] = []): PlannedResource[] {
    const all = [
        cluster(),
        ...["dashboard", "scheduler", "exec"].map((s) => res(TYPES.logGroup, `app-${s}-logs`, { retentionInDays: 30 }, { name: logGroupName(s) })),
        res(TYPES.accessPoint, "app-keys-ap", { fileSystemId: "fs-0123", posixUser: { uid: 1000, gid: 1000 }, rootDirectory: { path: "/keys" } }, { id: "fsap-keys" }),
        taskDefinition("dashboard"),
        taskDefinition("scheduler"),
        service("dashboard"),
        service("scheduler"),
    ];
    return all.map((r) => replace.find((x) => x.type === r.type && x.name === r.name) ?? r);
}

/** A synthetic resource as the mocks record one, for the pack under the SDK's runner. */
export function recorded(r: PlannedResource): RecordedResource {
    const urn = r.urn ?? `urn:pulumi:test::dashboard::${r.type}::${r.name}`;
    return {
        type: r.type, name: r.name, urn, parent: "", custom: true, inputs: r.inputs, state: r.state, id: String(r.state.id ?? r.name), protect: false, ignoreChanges: [], dependencies: [],
        propertyDependencies: r.propertyDependencies ?? {}, retainOnDelete: false, deleteBeforeReplace: false, replaceOnChanges: [], provider: "",
    };
}

/** The Fargate stack with one failure for each ECS rule and for the zones rule. */
export function brokenFargateStack(): PlannedResource[] {
    const dashboard = container("dashboard", {
        privileged: true,
        readonlyRootFilesystem: false,
        logConfiguration: undefined,
        environment: [{ name: "PI_DB_PASSWORD", value: "hunter2" }],
    });
    const shared = `arn:aws:iam::${ACCOUNT}:role/app-shared-0a1b2c3`;
    return fargateStack([
        cluster("disabled"),
        taskDefinition("dashboard", [dashboard], { volumes: [efsVolume("keys", { transitEncryption: "DISABLED" })], executionRoleArn: shared, taskRoleArn: shared }),
        service("dashboard", { desiredCount: 1, networkConfiguration: { subnets: ["subnet-public-a", "subnet-public-b"], securityGroups: ["sg-1"], assignPublicIp: true } }),
    ]);
}
