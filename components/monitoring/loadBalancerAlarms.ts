/** The load balancer's and the server group's alarms, as data (see `alarmSettings.ts`). */
import { ALARM_SETTINGS, type AlarmInputs, type AlarmSpec } from "./alarmSettings";
import type { MonitoringArgs } from "./args";

/** The share of requests answered with a 5xx, at the load balancer. */
export function requestAlarms(args: Pick<MonitoringArgs, "loadBalancerArnSuffix">): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const alarm = (role: string, inputs: AlarmInputs) => specs.push({ role, inputs });
    const lb = { LoadBalancer: args.loadBalancerArnSuffix };
    const lbMetric = (metricName: string) => ({
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions: lb,
        period: 60,
        stat: "Sum",
    });

    // 1. Share of requests answered with a 5xx. RequestCount omits requests the load balancer
    //    rejected before choosing a target (e.g. 503 with no healthy target), so the denominator
    //    adds the load balancer's own 5xx. The 5xx counts are published only when non-zero: FILL.
    alarm("alb-5xx-rate", {
        alarmDescription:
            `More than ${ALARM_SETTINGS.errorRatePercent} % of requests got a 5xx for 5 minutes in a row ` +
            `(only counted with at least ${ALARM_SETTINGS.minRequestsPerMinute} requests a minute). ` +
            "Load-balancer 502/503/504: app servers are down, failing health checks or timing out; target 5xx: the app itself fails. " +
            "Check the unhealthy-hosts and database alarms and the dashboard, read the app logs through SSM Session Manager, " +
            "and roll back a recent AMI, container or config change.",
        comparisonOperator: "GreaterThanThreshold",
        threshold: ALARM_SETTINGS.errorRatePercent,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "notBreaching",
        metricQueries: [
            { id: "requests", metric: lbMetric("RequestCount"), returnData: false },
            { id: "elb5xx", metric: lbMetric("HTTPCode_ELB_5XX_Count"), returnData: false },
            { id: "target5xx", metric: lbMetric("HTTPCode_Target_5XX_Count"), returnData: false },
            { id: "total", expression: "FILL(requests, 0) + FILL(elb5xx, 0)", label: "Requests incl. rejected", returnData: false },
            { id: "errors", expression: "FILL(elb5xx, 0) + FILL(target5xx, 0)", label: "5xx responses", returnData: false },
            {
                id: "rate",
                expression: `IF(total >= ${ALARM_SETTINGS.minRequestsPerMinute}, 100 * errors / total, 0)`,
                label: "5xx rate (%)",
                returnData: true,
            },
        ],
    });
    return specs;
}

/** Unhealthy targets, slow responses and (with a minimum size) lost capacity. */
export function capacityAlarms(args: Pick<MonitoringArgs, "loadBalancerArnSuffix" | "targetGroupArnSuffix" | "autoScalingGroupName" | "minSize" | "ecs">): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const alarm = (role: string, inputs: AlarmInputs) => specs.push({ role, inputs });
    const lb = { LoadBalancer: args.loadBalancerArnSuffix };
    // 2. Any target failing health checks for 3 minutes.
    alarm("alb-unhealthy-hosts", {
        alarmDescription:
            args.ecs === undefined
                ? "At least one app server has failed the load balancer's health check for 3 minutes. " +
                  "The Auto Scaling group replaces unhealthy instances (boot to healthy takes about 3 minutes); if this persists, " +
                  "read the reason in the target group's Targets tab, connect with SSM Session Manager and check the app on its port, " +
                  "its database connection and the EFS mount, and the group's activity history."
                : "At least one dashboard task has failed the load balancer's health check (/pi/version) for 3 minutes. " +
                  "ECS replaces unhealthy tasks, and a deployment whose tasks never turn healthy rolls back (circuit breaker); if this persists, " +
                  "read the service's events and the stopped tasks' reasons, the dashboard's log group, and open a shell with the stack's shellCommand.",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { TargetGroup: args.targetGroupArnSuffix, LoadBalancer: args.loadBalancerArnSuffix },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
    });

    // 3. Slow responses. A p95 over a handful of requests (one long report) is not a trend:
    //    with too few samples the alarm keeps its state.
    alarm("alb-latency-p95", {
        alarmDescription:
            `95th-percentile response time above ${ALARM_SETTINGS.latencyP95Seconds} s for 5 minutes. ` +
            "On the dashboard compare app CPU (scale-out starts at its CPU target) and database CPU, connections and memory; " +
            "heavy reports or Excel imports can cause it. Raise maxSize or the instance type if the servers are saturated.",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: lb,
        extendedStatistic: "p95",
        evaluateLowSampleCountPercentiles: "ignore",
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        comparisonOperator: "GreaterThanThreshold",
        threshold: ALARM_SETTINGS.latencyP95Seconds,
        treatMissingData: "notBreaching",
    });

    // 4. Capacity below the minimum. With minSize 0 (a stack scaled to zero on purpose) there
    //    is no floor to alarm on, so no alarm.
    if (args.autoScalingGroupName !== undefined && args.minSize > 0) {
        alarm("asg-in-service", {
            alarmDescription:
                `Fewer than ${args.minSize} app servers (the group's minimum) in service for 5 minutes: capacity is lost. ` +
                "Read the Auto Scaling group's activity history for failed launches (AMI, instance quota, subnet capacity, " +
                "launch template) and check any instance refresh. Missing data counts as breaching: if the group's " +
                "metrics collection is off, enable it.",
            namespace: "AWS/AutoScaling",
            metricName: "GroupInServiceInstances",
            dimensions: { AutoScalingGroupName: args.autoScalingGroupName },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 5,
            comparisonOperator: "LessThanThreshold",
            threshold: args.minSize,
            treatMissingData: "breaching",
        });
    }
    return specs;
}
