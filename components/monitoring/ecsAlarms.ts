/** The Fargate platform's alarms, as data (see `alarmSettings.ts`): per service CPU, memory and running tasks. */
import type { AlarmInputs, AlarmSpec } from "./alarmSettings";
import type { MonitoringArgs } from "./args";

/** CPU and memory share of a service's reservation above which its alarm fires, for 10 minutes. */
export const ECS_UTILIZATION_PERCENT = 85;

/**
 * Per service: average CPU and memory above {@link ECS_UTILIZATION_PERCENT} % of what its tasks
 * reserve for 10 minutes (AWS/ECS, published every minute while tasks run: a gap means no task,
 * which the task-count alarm and the load balancer's unhealthy-host alarm report); with Container
 * Insights, running tasks below the desired count for 5 minutes (a deployment starts new tasks
 * before it stops old ones, so it never dips below; a failing task or a zone's capacity does).
 */
export function ecsAlarms(args: Pick<MonitoringArgs, "ecs">): AlarmSpec[] {
    const ecs = args.ecs;
    if (ecs === undefined) return [];
    return ecs.services.flatMap((s) => {
        const dimensions = { ClusterName: ecs.clusterName, ServiceName: s.serviceName };
        const utilization = (what: "CPU" | "Memory", advice: string): AlarmSpec => ({
            role: `ecs-${s.name}-${what.toLowerCase()}`,
            inputs: {
                alarmDescription: `The ${s.name} service's average ${what.toLowerCase()} has been above ${ECS_UTILIZATION_PERCENT} % of its tasks' reservation for 10 minutes. ${advice}`,
                namespace: "AWS/ECS",
                metricName: `${what}Utilization`,
                dimensions,
                statistic: "Average",
                period: 60,
                evaluationPeriods: 10,
                datapointsToAlarm: 10,
                comparisonOperator: "GreaterThanThreshold",
                threshold: ECS_UTILIZATION_PERCENT,
                treatMissingData: "notBreaching",
            } satisfies AlarmInputs,
        });
        const specs = [
            utilization("CPU", `Scaling adds tasks up to maxSize where it is configured; raise app.containers.services.${s.name}.cpu (or maxSize) if it stays there.`),
            utilization("Memory", `Tasks that reach their memory are stopped (OutOfMemory): raise app.containers.services.${s.name}.memory, and for the dashboard tomcatMaxMemoryMb with it.`),
        ];
        if (!ecs.containerInsights) return specs;
        const insight = (id: string, metricName: string) => ({
            id,
            metric: { namespace: "ECS/ContainerInsights", metricName, dimensions, period: 60, stat: "Average" },
            returnData: false,
        });
        specs.push({
            role: `ecs-${s.name}-tasks`,
            inputs: {
                alarmDescription:
                    `Fewer ${s.name} tasks running than desired for 5 minutes. Read the service's events and stopped tasks ` +
                    "(image pull: registry credentials or NAT; secrets: the execution role; health checks; Fargate Spot interruptions; a zone's capacity).",
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: 5,
                datapointsToAlarm: 5,
                treatMissingData: "breaching",
                metricQueries: [
                    insight("desired", "DesiredTaskCount"),
                    insight("running", "RunningTaskCount"),
                    { id: "missing", expression: "desired - running", label: "Tasks missing", returnData: true },
                ],
            },
        });
        return specs;
    });
}

/**
 * ECS's own service and deployment events of one cluster that need a person: WARN and ERROR
 * (a task that cannot start or stay healthy, a placement failure, a failed and rolled-back
 * deployment). Published without Container Insights, so they also cover a stack that has it off.
 */
export function ecsEventPattern(clusterArn: string): Record<string, unknown> {
    return {
        source: ["aws.ecs"],
        "detail-type": ["ECS Service Action", "ECS Deployment State Change"],
        detail: { clusterArn: [clusterArn], eventType: ["WARN", "ERROR"] },
    };
}

/** The e-mail text of a forwarded ECS event: what happened, to which service, and why. */
export function ECS_EVENT_MESSAGE(label: string): { inputPaths: Record<string, string>; inputTemplate: string } {
    return {
        inputPaths: { type: "$.detail-type", event: "$.detail.eventName", services: "$.resources", reason: "$.detail.reason" },
        inputTemplate: `"[${label.replace(/["\\<>]/g, "")}] <type>: <event> on <services>. <reason> Read the service's events and stopped tasks in the ECS console."`,
    };
}
