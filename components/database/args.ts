import type * as pulumi from "@pulumi/pulumi";
import type { Engine } from "../../common/engines";
import type { DatabaseConfig, RestoreToPointInTime } from "../../config/types";

/**
 * Arguments of {@link Database}: the fully defaulted `database` config plus what
 * the network and the stack provide.
 */
export interface DatabaseArgs extends DatabaseConfig {
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
    /** VPC of the database's security group. Changing it replaces the group. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets of the subnet group (two or more zones). @default required */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Pulumi `protect` on the instance. @default required */
    readonly protect: boolean;
    /** Retention of the exported log groups, days. @default required */
    readonly logRetentionDays: number;
}
