/**
 * The RDS instance's pure inputs: identifiers, storage limits, restore inputs and the inputs
 * ignored after creation. No Pulumi resources; tested with tables.
 */
import type { DatabaseConfig } from "../../config/types";

/**
 * `maxAllocatedStorage` for a storage size and limit: RDS requires the limit to be
 * at least 10 % above the allocated storage, so a lower limit turns autoscaling off (0).
 */
export function storageAutoscalingLimit(storageGb: number, maxStorageGb: number): number {
    // In integers: 100 * 1.1 is 110.00000000000001 in floating point.
    return maxStorageGb * 10 >= storageGb * 11 ? maxStorageGb : 0;
}

/**
 * The storage an instance can grow to, GB: the autoscaling ceiling, or the allocated storage when
 * autoscaling is off. What the free-storage alarm measures against.
 */
export function storageCeilingGb(storageGb: number, maxStorageGb: number): number {
    const limit = storageAutoscalingLimit(storageGb, maxStorageGb);
    return limit > 0 ? limit : storageGb;
}

/** The DB instance identifier: `dashboard-` and the stack's random suffix. */
export function instanceIdentifier(suffix: string): string {
    return `dashboard-${suffix}`;
}

/** The final snapshot taken when the instance is deleted. */
export function finalSnapshotIdentifier(identifier: string): string {
    return `${identifier}-final`;
}

/** The log group RDS exports a log type of an instance to. */
export function rdsLogGroupName(identifier: string, logType: string): string {
    return `/aws/rds/instance/${identifier}/${logType}`;
}

/** How the instance is created: empty, from a snapshot, or from a point in time. */
export interface RestoreInputs {
    readonly snapshotIdentifier?: string;
    readonly restoreToPointInTime?: {
        readonly sourceDbInstanceIdentifier: string;
        readonly restoreTime?: string;
        readonly useLatestRestorableTime?: boolean;
    };
}

/** The instance's restore inputs; no `restoreTime` means the latest restorable time. */
export function restoreInputs(config: Pick<DatabaseConfig, "snapshotIdentifier" | "restoreToPointInTime">): RestoreInputs {
    if (config.snapshotIdentifier !== undefined) return { snapshotIdentifier: config.snapshotIdentifier };
    const pitr = config.restoreToPointInTime;
    if (pitr === undefined) return {};
    return {
        restoreToPointInTime:
            pitr.restoreTime === undefined
                ? { sourceDbInstanceIdentifier: pitr.sourceDbInstanceIdentifier, useLatestRestorableTime: true }
                : { sourceDbInstanceIdentifier: pitr.sourceDbInstanceIdentifier, restoreTime: pitr.restoreTime },
    };
}

/**
 * Instance inputs ignored after creation, so that no config change can replace
 * the database through them (each one forces a replacement in the provider):
 * - `snapshotIdentifier`, `restoreToPointInTime`: only mean something at creation;
 *   removing them once restored must not create a new, empty database.
 * - `username`, `dbName`, `kmsKeyId`: set at creation (or taken from the snapshot,
 *   which may differ from the config); a later change would recreate the instance.
 *
 * `engineVersion` is deliberately NOT ignored: it holds the major version only, and
 * with `autoMinorVersionUpgrade` the AWS provider treats a configured prefix such as
 * `11.4` as matching the running `11.4.5` (the running version is reported in
 * `engineVersionActual`), so minor upgrades never show as a diff while raising the
 * major version in config performs the upgrade.
 */
export const INSTANCE_IGNORE_CHANGES: readonly string[] = ["snapshotIdentifier", "restoreToPointInTime", "username", "dbName", "kmsKeyId"];

/** Performance Insights retention in days: 7 is the free tier. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** The CA that signs the instance's TLS certificate. */
export const CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";
