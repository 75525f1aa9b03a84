/**
 * Pure decisions behind the InstanceAutomation component: where the app
 * servers get efs-utils, the State Manager association that installs it, the
 * EventBridge pattern of this stack's rotation, the Run Command input and the
 * events role's policies. No Pulumi resources here; table-tested in
 * tests/instanceAutomation.test.ts and simulated in tests/accessMatrix.test.ts.
 */
import { servicePolicy, type PolicyDocument } from "../../common/policies";

/** The tag Auto Scaling puts on every instance it launches: the group's name. */
export const GROUP_TAG = "aws:autoscaling:groupName";

/** AWS's Distributor package with amazon-efs-utils (deb and rpm builds, TLS mount helper included). */
export const EFS_UTILS_PACKAGE = "AmazonEFSUtils";

/** The AWS-owned document that installs a Distributor package. */
export const CONFIGURE_PACKAGE_DOCUMENT = "AWS-ConfigureAWSPackage";

/** The AWS-owned document that runs shell commands. */
export const RUN_SHELL_DOCUMENT = "AWS-RunShellScript";

/**
 * Where the app servers get amazon-efs-utils: `image` when the image's own
 * package repository has it (Amazon Linux: the boot script installs the rpm with
 * dnf), `distributor` otherwise (the vendor's Ubuntu 20.04 image, whose archive
 * has no such package): a State Manager association installs AWS's
 * {@link EFS_UTILS_PACKAGE} on every instance of the group.
 */
export type EfsUtilsSource = "image" | "distributor";

/** Amazon Linux's public image parameters (`ssm:/aws/service/ami-amazon-linux-latest/…`). */
const AMAZON_LINUX_PARAMETER = /^ssm:\/aws\/service\/ami-amazon-linux-latest\//;

/**
 * The efs-utils source for an `app.ami`: `image` for an Amazon Linux public
 * parameter (the default), `distributor` for anything else (an AMI id such as the
 * vendor's, or another parameter), since nothing tells an id's distribution
 * before launch; on an rpm image the association is harmless.
 */
export function efsUtilsSource(ami: string): EfsUtilsSource {
    return AMAZON_LINUX_PARAMETER.test(ami) ? "image" : "distributor";
}

/** The ARN of an AWS-owned SSM document (no account in the ARN). */
export function awsDocumentArn(partition: string, region: string, document: string): string {
    return `arn:${partition}:ssm:${region}::document/${document}`;
}

/** The Run Command / State Manager target that selects this group's instances. */
export function groupTarget(groupName: string): { key: string; values: string[] } {
    return { key: `tag:${GROUP_TAG}`, values: [groupName] };
}

/**
 * The association that installs efs-utils: `AWS-ConfigureAWSPackage` with
 * action Install of {@link EFS_UTILS_PACKAGE}, targeting the group by its tag.
 * No schedule: State Manager runs it when it is created and on each instance
 * that registers with a matching tag later (a new instance of the group), and
 * never re-runs it under a mounted file system.
 */
export function efsUtilsAssociation(groupName: string): { name: string; parameters: Record<string, string>; targets: { key: string; values: string[] }[] } {
    return {
        name: CONFIGURE_PACKAGE_DOCUMENT,
        parameters: { action: "Install", name: EFS_UTILS_PACKAGE },
        targets: [groupTarget(groupName)],
    };
}

/**
 * The EventBridge pattern of a successful rotation of one secret: Secrets
 * Manager's `RotationSucceeded`, which CloudTrail records as a service event
 * (`AWS Service Event via CloudTrail`) with the secret's ARN in
 * `additionalEventData.SecretId`. The API-call detail type is matched as well,
 * so that the rule does not depend on which of the two CloudTrail files it under;
 * the event name and the secret ARN keep it to this stack's rotation.
 */
export function rotationEventPattern(secretArn: string): Record<string, unknown> {
    return {
        source: ["aws.secretsmanager"],
        "detail-type": ["AWS Service Event via CloudTrail", "AWS API Call via CloudTrail"],
        detail: {
            eventSource: ["secretsmanager.amazonaws.com"],
            eventName: ["RotationSucceeded"],
            additionalEventData: { SecretId: [secretArn] },
        },
    };
}

/** The `AWS-RunShellScript` input: the refresh script alone, which rewrites and restarts only when a secret changed. */
export function refreshCommandInput(refreshScript: string): string {
    return JSON.stringify({ commands: [`${refreshScript} --if-changed`] });
}

/**
 * Trust policy of the events role: EventBridge, for this rule of this account
 * only (`aws:SourceAccount`, `aws:SourceArn`).
 */
export function eventsTrustPolicy(accountId: string, ruleArn: string): PolicyDocument {
    return servicePolicy({
        sid: "EventBridgeRuleOfThisStack",
        service: "events.amazonaws.com",
        condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": ruleArn } },
    });
}

/** Where the events role may send its command. */
export interface RunCommandPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    readonly groupName: string;
}

/**
 * The events role's policy: `ssm:SendCommand` of `AWS-RunShellScript` only, and
 * only onto EC2 instances of this region and account that carry this group's
 * tag (`ssm:resourceTag/aws:autoscaling:groupName`). SendCommand needs both: the
 * document and each instance are authorized separately. The document's account
 * is `*`, as EventBridge's own Run Command policy writes it: an AWS-owned
 * document's ARN has no account, and no account can create a document named
 * `AWS-…` (the prefix is reserved), so this names AWS's document only.
 */
export function runCommandPolicy(a: RunCommandPolicyArgs): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "RunShellDocument", Effect: "Allow", Action: "ssm:SendCommand", Resource: `arn:${a.partition}:ssm:${a.region}:*:document/${RUN_SHELL_DOCUMENT}` },
            {
                Sid: "OnThisGroupsInstances",
                Effect: "Allow",
                Action: "ssm:SendCommand",
                Resource: `arn:${a.partition}:ec2:${a.region}:${a.accountId}:instance/*`,
                Condition: { StringEquals: { [`ssm:resourceTag/${GROUP_TAG}`]: a.groupName } },
            },
        ],
    };
}
