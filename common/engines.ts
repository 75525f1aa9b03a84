/**
 * Database engines and the versions this program supports, each mapped to its
 * RDS parameter-group family. The family is always derived from the version, so
 * a version upgrade can never leave a stale family behind (a mistake of the
 * reference deployment, which pinned the family but not the version).
 *
 * Versions are major versions: RDS picks the newest minor version and
 * `autoMinorVersionUpgrade` keeps it current, so Pulumi never fights an upgrade.
 */

/** The database engines the program can deploy. */
export const ENGINES = ["mariadb", "postgres", "mysql"] as const;
/** A database engine the program can deploy. */
export type Engine = (typeof ENGINES)[number];

interface EngineInfo {
    /** Supported major versions (standard support in 2026) → parameter-group family. */
    readonly versions: Readonly<Record<string, string>>;
    /** The version used when `database.version` is not set. */
    readonly defaultVersion: string;
    /** The port the engine listens on. */
    readonly port: number;
    /** The CloudWatch log types exported for the engine. */
    readonly logExports: readonly string[];
    /** The parameter that refuses unencrypted connections. */
    readonly tlsParameter: { readonly name: string; readonly value: string };
}

export const ENGINE_INFO: Readonly<Record<Engine, EngineInfo>> = {
    mariadb: {
        versions: { "10.11": "mariadb10.11", "11.4": "mariadb11.4", "11.8": "mariadb11.8" },
        defaultVersion: "11.4",
        port: 3306,
        logExports: ["error", "slowquery"],
        tlsParameter: { name: "require_secure_transport", value: "1" },
    },
    mysql: {
        versions: { "8.4": "mysql8.4" },
        defaultVersion: "8.4",
        port: 3306,
        logExports: ["error", "slowquery"],
        tlsParameter: { name: "require_secure_transport", value: "1" },
    },
    postgres: {
        versions: { "15": "postgres15", "16": "postgres16", "17": "postgres17" },
        defaultVersion: "17",
        port: 5432,
        logExports: ["postgresql"],
        tlsParameter: { name: "rds.force_ssl", value: "1" },
    },
};

/** True when `engine` is one of {@link ENGINES}. */
export function isEngine(engine: string): engine is Engine {
    return (ENGINES as readonly string[]).includes(engine);
}

/** The supported versions of an engine, oldest first. */
export function supportedVersions(engine: Engine): string[] {
    return Object.keys(ENGINE_INFO[engine].versions);
}

/**
 * The parameter-group family of an engine version, e.g. `mariadb` `11.4` → `mariadb11.4`.
 * Throws for an unsupported pair (config validation reports it before this is reached).
 */
export function parameterGroupFamily(engine: Engine, version: string): string {
    // Own keys only: a plain lookup would find `toString` & co. on the prototype.
    const versions = ENGINE_INFO[engine].versions;
    const family = Object.hasOwn(versions, version) ? versions[version] : undefined;
    if (family === undefined) {
        throw new Error(
            `${engine} ${version} is not supported; supported versions: ${supportedVersions(engine).join(", ")}`,
        );
    }
    return family;
}

/**
 * Settings the dashboard application needs from MariaDB and MySQL
 * (`lower_case_table_names` can only be set when the instance is created).
 */
export const DASHBOARD_MYSQL_PARAMETERS: Readonly<Record<string, string>> = {
    lower_case_table_names: "1",
    log_bin_trust_function_creators: "1",
    sql_mode: "NO_AUTO_VALUE_ON_ZERO",
};

/**
 * Whether Performance Insights is available: not for MariaDB or MySQL on the
 * micro and small burstable classes.
 */
export function supportsPerformanceInsights(engine: Engine, instanceClass: string): boolean {
    if (engine === "postgres") return true;
    return !/^db\.t[234]g?\.(micro|small)$/.test(instanceClass);
}
