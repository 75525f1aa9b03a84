import type * as pulumi from "@pulumi/pulumi";
import type { Engine } from "../../common/engines";

/** Arguments of {@link Monitoring}: what the alarms and the dashboard watch, and who is told. */
export interface MonitoringArgs {
    /**
     * Alert recipients. Empty → no KMS key, no SNS topic, alarms without actions (production
     * config validation requires recipients). Each address gets an e-mail subscription that the
     * recipient must confirm; removing one address leaves the others' subscriptions untouched.
     * @default []
     */
    readonly emails: readonly string[];
    /** Whether to build the CloudWatch dashboard ($3 a month beyond an account's first three). @default true */
    readonly dashboard?: boolean;
    /** The load balancer's ARN suffix, `app/<name>/<id>`. @default none (required) */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** The app target group's ARN suffix, `targetgroup/<name>/<id>`. @default none (required) */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /**
     * The app Auto Scaling group's name (the EC2 platform); its group metrics collection must be enabled.
     * @default none (no group alarm or widgets: the Fargate platform passes `ecs` instead)
     */
    readonly autoScalingGroupName?: pulumi.Input<string>;
    /** The group's minimum size: alarm when in-service instances drop below it; 0 → no such alarm. @default none (required) */
    readonly minSize: number;
    /** The RDS instance identifier. @default none (required) */
    readonly dbInstanceIdentifier: pulumi.Input<string>;
    /** The RDS instance class, e.g. `db.t4g.small`: drives the connection and memory thresholds. @default none (required) */
    readonly dbInstanceClass: string;
    /** The database engine: picks the default `max_connections` formula. @default none (required) */
    readonly engine: Engine;
    /**
     * The storage in GiB the instance can grow to: the autoscaling ceiling (`database.maxStorageGb`), or the
     * allocated storage when autoscaling is off (see `storageCeilingGb`). The free-storage threshold is 10 % of it.
     * @default none (required)
     */
    readonly dbStorageGb: number;
    /**
     * `max_connections` when the parameter group sets it explicitly, or when the class is not in
     * the table of `alarmThresholds.ts` (then, without it, there is no connections alarm and a warning).
     * @default the engine's default for the class
     */
    readonly dbMaxConnections?: number;
    /** The sideload Lambda function's name. @default none (required) */
    readonly sideloadFunctionName: pulumi.Input<string>;
    /** The name of the sideload function's dead-letter queue. @default none (required) */
    readonly sideloadDeadLetterQueueName: pulumi.Input<string>;
    /** The status page's checker function (and its dead-letter queue, if any), when the status page is enabled. @default none (no status-page alarms or widget) */
    readonly statusPage?: {
        readonly checkerFunctionName: pulumi.Input<string>;
        readonly checkerDeadLetterQueueName?: pulumi.Input<string>;
    };
    /**
     * The Fargate platform's cluster and services: per-service CPU and memory alarms, tasks below the
     * desired count (with Container Insights), and ECS's own service and deployment warnings by e-mail.
     * @default none (the EC2 platform)
     */
    readonly ecs?: EcsMonitoring;
    /** How alarm descriptions and the topic's display name identify the stack to a reader. @default "<project>/<stack>" */
    readonly stackLabel?: string;
}

/** One ECS service the alarms watch. */
export interface EcsServiceMonitoring {
    /** The service's role in the alarm names, e.g. `dashboard` (`<monitoring>-ecs-dashboard-cpu`). @default required */
    readonly name: string;
    /** The ECS service's name (the `ServiceName` dimension). @default required */
    readonly serviceName: pulumi.Input<string>;
}

/** The Fargate platform as Monitoring sees it. */
export interface EcsMonitoring {
    /** The ECS cluster's name (the `ClusterName` dimension). @default required */
    readonly clusterName: pulumi.Input<string>;
    /** The ECS cluster's ARN: ECS's service and deployment events of this cluster reach the alarm topic. @default required */
    readonly clusterArn: pulumi.Input<string>;
    /** The services, in the order their alarms are created. @default required */
    readonly services: readonly EcsServiceMonitoring[];
    /** Whether Container Insights is on: the tasks-below-desired alarms read its metrics. @default required */
    readonly containerInsights: boolean;
}
