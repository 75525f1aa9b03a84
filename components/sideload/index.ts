import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { lambdaArchive, lambdaFunctionName } from "../../common/lambdaPackage";
import { lambdaTrustPolicy } from "../../common/policies";
import {
    CONTENT_ROOT,
    LAMBDA_MOUNT_PATH,
    NFS_PORT,
    bucketTlsPolicy,
    checkSideloadNumbers,
    fileSystemPolicy,
    notificationFilters,
    sideloadFolderMap,
    sideloadFoldersJson,
    sideloadRolePolicy,
    subnetAt,
} from "./policies";

/** An NFS client of the content file system, as {@link Sideload.allowClients} grants it. */
export interface MountClient {
    /**
     * Names the client's ingress rule `<component>-mount-from-<name>`; unique per component.
     * Renaming it replaces that rule.
     * @default none (required)
     */
    readonly name: string;
    /**
     * The client's security group: admitted on NFS (2049/TCP) to the mount targets.
     * @default none (required)
     */
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * The IAM role the client mounts with (`mount -o iam`): the file system policy names it. Updated in place.
     * @default none (required)
     */
    readonly roleArn: pulumi.Input<string>;
}

export interface SideloadArgs {
    /**
     * The VPC of both security groups (file system and Lambda).
     * A change replaces both groups, and with them the mount targets' and the function's network settings.
     * @default none (required)
     */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets, one per availability zone: one EFS mount target each, and the Lambda's subnets.
     * Changing a subnet replaces its mount target (app servers in that zone lose the mount until it is back).
     * @default none (required)
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * How many entries `subnetIds` has (the number of zones). The list is an Output whose length the
     * program cannot know at construction, and resources are never created inside `apply`, so the
     * mount targets are counted from this plain number; a mismatch with the list fails the deployment.
     * Raising it adds mount targets, lowering it deletes the last ones.
     * @default none (required)
     */
    availabilityZoneCount: number;
    /**
     * Upload folders (first segment of the object key), e.g. `["images", "themes", "excel-data"]`.
     * Each gets an S3 notification filter `<folder>/`; a change updates the notification and the
     * function's environment in place. `keys`, `logs` and `svg` are refused.
     * @default none (required; the config default is images, themes, excel-data)
     */
    folders: readonly string[];
    /**
     * Upload folder → directory under the access point root, e.g.
     * `{ "excel-data": "excel", images: "images", themes: "themes" }`; every folder must be present,
     * no two folders may share a directory. Updated in place (function environment).
     * @default none (required)
     */
    directories: Readonly<Record<string, string>>;
    /**
     * POSIX user id every file system operation through the access point runs as (never 0).
     * A change replaces the access point: its id changes, so app servers must remount.
     * @default none (required; the config default is 1000)
     */
    uid: number;
    /**
     * POSIX group id of the access point's user (never 0). A change replaces the access point.
     * @default none (required; the config default is 1000)
     */
    gid: number;
    /**
     * Reserved concurrent executions of the Lambda (bounds the NFS and S3 load of an upload burst),
     * 1–1000. Opt-in: a reservation comes out of the account's concurrency quota, which must keep 10
     * unreserved, and new accounts may have a quota of only 10. Never 0 (that throttles every upload).
     * Updated in place.
     * @default none (no reservation)
     */
    reservedConcurrency?: number;
    /**
     * Retention of the Lambda's log group, in days (a CloudWatch Logs retention value). Updated in place.
     * @default none (required)
     */
    logRetentionDays: number;
    /**
     * Pulumi `protect` on the bucket and the file system: `pulumi destroy` and replacements fail while set.
     * @default none (required)
     */
    protect: boolean;
}

/**
 * Sideload: objects uploaded under the allowed folders of a private, versioned
 * bucket are copied by a Lambda onto an encrypted EFS file system that every
 * app server mounts (`tls,iam,accesspoint=<accessPointId>`); deletions propagate.
 *
 * - Bucket: auto-named, SSE-S3, versioned, all public access blocked, ACLs off,
 *   TLS-only policy, lifecycle for old versions, delete markers and multipart uploads.
 * - EFS: encrypted, elastic throughput, IA after 30 days, AWS Backup enabled,
 *   one mount target per zone, a policy allowing only the function's role and
 *   the roles granted with {@link Sideload.allowClients}, only through the
 *   access point and only over TLS; its security group admits NFS only from
 *   the function and the groups granted there.
 * - Lambda (Node.js 22, arm64) in the private subnets, failures after two
 *   retries to an encrypted SQS queue kept 14 days.
 */
export class Sideload extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly fileSystemArn: pulumi.Output<string>;
    public readonly accessPointId: pulumi.Output<string>;
    public readonly accessPointArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    public readonly deadLetterQueueUrl: pulumi.Output<string>;
    public readonly deadLetterQueueArn: pulumi.Output<string>;
    public readonly deadLetterQueueName: pulumi.Output<string>;
    /** The security group of the EFS mount targets (grant clients with {@link allowMountFrom}). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The Lambda's own security group. */
    public readonly lambdaSecurityGroupId: pulumi.Output<string>;
    /** The mount targets: app servers that mount at boot should depend on them. */
    public readonly mountTargets: aws.efs.MountTarget[];

    /** The function's execution role (named in the file system policy). */
    public readonly roleArn: pulumi.Output<string>;

    private readonly baseName: string;
    private readonly efsSecurityGroup: aws.ec2.SecurityGroup;
    private fileSystemPolicy: aws.efs.FileSystemPolicy | undefined;

    constructor(name: string, args: SideloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:sideload:Sideload", name, {}, opts);
        this.baseName = name;
        checkSideloadNumbers(args);
        const folderMap = sideloadFolderMap(args.folders, args.directories);
        const folders = Object.keys(folderMap).sort();
        const parent = { parent: this };

        const partition = aws.getPartitionOutput({}, parent).partition;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const region = aws.getRegionOutput({}, parent).region;

        // ---- Bucket ----------------------------------------------------------------
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false }, { parent: this, protect: args.protect });
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-bucket-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketOwnershipControls(`${name}-bucket-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        // SSE-S3 (AES256): readers need no KMS grant and no key policy, there is no per-request KMS
        // cost, and at-rest encryption is what is asked; SSE-C uploads are refused because the
        // Lambda could never read them.
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-bucket-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }] },
            parent,
        );
        const versioning = new aws.s3.BucketVersioning(`${name}-bucket-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-bucket-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                    { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
        // After the public-access block: S3 rejects a policy while that block is still being applied.
        new aws.s3.BucketPolicy(
            `${name}-bucket-policy`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(bucketTlsPolicy(arn))) },
            { parent: this, dependsOn: [publicAccess] },
        );

        // ---- File system -----------------------------------------------------------
        const fileSystem = new aws.efs.FileSystem(
            `${name}-fs`,
            {
                encrypted: true,
                performanceMode: "generalPurpose",
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: { Name: `${name}-content` },
            },
            { parent: this, protect: args.protect },
        );
        new aws.efs.BackupPolicy(`${name}-fs-backup`, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, parent);

        this.efsSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-efs-sg`,
            { vpcId: args.vpcId, description: "Sideload file system mount targets: NFS from granted groups only", tags: { Name: `${name}-efs` } },
            parent,
        );
        const subnetIds = pulumi.output(args.subnetIds);
        const zoneCount = args.availabilityZoneCount;
        this.mountTargets = Array.from(
            { length: zoneCount },
            (_, i) =>
                new aws.efs.MountTarget(
                    `${name}-mount-${i}`,
                    { fileSystemId: fileSystem.id, subnetId: subnetIds.apply((ids) => subnetAt(ids, i, zoneCount)), securityGroups: [this.efsSecurityGroup.id] },
                    parent,
                ),
        );
        const accessPoint = new aws.efs.AccessPoint(
            `${name}-access-point`,
            {
                fileSystemId: fileSystem.id,
                posixUser: { uid: args.uid, gid: args.gid },
                rootDirectory: { path: CONTENT_ROOT, creationInfo: { ownerUid: args.uid, ownerGid: args.gid, permissions: "0755" } },
                tags: { Name: `${name}-content` },
            },
            parent,
        );

        // ---- Lambda network ----------------------------------------------------------
        const lambdaGroup = new aws.ec2.SecurityGroup(
            `${name}-lambda-sg`,
            { vpcId: args.vpcId, description: "Sideload Lambda: NFS to its file system and HTTPS to S3; no ingress", tags: { Name: `${name}-lambda` } },
            parent,
        );
        const s3PrefixList = aws.ec2.getManagedPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${region}.s3` }, parent);
        const toFileSystem = new aws.vpc.SecurityGroupEgressRule(
            `${name}-lambda-to-efs`,
            {
                securityGroupId: lambdaGroup.id,
                referencedSecurityGroupId: this.efsSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: "NFS to the sideload file system",
            },
            parent,
        );
        const toS3 = new aws.vpc.SecurityGroupEgressRule(
            `${name}-lambda-to-s3`,
            { securityGroupId: lambdaGroup.id, prefixListId: s3PrefixList.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to S3" },
            parent,
        );
        const fromLambda = this.allowMountFrom("lambda", lambdaGroup.id);

        // ---- Lambda identity, logs, failures ---------------------------------------------
        // The function gets an explicit name made of the component name and a random suffix:
        // known before the function exists, so its log group (with retention) is created first
        // and Lambda never creates an unmanaged one; different in every stack and component.
        const suffix = new random.RandomString(`${name}-function-suffix`, { length: 8, lower: true, upper: false, numeric: true, special: false }, parent);
        const functionName = suffix.result.apply((s) => lambdaFunctionName(name, s));
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: pulumi.interpolate`/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays },
            parent,
        );
        const queue = new aws.sqs.Queue(`${name}-failures`, { sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 }, parent);

        const role = new aws.iam.Role(
            `${name}-role`,
            { description: "Sideload Lambda: copies bucket uploads to the content file system", assumeRolePolicy: accountId.apply((id) => JSON.stringify(lambdaTrustPolicy(id))) },
            parent,
        );
        // The network-interface permissions a function in a VPC needs, and nothing else:
        // AWSLambdaVPCAccessExecutionRole would also grant logs:* on every log group,
        // where the inline policy grants writing to this function's group only.
        const vpcAccess = new aws.iam.RolePolicyAttachment(
            `${name}-vpc-access`,
            { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess` },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.name,
                policy: pulumi
                    .all([bucket.arn, fileSystem.arn, accessPoint.arn, logGroup.arn, queue.arn])
                    .apply(([bucketArn, fileSystemArn, accessPointArn, logGroupArn, queueArn]) =>
                        JSON.stringify(sideloadRolePolicy({ bucketArn, fileSystemArn, accessPointArn, logGroupArn, queueArn }, folders)),
                    ),
            },
            parent,
        );

        // ---- Function ------------------------------------------------------------------
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: functionName,
                description: "Copies uploads in the allowed bucket folders to the shared content file system",
                role: role.arn,
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: lambdaArchive("sideload"),
                memorySize: 256,
                timeout: 300,
                reservedConcurrentExecutions: args.reservedConcurrency,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [lambdaGroup.id] },
                fileSystemConfig: { arn: accessPoint.arn, localMountPath: LAMBDA_MOUNT_PATH },
                environment: {
                    variables: {
                        SIDELOAD_ROOT: LAMBDA_MOUNT_PATH,
                        SIDELOAD_FOLDERS: sideloadFoldersJson(folderMap),
                        BUCKET_NAME: bucket.bucket,
                    },
                },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            },
            // Lambda refuses a file system without a mount target in the function's zones and a
            // role that cannot create network interfaces; the rest makes the first invocation work.
            // The file system policy comes later, with the clients' roles (allowClients).
            { parent: this, dependsOn: [...this.mountTargets, vpcAccess, rolePolicy, toFileSystem, toS3, fromLambda] },
        );
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            { functionName: fn.name, maximumRetryAttempts: 2, maximumEventAgeInSeconds: 6 * 3600, destinationConfig: { onFailure: { destination: queue.arn } } },
            // Lambda checks that the role may send to the destination (sqs:SendMessage in rolePolicy).
            { parent: this, dependsOn: [rolePolicy] },
        );
        const permission = new aws.lambda.Permission(
            `${name}-s3-invoke`,
            { action: "lambda:InvokeFunction", function: fn.name, principal: "s3.amazonaws.com", sourceArn: bucket.arn, sourceAccount: accountId },
            parent,
        );
        new aws.s3.BucketNotification(
            `${name}-notifications`,
            {
                bucket: bucket.id,
                lambdaFunctions: notificationFilters(folders).map((f, i) => ({
                    id: `sideload-${folders[i]}`,
                    lambdaFunctionArn: fn.arn,
                    events: f.events,
                    filterPrefix: f.filterPrefix,
                })),
            },
            { parent: this, dependsOn: [permission] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.fileSystemId = fileSystem.id;
        this.fileSystemArn = fileSystem.arn;
        this.accessPointId = accessPoint.id;
        this.accessPointArn = accessPoint.arn;
        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.deadLetterQueueUrl = queue.url;
        this.deadLetterQueueArn = queue.arn;
        this.deadLetterQueueName = queue.name;
        this.securityGroupId = this.efsSecurityGroup.id;
        this.lambdaSecurityGroupId = lambdaGroup.id;
        this.roleArn = role.arn;
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            fileSystemId: this.fileSystemId,
            fileSystemArn: this.fileSystemArn,
            accessPointId: this.accessPointId,
            accessPointArn: this.accessPointArn,
            functionName: this.functionName,
            functionArn: this.functionArn,
            deadLetterQueueUrl: this.deadLetterQueueUrl,
            deadLetterQueueArn: this.deadLetterQueueArn,
            deadLetterQueueName: this.deadLetterQueueName,
            securityGroupId: this.securityGroupId,
            lambdaSecurityGroupId: this.lambdaSecurityGroupId,
            roleArn: this.roleArn,
        });
    }

    /**
     * Grants NFS clients the file system: each client's security group reaches the mount targets
     * ({@link allowMountFrom}, rule `<component>-mount-from-<client name>`), and the one file system
     * policy (`<component>-fs-policy`) names the function's role and each client's role, through the
     * access point and over TLS only; every other principal is denied. Call it once, with every
     * client: until then the file system has no policy, and a second call would need a second policy.
     */
    allowClients(clients: readonly MountClient[]): aws.efs.FileSystemPolicy {
        if (this.fileSystemPolicy !== undefined) throw new Error(`Sideload ${this.baseName}: allowClients was already called; pass every client in one call`);
        if (clients.length === 0) throw new Error(`Sideload ${this.baseName}: allowClients needs at least one client`);
        const rules = clients.map((c) => this.allowMountFrom(c.name, c.securityGroupId));
        this.fileSystemPolicy = new aws.efs.FileSystemPolicy(
            `${this.baseName}-fs-policy`,
            {
                fileSystemId: this.fileSystemId,
                policy: pulumi
                    .all([this.fileSystemArn, this.accessPointArn, this.roleArn, ...clients.map((c) => c.roleArn)])
                    .apply(([fs, ap, ...roles]) => JSON.stringify(fileSystemPolicy(fs, ap, roles))),
            },
            { parent: this, dependsOn: rules },
        );
        return this.fileSystemPolicy;
    }

    /**
     * Lets the clients in `securityGroupId` reach the mount targets on NFS (2049/TCP). The rule is
     * this component's child, named `<component>-mount-from-<name>`; `name` must be unique per component.
     */
    allowMountFrom(name: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.baseName}-mount-from-${name}`,
            {
                securityGroupId: this.efsSecurityGroup.id,
                referencedSecurityGroupId: securityGroupId,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: `NFS from ${name}`,
            },
            { parent: this },
        );
    }
}
