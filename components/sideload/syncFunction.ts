import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { lambdaArchive, lambdaFunctionName } from "../../common/lambdaPackage";
import { lambdaTrustPolicy } from "../../common/policies";
import type { SideloadArgs, SideloadPartArgs } from ".";
import type { ContentBucket } from "./contentBucket";
import { LAMBDA_MOUNT_PATH, NFS_PORT, notificationFilters, sideloadFoldersJson, sideloadRolePolicy } from "./policies";
import type { SharedFileSystem } from "./sharedFileSystem";

/** Arguments of {@link SyncFunction}: the network, the reservation and the log retention as the Sideload's. */
export interface SyncFunctionArgs extends SideloadPartArgs, Pick<SideloadArgs, "vpcId" | "subnetIds" | "reservedConcurrency" | "logRetentionDays"> {
    /**
     * Upload folder → directory, checked by `sideloadFolderMap` (keys sorted). Updated in place.
     * @default none (required)
     */
    readonly folderMap: Readonly<Record<string, string>>;
    /**
     * The bucket whose uploads the function copies (read, notifications).
     * @default none (required)
     */
    readonly bucket: ContentBucket;
    /**
     * The file system the function writes through its access point; admits the function's group.
     * @default none (required)
     */
    readonly fileSystem: SharedFileSystem;
}

/** What the function's creation waits for besides its role. */
interface Network {
    readonly securityGroupId: pulumi.Output<string>;
    readonly ready: pulumi.Resource[];
}

/** The function's identity: its role and the policies it needs before the first run. */
interface Identity {
    readonly role: aws.iam.Role;
    readonly ready: pulumi.Resource[];
    readonly rolePolicy: aws.iam.RolePolicy;
}

/**
 * The sync function of a Sideload: a Lambda (Node.js 22, arm64) in the private subnets that copies
 * bucket uploads onto the file system and propagates deletions; its security group (NFS to the file
 * system, HTTPS to S3), role, log group, an encrypted failure queue kept 14 days (after two
 * retries), and the bucket notifications. Its resources were the Sideload's own children: each
 * keeps its name and answers to its old URN through an alias to the Sideload.
 */
export class SyncFunction extends pulumi.ComponentResource {
    /** The function: its name (`<prefix>-<random suffix>`, known before it exists) and ARN. */
    public readonly function: { readonly name: pulumi.Output<string>; readonly arn: pulumi.Output<string> };
    /** The failure queue: events still failing after two retries, kept 14 days. */
    public readonly deadLetterQueue: { readonly url: pulumi.Output<string>; readonly arn: pulumi.Output<string>; readonly name: pulumi.Output<string> };
    /** The function's own security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The function's execution role. */
    public readonly roleArn: pulumi.Output<string>;

    private readonly moved: pulumi.CustomResourceOptions;

    constructor(name: string, args: SyncFunctionArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
        super("dashboard:sideload:SyncFunction", name, {}, opts);
        this.moved = { parent: this, aliases: [{ parent: opts.parent }] };
        const p = args.prefix;
        const network = this.network(args);
        // The function gets an explicit name made of the component name and a random suffix:
        // known before the function exists, so its log group (with retention) is created first
        // and Lambda never creates an unmanaged one; different in every stack and component.
        const suffix = new random.RandomString(`${p}-function-suffix`, { length: 8, lower: true, upper: false, numeric: true, special: false }, this.moved);
        const functionName = suffix.result.apply((s) => lambdaFunctionName(p, s));
        const logGroup = new aws.cloudwatch.LogGroup(`${p}-logs`, { name: pulumi.interpolate`/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays }, this.moved);
        const queue = new aws.sqs.Queue(`${p}-failures`, { sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 }, this.moved);
        const identity = this.identity(args, logGroup, queue);
        const fn = this.syncFunction(args, { functionName, logGroup, identity, network });
        this.triggers(args, fn, queue, identity.rolePolicy);

        this.function = { name: fn.name, arn: fn.arn };
        this.deadLetterQueue = { url: queue.url, arn: queue.arn, name: queue.name };
        this.securityGroupId = network.securityGroupId;
        this.roleArn = identity.role.arn;
        this.registerOutputs({ function: this.function, deadLetterQueue: this.deadLetterQueue, securityGroupId: this.securityGroupId, roleArn: this.roleArn });
    }

    /** The function's security group: NFS to the file system (which admits it), HTTPS to S3; no ingress. */
    private network(args: SyncFunctionArgs): Network {
        const p = args.prefix;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const group = new aws.ec2.SecurityGroup(
            `${p}-lambda-sg`,
            { vpcId: args.vpcId, description: "Sideload Lambda: NFS to its file system and HTTPS to S3; no ingress", tags: { Name: `${p}-lambda` } },
            this.moved,
        );
        const s3PrefixList = aws.ec2.getManagedPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${region}.s3` }, { parent: this });
        const toFileSystem = new aws.vpc.SecurityGroupEgressRule(
            `${p}-lambda-to-efs`,
            {
                securityGroupId: group.id,
                referencedSecurityGroupId: args.fileSystem.securityGroupId,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: "NFS to the sideload file system",
            },
            this.moved,
        );
        const toS3 = new aws.vpc.SecurityGroupEgressRule(
            `${p}-lambda-to-s3`,
            { securityGroupId: group.id, prefixListId: s3PrefixList.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to S3" },
            this.moved,
        );
        const fromLambda = args.fileSystem.allowMountFrom("lambda", group.id);
        return { securityGroupId: group.id, ready: [toFileSystem, toS3, fromLambda] };
    }

    /** The execution role: ENI management (VPC) and an inline policy naming each resource. */
    private identity(args: SyncFunctionArgs, logGroup: aws.cloudwatch.LogGroup, queue: aws.sqs.Queue): Identity {
        const p = args.prefix;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const role = new aws.iam.Role(
            `${p}-role`,
            { description: "Sideload Lambda: copies bucket uploads to the content file system", assumeRolePolicy: accountId.apply((id) => JSON.stringify(lambdaTrustPolicy(id))) },
            this.moved,
        );
        // The network-interface permissions a function in a VPC needs, and nothing else:
        // AWSLambdaVPCAccessExecutionRole would also grant logs:* on every log group,
        // where the inline policy grants writing to this function's group only.
        const vpcAccess = new aws.iam.RolePolicyAttachment(
            `${p}-vpc-access`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess` },
            this.moved,
        );
        const folders = Object.keys(args.folderMap).sort();
        const { bucket, fileSystem } = args;
        const rolePolicy = new aws.iam.RolePolicy(
            `${p}-policy`,
            {
                role: role.name,
                policy: pulumi
                    .all([bucket.bucketArn, fileSystem.fileSystemArn, fileSystem.accessPointArn, logGroup.arn, queue.arn])
                    .apply(([bucketArn, fileSystemArn, accessPointArn, logGroupArn, queueArn]) =>
                        JSON.stringify(sideloadRolePolicy({ bucketArn, fileSystemArn, accessPointArn, logGroupArn, queueArn }, folders)),
                    ),
            },
            this.moved,
        );
        return { role, rolePolicy, ready: [vpcAccess, rolePolicy] };
    }

    /** The function itself, mounting the access point at {@link LAMBDA_MOUNT_PATH}. */
    private syncFunction(
        args: SyncFunctionArgs,
        parts: { functionName: pulumi.Output<string>; logGroup: aws.cloudwatch.LogGroup; identity: Identity; network: Network },
    ): aws.lambda.Function {
        return new aws.lambda.Function(
            `${args.prefix}-function`,
            {
                name: parts.functionName,
                description: "Copies uploads in the allowed bucket folders to the shared content file system",
                role: parts.identity.role.arn,
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: lambdaArchive("sideload"),
                memorySize: 256,
                timeout: 300,
                reservedConcurrentExecutions: args.reservedConcurrency,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [parts.network.securityGroupId] },
                fileSystemConfig: { arn: args.fileSystem.accessPointArn, localMountPath: LAMBDA_MOUNT_PATH },
                environment: {
                    variables: {
                        SIDELOAD_ROOT: LAMBDA_MOUNT_PATH,
                        SIDELOAD_FOLDERS: sideloadFoldersJson(args.folderMap),
                        BUCKET_NAME: args.bucket.bucketName,
                    },
                },
                loggingConfig: { logFormat: "Text", logGroup: parts.logGroup.name },
            },
            // Lambda refuses a file system without a mount target in the function's zones and a
            // role that cannot create network interfaces; the rest makes the first invocation work.
            // The file system policy comes later, with the clients' roles (allowClients).
            { ...this.moved, dependsOn: [...args.fileSystem.mountTargets, ...parts.identity.ready, ...parts.network.ready] },
        );
    }

    /** Asynchronous invocation (two retries, then the queue) and the bucket's notifications. */
    private triggers(args: SyncFunctionArgs, fn: aws.lambda.Function, queue: aws.sqs.Queue, rolePolicy: aws.iam.RolePolicy): void {
        const p = args.prefix;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        new aws.lambda.FunctionEventInvokeConfig(
            `${p}-async`,
            { functionName: fn.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600, destinationConfig: { onFailure: { destination: queue.arn } } },
            // Lambda checks that the role may send to the destination (sqs:SendMessage in rolePolicy).
            { ...this.moved, dependsOn: [rolePolicy] },
        );
        const permission = new aws.lambda.Permission(
            `${p}-s3-invoke`,
            { action: "lambda:InvokeFunction", function: fn.name, principal: "s3.amazonaws.com", sourceArn: args.bucket.bucketArn, sourceAccount: accountId },
            this.moved,
        );
        const folders = Object.keys(args.folderMap).sort();
        new aws.s3.BucketNotification(
            `${p}-notifications`,
            {
                bucket: args.bucket.bucketId,
                lambdaFunctions: notificationFilters(folders).map((f, i) => ({
                    id: `sideload-${folders[i]}`,
                    lambdaFunctionArn: fn.arn,
                    events: f.events,
                    filterPrefix: f.filterPrefix,
                })),
            },
            { ...this.moved, dependsOn: [permission] },
        );
    }
}
