/** The `dashboard:database` section: engine and version, storage, restore, parameters, windows. */
import { z } from "zod";
import { ENGINE_INFO, ENGINES, supportedVersions } from "../common/engines";
import { across, bool, int, oneOf, section, str, stringMap, say } from "./kit";
import { COMMON_DEFAULTS, type Profile } from "./profiles";
import { BACKUP_WINDOW, DB_CLASS, DB_IDENTIFIER, DB_NAME, DB_USER, KMS_KEY, MAINTENANCE_WINDOW, PARAMETER, RFC3339 } from "./patterns";

const restoreToPointInTime = section({
    sourceDbInstanceIdentifier: str(DB_IDENTIFIER, "use a DB instance identifier or ARN", "name the instance to restore from").meta({ description: "The instance to copy (identifier or ARN)." }),
    restoreTime: str(RFC3339, "use an RFC 3339 time such as 2026-11-01T12:00:00Z, or omit it for the latest restorable time").optional().meta({ description: "RFC 3339 time to restore to. Default: the latest restorable time" }),
});

const d = COMMON_DEFAULTS.database;

/** The keys as the stack file writes them, each with its default for a profile. */
const shapeFor = (profile: Profile) => ({
    engine: oneOf(ENGINES).default("mariadb").meta({
        description: "Database engine: mariadb, postgres or mysql. Changing it replaces the instance (the old one is deleted first, after its final snapshot, which protect and deletion protection refuse): migrate into a new stack instead. Default: mariadb",
    }),
    version: z
        .union([z.string(), z.number()], { error: say("must be a string", "quote the version, e.g. \"11.4\"") })
        .transform(String)
        .optional()
        .meta({ description: "Major version: MariaDB 10.11, 11.4, 11.8; PostgreSQL 15, 16, 17; MySQL 8.4. RDS picks and upgrades the minor version; raising it is a major upgrade in place (in the maintenance window in production). Default: 11.4 (MariaDB), 17 (PostgreSQL), 8.4 (MySQL)" }),
    instanceClass: str(DB_CLASS, "use an RDS instance class such as db.t4g.small").default(profile.instanceClass).meta({ description: "RDS instance class; changed in place. Default: db.t4g.micro (development) / db.t4g.small" }),
    storageGb: int({ min: 20, max: 65536 }, " GB").default(d.storageGb).meta({ description: "Initial gp3 storage, GB; RDS grows it, so lowering it later is ignored. Default: 20" }),
    maxStorageGb: int({ min: 20, max: 65536 }, " GB").optional().meta({ description: "Storage autoscaling ceiling, GB: equal to storageGb (no autoscaling) or at least 10 % above. Default: 100" }),
    multiAz: bool().default(profile.multiAz).meta({ description: "Standby in a second zone. Default: false (development) / true" }),
    backupRetentionDays: int({ min: 1, max: 35 }, " days").default(profile.backupRetentionDays).meta({ description: "Days of automated backups kept, 1–35. Default: 7 / 14 (production)" }),
    passwordRotationDays: int({ min: 1, max: 365 }, " days").default(d.passwordRotationDays).meta({ description: "Days between rotations of the RDS-managed master password. Default: 30" }),
    snapshotIdentifier: str(DB_IDENTIFIER, "use a snapshot identifier or ARN").optional().meta({
        description: "Create the instance from this encrypted DB snapshot (identifier or ARN) of the same engine; used only at creation, ignored afterwards. Default: none (a new, empty database)",
    }),
    restoreToPointInTime: restoreToPointInTime.optional().meta({ description: "Create the instance as a point-in-time copy of another instance; used only at creation. Default: none" }),
    deletionProtection: bool().default(profile.deletionProtection).meta({ description: "RDS deletion protection. Default: false (development) / true" }),
    parameters: stringMap(PARAMETER, "use the engine's parameter names, e.g. max_connections").default({}).meta({
        description: "Extra or overriding parameter-group settings; known dynamic parameters apply at once, others at the next reboot. TLS cannot be switched off. Default: {}",
    }),
    kmsKeyId: str(KMS_KEY, "use a KMS key ARN, key id or alias/name").optional().meta({ description: "KMS key for storage encryption (ARN, id or alias), used only at creation. Default: the AWS-managed aws/rds key" }),
    masterUsername: str(DB_USER, "use 1–16 lower-case letters, digits or '_', starting with a letter").default(d.masterUsername).meta({ description: "Master user name, set at creation. Default: dashboard_admin" }),
    databaseName: str(DB_NAME, "use lower-case letters, digits or '_', starting with a letter").default(d.databaseName).meta({ description: "Initial database, created with the instance. Default: dashboard" }),
    backupWindow: str(BACKUP_WINDOW, "use hh:mm-hh:mm in UTC, e.g. 02:00-03:00").default(d.backupWindow).meta({ description: "Daily backup window, UTC. Default: 02:00-03:00" }),
    maintenanceWindow: str(MAINTENANCE_WINDOW, "use ddd:hh:mm-ddd:hh:mm in UTC, e.g. sun:03:30-sun:04:30").default(d.maintenanceWindow).meta({ description: "Weekly maintenance window, UTC. Default: sun:03:30-sun:04:30" }),
});

type DatabaseInput = z.output<ReturnType<typeof section<ReturnType<typeof shapeFor>>>>;

const versionRule = across<DatabaseInput>(["engine", "version"], (d, report) => {
    const engine = d.engine;
    if (d.version !== undefined && !Object.hasOwn(ENGINE_INFO[engine].versions, d.version)) {
        report(["version"], `${engine} ${d.version} is not supported`, `use one of ${supportedVersions(engine).join(", ")} (major versions; minor versions upgrade automatically)`);
    }
});

const storageRule = across<DatabaseInput>(["storageGb", "maxStorageGb"], (d, report) => {
    const storageGb = d.storageGb;
    const max = d.maxStorageGb ?? Math.max(COMMON_DEFAULTS.database.maxStorageGb, storageGb);
    const autoscaling = Math.ceil((storageGb * 11) / 10); // RDS needs a ceiling at least 10 % above the allocated storage
    if (max < storageGb) report(["maxStorageGb"], `${max} GB is below storageGb (${storageGb} GB)`, "set maxStorageGb to storageGb or more");
    else if (max !== storageGb && max < autoscaling) report(["maxStorageGb"], `${max} GB is less than 10 % above storageGb (${storageGb} GB)`, `set it to ${storageGb} (no autoscaling) or ${autoscaling} or more`);
});

const restoreRule = across<DatabaseInput>(["snapshotIdentifier", "restoreToPointInTime"], (d, report) => {
    if (d.restoreToPointInTime !== undefined && d.snapshotIdentifier !== undefined) {
        report(["restoreToPointInTime"], "cannot be combined with database.snapshotIdentifier", "restore from a snapshot or from a point in time, not both");
    }
});

const tlsRule = across<DatabaseInput>(["engine", "parameters"], (d, report) => {
    const tls = ENGINE_INFO[d.engine].tlsParameter;
    const value = d.parameters[tls.name];
    if (value !== undefined && value !== tls.value) report(["parameters", tls.name], "would allow unencrypted connections", `remove it: ${tls.name} stays ${tls.value}`);
});

/**
 * The database section for a profile: the stack file's keys, the rules across them, and the
 * profile's defaults (what the Database component builds).
 * @param profile the environment profile whose defaults apply @default required
 */
export function databaseSchema(profile: Profile) {
    return section(shapeFor(profile))
        .check(versionRule, storageRule, restoreRule, tlsRule)
        .transform((v) => ({
            ...v,
            snapshotIdentifier: v.snapshotIdentifier,
            restoreToPointInTime: v.restoreToPointInTime,
            kmsKeyId: v.kmsKeyId,
            version: v.version ?? ENGINE_INFO[v.engine].defaultVersion,
            maxStorageGb: v.maxStorageGb ?? Math.max(d.maxStorageGb, v.storageGb),
            /** Enhanced monitoring interval in seconds, 0 = off (no role is created): the profile's, not configurable. */
            monitoringIntervalSeconds: profile.monitoringIntervalSeconds,
            /** Apply modifications at once instead of in the maintenance window: the profile's (never in production). */
            applyImmediately: profile.applyImmediately,
        }));
}
