import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContentBucket } from "./contentBucket";
import { checkSideloadNumbers, sideloadFolderMap } from "./policies";
import { SharedFileSystem } from "./sharedFileSystem";
import { SyncFunction } from "./syncFunction";

export { CONTENT_ROOT, NFS_PORT } from "./policies";

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
    /**
     * The access points the client mounts through, when not the Sideload's own (rooted at `/content`):
     * e.g. a Fargate task's per-volume access points. The client then gets a statement of its own
     * (`Mount<Name>`), so its role can use only these. Updated in place.
     * @default none (the Sideload's access point, in one statement with the function's role)
     */
    readonly accessPointArns?: readonly pulumi.Input<string>[];
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

/** What every part of a Sideload ({@link ContentBucket}, {@link SharedFileSystem}, {@link SyncFunction}) takes. */
export interface SideloadPartArgs {
    /**
     * The Sideload's name: the part's resources keep their `<prefix>-<role>` names from before the
     * split (`<prefix>-bucket`, `<prefix>-fs`, `<prefix>-function`, …); a new prefix replaces them.
     * @default none (required)
     */
    readonly prefix: string;
}

/**
 * Sideload: objects uploaded under the allowed folders of a private, versioned
 * bucket are copied by a Lambda onto an encrypted EFS file system that every
 * app server mounts (`tls,iam,accesspoint=<accessPointId>`); deletions propagate.
 *
 * - {@link ContentBucket} (`<name>-content`): auto-named, SSE-S3, versioned, all public access
 *   blocked, ACLs off, TLS-only policy, lifecycle for old versions, delete markers and multipart uploads.
 * - {@link SharedFileSystem} (`<name>-filesystem`): encrypted EFS, elastic throughput, IA after
 *   30 days, AWS Backup enabled, one mount target per zone, a policy allowing only the function's
 *   role and the roles granted with {@link Sideload.allowClients}, only through the access point
 *   and only over TLS; its security group admits NFS only from the function and the groups granted there.
 * - {@link SyncFunction} (`<name>-sync`): the Lambda (Node.js 22, arm64) in the private subnets,
 *   failures after two retries to an encrypted SQS queue kept 14 days.
 *
 * Every resource keeps the name it had when it was the Sideload's own child (`<name>-bucket`,
 * `<name>-fs`, `<name>-function`, …) and answers to that URN through an alias to the Sideload.
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
    private readonly fileSystem: SharedFileSystem;
    private fileSystemPolicy: aws.efs.FileSystemPolicy | undefined;

    constructor(name: string, args: SideloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:sideload:Sideload", name, {}, opts);
        this.baseName = name;
        checkSideloadNumbers(args);
        const folderMap = sideloadFolderMap(args.folders, args.directories);
        const parent = { parent: this };

        const bucket = new ContentBucket(`${name}-content`, { prefix: name, protect: args.protect }, parent);
        this.fileSystem = new SharedFileSystem(
            `${name}-filesystem`,
            { prefix: name, vpcId: args.vpcId, subnetIds: args.subnetIds, availabilityZoneCount: args.availabilityZoneCount, uid: args.uid, gid: args.gid, protect: args.protect },
            parent,
        );
        const sync = new SyncFunction(
            `${name}-sync`,
            {
                prefix: name,
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                folderMap,
                reservedConcurrency: args.reservedConcurrency,
                logRetentionDays: args.logRetentionDays,
                bucket,
                fileSystem: this.fileSystem,
            },
            parent,
        );

        this.bucketName = bucket.bucketName;
        this.bucketArn = bucket.bucketArn;
        this.fileSystemId = this.fileSystem.fileSystemId;
        this.fileSystemArn = this.fileSystem.fileSystemArn;
        this.accessPointId = this.fileSystem.accessPointId;
        this.accessPointArn = this.fileSystem.accessPointArn;
        this.mountTargets = this.fileSystem.mountTargets;
        this.securityGroupId = this.fileSystem.securityGroupId;
        this.functionName = sync.function.name;
        this.functionArn = sync.function.arn;
        this.deadLetterQueueUrl = sync.deadLetterQueue.url;
        this.deadLetterQueueArn = sync.deadLetterQueue.arn;
        this.deadLetterQueueName = sync.deadLetterQueue.name;
        this.lambdaSecurityGroupId = sync.securityGroupId;
        this.roleArn = sync.roleArn;
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
     * access point (or the client's own `accessPointArns`, in a statement of its own) and over TLS
     * only; every other principal is denied. Call it once, with every
     * client: until then the file system has no policy, and a second call would need a second policy.
     * The rules and the policy are children of the {@link SharedFileSystem} (aliased to this component).
     */
    allowClients(clients: readonly MountClient[]): aws.efs.FileSystemPolicy {
        if (this.fileSystemPolicy !== undefined) throw new Error(`Sideload ${this.baseName}: allowClients was already called; pass every client in one call`);
        if (clients.length === 0) throw new Error(`Sideload ${this.baseName}: allowClients needs at least one client`);
        const rules = clients.map((c) => this.allowMountFrom(c.name, c.securityGroupId));
        const own = clients.filter((c) => c.accessPointArns !== undefined);
        const grants = [
            { roleArns: [this.roleArn, ...clients.filter((c) => c.accessPointArns === undefined).map((c) => c.roleArn)] },
            ...own.map((c) => ({ sid: mountSid(c.name), roleArns: [c.roleArn], accessPointArns: c.accessPointArns })),
        ];
        this.fileSystemPolicy = this.fileSystem.allowGrants(grants, rules);
        return this.fileSystemPolicy;
    }

    /**
     * Lets the clients in `securityGroupId` reach the mount targets on NFS (2049/TCP). The rule is
     * named `<component>-mount-from-<name>` (a child of the {@link SharedFileSystem}, aliased to this
     * component); `name` must be unique per component.
     */
    allowMountFrom(name: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return this.fileSystem.allowMountFrom(name, securityGroupId);
    }
}

/** The Sid of a client's own statement: `app-dashboard` → `MountAppDashboard`. */
function mountSid(name: string): string {
    return `Mount${name.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}`;
}
