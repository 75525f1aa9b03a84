import type * as pulumi from "@pulumi/pulumi";
import type { Engine } from "../common/engines";

/** The safety profile of a stack. */
export type Environment = "development" | "staging" | "production";
export const ENVIRONMENTS: readonly Environment[] = ["development", "staging", "production"];

/** How private subnets reach the internet. */
export type NatGateways = "none" | "single" | "onePerAz";
export const NAT_GATEWAYS: readonly NatGateways[] = ["none", "single", "onePerAz"];

/** A VPC created by the program. */
export interface NewNetworkConfig {
    readonly mode: "new";
    /** VPC CIDR, /16 to /24. Changing it replaces the VPC and everything in it. @default "10.0.0.0/16" */
    readonly cidr: string;
    /** Number of availability zones, 2–3. @default 2 (development, staging) / 3 (production) */
    readonly availabilityZones: number;
    /** NAT strategy. @default "single" (development, staging) / "onePerAz" (production) */
    readonly natGateways: NatGateways;
    /** AWS service names that get an interface endpoint, e.g. `secretsmanager`. @default [] */
    readonly interfaceEndpoints: readonly string[];
    /** VPC flow logs to CloudWatch Logs. @default true */
    readonly flowLogs: boolean;
}

/** A VPC that exists already; the program only places resources into its subnets. */
export interface ExistingNetworkConfig {
    readonly mode: "existing";
    /** The VPC to deploy into. Changing it replaces every resource. @default required */
    readonly vpcId: string;
    /** Subnets of the load balancer, two or more zones. @default required */
    readonly publicSubnetIds: readonly string[];
    /** Subnets of the app servers, the Lambda and the EFS mount targets: one per zone, two or more zones, with a route out (NAT). @default required */
    readonly privateSubnetIds: readonly string[];
    /** Subnets of the database, two or more zones, no route to the internet. @default required */
    readonly isolatedSubnetIds: readonly string[];
}

export type NetworkConfig = NewNetworkConfig | ExistingNetworkConfig;

/** Point-in-time restore of another instance into this stack's database. */
export interface RestoreToPointInTime {
    readonly sourceDbInstanceIdentifier: string;
    /** RFC 3339 time to restore to; omit for the latest restorable time. */
    readonly restoreTime?: string;
}

/**
 * The `dashboard:database` section, fully defaulted: what the Database component (components/database/) builds.
 * Defaults are per environment profile (development / production).
 */
export interface DatabaseConfig {
    /**
     * Database engine. Changing it replaces the instance: because the identifier is fixed for the
     * stack, the old one is deleted first (after its final snapshot), which Pulumi `protect` and
     * deletion protection refuse. To switch engines, migrate the data into a new stack instead.
     * @default "mariadb"
     */
    readonly engine: Engine;
    /**
     * Major version, one of the engine's supported versions in `common/engines.ts`. RDS picks
     * the newest minor version and upgrades minors automatically; raising it is a major version
     * upgrade in place (the parameter group, whose family follows the version, is replaced: the
     * new group is created first). Without `applyImmediately` (production) RDS upgrades in the
     * maintenance window and the old group cannot be deleted before then: that `pulumi up` reports
     * the failed deletion, and the next one after the window finishes it.
     * @default the engine's default version (MariaDB 11.4)
     */
    readonly version: string;
    /** RDS instance class; changed in place (in the maintenance window in production). @default "db.t4g.micro" (development) / "db.t4g.small" */
    readonly instanceClass: string;
    /** Initial storage, GB; RDS grows it, so lowering it later is ignored by the provider. @default 20 */
    readonly storageGb: number;
    /** Storage autoscaling limit, GB; below 110 % of `storageGb` autoscaling is off. @default 100 */
    readonly maxStorageGb: number;
    /** Standby in a second zone. @default false (development) / true */
    readonly multiAz: boolean;
    /** Days of automated backups kept. @default 7 / 14 (production) */
    readonly backupRetentionDays: number;
    /** Days between rotations of the managed master password. @default 30 */
    readonly passwordRotationDays: number;
    /** RDS deletion protection. @default false (development) / true */
    readonly deletionProtection: boolean;
    /**
     * Create the instance from this DB snapshot (identifier or ARN). Used only at creation and
     * ignored afterwards: removing or changing it never replaces the database. The snapshot must
     * be encrypted and its engine the same as `engine`; its master user and database come along.
     * @default none (a new, empty database)
     */
    readonly snapshotIdentifier?: string;
    /**
     * Create the instance as a point-in-time copy of another instance (no `restoreTime`: its latest
     * restorable time). Used only at creation and ignored afterwards.
     * @default none
     */
    readonly restoreToPointInTime?: RestoreToPointInTime;
    /**
     * Extra or overriding parameter-group settings. Known dynamic parameters apply at once, every
     * other one at the next reboot (`pending-reboot` is accepted for every parameter).
     * @default {}
     */
    readonly parameters: Readonly<Record<string, string>>;
    /**
     * KMS key for storage encryption (ARN, id or alias; resolved to the key ARN). Used only when the
     * instance is created (a restore keeps the snapshot's key) and ignored afterwards.
     * @default none (the AWS-managed `aws/rds` key)
     */
    readonly kmsKeyId?: string;
    /** Master user name, set at creation and ignored afterwards (a restore keeps the snapshot's). @default "dashboard_admin" */
    readonly masterUsername: string;
    /** Initial database, created with the instance and ignored afterwards. @default "dashboard" */
    readonly databaseName: string;
    /** Daily backup window, UTC. @default "02:00-03:00" */
    readonly backupWindow: string;
    /** Weekly maintenance window, UTC. @default "sun:03:30-sun:04:30" */
    readonly maintenanceWindow: string;
    /** Enhanced monitoring interval in seconds, 0 = off (no role is created). @default 0 / 60 (production) */
    readonly monitoringIntervalSeconds: number;
    /** Apply modifications at once instead of in the maintenance window. @default true / false (production) */
    readonly applyImmediately: boolean;
}

export interface ContainerConfig {
    /** Image reference, e.g. `registry/dashboard:2026.11`. */
    readonly image: string;
    /** Non-secret environment variables for the container. */
    readonly env: Readonly<Record<string, string>>;
}

/** Where the app servers' boot script writes the database credentials and licence. */
export interface EnvFileConfig {
    /** The main env file (mode 0600, owned by the app user). */
    readonly path: string;
    /** Further files that get the database variables but not the licence or static ones. */
    readonly extraPaths: readonly string[];
    /** Variable names the application expects. */
    readonly names: Readonly<{
        host: string;
        port: string;
        username: string;
        password: string;
        database: string;
        engine: string;
        licence: string;
    }>;
    /** Fixed variables written into the main file only. */
    readonly static: Readonly<Record<string, string>>;
    /** The unprivileged user that owns the files and runs the app. */
    readonly owner: string;
}

export interface AppConfig {
    /** An AMI id or `ssm:/parameter/path`, resolved by EC2 at each launch. */
    readonly ami: string;
    /**
     * Device name of the image's root volume: /dev/xvda on Amazon Linux, /dev/sda1 on Ubuntu (the vendor AMI).
     * After `resolveConfig`: the image's own root device (a different configured one is refused).
     */
    readonly rootDeviceName: string;
    readonly instanceType: string;
    readonly port: number;
    readonly healthCheckPath: string;
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    readonly scaleOutCpuPercent: number;
    readonly scaleInCpuPercent: number;
    /** Root volume, GB. After `resolveConfig`: at least the image's root snapshot. */
    readonly volumeGb: number;
    /** What the stack file set for the root volume, before the image was looked up (undefined: not set). */
    readonly requested: { readonly rootDeviceName?: string; readonly volumeGb?: number };
    readonly stickinessSeconds: number;
    readonly container?: ContainerConfig;
    readonly envFile: EnvFileConfig;
    /** systemd units restarted after the database secret rotates (AMI mode; container mode restarts its own unit). */
    readonly services: readonly string[];
    /** Log files (globs allowed) the CloudWatch agent ships, besides the boot log. */
    readonly logFiles: readonly string[];
    /** The licence key, always a secret Output; undefined when not configured. */
    readonly licenceKey?: pulumi.Output<string>;
}

export interface DomainConfig {
    /** Fully qualified name the dashboard is served on. */
    readonly name: string;
    /** Route 53 hosted zone name or id. */
    readonly hostedZone: string;
    /** An existing ACM certificate; else one is created and validated by DNS. */
    readonly certificateArn?: string;
}

export interface IngressConfig {
    readonly allowedCidrs: readonly string[];
}

export interface SideloadConfig {
    /** Upload prefixes in the bucket. */
    readonly folders: readonly string[];
    /** Upload prefix → directory name on the file system (excel-data → excel). */
    readonly directories: Readonly<Record<string, string>>;
    /** Where the app servers mount the file system. */
    readonly mountPath: string;
    /** If set, each content directory is linked into this directory on the app servers. */
    readonly linkInto?: string;
    readonly uid: number;
    readonly gid: number;
    /** Reserved concurrent executions of the sideload function; undefined (config 0 or unset) = no reservation. */
    readonly reservedConcurrency?: number;
}

export interface AlertsConfig {
    readonly emails: readonly string[];
}

export interface StatusPageConfig {
    readonly enabled: boolean;
    readonly checkIntervalMinutes: number;
    readonly title: string;
    /** Reserved concurrent executions of the page function; undefined (config 0 or unset) = no reservation. */
    readonly reservedConcurrency?: number;
}

/** The whole, fully defaulted stack configuration. */
export interface DashboardConfig {
    readonly customer: string;
    readonly environment: Environment;
    readonly network: NetworkConfig;
    readonly database: DatabaseConfig;
    readonly app: AppConfig;
    readonly domain?: DomainConfig;
    readonly ingress: IngressConfig;
    readonly sideload: SideloadConfig;
    readonly alerts?: AlertsConfig;
    readonly statusPage: StatusPageConfig;
    readonly protect: boolean;
    readonly logRetentionDays: number;
    readonly allowUnsafeProduction: boolean;
}
