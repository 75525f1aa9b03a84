import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link DatabaseMonitoring}. */
export interface DatabaseMonitoringArgs {
    /** The DB instance identifier the role may monitor (its trust policy names this instance only). @default required */
    readonly instanceIdentifier: pulumi.Input<string>;
}

/** Trust policy of the enhanced-monitoring role: RDS monitoring, for this instance of this account only. */
export function monitoringAssumeRolePolicy(accountId: string, instanceArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": instanceArn } },
            },
        ],
    });
}

/**
 * RDS enhanced monitoring of the dashboard database: the role RDS assumes to publish OS metrics,
 * trusted by this instance of this account only, with AWS's managed monitoring policy. Named
 * `<database>-monitoring`; its role keeps that name and its attachment `<database>-monitoring-policy`.
 * Both were the Database's direct children before this component existed: their aliases keep their URNs.
 */
export class DatabaseMonitoring extends pulumi.ComponentResource {
    /** ARN of the enhanced-monitoring role, for the instance's `monitoringRoleArn`. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: DatabaseMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:database:Monitoring", name, {}, opts);
        // The Database (this component's parent) was the role's and the attachment's parent.
        const moved = { parent: this, aliases: [{ parent: opts?.parent }] };
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const instanceArn = pulumi.interpolate`arn:${partition}:rds:${region}:${accountId}:db:${args.instanceIdentifier}`;
        const role = new aws.iam.Role(
            name,
            {
                description: "RDS enhanced monitoring of the dashboard database",
                assumeRolePolicy: pulumi.all([accountId, instanceArn]).apply(([account, arn]) => monitoringAssumeRolePolicy(account, arn)),
            },
            moved,
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-policy`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
            moved,
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
