import type * as pulumi from "@pulumi/pulumi";
import type { AppConfig, DomainConfig, Environment } from "../../config/types";
import type { EfsUtilsSource } from "./instanceAutomationPlan";

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

/** What both compute platforms of the app tier take: the network, who may reach it, the environment and retention. */
export interface AppTierArgs {
    /**
     * Domain served over HTTPS (alias record, certificate). Without one the load
     * balancer answers plain HTTP on port 80 (development only: config refuses
     * production without a domain). Changing `name` replaces the certificate.
     * @default none
     */
    readonly domain?: DomainConfig;
    /** Who may reach the load balancer on its listener ports (IPv4 or IPv6 CIDR blocks). @default required */
    readonly allowedCidrs: readonly string[];
    /** `production` turns on load-balancer deletion protection and access logs (a dedicated bucket). @default required */
    readonly environment: Environment;
    /** The VPC. Changing it replaces everything. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the load balancer, one per zone. @default required */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets of the app servers or tasks, one per zone (no public address; ECS spreads each service over their zones). @default required */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Retention of the app tier's log groups (a value CloudWatch Logs accepts). @default required */
    readonly logRetentionDays: number;
    /** Pulumi `protect` on the access-log bucket (production). @default required */
    readonly protect: boolean;
}

export interface AppClusterArgs extends AppTierArgs {
    /**
     * The app settings (image, size, scaling, env file, container, licence). A
     * change to anything the launch template carries (AMI, instance type, volume,
     * user data inputs) makes a new template version and a rolling instance
     * refresh; `desiredSize` applies only when the group is created. Changing
     * `port` replaces the target group. @default required
     */
    readonly app: AppConfig;
    /** The database the app uses. @default required */
    readonly database: AppDatabaseArgs;
    /** The shared content file system. @default required */
    readonly sideload: AppSideloadArgs;
    /**
     * Device name of the AMI's root volume, which gets the encrypted gp3 volume of
     * `app.volumeGb`. Amazon Linux 2023 uses `/dev/xvda`; Ubuntu images (the
     * vendor AMI) use `/dev/sda1`. A wrong name adds a second volume and leaves the
     * root volume at the image's size.
     * @default "/dev/xvda"
     */
    readonly rootDeviceName?: string;
    /**
     * Extra tags for the instances and their volumes. Provider default tags do not
     * reach what the Auto Scaling group launches, so pass them here.
     * @default {}
     */
    readonly instanceTags?: Readonly<Record<string, string>>;
    /**
     * Where the servers get amazon-efs-utils: `distributor` adds a State Manager association that
     * installs AWS's AmazonEFSUtils package on each instance of the group (the vendor's Ubuntu image);
     * `image` leaves it to the image's own repository (Amazon Linux's dnf). Adds or removes only the association.
     * @default efsUtilsSource(app.ami): `image` for an Amazon Linux public parameter, else `distributor`
     */
    readonly efsUtils?: EfsUtilsSource;
}
