import { DASHBOARD_MYSQL_PARAMETERS, ENGINE_INFO, type Engine } from "../../common/engines";

/** One entry of an RDS parameter group. */
export interface DbParameter {
    readonly name: string;
    readonly value: string;
    readonly applyMethod: "immediate" | "pending-reboot";
}

/**
 * Logging settings for MariaDB and MySQL without which the exported `slowquery`
 * log would stay empty (the slow query log is off by default) or land in a table.
 */
export const MYSQL_LOG_PARAMETERS: Readonly<Record<string, string>> = {
    slow_query_log: "1",
    log_output: "FILE",
};

/**
 * Parameters known to be dynamic, which may use the `immediate` apply method.
 * AWS rejects `immediate` for a static parameter but accepts `pending-reboot`
 * for every parameter, so anything not listed here waits for the next reboot.
 */
const DYNAMIC_PARAMETERS: Readonly<Record<"mysql" | "postgres", ReadonlySet<string>>> = {
    mysql: new Set([
        "require_secure_transport",
        "log_bin_trust_function_creators",
        "sql_mode",
        "slow_query_log",
        "long_query_time",
        "log_output",
        "log_queries_not_using_indexes",
        "general_log",
        "max_connections",
        "max_allowed_packet",
        "wait_timeout",
        "interactive_timeout",
        "innodb_lock_wait_timeout",
        "time_zone",
        "event_scheduler",
        "character_set_server",
        "collation_server",
    ]),
    postgres: new Set([
        "log_min_duration_statement",
        "log_statement",
        "log_lock_waits",
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
        "work_mem",
        "maintenance_work_mem",
        "random_page_cost",
        "track_io_timing",
    ]),
};

/**
 * The apply method of a parameter: `immediate` for known dynamic parameters,
 * `pending-reboot` for static ones (e.g. `lower_case_table_names`, which only
 * takes effect when the instance is created) and for any parameter not known.
 */
export function parameterApplyMethod(engine: Engine, name: string): DbParameter["applyMethod"] {
    const dynamic = DYNAMIC_PARAMETERS[engine === "postgres" ? "postgres" : "mysql"];
    return dynamic.has(name) ? "immediate" : "pending-reboot";
}

/**
 * The parameter-group entries of an engine, sorted by name: the TLS parameter,
 * for MariaDB/MySQL the dashboard's settings and the slow-log settings, then
 * `overrides` (which config validation stops from switching TLS off).
 */
export function databaseParameters(engine: Engine, overrides: Readonly<Record<string, string>>): DbParameter[] {
    const values = new Map<string, string>();
    const tls = ENGINE_INFO[engine].tlsParameter;
    values.set(tls.name, tls.value);
    if (engine !== "postgres") {
        for (const [k, v] of Object.entries(DASHBOARD_MYSQL_PARAMETERS)) values.set(k, v);
        for (const [k, v] of Object.entries(MYSQL_LOG_PARAMETERS)) values.set(k, v);
    }
    for (const [k, v] of Object.entries(overrides)) values.set(k, v);
    return [...values.keys()].sort().map((name) => ({ name, value: values.get(name) as string, applyMethod: parameterApplyMethod(engine, name) }));
}
