/**
 * Monitoring of the Fargate platform: per-service CPU and memory alarms, tasks below desired with
 * Container Insights, no Auto Scaling group alarm or widget, and ECS's own service and deployment
 * warnings forwarded to the encrypted alarm topic (rule, target, topic and key policies).
 */
import * as assert from "node:assert/strict";
import { ecsEventPattern } from "../../../components/monitoring/ecsAlarms";
import { dashboardWidgets } from "../../../components/monitoring/dashboardWidgets";
import { Monitoring, type MonitoringArgs } from "../../../components/monitoring";
import { ACCOUNT_ID, settle, startMocks, type MockRun } from "../../mocks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const CLUSTER = "app-cluster-1234567";
const CLUSTER_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:cluster/${CLUSTER}`;
const SERVICES = [
    { name: "dashboard", serviceName: "app-dashboard-1234567" },
    { name: "scheduler", serviceName: "app-scheduler-1234567" },
];

const ARGS: MonitoringArgs = {
    emails: ["ops@example.com"],
    loadBalancerArnSuffix: "app/dash-alb/0123456789abcdef",
    targetGroupArnSuffix: "targetgroup/dash-tg/fedcba9876543210",
    minSize: 2,
    dbInstanceIdentifier: "database-db-1234567",
    dbInstanceClass: "db.t4g.small",
    engine: "mariadb",
    dbStorageGb: 20,
    sideloadFunctionName: "sideload-fn-1234567",
    sideloadDeadLetterQueueName: "sideload-dlq-1234567",
    ecs: { clusterName: CLUSTER, clusterArn: CLUSTER_ARN, services: SERVICES, containerInsights: true },
};

async function build(overrides: Partial<MonitoringArgs> = {}): Promise<MockRun> {
    const run = await startMocks({ stack: "acme-prod", region: "us-east-1" });
    new Monitoring("monitoring", { ...ARGS, ...overrides });
    await settle();
    run.assertNoDuplicates();
    return run;
}

const roles = (run: MockRun) => run.byType(ALARM).map((a) => a.name.replace(/^monitoring-/, ""));

describe("Monitoring on the Fargate platform", () => {
    it("alarms on each service's CPU and memory and on missing tasks; none on an Auto Scaling group", async () => {
        const run = await build();
        const names = roles(run);
        for (const s of ["dashboard", "scheduler"]) {
            for (const what of ["cpu", "memory", "tasks"]) assert.ok(names.includes(`ecs-${s}-${what}`), `ecs-${s}-${what} in ${names.join(", ")}`);
        }
        assert.ok(!names.includes("asg-in-service"));
        assert.ok(names.includes("alb-unhealthy-hosts") && names.includes("alb-5xx-rate") && names.includes("db-cpu"));
        const cpu = { ...run.get(ALARM, "monitoring-ecs-dashboard-cpu").inputs };
        delete cpu.alarmDescription;
        delete cpu.alarmActions;
        delete cpu.okActions;
        assert.deepEqual(cpu, {
            namespace: "AWS/ECS",
            metricName: "CPUUtilization",
            dimensions: { ClusterName: CLUSTER, ServiceName: "app-dashboard-1234567" },
            statistic: "Average",
            period: 60,
            evaluationPeriods: 10,
            datapointsToAlarm: 10,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 85,
            treatMissingData: "notBreaching",
        });
        const tasks = run.get(ALARM, "monitoring-ecs-scheduler-tasks").inputs;
        const dims = { ClusterName: CLUSTER, ServiceName: "app-scheduler-1234567" };
        assert.deepEqual(tasks.metricQueries, [
            { id: "desired", metric: { namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", dimensions: dims, period: 60, stat: "Average" }, returnData: false },
            { id: "running", metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: dims, period: 60, stat: "Average" }, returnData: false },
            { id: "missing", expression: "desired - running", label: "Tasks missing", returnData: true },
        ]);
        assert.deepEqual([tasks.comparisonOperator, tasks.threshold, tasks.evaluationPeriods, tasks.treatMissingData], ["GreaterThanThreshold", 0, 5, "breaching"]);
        assert.match(String(run.get(ALARM, "monitoring-alb-unhealthy-hosts").inputs.alarmDescription), /dashboard task has failed the load balancer's health check \(\/pi\/version\)/);
    });

    it("has no task-count alarm without Container Insights, whose metrics it reads", async () => {
        const run = await build({ ecs: { ...ARGS.ecs!, containerInsights: false } });
        assert.deepEqual(roles(run).filter((r) => r.startsWith("ecs-")), ["ecs-dashboard-cpu", "ecs-dashboard-memory", "ecs-scheduler-cpu", "ecs-scheduler-memory"]);
    });

    it("forwards the cluster's ECS warnings and errors to the topic, which lets exactly that rule publish", async () => {
        const run = await build();
        const rule = run.get("aws:cloudwatch/eventRule:EventRule", "monitoring-ecs-events");
        assert.deepEqual(JSON.parse(String(rule.inputs.eventPattern)), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Service Action", "ECS Deployment State Change"],
            detail: { clusterArn: [CLUSTER_ARN], eventType: ["WARN", "ERROR"] },
        });
        assert.deepEqual(ecsEventPattern(CLUSTER_ARN), JSON.parse(String(rule.inputs.eventPattern)));
        const target = run.get("aws:cloudwatch/eventTarget:EventTarget", "monitoring-ecs-events");
        assert.equal(target.inputs.rule, rule.state.name);
        assert.equal(target.inputs.arn, run.get("aws:sns/topic:Topic", "monitoring-alerts").state.arn);
        assert.deepEqual(target.inputs.inputTransformer, {
            inputPaths: { type: "$.detail-type", event: "$.detail.eventName", services: "$.resources", reason: "$.detail.reason" },
            inputTemplate: '"[dashboard/acme-prod] <type>: <event> on <services>. <reason> Read the service\'s events and stopped tasks in the ECS console."',
        });
        const policy = JSON.parse(String(run.get("aws:sns/topicPolicy:TopicPolicy", "monitoring-alerts-policy").inputs.policy));
        const events = policy.Statement.find((s: { Sid: string }) => s.Sid === "EcsEventsPublish");
        assert.deepEqual(events.Condition, { ArnEquals: { "aws:SourceArn": rule.state.arn } });
        assert.deepEqual(events.Principal, { Service: "events.amazonaws.com" });
        const key = JSON.parse(String(run.get("aws:kms/key:Key", "monitoring-alerts-key").inputs.policy));
        assert.deepEqual(key.Statement.map((s: { Sid: string }) => s.Sid), ["AccountAdministersKey", "CloudWatchAlarmsEncryptNotifications", "EventBridgeEncryptNotifications"]);
    });

    it("an EC2 stack's topic and key policies name no EventBridge statement", async () => {
        const run = await build({ ecs: undefined, autoScalingGroupName: "app-asg-1234567" });
        assert.equal(run.byType("aws:cloudwatch/eventRule:EventRule").length, 0);
        const key = JSON.parse(String(run.get("aws:kms/key:Key", "monitoring-alerts-key").inputs.policy));
        assert.equal(key.Statement.length, 2);
        assert.ok(roles(run).includes("asg-in-service"));
    });

    it("draws each service's CPU and memory instead of the instances", async () => {
        const widgets = dashboardWidgets({
            region: "us-east-1",
            loadBalancer: "app/dash-alb/0123456789abcdef",
            targetGroup: "targetgroup/dash-tg/fedcba9876543210",
            minSize: 2,
            ecs: { clusterName: CLUSTER, services: SERVICES },
            dbInstanceIdentifier: "database-db-1234567",
            sideloadFunctionName: "sideload-fn-1234567",
            sideloadDeadLetterQueueName: "sideload-dlq-1234567",
            thresholds: { latencySeconds: 2, dbCpuPercent: 80, freeStorageBytes: 1, freeableMemoryBytes: 1 },
        });
        const titles = widgets.map((w) => w.properties.title);
        assert.ok(!titles.includes("In-service instances") && !titles.includes("App CPU (%)"));
        const cpu = widgets.find((w) => w.properties.title === "Service CPU (% of reservation)")!;
        assert.deepEqual(cpu.properties.metrics, SERVICES.map((s) => ["AWS/ECS", "CPUUtilization", "ClusterName", CLUSTER, "ServiceName", s.serviceName, { label: s.name }]));
        assert.ok(titles.includes("Service memory (% of reservation)"));
    });
});
