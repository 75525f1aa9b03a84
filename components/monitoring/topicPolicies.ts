import { servicePolicy, type PolicyDocument, type PolicyStatement } from "../../common/policies";

/**
 * The alarm topic key's policy. `Resource: "*"` in a key policy means this key only.
 * The account root statement is the KMS default (administration through IAM policies, and no
 * locked-out key); CloudWatch may only use the key on behalf of this account. The key encrypts
 * nothing but this topic, and which alarms may publish is narrowed by the topic policy.
 */
export function topicKeyPolicy(partition: string, accountId: string, withEvents = false): PolicyDocument {
    const events = {
        Sid: "EventBridgeEncryptNotifications",
        Effect: "Allow" as const,
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    };
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
            ...(withEvents ? [events] : []),
        ],
    };
}

/**
 * The alarm topic's access policy: CloudWatch may publish for alarms of this account and region, and
 * (Fargate platform) EventBridge for the one rule that forwards ECS's service warnings.
 * Alarms are auto-named, so the source ARN is `alarm:*` of this account and region rather than a
 * name prefix (an autonaming pattern set in Pulumi.yaml would silently break a prefix).
 */
export function topicAccessPolicy(partition: string, accountId: string, region: string, topicArn: string, eventRuleArn?: string): PolicyDocument {
    const alarms = servicePolicy({
        sid: "CloudWatchAlarmsPublish",
        service: "cloudwatch.amazonaws.com",
        action: "sns:Publish",
        resource: topicArn,
        condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
        },
    });
    if (eventRuleArn === undefined) return alarms;
    const events = servicePolicy({ sid: "EcsEventsPublish", service: "events.amazonaws.com", action: "sns:Publish", resource: topicArn, condition: { ArnEquals: { "aws:SourceArn": eventRuleArn } } });
    return { ...alarms, Statement: [...(alarms.Statement as PolicyStatement[]), ...(events.Statement as PolicyStatement[])] };
}
