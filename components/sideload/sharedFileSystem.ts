import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SideloadArgs, SideloadPartArgs } from ".";
import { CONTENT_ROOT, NFS_PORT, fileSystemPolicy, subnetAt, type MountGrant } from "./policies";

/** Arguments of {@link SharedFileSystem}: the network, the access point's user and `protect`, as the Sideload's. */
export interface SharedFileSystemArgs extends SideloadPartArgs, Pick<SideloadArgs, "vpcId" | "subnetIds" | "availabilityZoneCount" | "uid" | "gid" | "protect"> {}

/**
 * The content file system of a Sideload: encrypted EFS with elastic throughput, IA after 30
 * days, AWS Backup enabled, one mount target per zone behind a security group that admits NFS
 * only from the groups granted with {@link allowMountFrom}, one access point, and (once the
 * clients are known, {@link allowGrants}) the file system policy. Its resources were the
 * Sideload's own children: each keeps its name and answers to its old URN through an alias.
 */
export class SharedFileSystem extends pulumi.ComponentResource {
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly fileSystemArn: pulumi.Output<string>;
    public readonly accessPointId: pulumi.Output<string>;
    public readonly accessPointArn: pulumi.Output<string>;
    /** The mount targets' security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly mountTargets: aws.efs.MountTarget[];

    private readonly prefix: string;
    private readonly moved: pulumi.CustomResourceOptions;

    constructor(name: string, args: SharedFileSystemArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
        super("dashboard:sideload:SharedFileSystem", name, {}, opts);
        this.prefix = args.prefix;
        this.moved = { parent: this, aliases: [{ parent: opts.parent }] };
        const p = args.prefix;
        const fileSystem = new aws.efs.FileSystem(
            `${p}-fs`,
            {
                encrypted: true,
                performanceMode: "generalPurpose",
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: { Name: `${p}-content` },
            },
            { ...this.moved, protect: args.protect },
        );
        new aws.efs.BackupPolicy(`${p}-fs-backup`, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, this.moved);
        const securityGroup = new aws.ec2.SecurityGroup(
            `${p}-efs-sg`,
            { vpcId: args.vpcId, description: "Sideload file system mount targets: NFS from granted groups only", tags: { Name: `${p}-efs` } },
            this.moved,
        );
        const subnetIds = pulumi.output(args.subnetIds);
        const zoneCount = args.availabilityZoneCount;
        this.mountTargets = Array.from(
            { length: zoneCount },
            (_, i) =>
                new aws.efs.MountTarget(
                    `${p}-mount-${i}`,
                    { fileSystemId: fileSystem.id, subnetId: subnetIds.apply((ids) => subnetAt(ids, i, zoneCount)), securityGroups: [securityGroup.id] },
                    this.moved,
                ),
        );
        const accessPoint = new aws.efs.AccessPoint(
            `${p}-access-point`,
            {
                fileSystemId: fileSystem.id,
                posixUser: { uid: args.uid, gid: args.gid },
                rootDirectory: { path: CONTENT_ROOT, creationInfo: { ownerUid: args.uid, ownerGid: args.gid, permissions: "0755" } },
                tags: { Name: `${p}-content` },
            },
            this.moved,
        );
        this.fileSystemId = fileSystem.id;
        this.fileSystemArn = fileSystem.arn;
        this.accessPointId = accessPoint.id;
        this.accessPointArn = accessPoint.arn;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            fileSystemArn: this.fileSystemArn,
            accessPointId: this.accessPointId,
            accessPointArn: this.accessPointArn,
            securityGroupId: this.securityGroupId,
        });
    }

    /**
     * Lets the clients in `securityGroupId` reach the mount targets on NFS (2049/TCP): the rule
     * `<prefix>-mount-from-<name>`; `name` must be unique per file system.
     */
    allowMountFrom(name: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.prefix}-mount-from-${name}`,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: securityGroupId,
                ipProtocol: "tcp",
                fromPort: NFS_PORT,
                toPort: NFS_PORT,
                description: `NFS from ${name}`,
            },
            this.moved,
        );
    }

    /**
     * The one file system policy, `<prefix>-fs-policy`: only the grants' roles may mount and write, each
     * through its grant's access points (this component's access point when a grant names none), and
     * over TLS ({@link fileSystemPolicy}); created after `dependsOn` (the clients' rules).
     */
    allowGrants(grants: readonly FileSystemGrant[], dependsOn: readonly pulumi.Resource[]): aws.efs.FileSystemPolicy {
        const resolved: pulumi.Output<MountGrant[]> = pulumi.all(
            grants.map((g) =>
                pulumi.all([pulumi.all([...g.roleArns]), pulumi.all([...(g.accessPointArns ?? [this.accessPointArn])])]).apply(([roleArns, accessPointArns]) => ({ sid: g.sid, roleArns, accessPointArns })),
            ),
        );
        return new aws.efs.FileSystemPolicy(
            `${this.prefix}-fs-policy`,
            {
                fileSystemId: this.fileSystemId,
                policy: pulumi.all([this.fileSystemArn, resolved]).apply(([fs, all]) => JSON.stringify(fileSystemPolicy(fs, all))),
            },
            { ...this.moved, dependsOn: [...dependsOn] },
        );
    }
}

/** One grant of {@link SharedFileSystem.allowGrants}: roles and the access points they mount through. */
export interface FileSystemGrant {
    /** The Allow statement's Sid, letters and digits. @default "MountThroughAccessPoint" for the first grant */
    readonly sid?: string;
    /** The roles granted. @default none (required) */
    readonly roleArns: readonly pulumi.Input<string>[];
    /** The access points they may mount through. @default the file system's own access point (rooted at `/content`) */
    readonly accessPointArns?: readonly pulumi.Input<string>[];
}
