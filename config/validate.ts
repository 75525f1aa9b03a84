import * as pulumi from "@pulumi/pulumi";
import { ENGINE_INFO, ENGINES, isEngine, supportedVersions, type Engine } from "../common/engines";
import { Checker, type RawObject } from "./checker";
import { withoutNatProblems } from "./egress";
import {
    COMMON_DEFAULTS,
    FORBIDDEN_FOLDERS,
    LOG_RETENTION_DAYS,
    PROFILES,
    defaultAmi,
    type Profile,
} from "./profiles";
import type { Problem } from "./problems";
import {
    ENVIRONMENTS,
    NAT_GATEWAYS,
    type AlertsConfig,
    type AppConfig,
    type DashboardConfig,
    type DatabaseConfig,
    type DomainConfig,
    type Environment,
    type EnvFileConfig,
    type NetworkConfig,
    type SideloadConfig,
    type StatusPageConfig,
} from "./types";

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

const CUSTOMER = /^[a-z][a-z0-9-]{1,30}$/;
const FQDN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const AMI = /^(ami-[0-9a-f]{8,17}|ssm:\/[A-Za-z0-9_./-]+)$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const DB_CLASS = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const CERT_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36})$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*$/;
const FOLDER = /^[a-z0-9][a-z0-9-]*$/;
const ABS_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const HTTP_PATH = /^\/[\x21-\x7e]{0,1023}$/;
const UNIT = /^[A-Za-z0-9@._-]+$/;
const LOG_FILE = /^(\/[A-Za-z0-9._*-]+)+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;
const DB_IDENTIFIER = /^[A-Za-z][A-Za-z0-9-]{0,62}$|^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(db|snapshot|cluster-snapshot):[A-Za-z0-9:-]+$/;
const DB_USER = /^[a-z][a-z0-9_]{0,15}$/;
const DB_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const PARAMETER = /^[a-z0-9_.]+$/;
const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

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

const NEW_NETWORK_KEYS = ["cidr", "availabilityZones", "natGateways", "interfaceEndpoints", "flowLogs"] as const;
const EXISTING_NETWORK_KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;

function readNetwork(c: Checker, value: unknown, profile: Profile): NetworkConfig {
    const n = c.object("network", value, [...NEW_NETWORK_KEYS, ...EXISTING_NETWORK_KEYS]) ?? {};
    const existing = EXISTING_NETWORK_KEYS.some((k) => n[k] !== undefined);
    if (existing) {
        for (const k of NEW_NETWORK_KEYS) {
            if (n[k] !== undefined) {
                c.report(`network.${k}`, `cannot be given together with network.vpcId (an existing network)`, `remove network.${k}, or remove vpcId and the subnet lists to create a new VPC`);
            }
        }
        if (n.vpcId === undefined) c.report("network.vpcId", "is required when subnet ids are given", "set the id of the existing VPC, e.g. vpc-0123456789abcdef0");
        const vpcId = c.string("network.vpcId", n.vpcId, "", VPC_ID, "use a VPC id like vpc-0123456789abcdef0");
        const tiers = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;
        const seen = new Map<string, string>();
        const lists = tiers.map((tier) => {
            const path = `network.${tier}`;
            if (n[tier] === undefined) {
                c.report(path, "is required for an existing network", "list at least two subnet ids in different availability zones");
                return [];
            }
            const ids = c.stringList(path, n[tier], [], SUBNET_ID, "use subnet ids like subnet-0123456789abcdef0");
            if (Array.isArray(n[tier]) && ids.length < 2) {
                c.report(path, `has ${ids.length} subnet${ids.length === 1 ? "" : "s"}, needs at least 2`, "list subnets in at least two availability zones");
            }
            for (const id of ids) {
                const other = seen.get(id);
                if (other !== undefined) c.report(path, `${id} is also in network.${other}`, "give each tier its own subnets");
                seen.set(id, tier);
            }
            return ids;
        });
        return { mode: "existing", vpcId, publicSubnetIds: lists[0], privateSubnetIds: lists[1], isolatedSubnetIds: lists[2] };
    }
    return {
        mode: "new",
        cidr: c.cidr("network.cidr", n.cidr, COMMON_DEFAULTS.network.cidr, { min: 16, max: 24 }),
        availabilityZones: c.int("network.availabilityZones", n.availabilityZones, profile.availabilityZones, { min: 2, max: 3 }),
        natGateways: c.oneOf("network.natGateways", n.natGateways, profile.natGateways, NAT_GATEWAYS),
        interfaceEndpoints: c.stringList("network.interfaceEndpoints", n.interfaceEndpoints, [], SERVICE, "use AWS service names such as secretsmanager, ssm, logs"),
        flowLogs: c.bool("network.flowLogs", n.flowLogs, COMMON_DEFAULTS.network.flowLogs),
    };
}

const DATABASE_KEYS = [
    "engine", "version", "instanceClass", "storageGb", "maxStorageGb", "multiAz", "backupRetentionDays",
    "passwordRotationDays", "snapshotIdentifier", "restoreToPointInTime", "deletionProtection", "parameters",
    "kmsKeyId", "masterUsername", "databaseName", "backupWindow", "maintenanceWindow",
] as const;

function readDatabase(c: Checker, value: unknown, profile: Profile, environment: Environment): DatabaseConfig {
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

const APP_KEYS = [
    "ami", "rootDeviceName", "instanceType", "port", "healthCheckPath", "minSize", "desiredSize", "maxSize", "scaleOutCpuPercent",
    "scaleInCpuPercent", "volumeGb", "stickinessSeconds", "container", "envFile", "services", "logFiles", "licenceKey",
] as const;

function readApp(c: Checker, value: unknown, profile: Profile, appIsSecret: boolean): AppConfig {
    const a = c.object("app", value, APP_KEYS) ?? {};
    const instanceType = c.string("app.instanceType", a.instanceType, COMMON_DEFAULTS.app.instanceType, INSTANCE_TYPE, "use an EC2 instance type such as t3.medium");
    const port = c.int("app.port", a.port, COMMON_DEFAULTS.app.port, { min: 1, max: 65535 });
    if (port === 22) c.report("app.port", "22 is the SSH port and is never opened", "use the port the app listens on, e.g. 8224");
    const minSize = c.int("app.minSize", a.minSize, profile.minSize, { min: 0, max: 100 });
    const desiredSize = c.int("app.desiredSize", a.desiredSize, Math.max(profile.desiredSize, minSize), { min: 0, max: 100 });
    const maxSize = c.int("app.maxSize", a.maxSize, Math.max(profile.maxSize, desiredSize), { min: 1, max: 100 });
    if (minSize > desiredSize) c.report("app.minSize", `${minSize} is above desiredSize (${desiredSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
    if (desiredSize > maxSize) c.report("app.desiredSize", `${desiredSize} is above maxSize (${maxSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
    const scaleOutCpuPercent = c.int("app.scaleOutCpuPercent", a.scaleOutCpuPercent, COMMON_DEFAULTS.app.scaleOutCpuPercent, { min: 1, max: 99 }, "%");
    const scaleInCpuPercent = c.int("app.scaleInCpuPercent", a.scaleInCpuPercent, COMMON_DEFAULTS.app.scaleInCpuPercent, { min: 1, max: 99 }, "%");
    if (scaleInCpuPercent >= scaleOutCpuPercent) {
        c.report("app.scaleInCpuPercent", `${scaleInCpuPercent}% is not below scaleOutCpuPercent (${scaleOutCpuPercent}%)`, "scale in well below the scale-out threshold, e.g. 20 and 70");
    }
    let container: AppConfig["container"];
    const ct = c.object("app.container", a.container, ["image", "env"]);
    if (ct !== undefined) {
        if (ct.image === undefined) c.report("app.container.image", "is required", "set the image reference, e.g. registry.example.com/dashboard:2026.11");
        container = {
            image: c.string("app.container.image", ct.image, "", IMAGE, "use an image reference such as registry/name:tag"),
            env: c.stringMap("app.container.env", ct.env, ENV_NAME, "use names of letters, digits and '_'"),
        };
    }
    let licenceKey: AppConfig["licenceKey"];
    if (a.licenceKey !== undefined) {
        const key = c.string("app.licenceKey", a.licenceKey, "");
        if (!appIsSecret) {
            c.report("app.licenceKey", "is set in plain text", "remove it from the stack file and run `pulumi config set --secret --path app.licenceKey <key>`");
        } else {
            licenceKey = pulumi.secret(key);
        }
    }
    if (a.ami === undefined && ct === undefined) {
        c.report(
            "app",
            "runs nothing: the default image is stock Amazon Linux 2023, which has no dashboard on it",
            "set app.ami to the vendor's dashboard image (an AMI id or ssm:/parameter), or app.container.image to run the dashboard's container image",
        );
    }
    const rootDeviceName = c.string("app.rootDeviceName", a.rootDeviceName, COMMON_DEFAULTS.app.rootDeviceName, /^\/dev\/[a-z0-9]+$/, "use the image's root device, e.g. /dev/xvda or /dev/sda1");
    const volumeGb = c.int("app.volumeGb", a.volumeGb, COMMON_DEFAULTS.app.volumeGb, { min: 8, max: 16384 }, " GB");
    return {
        ami: c.string("app.ami", a.ami, defaultAmi(instanceType), AMI, "use an AMI id (ami-…) or ssm:/path/of/a/parameter"),
        rootDeviceName,
        instanceType,
        port,
        healthCheckPath: c.string("app.healthCheckPath", a.healthCheckPath, COMMON_DEFAULTS.app.healthCheckPath, HTTP_PATH, "use a path starting with /"),
        minSize,
        desiredSize,
        maxSize,
        scaleOutCpuPercent,
        scaleInCpuPercent,
        volumeGb,
        requested: { rootDeviceName: a.rootDeviceName === undefined ? undefined : rootDeviceName, volumeGb: a.volumeGb === undefined ? undefined : volumeGb },
        stickinessSeconds: c.int("app.stickinessSeconds", a.stickinessSeconds, COMMON_DEFAULTS.app.stickinessSeconds, { min: 1, max: 604800 }, " s"),
        container,
        envFile: readEnvFile(c, a.envFile),
        services: restartedServices(c, a.services),
        logFiles: c.stringList("app.logFiles", a.logFiles, COMMON_DEFAULTS.app.logFiles, LOG_FILE, "use absolute paths; * matches within a name"),
        licenceKey,
    };
}

/**
 * `app.services`: units the refresh restarts after a rotation. The Docker daemon is refused: a
 * container keeps the environment it was created with, so restarting the daemon never hands it
 * the new password, and it bounces every container on the server.
 */
function restartedServices(c: Checker, value: unknown): string[] {
    const services = c.stringList("app.services", value, COMMON_DEFAULTS.app.services, UNIT, "use systemd unit names such as dashboard.service");
    services.forEach((unit, i) => {
        if (unit === "docker" || unit === "docker.service") {
            c.report(
                `app.services[${i}]`,
                "restarting the Docker daemon keeps every container's old environment (the new password never arrives) and stops every container on the server",
                "remove it: the refresh recreates the containers that read the env files; list only units whose start creates a fresh container",
            );
        }
    });
    return services;
}

function readEnvFile(c: Checker, value: unknown): EnvFileConfig {
    const d = COMMON_DEFAULTS.app.envFile;
    const e = c.object("app.envFile", value, ["path", "extraPaths", "names", "static", "owner"]) ?? {};
    const n = c.object("app.envFile.names", e.names, Object.keys(d.names)) ?? {};
    const names = Object.fromEntries(
        Object.entries(d.names).map(([k, v]) => [k, c.string(`app.envFile.names.${k}`, n[k], v, ENV_NAME, "use letters, digits and '_'")]),
    ) as unknown as EnvFileConfig["names"];
    return {
        path: c.string("app.envFile.path", e.path, d.path, ABS_PATH, "use an absolute path"),
        extraPaths: c.stringList("app.envFile.extraPaths", e.extraPaths, d.extraPaths, ABS_PATH, "use absolute paths"),
        names,
        static: e.static === undefined ? { ...d.static } : c.stringMap("app.envFile.static", e.static, ENV_NAME, "use letters, digits and '_'"),
        owner: c.string("app.envFile.owner", e.owner, d.owner, USER, "use a Linux user name"),
    };
}

function readDomain(c: Checker, value: unknown): DomainConfig | undefined {
    const d = c.object("domain", value, ["name", "hostedZone", "certificateArn"]);
    if (d === undefined) return undefined;
    if (d.name === undefined) c.report("domain.name", "is required", "set the fully qualified name, e.g. dashboard.acme.example.com");
    if (d.hostedZone === undefined) c.report("domain.hostedZone", "is required", "set the Route 53 zone name or id that holds domain.name");
    const name = c.string("domain.name", d.name, "", FQDN, "use a lower-case fully qualified domain name, e.g. dashboard.acme.example.com");
    const hostedZone = c.string("domain.hostedZone", d.hostedZone, "");
    if (typeof d.hostedZone === "string" && !FQDN.test(hostedZone.replace(/\.$/, "")) && !HOSTED_ZONE_ID.test(hostedZone)) {
        c.report("domain.hostedZone", `"${hostedZone}" is neither a zone name nor a zone id`, "use the zone name (acme.example.com) or its id (Z0123456789ABC)");
    }
    if (FQDN.test(name) && FQDN.test(hostedZone.replace(/\.$/, ""))) {
        const zone = hostedZone.replace(/\.$/, "");
        if (name !== zone && !name.endsWith(`.${zone}`)) {
            c.report("domain.name", `${name} is not inside the hosted zone ${zone}`, "pick a name inside the zone, or the zone that holds the name");
        }
    }
    return {
        name,
        hostedZone,
        certificateArn: c.optionalString("domain.certificateArn", d.certificateArn, CERT_ARN, "use an ACM certificate ARN, or omit it to have one created"),
    };
}

function readSideload(c: Checker, value: unknown): SideloadConfig {
    const d = COMMON_DEFAULTS.sideload;
    const s = c.object("sideload", value, ["folders", "directories", "mountPath", "linkInto", "uid", "gid", "reservedConcurrency"]) ?? {};
    const folders = c.stringList("sideload.folders", s.folders, d.folders, FOLDER, "use lower-case letters, digits and '-', starting with a letter or digit");
    if (Array.isArray(s.folders) && folders.length === 0) c.report("sideload.folders", "is empty", "list at least one upload folder, e.g. images");
    const dirs = s.directories === undefined ? { ...d.directories } : c.stringMap("sideload.directories", s.directories, FOLDER, "use an upload folder name");
    const directories: Record<string, string> = {};
    const used = new Map<string, string>();
    folders.forEach((folder, i) => {
        const dir = dirs[folder] ?? folder;
        if (!FOLDER.test(dir)) c.report(`sideload.directories.${folder}`, `"${dir}" is not a valid directory name`, "use lower-case letters, digits and '-'");
        if (FORBIDDEN_FOLDERS.includes(folder) || FORBIDDEN_FOLDERS.includes(dir)) {
            c.report(`sideload.folders[${i}]`, `"${folder}" would let the bucket write the app's ${dir} directory`, `remove it: ${FORBIDDEN_FOLDERS.join(", ")} are never writable from the bucket`);
        }
        const other = used.get(dir);
        if (other !== undefined) c.report(`sideload.directories.${folder}`, `maps to "${dir}" like ${other}`, "give each folder its own directory");
        used.set(dir, folder);
        directories[folder] = dir;
    });
    for (const key of Object.keys(dirs)) {
        if (!folders.includes(key) && s.directories !== undefined) {
            c.report(`sideload.directories.${key}`, `"${key}" is not in sideload.folders`, "map only listed folders");
        }
    }
    const mountPath = c.string("sideload.mountPath", s.mountPath, d.mountPath, ABS_PATH, "use an absolute path such as /var/dashboard/content");
    return {
        folders,
        directories,
        mountPath,
        linkInto: c.optionalString("sideload.linkInto", s.linkInto, ABS_PATH, "use an absolute path such as /var/panintelligence"),
        uid: c.int("sideload.uid", s.uid, d.uid, { min: 1, max: 4294967294 }),
        gid: c.int("sideload.gid", s.gid, d.gid, { min: 1, max: 4294967294 }),
        reservedConcurrency: reservation(c, "sideload.reservedConcurrency", s.reservedConcurrency),
    };
}

function readAlerts(c: Checker, value: unknown): AlertsConfig | undefined {
    const a = c.object("alerts", value, ["emails"]);
    if (a === undefined) return undefined;
    const emails = c.stringList("alerts.emails", a.emails, [], EMAIL, "use an address like ops@example.com");
    if (emails.length === 0) c.report("alerts.emails", "is empty", "list at least one address, or remove dashboard:alerts");
    return { emails };
}

function readStatusPage(c: Checker, value: unknown, customer: string): StatusPageConfig {
    const s = c.object("statusPage", value, ["enabled", "checkIntervalMinutes", "title", "reservedConcurrency"]) ?? {};
    return {
        enabled: c.bool("statusPage.enabled", s.enabled, COMMON_DEFAULTS.statusPage.enabled),
        checkIntervalMinutes: c.int("statusPage.checkIntervalMinutes", s.checkIntervalMinutes, COMMON_DEFAULTS.statusPage.checkIntervalMinutes, { min: 1, max: 60 }, " min"),
        title: c.string("statusPage.title", s.title, `${customer} dashboard status`, /^.{1,100}$/, "use 1–100 characters"),
        reservedConcurrency: reservation(c, "statusPage.reservedConcurrency", s.reservedConcurrency),
    };
}

/**
 * An opt-in reserved concurrency: unset or 0 means no reservation (undefined; 0 is never handed to
 * Lambda, which would throttle the function to nothing), else 1–1000. A reservation comes out of the
 * account's concurrency quota, of which 10 must stay unreserved: new accounts may have only 10.
 */
function reservation(c: Checker, path: string, value: unknown): number | undefined {
    const n = c.int(path, value, 0, { min: 0, max: 1000 });
    return n === 0 ? undefined : n;
}

export function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        for (const v of Object.values(value as object)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
