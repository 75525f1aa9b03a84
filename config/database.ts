/** The `dashboard:database` section: engine and version, storage, restore, parameters, windows. */
import { ENGINE_INFO, ENGINES, isEngine, supportedVersions, type Engine } from "../common/engines";
import type { Checker } from "./checker";
import { COMMON_DEFAULTS, type Profile } from "./profiles";
import type { DatabaseConfig, Environment } from "./types";
import { BACKUP_WINDOW, DB_CLASS, DB_IDENTIFIER, DB_NAME, DB_USER, KMS_KEY, MAINTENANCE_WINDOW, PARAMETER, RFC3339 } from "./patterns";

const DATABASE_KEYS = [
    "engine", "version", "instanceClass", "storageGb", "maxStorageGb", "multiAz", "backupRetentionDays",
    "passwordRotationDays", "snapshotIdentifier", "restoreToPointInTime", "deletionProtection", "parameters",
    "kmsKeyId", "masterUsername", "databaseName", "backupWindow", "maintenanceWindow",
] as const;

export function readDatabase(c: Checker, value: unknown, profile: Profile, environment: Environment): DatabaseConfig {
    const d = c.object("database", value, DATABASE_KEYS) ?? {};
    const engine = c.oneOf<Engine>("database.engine", d.engine, "mariadb", ENGINES);
    const info = ENGINE_INFO[isEngine(engine) ? engine : "mariadb"];
    let version = info.defaultVersion;
    if (d.version !== undefined) {
        const v = typeof d.version === "number" ? String(d.version) : d.version;
        version = c.string("database.version", v, info.defaultVersion);
        if (typeof v === "string" && !Object.hasOwn(info.versions, v)) {
            c.report("database.version", `${engine} ${v} is not supported`, `use one of ${supportedVersions(engine).join(", ")} (major versions; minor versions upgrade automatically)`);
        }
    }
    const storageGb = c.int("database.storageGb", d.storageGb, COMMON_DEFAULTS.database.storageGb, { min: 20, max: 65536 }, " GB");
    const maxStorageGb = c.int("database.maxStorageGb", d.maxStorageGb, Math.max(COMMON_DEFAULTS.database.maxStorageGb, storageGb), { min: 20, max: 65536 }, " GB");
    if (maxStorageGb < storageGb) {
        c.report("database.maxStorageGb", `${maxStorageGb} GB is below storageGb (${storageGb} GB)`, "set maxStorageGb to storageGb or more");
    } else if (maxStorageGb !== storageGb && maxStorageGb < Math.ceil((storageGb * 11) / 10)) {
        // RDS storage autoscaling needs a ceiling at least 10 % above the allocated storage.
        c.report("database.maxStorageGb", `${maxStorageGb} GB is less than 10 % above storageGb (${storageGb} GB)`, `set it to ${storageGb} (no autoscaling) or ${Math.ceil((storageGb * 11) / 10)} or more`);
    }
    const snapshotIdentifier = c.optionalString("database.snapshotIdentifier", d.snapshotIdentifier, DB_IDENTIFIER, "use a snapshot identifier or ARN");
    let restoreToPointInTime: DatabaseConfig["restoreToPointInTime"];
    const r = c.object("database.restoreToPointInTime", d.restoreToPointInTime, ["sourceDbInstanceIdentifier", "restoreTime"]);
    if (r !== undefined) {
        if (r.sourceDbInstanceIdentifier === undefined) {
            c.report("database.restoreToPointInTime.sourceDbInstanceIdentifier", "is required", "name the instance to restore from");
        }
        restoreToPointInTime = {
            sourceDbInstanceIdentifier: c.string("database.restoreToPointInTime.sourceDbInstanceIdentifier", r.sourceDbInstanceIdentifier, "", DB_IDENTIFIER, "use a DB instance identifier or ARN"),
            restoreTime: c.optionalString("database.restoreToPointInTime.restoreTime", r.restoreTime, RFC3339, "use an RFC 3339 time such as 2026-11-01T12:00:00Z, or omit it for the latest restorable time"),
        };
        if (snapshotIdentifier !== undefined) {
            c.report("database.restoreToPointInTime", "cannot be combined with database.snapshotIdentifier", "restore from a snapshot or from a point in time, not both");
        }
    }
    const parameters = c.stringMap("database.parameters", d.parameters, PARAMETER, "use the engine's parameter names, e.g. max_connections");
    const tls = info.tlsParameter;
    if (parameters[tls.name] !== undefined && parameters[tls.name] !== tls.value) {
        c.report(`database.parameters.${tls.name}`, "would allow unencrypted connections", `remove it: ${tls.name} stays ${tls.value}`);
    }
    return {
        engine,
        version,
        instanceClass: c.string("database.instanceClass", d.instanceClass, profile.instanceClass, DB_CLASS, "use an RDS instance class such as db.t4g.small"),
        storageGb,
        maxStorageGb,
        multiAz: c.bool("database.multiAz", d.multiAz, profile.multiAz),
        backupRetentionDays: c.int("database.backupRetentionDays", d.backupRetentionDays, profile.backupRetentionDays, { min: 1, max: 35 }, " days"),
        passwordRotationDays: c.int("database.passwordRotationDays", d.passwordRotationDays, COMMON_DEFAULTS.database.passwordRotationDays, { min: 1, max: 365 }, " days"),
        deletionProtection: c.bool("database.deletionProtection", d.deletionProtection, profile.deletionProtection),
        snapshotIdentifier,
        restoreToPointInTime,
        parameters,
        kmsKeyId: c.optionalString("database.kmsKeyId", d.kmsKeyId, KMS_KEY, "use a KMS key ARN, key id or alias/name"),
        masterUsername: c.string("database.masterUsername", d.masterUsername, COMMON_DEFAULTS.database.masterUsername, DB_USER, "use 1–16 lower-case letters, digits or '_', starting with a letter"),
        databaseName: c.string("database.databaseName", d.databaseName, COMMON_DEFAULTS.database.databaseName, DB_NAME, "use lower-case letters, digits or '_', starting with a letter"),
        backupWindow: c.string("database.backupWindow", d.backupWindow, COMMON_DEFAULTS.database.backupWindow, BACKUP_WINDOW, "use hh:mm-hh:mm in UTC, e.g. 02:00-03:00"),
        maintenanceWindow: c.string("database.maintenanceWindow", d.maintenanceWindow, COMMON_DEFAULTS.database.maintenanceWindow, MAINTENANCE_WINDOW, "use ddd:hh:mm-ddd:hh:mm in UTC, e.g. sun:03:30-sun:04:30"),
        monitoringIntervalSeconds: profile.monitoringIntervalSeconds,
        applyImmediately: environment !== "production" && profile.applyImmediately,
    };
}
