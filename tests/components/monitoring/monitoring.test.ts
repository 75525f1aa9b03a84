import * as assert from "node:assert/strict";
import { emailSubscriptions } from "../../../components/monitoring/alarmThresholds";
import { dashboardWidgets } from "../../../components/monitoring/dashboardWidgets";
import { Monitoring, type MonitoringArgs } from "../../../components/monitoring";
import { ACCOUNT_ID, settle, startMocks, valueOf, type MockRun, type RecordedResource } from "../../mocks";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const KEY = "aws:kms/key:Key";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const RANDOM = "random:index/randomString:RandomString";
const ALARMS = "dashboard:monitoring:Alarms";
const DASHBOARD_COMPONENT = "dashboard:monitoring:Dashboard";

const LB = "app/dash-alb/0123456789abcdef";
const TG = "targetgroup/dash-tg/fedcba9876543210";
const ASG = "app-asg-1234567";
const DB = "database-db-1234567";
const FN = "sideload-fn-1234567";
const DLQ = "sideload-dlq-1234567";

const ARGS: MonitoringArgs = {
    emails: ["ops@example.com", "Oncall+dash@example.org"],
    loadBalancerArnSuffix: LB,
    targetGroupArnSuffix: TG,
    autoScalingGroupName: ASG,
    minSize: 2,
    dbInstanceIdentifier: DB,
    dbInstanceClass: "db.t4g.small",
    engine: "mariadb",
    dbStorageGb: 20,
    sideloadFunctionName: FN,
    sideloadDeadLetterQueueName: DLQ,
};

interface Built {
    run: MockRun;
    monitoring: Monitoring;
}

async function build(overrides: Partial<MonitoringArgs> = {}, stack = "acme-prod", region = "us-east-1"): Promise<Built> {
    const run = await startMocks({ stack, region });
    const monitoring = new Monitoring("monitoring", { ...ARGS, ...overrides });
    await settle();
    run.assertNoDuplicates();
    return { run, monitoring };
}

/** An alarm's inputs without its description (checked separately). */
function alarmInputs(run: MockRun, role: string): Record<string, unknown> {
    const rest = { ...run.get(ALARM, `monitoring-${role}`).inputs };
    delete rest.alarmDescription;
    return rest;
}

const lbMetric = (metricName: string) => ({ namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: LB }, period: 60, stat: "Sum" });

/** Every alarm of the default args, without actions. */
function expectedAlarms(): Record<string, Record<string, unknown>> {
    const simple = (namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string, period: number, evaluations: number, comparisonOperator: string, threshold: number, treatMissingData: string) => ({
        namespace, metricName, dimensions, statistic, period, evaluationPeriods: evaluations, datapointsToAlarm: evaluations, comparisonOperator, threshold, treatMissingData,
    });
    const db = { DBInstanceIdentifier: DB };
    return {
        "alb-5xx-rate": {
            comparisonOperator: "GreaterThanThreshold",
            threshold: 5,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            treatMissingData: "notBreaching",
            metricQueries: [
                { id: "requests", metric: lbMetric("RequestCount"), returnData: false },
                { id: "elb5xx", metric: lbMetric("HTTPCode_ELB_5XX_Count"), returnData: false },
                { id: "target5xx", metric: lbMetric("HTTPCode_Target_5XX_Count"), returnData: false },
                { id: "total", expression: "FILL(requests, 0) + FILL(elb5xx, 0)", label: "Requests incl. rejected", returnData: false },
                { id: "errors", expression: "FILL(elb5xx, 0) + FILL(target5xx, 0)", label: "5xx responses", returnData: false },
                { id: "rate", expression: "IF(total >= 10, 100 * errors / total, 0)", label: "5xx rate (%)", returnData: true },
            ],
        },
        "alb-unhealthy-hosts": simple("AWS/ApplicationELB", "UnHealthyHostCount", { TargetGroup: TG, LoadBalancer: LB }, "Maximum", 60, 3, "GreaterThanThreshold", 0, "notBreaching"),
        "alb-latency-p95": {
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: { LoadBalancer: LB },
            extendedStatistic: "p95",
            evaluateLowSampleCountPercentiles: "ignore",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 2,
            treatMissingData: "notBreaching",
        },
        "asg-in-service": simple("AWS/AutoScaling", "GroupInServiceInstances", { AutoScalingGroupName: ASG }, "Minimum", 60, 5, "LessThanThreshold", 2, "breaching"),
        "db-cpu": simple("AWS/RDS", "CPUUtilization", db, "Average", 300, 3, "GreaterThanThreshold", 80, "notBreaching"),
        "db-free-storage": simple("AWS/RDS", "FreeStorageSpace", db, "Minimum", 300, 2, "LessThanThreshold", 2_147_483_648, "notBreaching"),
        "db-freeable-memory": simple("AWS/RDS", "FreeableMemory", db, "Average", 300, 3, "LessThanThreshold", 214_748_364, "notBreaching"),
        "db-connections": simple("AWS/RDS", "DatabaseConnections", db, "Maximum", 300, 3, "GreaterThanThreshold", 116, "notBreaching"),
        "sideload-errors": simple("AWS/Lambda", "Errors", { FunctionName: FN }, "Sum", 300, 1, "GreaterThanThreshold", 0, "notBreaching"),
        "sideload-dlq": simple("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: DLQ }, "Maximum", 300, 1, "GreaterThanThreshold", 0, "notBreaching"),
    };
}

function topicOf(run: MockRun): RecordedResource {
    return run.get(TOPIC, "monitoring-alerts");
}

describe("Monitoring", () => {
    describe("with recipients", () => {
        let built: Built;
        before(async () => {
            built = await build();
        });

        it("creates key, topic, policy, a subscription per address, and the nested alarms (10) and dashboard, all its children", () => {
            const { run } = built;
            const component = run.get("dashboard:monitoring:Monitoring", "monitoring");
            const children = run.childrenOf(component).map((r) => r.type).sort();
            assert.deepEqual(children, [ALARMS, DASHBOARD_COMPONENT, KEY, TOPIC, SUBSCRIPTION, SUBSCRIPTION, TOPIC_POLICY].sort());
            const alarms = run.get(ALARMS, "monitoring-alarms");
            assert.deepEqual(run.childrenOf(alarms).map((r) => r.type), Array(10).fill(ALARM));
            const dashboard = run.get(DASHBOARD_COMPONENT, "monitoring-dashboard");
            assert.deepEqual(run.childrenOf(dashboard).map((r) => `${r.type}::${r.name}`).sort(), [
                `${DASHBOARD}::monitoring-dashboard`,
                `${RANDOM}::monitoring-dashboard-suffix`,
            ]);
        });

        it("gives every alarm its metric, statistic, threshold, period, missing-data rule and both actions", () => {
            const { run } = built;
            const topicArn = topicOf(run).state.arn;
            assert.match(topicArn, /^arn:aws:sns:us-east-1:123456789012:monitoring-alerts-[0-9a-f]{7}$/);
            const expected = expectedAlarms();
            assert.deepEqual(run.byType(ALARM).map((a) => a.name).sort(), Object.keys(expected).map((role) => `monitoring-${role}`).sort());
            for (const [role, inputs] of Object.entries(expected)) {
                assert.deepEqual(alarmInputs(run, role), { ...inputs, alarmActions: [topicArn], okActions: [topicArn] }, role);
            }
        });

        it("has descriptions that name the stack and say what to do", () => {
            const { run } = built;
            for (const alarm of run.byType(ALARM)) {
                const description: string = alarm.inputs.alarmDescription;
                assert.ok(description.startsWith("[dashboard/acme-prod] "), alarm.name);
                assert.ok(description.length <= 1024, `${alarm.name}: ${description.length} characters`);
            }
            const text = (role: string): string => run.get(ALARM, `monitoring-${role}`).inputs.alarmDescription;
            assert.match(text("db-connections"), /More than 116 database connections \(80 % of max_connections 145, the mariadb default for db\.t4g\.small\)/);
            assert.match(text("db-free-storage"), /Less than 2 GiB \(10 % of the 20 GiB the instance can grow to\)/);
            assert.match(text("db-freeable-memory"), /below 204\.8 MiB \(10 % of the 2 GiB of db\.t4g\.small\)/);
            assert.match(text("asg-in-service"), /Fewer than 2 app servers/);
            assert.match(text("sideload-dlq"), /redrive/);
        });

        it("makes every alarm wait for the topic policy, so its first notification can be published", () => {
            const { run } = built;
            const policyUrn = run.get(TOPIC_POLICY, "monitoring-alerts-policy").urn;
            for (const alarm of run.byType(ALARM)) assert.ok(alarm.dependencies.includes(policyUrn), alarm.name);
        });

        it("encrypts the topic with its own rotating key that CloudWatch may use for this account only", () => {
            const { run } = built;
            const key = run.get(KEY, "monitoring-alerts-key");
            const { policy, ...rest } = key.inputs;
            assert.deepEqual(rest, {
                description: "Encrypts the alarm notifications of dashboard/acme-prod",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            });
            assert.deepEqual(JSON.parse(policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AccountAdministersKey",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "CloudWatchAlarmsEncryptNotifications",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
                    },
                ],
            });
            assert.deepEqual(topicOf(run).inputs, { displayName: "dashboard/acme-prod alarms", kmsMasterKeyId: key.state.arn });
        });

        it("lets only this account's and region's alarms publish to the topic", () => {
            const { run } = built;
            const topicArn = topicOf(run).state.arn;
            const policy = run.get(TOPIC_POLICY, "monitoring-alerts-policy");
            assert.equal(policy.inputs.arn, topicArn);
            assert.deepEqual(JSON.parse(policy.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "CloudWatchAlarmsPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topicArn,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:*` },
                        },
                    },
                ],
            });
        });

        it("subscribes each address once, named by a hash of the address, never the address", () => {
            const { run } = built;
            const topicArn = topicOf(run).state.arn;
            const subscriptions = run.byType(SUBSCRIPTION);
            const expected = emailSubscriptions(ARGS.emails);
            assert.deepEqual(
                subscriptions.map((s) => [s.name, s.inputs]).sort(),
                expected.map((e) => [`monitoring-alert-${e.key}`, { topic: topicArn, protocol: "email", endpoint: e.email }]).sort(),
            );
            for (const s of subscriptions) {
                assert.doesNotMatch(s.urn, /@|example/);
            }
        });

        it("outputs the topic ARN, the dashboard name and every alarm's name", async () => {
            const { run, monitoring } = built;
            assert.equal(await valueOf(monitoring.topicArn), topicOf(run).state.arn);
            assert.equal(await valueOf(monitoring.dashboardName), run.get(DASHBOARD, "monitoring-dashboard").state.dashboardName);
            const names = await Promise.all(monitoring.alarmNames.map((n) => valueOf(n)));
            assert.deepEqual(names.sort(), run.byType(ALARM).map((a) => a.state.name).sort());
            assert.equal(names.length, 10);
        });

        it("renders the dashboard body from the resolved names, the region and the alarm thresholds", () => {
            const { run } = built;
            const dashboard = run.get(DASHBOARD, "monitoring-dashboard");
            assert.deepEqual(JSON.parse(dashboard.inputs.dashboardBody), {
                widgets: JSON.parse(JSON.stringify(dashboardWidgets({
                    region: "us-east-1",
                    loadBalancer: LB,
                    targetGroup: TG,
                    autoScalingGroupName: ASG,
                    minSize: 2,
                    dbInstanceIdentifier: DB,
                    sideloadFunctionName: FN,
                    sideloadDeadLetterQueueName: DLQ,
                    thresholds: { latencySeconds: 2, dbCpuPercent: 80, dbConnections: 116, freeStorageBytes: 2_147_483_648, freeableMemoryBytes: 214_748_364 },
                }))),
            });
        });

        it("names the dashboard after the stack and a random suffix", () => {
            const { run } = built;
            const suffix = run.get(RANDOM, "monitoring-dashboard-suffix");
            assert.deepEqual(suffix.inputs, { length: 8, special: false, upper: false });
            const name = run.get(DASHBOARD, "monitoring-dashboard").inputs.dashboardName;
            assert.equal(name, `dashboard-acme-prod-${suffix.state.result}`);
            assert.match(name, /^dashboard-acme-prod-[a-z0-9]{8}$/);
        });
    });

    it("gives two stacks different dashboard names", async () => {
        const first = await build({}, "acme-prod");
        const a = first.run.get(DASHBOARD, "monitoring-dashboard").inputs.dashboardName;
        const second = await build({}, "acme-staging");
        const b = second.run.get(DASHBOARD, "monitoring-dashboard").inputs.dashboardName;
        assert.notEqual(a, b);
        assert.match(b, /^dashboard-acme-staging-/);
    });

    it("puts the dashboard in the stack's region", async () => {
        const { run } = await build({}, "acme-prod", "eu-west-1");
        const widgets = JSON.parse(run.get(DASHBOARD, "monitoring-dashboard").inputs.dashboardBody).widgets as { properties: { region: string } }[];
        assert.deepEqual([...new Set(widgets.map((w) => w.properties.region))], ["eu-west-1"]);
    });

    describe("without recipients", () => {
        let built: Built;
        before(async () => {
            built = await build({ emails: [] });
        });

        it("creates no key, topic, policy or subscription", () => {
            const { run } = built;
            for (const type of [KEY, TOPIC, TOPIC_POLICY, SUBSCRIPTION]) assert.deepEqual(run.byType(type), [], type);
        });

        it("keeps the same alarms, without actions", () => {
            const { run } = built;
            const expected = expectedAlarms();
            assert.equal(run.byType(ALARM).length, 10);
            for (const [role, inputs] of Object.entries(expected)) {
                assert.deepEqual(alarmInputs(run, role), inputs, role);
            }
        });

        it("outputs no topic ARN", async () => {
            assert.equal(await valueOf(built.monitoring.topicArn), undefined);
        });
    });

    it("creates no in-service alarm when the minimum size is 0", async () => {
        const { run } = await build({ minSize: 0 });
        assert.equal(run.byType(ALARM).length, 9);
        assert.ok(!run.byType(ALARM).some((a) => a.name === "monitoring-asg-in-service"));
    });

    describe("database thresholds follow engine and class", () => {
        const table: [Partial<MonitoringArgs>, number, number, number][] = [
            // args, connections threshold, freeable memory bytes, free storage bytes
            [{ engine: "postgres", dbInstanceClass: "db.m7g.large", dbStorageGb: 100 }, 684, 858_993_459, 10_737_418_240],
            [{ engine: "mariadb", dbInstanceClass: "db.t4g.micro" }, 49, 107_374_182, 2_147_483_648],
            [{ engine: "postgres", dbInstanceClass: "db.t4g.medium" }, 330, 429_496_729, 2_147_483_648],
            [{ engine: "mysql", dbInstanceClass: "db.x2g.large", dbMaxConnections: 1000 }, 800, 268_435_456, 2_147_483_648],
        ];
        for (const [overrides, connections, memory, storage] of table) {
            it(`${overrides.engine} ${overrides.dbInstanceClass} ${overrides.dbStorageGb ?? 20} GiB`, async () => {
                const { run } = await build(overrides);
                assert.deepEqual(
                    ["db-connections", "db-freeable-memory", "db-free-storage"].map((role) => run.get(ALARM, `monitoring-${role}`).inputs.threshold),
                    [connections, memory, storage],
                );
            });
        }

        it("has no connections alarm for an unknown class without dbMaxConnections", async () => {
            const { run } = await build({ dbInstanceClass: "db.x2g.large" });
            assert.equal(run.byType(ALARM).length, 9);
            assert.ok(!run.byType(ALARM).some((a) => a.name === "monitoring-db-connections"));
            assert.equal(run.get(ALARM, "monitoring-db-freeable-memory").inputs.threshold, 268_435_456);
        });
    });

    it("alarms on the status checker and its dead-letter queue when given", async () => {
        const { run } = await build({ statusPage: { checkerFunctionName: "status-checker-1234567", checkerDeadLetterQueueName: "status-dlq-1234567" } });
        const topicArn = topicOf(run).state.arn;
        const actions = { alarmActions: [topicArn], okActions: [topicArn] };
        assert.equal(run.byType(ALARM).length, 12);
        assert.deepEqual(alarmInputs(run, "status-checker-errors"), {
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: "status-checker-1234567" },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
            ...actions,
        });
        assert.deepEqual(alarmInputs(run, "status-checker-dlq"), {
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: "status-dlq-1234567" },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
            ...actions,
        });
        const widgets = JSON.parse(run.get(DASHBOARD, "monitoring-dashboard").inputs.dashboardBody).widgets as { properties: { title: string } }[];
        assert.equal(widgets[widgets.length - 1].properties.title, "Status checker invocations / errors");
    });
});
