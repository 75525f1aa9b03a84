import * as pulumi from "@pulumi/pulumi";
import { readApp } from "./app";
import { Checker, type RawObject } from "./checker";
import { readDatabase } from "./database";
import { withoutNatProblems } from "./egress";
import { readNetwork } from "./network";
import { CUSTOMER } from "./patterns";
import { COMMON_DEFAULTS, LOG_RETENTION_DAYS, PROFILES } from "./profiles";
import type { Problem } from "./problems";
import { readAlerts, readDomain, readSideload, readStatusPage } from "./sections";
import { ENVIRONMENTS, type DashboardConfig, type Environment } from "./types";

/** The top-level keys of the `dashboard` namespace. */
export const TOP_LEVEL_KEYS = [
    "customer",
    "environment",
    "network",
    "database",
    "app",
    "domain",
    "ingress",
    "sideload",
    "alerts",
    "statusPage",
    "protect",
    "logRetentionDays",
    "allowUnsafeProduction",
] as const;

/** The outcome of validating a raw stack config. */
export interface ValidationResult {
    /** The fully defaulted config; present only when there are no problems. */
    readonly config?: DashboardConfig;
    readonly problems: readonly Problem[];
    /** Production safety rules relaxed by `allowUnsafeProduction`, one line each. */
    readonly warnings: readonly string[];
}

/**
 * Validates a raw config (the `dashboard` namespace, keys without the prefix,
 * objects already parsed) and applies the environment profile's defaults.
 * Reports every problem at once.
 *
 * @param raw the config values by key
 * @param secretKeys keys (without prefix) whose values were set with `--secret`
 */
export function validateConfig(raw: RawObject, secretKeys: ReadonlySet<string>): ValidationResult {
    const c = new Checker();
    c.unknownKeys("", raw, TOP_LEVEL_KEYS);

    if (raw.customer === undefined) {
        c.report("customer", "is required", "set it with `pulumi config set dashboard:customer <id>`, e.g. acme");
    }
    const customer = c.string("customer", raw.customer, "", CUSTOMER, "use 2–31 characters: a lower-case letter, then lower-case letters, digits or '-'");
    if (raw.environment === undefined) {
        c.report("environment", "is required", `set it with \`pulumi config set dashboard:environment <env>\`, one of ${ENVIRONMENTS.join(", ")}`);
    }
    const environment = c.oneOf<Environment>("environment", raw.environment, "development", ENVIRONMENTS);
    const profile = PROFILES[environment];

    const network = readNetwork(c, raw.network, profile);
    const database = readDatabase(c, raw.database, profile, environment);
    const app = readApp(c, raw.app, profile, secretKeys.has("app"));
    const domain = readDomain(c, raw.domain);
    const ingressRaw = c.object("ingress", raw.ingress, ["allowedCidrs"]) ?? {};
    const allowedCidrs = c.stringList("ingress.allowedCidrs", ingressRaw.allowedCidrs, COMMON_DEFAULTS.ingress.allowedCidrs);
    allowedCidrs.forEach((cidr, i) => c.cidr(`ingress.allowedCidrs[${i}]`, cidr, cidr));
    if (ingressRaw.allowedCidrs !== undefined && allowedCidrs.length === 0) {
        c.report("ingress.allowedCidrs", "is empty, so nobody could reach the load balancer", "list at least one CIDR block");
    }
    const sideload = readSideload(c, raw.sideload);
    const alerts = readAlerts(c, raw.alerts);
    const statusPage = readStatusPage(c, raw.statusPage, customer);
    const protect = c.bool("protect", raw.protect, profile.protect);
    const logRetentionDays = c.int("logRetentionDays", raw.logRetentionDays, profile.logRetentionDays, { min: 1, max: 3653 });
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        c.report("logRetentionDays", `${logRetentionDays} is not a retention CloudWatch Logs accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const allowUnsafeProduction = c.bool("allowUnsafeProduction", raw.allowUnsafeProduction, false);

    for (const p of withoutNatProblems(network, app)) c.report(p.path, p.message, p.fix);

    if (statusPage.enabled && network.mode === "new" && network.natGateways === "none") {
        c.report("statusPage.enabled", "the status checker runs in the private subnets and needs a NAT gateway to reach the site", "set network.natGateways to \"single\", or turn the status page off");
    }
    const warnings: string[] = [];
    if (statusPage.enabled && !allowedCidrs.includes("0.0.0.0/0")) {
        warnings.push("dashboard:statusPage: ingress.allowedCidrs does not admit everyone: add the NAT gateways' public addresses, or every check will report the site down");
    }
    if (environment === "production") {
        const unsafe: Array<[boolean, string, string, string]> = [
            [domain === undefined, "domain", "production needs a domain (HTTPS)", "set dashboard:domain with name and hostedZone"],
            [!database.multiAz, "database.multiAz", "production needs a Multi-AZ database", "remove database.multiAz or set it to true"],
            [database.backupRetentionDays < 7, "database.backupRetentionDays", `production needs at least 7 days of backups, got ${database.backupRetentionDays}`, "set 7 or more"],
            [!database.deletionProtection, "database.deletionProtection", "production needs deletion protection", "remove database.deletionProtection or set it to true"],
            [!protect, "protect", "production needs Pulumi protect on stateful resources", "remove dashboard:protect or set it to true"],
            [alerts === undefined, "alerts", "production needs alert recipients", "set dashboard:alerts with emails"],
            [app.minSize < 2, "app.minSize", `production needs at least 2 app servers in different zones, got ${app.minSize}`, "set app.minSize to 2 or more"],
        ];
        for (const [broken, path, message, fix] of unsafe) {
            if (!broken) continue;
            if (allowUnsafeProduction) warnings.push(`dashboard:${path}: ${message} (relaxed by dashboard:allowUnsafeProduction)`);
            else c.report(path, message, `${fix}, or set dashboard:allowUnsafeProduction to true to accept the risk`);
        }
    }

    if (c.problems.length > 0) return { problems: c.problems, warnings };
    const config: DashboardConfig = {
        customer,
        environment,
        network,
        database,
        app,
        domain,
        ingress: { allowedCidrs },
        sideload,
        alerts,
        statusPage,
        protect,
        logRetentionDays,
        allowUnsafeProduction,
    };
    return { config: deepFreeze(config), problems: [], warnings };
}

export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        for (const v of Object.values(value as object)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
