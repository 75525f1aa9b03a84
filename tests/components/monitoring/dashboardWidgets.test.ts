import * as assert from "node:assert/strict";
import { dashboardBody, dashboardWidgets, type DashboardInput } from "../../../components/monitoring/dashboardWidgets";

describe("dashboardWidgets", () => {
    const input: DashboardInput = {
        region: "eu-west-1",
        loadBalancer: "app/dash/0123",
        targetGroup: "targetgroup/dash/4567",
        autoScalingGroupName: "asg-1",
        minSize: 2,
        dbInstanceIdentifier: "db-1",
        sideloadFunctionName: "fn-1",
        sideloadDeadLetterQueueName: "dlq-1",
        thresholds: { latencySeconds: 2, dbCpuPercent: 80, dbConnections: 116, freeStorageBytes: 2_147_483_648, freeableMemoryBytes: 214_748_364 },
    };
    const lb = ["LoadBalancer", "app/dash/0123"];
    const tg = ["TargetGroup", "targetgroup/dash/4567", "LoadBalancer", "app/dash/0123"];
    const asg = ["AutoScalingGroupName", "asg-1"];
    const db = ["DBInstanceIdentifier", "db-1"];
    const fn = ["FunctionName", "fn-1"];
    const alb = "AWS/ApplicationELB";
    // title, stat, period, metrics, horizontal annotations
    const expected: [string, string, number, unknown[], unknown][] = [
        ["Requests", "Sum", 60, [[alb, "RequestCount", ...lb, { label: "Requests" }]], undefined],
        ["4xx / 5xx responses", "Sum", 60, [
            [alb, "HTTPCode_Target_4XX_Count", ...lb, { label: "App 4xx" }],
            [alb, "HTTPCode_Target_5XX_Count", ...lb, { label: "App 5xx" }],
            [alb, "HTTPCode_ELB_4XX_Count", ...lb, { label: "Load balancer 4xx" }],
            [alb, "HTTPCode_ELB_5XX_Count", ...lb, { label: "Load balancer 5xx" }],
        ], undefined],
        ["Response time (s)", "p95", 60, [
            [alb, "TargetResponseTime", ...lb, { stat: "p50", label: "p50" }],
            [alb, "TargetResponseTime", ...lb, { stat: "p95", label: "p95" }],
            [alb, "TargetResponseTime", ...lb, { stat: "p99", label: "p99" }],
        ], [{ label: "p95 alarm", value: 2 }]],
        ["Healthy / unhealthy hosts", "Maximum", 60, [
            [alb, "HealthyHostCount", ...tg, { stat: "Minimum", label: "Healthy (min)" }],
            [alb, "UnHealthyHostCount", ...tg, { stat: "Maximum", label: "Unhealthy (max)" }],
        ], undefined],
        ["In-service instances", "Minimum", 60, [
            ["AWS/AutoScaling", "GroupInServiceInstances", ...asg, { label: "In service" }],
            ["AWS/AutoScaling", "GroupDesiredCapacity", ...asg, { stat: "Maximum", label: "Desired" }],
        ], [{ label: "Minimum size", value: 2 }]],
        ["App CPU (%)", "Average", 60, [
            ["AWS/EC2", "CPUUtilization", ...asg, { label: "Average" }],
            ["AWS/EC2", "CPUUtilization", ...asg, { stat: "Maximum", label: "Maximum" }],
        ], undefined],
        ["Database CPU (%)", "Average", 300, [["AWS/RDS", "CPUUtilization", ...db, { label: "CPU" }]], [{ label: "Alarm", value: 80 }]],
        ["Database connections", "Maximum", 300, [["AWS/RDS", "DatabaseConnections", ...db, { label: "Connections" }]], [{ label: "Alarm", value: 116 }]],
        ["Database free storage (bytes)", "Minimum", 300, [["AWS/RDS", "FreeStorageSpace", ...db, { label: "Free storage" }]], [{ label: "Alarm", value: 2_147_483_648 }]],
        ["Database freeable memory (bytes)", "Average", 300, [["AWS/RDS", "FreeableMemory", ...db, { label: "Freeable memory" }]], [{ label: "Alarm", value: 214_748_364 }]],
        ["Sideload invocations / errors", "Sum", 60, [
            ["AWS/Lambda", "Invocations", ...fn, { label: "Invocations" }],
            ["AWS/Lambda", "Errors", ...fn, { label: "Errors" }],
            ["AWS/Lambda", "Throttles", ...fn, { label: "Throttles" }],
        ], undefined],
        ["Sideload duration (ms)", "p99", 60, [
            ["AWS/Lambda", "Duration", ...fn, { stat: "p50", label: "p50" }],
            ["AWS/Lambda", "Duration", ...fn, { stat: "p99", label: "p99" }],
            ["AWS/Lambda", "Duration", ...fn, { stat: "Maximum", label: "Maximum" }],
        ], undefined],
        ["Sideload dead-letter queue", "Maximum", 300, [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "dlq-1", { label: "Messages" }]], undefined],
    ];

    it("has every widget with its metrics, statistic, period and threshold lines, in order", () => {
        const widgets = dashboardWidgets(input);
        assert.deepEqual(
            widgets.map((w) => [w.properties.title, w.properties.stat, w.properties.period, w.properties.metrics, w.properties.annotations?.horizontal]),
            expected,
        );
    });

    it("lays widgets out two per row, all in the stack's region", () => {
        const widgets = dashboardWidgets(input);
        assert.deepEqual(widgets.map((w) => [w.x, w.y, w.width, w.height]), expected.map((_, i) => [(i % 2) * 12, Math.floor(i / 2) * 6, 12, 6]));
        for (const w of widgets) {
            assert.equal(w.type, "metric");
            assert.equal(w.properties.region, "eu-west-1");
            assert.equal(w.properties.view, "timeSeries");
            assert.deepEqual(w.properties.yAxis, { left: { min: 0 } });
        }
    });

    it("draws no connections line when the limit is unknown", () => {
        const widgets = dashboardWidgets({ ...input, thresholds: { ...input.thresholds, dbConnections: undefined } });
        assert.equal(widgets.find((w) => w.properties.title === "Database connections")?.properties.annotations, undefined);
    });

    it("adds the status checker's widget when there is one", () => {
        const widgets = dashboardWidgets({ ...input, statusCheckerFunctionName: "checker-1" });
        assert.equal(widgets.length, expected.length + 1);
        const last = widgets[widgets.length - 1];
        assert.deepEqual([last.x, last.y], [12, 36]);
        assert.deepEqual([last.properties.title, last.properties.metrics], [
            "Status checker invocations / errors",
            [
                ["AWS/Lambda", "Invocations", "FunctionName", "checker-1", { label: "Invocations" }],
                ["AWS/Lambda", "Errors", "FunctionName", "checker-1", { label: "Errors" }],
            ],
        ]);
    });

    it("renders the body as JSON of the widgets", () => {
        assert.deepEqual(JSON.parse(dashboardBody(input)), { widgets: JSON.parse(JSON.stringify(dashboardWidgets(input))) });
    });
});
