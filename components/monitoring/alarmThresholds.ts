/**
 * Pure arithmetic behind the Monitoring component: the memory of an RDS instance class,
 * the engine's default `max_connections` for it, the alarm thresholds derived from them,
 * the dashboard's name (its body: `dashboardWidgets.ts`), and the stable keys of the
 * e-mail subscriptions. No Pulumi resources here; everything is table-tested.
 */
import { createHash } from "node:crypto";
import type { Engine } from "../../common/engines";

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

/** RDS size suffix → multiple of the `large` size's memory. */
const SIZE_MULTIPLIER: Readonly<Record<string, number>> = { large: 1, xlarge: 2, "2xlarge": 4, "4xlarge": 8 };

/** Memory (GiB) of the `large` size per family: general purpose 8 GiB, memory optimised 16 GiB. */
const LARGE_MEMORY_GIB: Readonly<Record<string, number>> = {
    m5: 8, m6g: 8, m6i: 8, m7g: 8, m7i: 8,
    r5: 16, r6g: 16, r6i: 16, r7g: 16,
};

/** Burstable classes: micro 1 GiB doubling up to 2xlarge 32 GiB. */
const BURSTABLE_MEMORY_GIB: Readonly<Record<string, number>> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
const BURSTABLE_FAMILIES: readonly string[] = ["t3", "t4g"];

/**
 * The memory of an RDS instance class in GiB (`db.t4g.small` → 2), or `undefined`
 * for a class this table does not know (t3/t4g micro…2xlarge; m5, m6g, m6i, m7g, m7i,
 * r5, r6g, r6i, r7g large…4xlarge).
 */
export function instanceClassMemoryGiB(instanceClass: string): number | undefined {
    const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
    if (match === null) return undefined;
    const [, family, size] = match;
    if (BURSTABLE_FAMILIES.includes(family)) return BURSTABLE_MEMORY_GIB[size];
    const large = LARGE_MEMORY_GIB[family];
    const multiplier = SIZE_MULTIPLIER[size];
    return large === undefined || multiplier === undefined ? undefined : large * multiplier;
}

/** Memory RDS keeps for the operating system and its own agents, fixed part. */
export const OS_RESERVE_BYTES = 256 * MIB;
/** Memory RDS keeps for the operating system and its own agents, proportional part. */
export const OS_RESERVE_FRACTION = 0.02;

/**
 * An approximation of the parameter-group variable `DBInstanceClassMemory` (class
 * memory minus what RDS reserves for the OS and its processes): memory − 256 MiB − 2 %.
 * Checked against published defaults: PostgreSQL db.t2.medium 413 and db.t2.large 856
 * connections (this model gives 413 and 855), MySQL 4 GiB 312 and 8 GiB 648 (313 and 647).
 * For 1–2 GiB classes it errs low by a few connections, so alarms come early, never late.
 */
export function dbInstanceClassMemoryBytes(instanceClass: string): number | undefined {
    const gib = instanceClassMemoryGiB(instanceClass);
    if (gib === undefined) return undefined;
    const bytes = gib * GIB;
    return bytes - OS_RESERVE_BYTES - OS_RESERVE_FRACTION * bytes;
}

/**
 * The engine's default `max_connections` for a class, from the RDS default parameter
 * groups: MySQL and MariaDB `{DBInstanceClassMemory/12582880}`, PostgreSQL
 * `LEAST({DBInstanceClassMemory/9531392}, 5000)`. `undefined` for an unknown class.
 */
export function defaultMaxConnections(engine: Engine, instanceClass: string): number | undefined {
    const memory = dbInstanceClassMemoryBytes(instanceClass);
    if (memory === undefined) return undefined;
    switch (engine) {
        case "mariadb":
        case "mysql":
            return Math.floor(memory / 12582880);
        case "postgres":
            return Math.min(Math.floor(memory / 9531392), 5000);
    }
}

/** Alarm when connections exceed this share of `max_connections`. */
export const CONNECTIONS_ALARM_FRACTION = 0.8;

/** 80 % of `maxConnections`, rounded down: the DatabaseConnections alarm threshold. */
export function connectionsThreshold(maxConnections: number): number {
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
        throw new Error(`max_connections must be a positive integer, got ${maxConnections}`);
    }
    return Math.floor(maxConnections * CONNECTIONS_ALARM_FRACTION);
}

/** Alarm when free storage drops below this share of the allocated storage. */
export const FREE_STORAGE_ALARM_FRACTION = 0.1;

/**
 * The FreeStorageSpace alarm threshold in bytes: 10 % of the allocated storage
 * (RDS allocates in GiB: 20 → 2 GiB = 2,147,483,648 bytes).
 */
export function freeStorageThresholdBytes(storageGb: number): number {
    if (!Number.isFinite(storageGb) || storageGb <= 0) {
        throw new Error(`allocated storage must be a positive number of GiB, got ${storageGb}`);
    }
    return Math.floor(storageGb * GIB * FREE_STORAGE_ALARM_FRACTION);
}

/** The FreeableMemory threshold for a class this program does not know. */
export const UNKNOWN_CLASS_FREEABLE_MEMORY_BYTES = 256 * MIB;

/** The FreeableMemory alarm threshold in bytes: 10 % of the class memory, or 256 MiB for an unknown class. */
export function freeableMemoryThresholdBytes(instanceClass: string): number {
    const gib = instanceClassMemoryGiB(instanceClass);
    return gib === undefined ? UNKNOWN_CLASS_FREEABLE_MEMORY_BYTES : Math.floor(gib * GIB * 0.1);
}

/** Bytes as a short human figure for descriptions: 2147483648 → "2 GiB", 107374182 → "102.4 MiB". */
export function formatBytes(bytes: number): string {
    const [value, unit] = bytes >= GIB ? [bytes / GIB, "GiB"] : [bytes / MIB, "MiB"];
    return `${Number(value.toFixed(1))} ${unit}`;
}

/** CloudWatch dashboard names allow letters, digits, `-` and `_`, up to 255 characters. */
const DASHBOARD_NAME_MAX = 255;

/**
 * The dashboard's name: `<project>-<stack>-<suffix>`, with characters a dashboard name
 * cannot hold replaced by `-` (stack names may contain `.`). The random suffix keeps
 * two stacks apart even when their sanitised names coincide.
 */
export function dashboardName(project: string, stack: string, suffix: string): string {
    const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "-");
    const prefix = `${clean(project)}-${clean(stack)}`.slice(0, DASHBOARD_NAME_MAX - suffix.length - 1);
    return `${prefix}-${clean(suffix)}`;
}

/** One e-mail subscription: the address and the key its logical name carries. */
export interface EmailSubscription {
    readonly email: string;
    /** The first 12 hex digits of SHA-256 of the lower-cased address. */
    readonly key: string;
}

/**
 * The subscriptions for a list of addresses, trimmed and de-duplicated case-insensitively
 * (first spelling wins). Each is keyed by a hash of the address, not its index: removing one
 * address then leaves every other subscription (and its confirmation) untouched, and the
 * address, personal data, stays out of URNs, logs and diffs of resource names.
 */
export function emailSubscriptions(emails: readonly string[]): EmailSubscription[] {
    const seen = new Set<string>();
    const result: EmailSubscription[] = [];
    for (const raw of emails) {
        const email = raw.trim();
        const normalised = email.toLowerCase();
        if (email === "" || seen.has(normalised)) continue;
        seen.add(normalised);
        result.push({ email, key: createHash("sha256").update(normalised).digest("hex").slice(0, 12) });
    }
    return result;
}
