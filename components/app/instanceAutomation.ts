import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    RUN_SHELL_DOCUMENT,
    awsDocumentArn,
    efsUtilsAssociation,
    eventsTrustPolicy,
    groupTarget,
    refreshCommandInput,
    rotationEventPattern,
    runCommandPolicy,
    type EfsUtilsSource,
} from "./instanceAutomationPlan";

export interface InstanceAutomationArgs {
    /**
     * The Auto Scaling group whose instances are targeted (by the `aws:autoscaling:groupName` tag
     * Auto Scaling puts on each). A new group replaces nothing here: the targets update in place.
     * @default none (required)
     */
    readonly groupName: pulumi.Input<string>;
    /**
     * The database secret whose rotation triggers the refresh (the RDS-managed secret: its ARN is
     * known only once the database exists, so the rule's pattern follows it). Updated in place.
     * @default none (required)
     */
    readonly databaseSecretArn: pulumi.Input<string>;
    /**
     * `distributor` adds the State Manager association that installs AWS's AmazonEFSUtils package;
     * `image` adds nothing (the boot script installs the image's own package).
     * @default none (required)
     */
    readonly efsUtils: EfsUtilsSource;
    /**
     * The refresh script on the instances; run with `--if-changed` after each rotation.
     * @default none (required; the app servers install it at userData's REFRESH_SCRIPT)
     */
    readonly refreshScript: string;
}

/**
 * What Systems Manager does on the app servers, without SSH:
 *
 * - efs-utils (`distributor`): a State Manager association of
 *   `AWS-ConfigureAWSPackage` (Install AmazonEFSUtils) targeting the group's
 *   tag, applied to each instance when it registers; the boot script waits for
 *   `/sbin/mount.efs` and never mounts without TLS.
 * - rotation: an EventBridge rule on Secrets Manager's `RotationSucceeded` for
 *   this stack's database secret only, whose target runs the refresh script
 *   through Run Command (`AWS-RunShellScript`) on the group's instances, with a
 *   role that may send only that document, only to instances with the group's
 *   tag. The refresh timer on the instances stays as the backstop.
 */
export class InstanceAutomation extends pulumi.ComponentResource {
    /** The rotation rule's name. */
    public readonly rotationRuleName: pulumi.Output<string>;
    /** The events role's ARN. */
    public readonly refreshRoleArn: pulumi.Output<string>;

    constructor(name: string, args: InstanceAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:app:InstanceAutomation", name, {}, opts);
        const parent = { parent: this };
        const partition = aws.getPartitionOutput({}, parent).partition;
        const region = aws.getRegionOutput({}, parent).region;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const groupName = pulumi.output(args.groupName);

        if (args.efsUtils === "distributor") {
            const a = groupName.apply(efsUtilsAssociation);
            new aws.ssm.Association(`${name}-efs-utils`, { name: a.name, parameters: a.parameters, targets: a.targets }, parent);
        }

        const rule = new aws.cloudwatch.EventRule(
            `${name}-rotation`,
            {
                description: "The database secret of this stack rotated: refresh the app servers' credentials",
                eventPattern: pulumi.output(args.databaseSecretArn).apply((arn) => JSON.stringify(rotationEventPattern(arn))),
            },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-refresh-role`,
            {
                description: "EventBridge: run the credentials refresh on the app servers after a rotation",
                assumeRolePolicy: pulumi.all([accountId, rule.arn]).apply(([account, ruleArn]) => JSON.stringify(eventsTrustPolicy(account, ruleArn))),
            },
            parent,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-refresh-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([partition, region, accountId, groupName])
                    .apply(([p, r, account, group]) => JSON.stringify(runCommandPolicy({ partition: p, region: r, accountId: account, groupName: group }))),
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-refresh`,
            {
                rule: rule.name,
                arn: pulumi.all([partition, region]).apply(([p, r]) => awsDocumentArn(p, r, RUN_SHELL_DOCUMENT)),
                roleArn: role.arn,
                input: refreshCommandInput(args.refreshScript),
                runCommandTargets: [groupName.apply(groupTarget)],
            },
            // EventBridge checks nothing at creation, but the first rotation must find the role usable.
            { parent: this, dependsOn: [policy] },
        );

        this.rotationRuleName = rule.name;
        this.refreshRoleArn = role.arn;
        this.registerOutputs({ rotationRuleName: this.rotationRuleName, refreshRoleArn: this.refreshRoleArn });
    }
}
