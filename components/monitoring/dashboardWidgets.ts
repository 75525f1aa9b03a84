/**
 * The stack's CloudWatch dashboard, rendered from resolved names: pure functions, no Pulumi
 * resources. Widgets are listed by tier, then laid out two per row in that order.
 */
/** Resolved names the dashboard refers to. */
export interface DashboardInput {
    readonly region: string;
    /** `app/<name>/<id>` */
    readonly loadBalancer: string;
    /** `targetgroup/<name>/<id>` */
    readonly targetGroup: string;
    /** The EC2 platform's group; undefined on Fargate (no instance widgets). */
    readonly autoScalingGroupName?: string;
    /** The group's minimum size, drawn as a line on the instances graph. */
    readonly minSize: number;
    /** The Fargate platform's cluster and service names (role → ECS service name), undefined on EC2. */
    readonly ecs?: { readonly clusterName: string; readonly services: readonly { readonly name: string; readonly serviceName: string }[] };
    readonly dbInstanceIdentifier: string;
    readonly sideloadFunctionName: string;
    readonly sideloadDeadLetterQueueName: string;
    /** The status-page checker, when the status page is enabled. */
    readonly statusCheckerFunctionName?: string;
    /** Alarm thresholds, drawn as horizontal lines. */
    readonly thresholds: {
        readonly latencySeconds: number;
        readonly dbCpuPercent: number;
        /** Absent when the class is unknown and no max_connections was given. */
        readonly dbConnections?: number;
        readonly freeStorageBytes: number;
        readonly freeableMemoryBytes: number;
    };
}

/** A metric line: namespace, metric name, dimension name/value pairs, then rendering options. */
export type DashboardMetric = (string | { readonly stat?: string; readonly label?: string })[];

export interface DashboardWidget {
    readonly type: "metric";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: {
        readonly title: string;
        readonly region: string;
        readonly view: "timeSeries";
        readonly stacked: false;
        readonly period: number;
        readonly stat: string;
        readonly metrics: DashboardMetric[];
        readonly annotations?: { readonly horizontal: { readonly label: string; readonly value: number }[] };
        readonly yAxis?: { readonly left: { readonly min: number } };
    };
}

export const WIDGET_WIDTH = 12;
export const WIDGET_HEIGHT = 6;

interface WidgetSpec {
    readonly title: string;
    readonly stat: string;
    readonly period?: number;
    readonly metrics: DashboardMetric[];
    readonly lines?: { readonly label: string; readonly value: number }[];
}

/** Load balancer and server group widgets: requests, errors, latency, hosts, instances, app CPU. */
function frontWidgets(input: DashboardInput): WidgetSpec[] {
    const alb = "AWS/ApplicationELB";
    const lb = ["LoadBalancer", input.loadBalancer];
    const tg = ["TargetGroup", input.targetGroup, "LoadBalancer", input.loadBalancer];
    const t = input.thresholds;
    return [...loadBalancerWidgets(alb, lb, tg, t), ...computeWidgets(input)];
}

/** Requests, errors, latency and hosts, at the load balancer. */
function loadBalancerWidgets(alb: string, lb: string[], tg: string[], t: DashboardInput["thresholds"]): WidgetSpec[] {
    return [
        { title: "Requests", stat: "Sum", metrics: [[alb, "RequestCount", ...lb, { label: "Requests" }]] },
        {
            title: "4xx / 5xx responses",
            stat: "Sum",
            metrics: [
                [alb, "HTTPCode_Target_4XX_Count", ...lb, { label: "App 4xx" }],
                [alb, "HTTPCode_Target_5XX_Count", ...lb, { label: "App 5xx" }],
                [alb, "HTTPCode_ELB_4XX_Count", ...lb, { label: "Load balancer 4xx" }],
                [alb, "HTTPCode_ELB_5XX_Count", ...lb, { label: "Load balancer 5xx" }],
            ],
        },
        {
            title: "Response time (s)",
            stat: "p95",
            metrics: ["p50", "p95", "p99"].map((p) => [alb, "TargetResponseTime", ...lb, { stat: p, label: p }]),
            lines: [{ label: "p95 alarm", value: t.latencySeconds }],
        },
        {
            title: "Healthy / unhealthy hosts",
            stat: "Maximum",
            metrics: [
                [alb, "HealthyHostCount", ...tg, { stat: "Minimum", label: "Healthy (min)" }],
                [alb, "UnHealthyHostCount", ...tg, { stat: "Maximum", label: "Unhealthy (max)" }],
            ],
        },
    ];
}

/** The app's compute: the Auto Scaling group's instances and CPU (EC2), or each ECS service's CPU and memory (Fargate). */
function computeWidgets(input: DashboardInput): WidgetSpec[] {
    if (input.ecs !== undefined) {
        const { clusterName, services } = input.ecs;
        const per = (metricName: string) => services.map((s) => ["AWS/ECS", metricName, "ClusterName", clusterName, "ServiceName", s.serviceName, { label: s.name }]);
        return [
            { title: "Service CPU (% of reservation)", stat: "Average", metrics: per("CPUUtilization") },
            { title: "Service memory (% of reservation)", stat: "Average", metrics: per("MemoryUtilization") },
        ];
    }
    if (input.autoScalingGroupName === undefined) return [];
    const asg = ["AutoScalingGroupName", input.autoScalingGroupName];
    return [
        {
            title: "In-service instances",
            stat: "Minimum",
            metrics: [
                ["AWS/AutoScaling", "GroupInServiceInstances", ...asg, { label: "In service" }],
                ["AWS/AutoScaling", "GroupDesiredCapacity", ...asg, { stat: "Maximum", label: "Desired" }],
            ],
            lines: [{ label: "Minimum size", value: input.minSize }],
        },
        {
            title: "App CPU (%)",
            stat: "Average",
            metrics: [
                ["AWS/EC2", "CPUUtilization", ...asg, { label: "Average" }],
                ["AWS/EC2", "CPUUtilization", ...asg, { stat: "Maximum", label: "Maximum" }],
            ],
        },
    ];
}

/** Database widgets: CPU, connections, free storage, freeable memory, with their alarm lines. */
function databaseWidgets(input: DashboardInput): WidgetSpec[] {
    const db = ["DBInstanceIdentifier", input.dbInstanceIdentifier];
    const t = input.thresholds;
    const rds = (title: string, stat: string, metricName: string, label: string, alarm: number | undefined): WidgetSpec => ({
        title,
        stat,
        period: 300,
        metrics: [["AWS/RDS", metricName, ...db, { label }]],
        lines: alarm === undefined ? undefined : [{ label: "Alarm", value: alarm }],
    });
    return [
        rds("Database CPU (%)", "Average", "CPUUtilization", "CPU", t.dbCpuPercent),
        rds("Database connections", "Maximum", "DatabaseConnections", "Connections", t.dbConnections),
        rds("Database free storage (bytes)", "Minimum", "FreeStorageSpace", "Free storage", t.freeStorageBytes),
        rds("Database freeable memory (bytes)", "Average", "FreeableMemory", "Freeable memory", t.freeableMemoryBytes),
    ];
}

/** Function widgets: sideload invocations / errors / duration, its dead-letter queue, and the status checker when there is one. */
function functionWidgets(input: DashboardInput): WidgetSpec[] {
    const fn = ["FunctionName", input.sideloadFunctionName];
    const specs: WidgetSpec[] = [
        {
            title: "Sideload invocations / errors",
            stat: "Sum",
            metrics: [
                ["AWS/Lambda", "Invocations", ...fn, { label: "Invocations" }],
                ["AWS/Lambda", "Errors", ...fn, { label: "Errors" }],
                ["AWS/Lambda", "Throttles", ...fn, { label: "Throttles" }],
            ],
        },
        {
            title: "Sideload duration (ms)",
            stat: "p99",
            metrics: [
                ["AWS/Lambda", "Duration", ...fn, { stat: "p50", label: "p50" }],
                ["AWS/Lambda", "Duration", ...fn, { stat: "p99", label: "p99" }],
                ["AWS/Lambda", "Duration", ...fn, { stat: "Maximum", label: "Maximum" }],
            ],
        },
        {
            title: "Sideload dead-letter queue",
            stat: "Maximum",
            period: 300,
            metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", input.sideloadDeadLetterQueueName, { label: "Messages" }]],
        },
    ];
    if (input.statusCheckerFunctionName !== undefined) {
        const checker = ["FunctionName", input.statusCheckerFunctionName];
        specs.push({
            title: "Status checker invocations / errors",
            stat: "Sum",
            metrics: [
                ["AWS/Lambda", "Invocations", ...checker, { label: "Invocations" }],
                ["AWS/Lambda", "Errors", ...checker, { label: "Errors" }],
            ],
        });
    }
    return specs;
}

/**
 * The widgets of the stack's dashboard, two per row: requests, errors, latency, hosts,
 * instances, app CPU, database CPU / connections / free storage / freeable memory,
 * sideload invocations / errors / duration, dead-letter queue depth (and the status
 * checker when there is one). Alarm thresholds are drawn as horizontal lines.
 */
export function dashboardWidgets(input: DashboardInput): DashboardWidget[] {
    const specs = [...frontWidgets(input), ...databaseWidgets(input), ...functionWidgets(input)];
    return specs.map((spec, i) => ({
        type: "metric",
        x: (i % 2) * WIDGET_WIDTH,
        y: Math.floor(i / 2) * WIDGET_HEIGHT,
        width: WIDGET_WIDTH,
        height: WIDGET_HEIGHT,
        properties: {
            title: spec.title,
            region: input.region,
            view: "timeSeries",
            stacked: false,
            period: spec.period ?? 60,
            stat: spec.stat,
            metrics: spec.metrics,
            ...(spec.lines === undefined ? {} : { annotations: { horizontal: spec.lines } }),
            yAxis: { left: { min: 0 } },
        },
    }));
}


/** The dashboard body JSON (`{"widgets": [...]}`). */
export function dashboardBody(input: DashboardInput): string {
    return JSON.stringify({ widgets: dashboardWidgets(input) });
}
