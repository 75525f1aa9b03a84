import type * as pulumi from "@pulumi/pulumi";

/** What the app servers need to know about the database. */
export interface AppDatabaseArgs {
    /** Host name of the database. @default required */
    readonly address: pulumi.Input<string>;
    /** Port of the database; the app group gets egress to it. @default required */
    readonly port: pulumi.Input<number>;
    /** Engine name written into the env file (mariadb, postgres, mysql). @default required */
    readonly engine: pulumi.Input<string>;
    /** Schema/database name written into the env file. @default required */
    readonly databaseName: pulumi.Input<string>;
    /** ARN of the Secrets Manager secret with the credentials; the instance role may read exactly this secret. @default required */
    readonly secretArn: pulumi.Input<string>;
    /**
     * The database's security group: the app group's egress to `port` names it.
     * @default none: egress to `port` goes to the VPC's CIDR block instead
     */
    readonly securityGroupId?: pulumi.Input<string>;
}

/** What the app servers need to know about the shared content file system. */
export interface AppSideloadArgs {
    /** EFS file system id. @default required */
    readonly fileSystemId: pulumi.Input<string>;
    /** EFS file system ARN (the instance role's mount permission names it). @default required */
    readonly fileSystemArn: pulumi.Input<string>;
    /** The access point the servers mount through. @default required */
    readonly accessPointId: pulumi.Input<string>;
    /** The access point's ARN (condition of the mount permission). @default required */
    readonly accessPointArn: pulumi.Input<string>;
    /** Mount path on the app servers. @default required */
    readonly mountPath: string;
    /** Upload prefix → directory name on the file system. @default required */
    readonly directories: Readonly<Record<string, string>>;
    /** Directory the content directories are linked into on the servers. @default none */
    readonly linkInto?: string;
    /**
     * The file system's security group: the app group's egress to NFS (2049) names it.
     * @default none: egress to 2049 goes to the VPC's CIDR block instead
     */
    readonly securityGroupId?: pulumi.Input<string>;
    /**
     * The file system's mount targets: the Auto Scaling group waits for them, so
     * the first servers do not boot before there is anything to mount.
     * @default [] (the boot script retries the mount instead)
     */
    readonly mountTargets?: readonly pulumi.Resource[];
}
