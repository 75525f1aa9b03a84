/**
 * Alarms that reach a person, and a dashboard, for one stack.
 *
 * - An SNS topic encrypted with its own customer-managed KMS key, one e-mail subscription per
 *   recipient. The AWS-managed SNS key (`alias/aws/sns`) will not do: its key policy cannot be
 *   edited and does not let CloudWatch call `kms:GenerateDataKey*`/`kms:Decrypt`, so alarm actions
 *   fail with "CloudWatch Alarms does not have authorization to access the SNS topic encryption
 *   key" (AWS re:Post knowledge center, "cloudwatch-configure-alarm-sns"). The key policy therefore
 *   grants `cloudwatch.amazonaws.com` those two actions for this account, and the topic policy lets
 *   it publish only for alarms of this account and region.
 * - CloudWatch alarms with thresholds derived in `alarmThresholds.ts`, each with alarm and OK
 *   actions on the topic (none without recipients) and a description that says what to do.
 * - A CloudWatch dashboard whose body is rendered from resolved names by a pure function.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    connectionsThreshold,
    dashboardBody,
    dashboardName,
    defaultMaxConnections,
    emailSubscriptions,
    formatBytes,
    freeableMemoryThresholdBytes,
    freeStorageThresholdBytes,
    instanceClassMemoryGiB,
} from "./alarmThresholds";
import type { Engine } from "../../common/engines";
import type { PolicyDocument } from "../../common/policies";

export interface MonitoringArgs {
    /**
     * Alert recipients. Empty → no KMS key, no SNS topic, alarms without actions (production
     * config validation requires recipients). Each address gets an e-mail subscription that the
     * recipient must confirm; removing one address leaves the others' subscriptions untouched.
     * @default []
     */
    readonly emails: readonly string[];
    /** The load balancer's ARN suffix, `app/<name>/<id>`. @default none (required) */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** The app target group's ARN suffix, `targetgroup/<name>/<id>`. @default none (required) */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /** The app Auto Scaling group's name; its group metrics collection must be enabled. @default none (required) */
    readonly autoScalingGroupName: pulumi.Input<string>;
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
    /** How alarm descriptions and the topic's display name identify the stack to a reader. @default "<project>/<stack>" */
    readonly stackLabel?: string;
}

/** Alarm thresholds and evaluation settings (exported for tests and the README). */
export const ALARM_SETTINGS = {
    /** 5xx share of requests (%) over 5 one-minute periods, with at least this many requests a minute. */
    errorRatePercent: 5,
    minRequestsPerMinute: 10,
    latencyP95Seconds: 2,
    dbCpuPercent: 80,
} as const;

/**
 * The alarm topic key's policy. `Resource: "*"` in a key policy means this key only.
 * The account root statement is the KMS default (administration through IAM policies, and no
 * locked-out key); CloudWatch may only use the key on behalf of this account. The key encrypts
 * nothing but this topic, and which alarms may publish is narrowed by the topic policy.
 */
export function topicKeyPolicy(partition: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKey",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchAlarmsEncryptNotifications",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/**
 * The alarm topic's access policy: CloudWatch may publish for alarms of this account and region.
 * Alarms are auto-named, so the source ARN is `alarm:*` of this account and region rather than a
 * name prefix (an autonaming pattern set in Pulumi.yaml would silently break a prefix).
 */
export function topicAccessPolicy(partition: string, accountId: string, region: string, topicArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
                },
            },
        ],
    };
}

type AlarmInputs = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "alarmDescription"> & {
    readonly alarmDescription: string;
};

export class Monitoring extends pulumi.ComponentResource {
    /** The alarm topic's ARN; undefined without recipients. */
    public readonly topicArn: pulumi.Output<string | undefined>;
    /** The CloudWatch dashboard's name. */
    public readonly dashboardName: pulumi.Output<string>;
    /** The physical names of every alarm. */
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:monitoring:Monitoring", name, {}, opts);

        const label = args.stackLabel ?? `${pulumi.getProject()}/${pulumi.getStack()}`;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;

        // Topic, key and subscriptions only when someone is to be told.
        const subscriptions = emailSubscriptions(args.emails);
        let topic: aws.sns.Topic | undefined;
        let topicPolicy: aws.sns.TopicPolicy | undefined;
        if (subscriptions.length > 0) {
            const key = new aws.kms.Key(`${name}-alerts-key`, {
                description: `Encrypts the alarm notifications of ${label}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.all([partition, accountId]).apply(([p, a]) => JSON.stringify(topicKeyPolicy(p, a))),
            }, { parent: this });
            topic = new aws.sns.Topic(`${name}-alerts`, {
                displayName: `${label} alarms`.slice(0, 100),
                kmsMasterKeyId: key.arn,
            }, { parent: this });
            topicPolicy = new aws.sns.TopicPolicy(`${name}-alerts-policy`, {
                arn: topic.arn,
                policy: pulumi.all([partition, accountId, region, topic.arn])
                    .apply(([p, a, r, t]) => JSON.stringify(topicAccessPolicy(p, a, r, t))),
            }, { parent: this });
            // Named by a hash of the address (see emailSubscriptions): stable when the list changes,
            // and no personal data in the URN.
            for (const s of subscriptions) {
                new aws.sns.TopicSubscription(`${name}-alert-${s.key}`, {
                    topic: topic.arn,
                    protocol: "email",
                    endpoint: s.email,
                }, { parent: this });
            }
        }

        const actions = topic === undefined ? undefined : [topic.arn];
        const alarms: aws.cloudwatch.MetricAlarm[] = [];
        const alarm = (role: string, inputs: AlarmInputs) => {
            const created = new aws.cloudwatch.MetricAlarm(`${name}-${role}`, {
                ...inputs,
                alarmDescription: `[${label}] ${inputs.alarmDescription}`.slice(0, 1024),
                alarmActions: actions,
                okActions: actions,
            }, { parent: this, dependsOn: topicPolicy === undefined ? [] : [topicPolicy] });
            alarms.push(created);
        };

        const lb = { LoadBalancer: args.loadBalancerArnSuffix };
        const lbMetric = (metricName: string) => ({
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: lb,
            period: 60,
            stat: "Sum",
        });

        // Missing data. Request, error and latency metrics exist only when there is traffic or an
        // error, and Lambda/SQS metrics only when something happens: no data is good news there
        // (notBreaching). The database metrics are published every minute while the instance runs;
        // a gap is a reboot or modification, which the load-balancer alarms cover, not evidence of
        // CPU, storage, memory or connection pressure (notBreaching). In-service instances is
        // published every minute while group metrics collection is on, even when it is 0: silence
        // means the fleet is no longer visible, so it counts as breaching.

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

        // 2. Any target failing health checks for 3 minutes.
        alarm("alb-unhealthy-hosts", {
            alarmDescription:
                "At least one app server has failed the load balancer's health check for 3 minutes. " +
                "The Auto Scaling group replaces unhealthy instances (boot to healthy takes about 3 minutes); if this persists, " +
                "read the reason in the target group's Targets tab, connect with SSM Session Manager and check the app on its port, " +
                "its database connection and the EFS mount, and the group's activity history.",
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
        if (args.minSize > 0) {
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

        const db = { DBInstanceIdentifier: args.dbInstanceIdentifier };
        const rds = (metricName: string, statistic: string) => ({ namespace: "AWS/RDS", metricName, dimensions: db, statistic, period: 300 });

        // 5. Database CPU.
        alarm("db-cpu", {
            alarmDescription:
                `Database CPU above ${ALARM_SETTINGS.dbCpuPercent} % for 15 minutes. Find the expensive queries ` +
                "(slow query log in CloudWatch Logs, Performance Insights where the class supports it) and, if the load is " +
                `legitimate, move to a larger class than ${args.dbInstanceClass} (database.instanceClass; applied in the maintenance window in production).`,
            ...rds("CPUUtilization", "Average"),
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            comparisonOperator: "GreaterThanThreshold",
            threshold: ALARM_SETTINGS.dbCpuPercent,
            treatMissingData: "notBreaching",
        });

        // 6. Free storage below 10 % of the storage the instance can grow to.
        const freeStorage = freeStorageThresholdBytes(args.dbStorageGb);
        alarm("db-free-storage", {
            alarmDescription:
                `Less than ${formatBytes(freeStorage)} (10 % of the ${args.dbStorageGb} GiB the instance can grow to) free for 10 minutes. ` +
                "RDS storage autoscaling adds storage up to database.maxStorageGb, so the data is nearing what the instance can ever hold " +
                "(or autoscaling could not act: the instance was modified in the last 6 hours). Check the instance's events, " +
                "raise database.maxStorageGb (or storageGb) in the stack config, and look for runaway tables or logs.",
            ...rds("FreeStorageSpace", "Minimum"),
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            comparisonOperator: "LessThanThreshold",
            threshold: freeStorage,
            treatMissingData: "notBreaching",
        });

        // 7. Freeable memory below ~10 % of the class memory (256 MiB for an unknown class).
        const freeableMemory = freeableMemoryThresholdBytes(args.dbInstanceClass);
        const memoryGiB = instanceClassMemoryGiB(args.dbInstanceClass);
        alarm("db-freeable-memory", {
            alarmDescription:
                `Database freeable memory below ${formatBytes(freeableMemory)} ` +
                (memoryGiB === undefined ? `(class ${args.dbInstanceClass} not in the table) ` : `(10 % of the ${memoryGiB} GiB of ${args.dbInstanceClass}) `) +
                "for 15 minutes: the instance will swap and slow down. Check connections and memory-hungry queries; " +
                "move to a larger class if the working set has outgrown it.",
            ...rds("FreeableMemory", "Average"),
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            comparisonOperator: "LessThanThreshold",
            threshold: freeableMemory,
            treatMissingData: "notBreaching",
        });

        // 8. Connections near the limit.
        const maxConnections = args.dbMaxConnections ?? defaultMaxConnections(args.engine, args.dbInstanceClass);
        const connections = maxConnections === undefined ? undefined : connectionsThreshold(maxConnections);
        if (maxConnections !== undefined && connections !== undefined) {
            alarm("db-connections", {
                alarmDescription:
                    `More than ${connections} database connections (80 % of max_connections ${maxConnections}` +
                    (args.dbMaxConnections === undefined ? `, the ${args.engine} default for ${args.dbInstanceClass}` : "") +
                    ") for 15 minutes: new connections will soon be refused. Look for connection leaks (restarting an app " +
                    "server frees its pool), compare with the number of app servers, or move to a larger class.",
                ...rds("DatabaseConnections", "Maximum"),
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                comparisonOperator: "GreaterThanThreshold",
                threshold: connections,
                treatMissingData: "notBreaching",
            });
        } else {
            void pulumi.log.warn(
                `${name}: no database connections alarm: max_connections of ${args.dbInstanceClass} is unknown; pass dbMaxConnections`,
                this,
            );
        }

        // 9. Sideload function errors.
        alarm("sideload-errors", {
            alarmDescription:
                "The sideload function failed at least once in 5 minutes: an upload or deletion in the content bucket may not " +
                "have reached the app servers' file system. Read the function's log group for the object key and the error; " +
                "failed events are retried, then land in the dead-letter queue (its own alarm).",
            namespace: "AWS/Lambda",
            metricName: "Errors",
            dimensions: { FunctionName: args.sideloadFunctionName },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
        });

        // 10. Anything in the sideload dead-letter queue.
        alarm("sideload-dlq", {
            alarmDescription:
                "An event the sideload function could not process after its retries is in the dead-letter queue: that file is " +
                "missing from (or still present on) the app servers. Read the message for the object key, fix the cause from the " +
                "function's logs, then upload the object again or redrive the message, and purge the queue. OK returns when the queue is empty.",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: args.sideloadDeadLetterQueueName },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
        });

        // 11–12. The status page's checker, when there is one. It runs every minute and records a
        // failing site as "down" rather than failing, so its errors are bugs or DynamoDB trouble;
        // one transient error is tolerated, 10 minutes of them mean a stale status page.
        if (args.statusPage !== undefined) {
            alarm("status-checker-errors", {
                alarmDescription:
                    "The status page's checker function has failed in two 5-minute periods in a row: the status page shows " +
                    "stale results. Read the checker's log group; check its DynamoDB table and its permissions.",
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: args.statusPage.checkerFunctionName },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                treatMissingData: "notBreaching",
            });
            if (args.statusPage.checkerDeadLetterQueueName !== undefined) {
                alarm("status-checker-dlq", {
                    alarmDescription:
                        "A scheduled status check could not be delivered to the checker function and is in its dead-letter queue. " +
                        "Read the message and the checker's logs, then purge the queue (old checks need no redrive).",
                    namespace: "AWS/SQS",
                    metricName: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: args.statusPage.checkerDeadLetterQueueName },
                    statistic: "Maximum",
                    period: 300,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 0,
                    treatMissingData: "notBreaching",
                });
            }
        }

        // The dashboard: its name must be set, so it is derived from the stack and a random suffix
        // (replacing the suffix resource renames, i.e. replaces, the dashboard: harmless).
        const suffix = new random.RandomString(`${name}-dashboard-suffix`, {
            length: 8,
            special: false,
            upper: false,
        }, { parent: this });
        const body = pulumi
            .all([
                region,
                args.loadBalancerArnSuffix,
                args.targetGroupArnSuffix,
                args.autoScalingGroupName,
                args.dbInstanceIdentifier,
                args.sideloadFunctionName,
                args.sideloadDeadLetterQueueName,
                pulumi.output(args.statusPage?.checkerFunctionName),
            ])
            .apply(([r, loadBalancer, targetGroup, asgName, dbId, functionName, queueName, checkerName]) => dashboardBody({
                region: r,
                loadBalancer,
                targetGroup,
                autoScalingGroupName: asgName,
                dbInstanceIdentifier: dbId,
                sideloadFunctionName: functionName,
                sideloadDeadLetterQueueName: queueName,
                statusCheckerFunctionName: checkerName,
                minSize: args.minSize,
                thresholds: {
                    latencySeconds: ALARM_SETTINGS.latencyP95Seconds,
                    dbCpuPercent: ALARM_SETTINGS.dbCpuPercent,
                    dbConnections: connections,
                    freeStorageBytes: freeStorage,
                    freeableMemoryBytes: freeableMemory,
                },
            }));
        const dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
            dashboardName: suffix.result.apply((s) => dashboardName(pulumi.getProject(), pulumi.getStack(), s)),
            dashboardBody: body,
        }, { parent: this });

        this.topicArn = topic === undefined ? pulumi.output<string | undefined>(undefined) : topic.arn;
        this.dashboardName = dashboard.dashboardName;
        this.alarmNames = alarms.map((a) => a.name);
        this.registerOutputs({
            topicArn: this.topicArn,
            dashboardName: this.dashboardName,
            alarmNames: this.alarmNames,
        });
    }
}
