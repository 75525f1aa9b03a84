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
 * - CloudWatch alarms (the nested `dashboard:monitoring:Alarms`, `alarms.ts`) with thresholds derived in
 *   `alarmThresholds.ts`, each with alarm and OK actions on the topic (none without recipients) and a
 *   description that says what to do.
 * - A CloudWatch dashboard (the nested `dashboard:monitoring:Dashboard`, `dashboard.ts`) whose body is
 *   rendered from resolved names by a pure function (`dashboardWidgets.ts`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringAlarms } from "./alarms";
import { ALARM_SETTINGS, databaseThresholds } from "./alarmSettings";
import { emailSubscriptions } from "./alarmThresholds";
import type { MonitoringArgs } from "./args";
import { MonitoringDashboard } from "./dashboard";
import { ECS_EVENT_MESSAGE, ecsEventPattern } from "./ecsAlarms";
import { topicAccessPolicy, topicKeyPolicy } from "./topicPolicies";

export { MonitoringAlarms, type MonitoringAlarmsArgs } from "./alarms";
export { ALARM_SETTINGS } from "./alarmSettings";
export type { MonitoringArgs } from "./args";
export { MonitoringDashboard, type MonitoringDashboardArgs } from "./dashboard";
export { topicAccessPolicy, topicKeyPolicy } from "./topicPolicies";

/** The alarm topic and its access policy, when there are recipients. */
interface AlarmTopic {
    readonly topic: aws.sns.Topic;
    readonly policy: aws.sns.TopicPolicy;
}

export class Monitoring extends pulumi.ComponentResource {
    /** The alarm topic's ARN; undefined without recipients. */
    public readonly topicArn: pulumi.Output<string | undefined>;
    /** The CloudWatch dashboard's name; undefined without a dashboard. */
    public readonly dashboardName: pulumi.Output<string | undefined>;
    /** The physical names of every alarm. */
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:monitoring:Monitoring", name, {}, opts);

        const label = args.stackLabel ?? `${pulumi.getProject()}/${pulumi.getStack()}`;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const alerts = this.createAlarmTopic(name, args, label, region);
        const thresholds = databaseThresholds(args);

        const alarms = new MonitoringAlarms(
            `${name}-alarms`,
            { ...args, prefix: name, label, thresholds, topic: alerts === undefined ? undefined : { arn: alerts.topic.arn, policy: alerts.policy } },
            { parent: this },
        );
        const dashboard = args.dashboard === false ? undefined : new MonitoringDashboard(
            `${name}-dashboard`,
            {
                prefix: name,
                region,
                loadBalancer: args.loadBalancerArnSuffix,
                targetGroup: args.targetGroupArnSuffix,
                autoScalingGroupName: args.autoScalingGroupName,
                ecs: args.ecs,
                dbInstanceIdentifier: args.dbInstanceIdentifier,
                sideloadFunctionName: args.sideloadFunctionName,
                sideloadDeadLetterQueueName: args.sideloadDeadLetterQueueName,
                statusCheckerFunctionName: args.statusPage?.checkerFunctionName,
                minSize: args.minSize,
                thresholds: {
                    latencySeconds: ALARM_SETTINGS.latencyP95Seconds,
                    dbCpuPercent: ALARM_SETTINGS.dbCpuPercent,
                    dbConnections: thresholds.connections,
                    freeStorageBytes: thresholds.freeStorageBytes,
                    freeableMemoryBytes: thresholds.freeableMemoryBytes,
                },
            },
            { parent: this },
        );

        this.topicArn = alerts === undefined ? pulumi.output<string | undefined>(undefined) : alerts.topic.arn;
        this.dashboardName = dashboard === undefined ? pulumi.output<string | undefined>(undefined) : dashboard.dashboardName;
        this.alarmNames = alarms.alarmNames;
        this.registerOutputs({
            topicArn: this.topicArn,
            dashboardName: this.dashboardName,
            alarmNames: this.alarmNames,
        });
    }

    /** The KMS key, SNS topic, its policy and one e-mail subscription per recipient; none without recipients. */
    private createAlarmTopic(name: string, args: MonitoringArgs, label: string, region: pulumi.Output<string>): AlarmTopic | undefined {
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const subscriptions = emailSubscriptions(args.emails);
        if (subscriptions.length === 0) return undefined;
        const ecsEvents = args.ecs === undefined ? undefined : ecsEventRule(name, args.ecs, this);
        const withEvents = ecsEvents !== undefined;
        const key = new aws.kms.Key(`${name}-alerts-key`, {
            description: `Encrypts the alarm notifications of ${label}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: pulumi.all([partition, accountId]).apply(([p, a]) => JSON.stringify(withEvents ? topicKeyPolicy(p, a, true) : topicKeyPolicy(p, a))),
        }, { parent: this });
        const topic = new aws.sns.Topic(`${name}-alerts`, {
            displayName: `${label} alarms`.slice(0, 100),
            kmsMasterKeyId: key.arn,
        }, { parent: this });
        const policy = new aws.sns.TopicPolicy(`${name}-alerts-policy`, {
            arn: topic.arn,
            policy: pulumi.all([partition, accountId, region, topic.arn, ecsEvents?.arn])
                .apply(([p, a, r, t, e]) => JSON.stringify(topicAccessPolicy(p, a, r, t, e))),
        }, { parent: this });
        if (ecsEvents !== undefined) {
            new aws.cloudwatch.EventTarget(`${name}-ecs-events`, {
                rule: ecsEvents.name,
                arn: topic.arn,
                inputTransformer: ECS_EVENT_MESSAGE(label),
            }, { parent: this, dependsOn: [policy] });
        }
        // Named by a hash of the address (see emailSubscriptions): stable when the list changes,
        // and no personal data in the URN.
        for (const s of subscriptions) {
            new aws.sns.TopicSubscription(`${name}-alert-${s.key}`, {
                topic: topic.arn,
                protocol: "email",
                endpoint: s.email,
            }, { parent: this });
        }
        return { topic, policy };
    }
}

/** The rule that forwards ECS's warnings and errors about the cluster's services and deployments. */
function ecsEventRule(name: string, ecs: NonNullable<MonitoringArgs["ecs"]>, parent: pulumi.Resource): aws.cloudwatch.EventRule {
    return new aws.cloudwatch.EventRule(`${name}-ecs-events`, {
        description: "ECS service and deployment warnings and errors of the dashboard's cluster, to the alarm topic",
        eventPattern: pulumi.output(ecs.clusterArn).apply((arn) => JSON.stringify(ecsEventPattern(arn))),
    }, { parent });
}
