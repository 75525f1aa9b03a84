import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * VPC flow logs of all traffic to a log group, through a role only VPC Flow Logs of this account may assume.
 * @param parent the Network, the parent of each resource (their URNs are the Network's children's) @default required
 * @param name the Network's name, the prefix of each resource @default required
 * @param vpcId the VPC @default required
 * @param retentionInDays the log group's retention @default required
 * @param region the stack's region @default required
 */
export function createFlowLogs(parent: pulumi.Resource, name: string, vpcId: pulumi.Output<string>, retentionInDays: number, region: pulumi.Output<string>): void {
        const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
        const partition = aws.getPartitionOutput({}, { parent }).partition;
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays }, { parent });
        const role = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                description: "Lets VPC Flow Logs write to the stack's flow-log group",
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: {
                                StringEquals: { "aws:SourceAccount": accountId },
                                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
                            },
                        },
                    ],
                }),
            },
            { parent },
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                        },
                    ],
                }),
            },
            { parent },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
            },
            { parent, dependsOn: [policy] },
        );
    }

