import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { appSchema, EC2_ONLY_KEYS } from "./app";
import { databaseSchema } from "./database";
import { withoutNatProblems } from "./egress";
import { across, bool, int, oneOf, say, section, str, toProblems, withoutNulls, type RawObject } from "./kit";
import { networkSchema } from "./network";
import { CUSTOMER } from "./patterns";
import { ENVIRONMENTS, LOG_RETENTION_DAYS, PROFILES, type Environment, type Profile } from "./profiles";
import type { Problem } from "./problems";
import { alertsSchema, domainSchema, ingressSchema, monitoringSchema, sideloadSchema, statusPageSchema } from "./sections";

/** The `dashboard:*` keys for a profile: each section's schema, its defaults from the profile. */
function stackShape(profile: Profile) {
    return {
        customer: str(CUSTOMER, "use 2–31 characters: a lower-case letter, then lower-case letters, digits or '-'", "set it with `pulumi config set dashboard:customer <id>`, e.g. acme").meta({
            description: "Customer id, [a-z][a-z0-9-]{1,30}, in names and tags.",
        }),
        environment: oneOf(ENVIRONMENTS, `set it with \`pulumi config set dashboard:environment <env>\`, one of ${ENVIRONMENTS.join(", ")}`).meta({
            description: "The safety profile whose defaults apply: development, staging or production.",
        }),
        network: networkSchema(profile).prefault({}).meta({ description: "A new VPC (cidr, availabilityZones, natGateways, interfaceEndpoints, flowLogs) or an existing one (vpcId and three subnet lists)." }),
        database: databaseSchema(profile).prefault({}).meta({ description: "The RDS instance: engine, version, size, backups, restore, parameters." }),
        app: appSchema(profile).prefault({}).meta({ description: "The app tier: image or container, instance, sizes, scaling, env file, licence." }),
        domain: domainSchema.optional().meta({ description: "HTTPS on a name in a Route 53 zone: { name, hostedZone, certificateArn? }. Required in production." }),
        ingress: ingressSchema.prefault({}).meta({ description: "Who may reach the load balancer." }),
        sideload: sideloadSchema.prefault({}).meta({ description: "Content uploads from the bucket onto the file system." }),
        alerts: alertsSchema.optional().meta({ description: "Alarm e-mail recipients: { emails }. Required in production." }),
        monitoring: monitoringSchema(profile).prefault({}).meta({ description: "What is watched beyond the alarms: { dashboard }." }),
        statusPage: statusPageSchema.prefault({}).meta({ description: "The public status page: { enabled, checkIntervalMinutes, title, reservedConcurrency }." }),
        protect: bool().default(profile.protect).meta({ description: "Pulumi protect on the database, file system and buckets. Default: false (development, staging) / true (production)" }),
        logRetentionDays: int({ min: 1, max: 3653 })
            .refine((n) => LOG_RETENTION_DAYS.includes(n), { error: (iss) => say(`${String(iss.input)} is not a retention CloudWatch Logs accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`) })
            .default(profile.logRetentionDays)
            .meta({ description: "Retention of every log group, days. Default: 14 / 30 / 365" }),
        allowUnsafeProduction: bool().default(false).meta({ description: "Accept a production stack that breaks a production rule; each relaxed rule is printed as a warning. Default: false" }),
    };
}

/** The top-level keys of the `dashboard` namespace. */
export const TOP_LEVEL_KEYS = Object.keys(stackShape(PROFILES.development));

type StackInput = z.output<ReturnType<typeof section<ReturnType<typeof stackShape>>>>;

/** A production rule: broken or not, where, what and the fix. */
type Gap = readonly [broken: boolean, path: string, message: string, fix: string];

/** What production needs of a validated config, each gap one line. */
function productionGaps(c: StackInput): Gap[] {
    return [
        [c.domain === undefined, "domain", "production needs a domain (HTTPS)", "set dashboard:domain with name and hostedZone"],
        [!c.database.multiAz, "database.multiAz", "production needs a Multi-AZ database", "remove database.multiAz or set it to true"],
        [c.database.backupRetentionDays < 7, "database.backupRetentionDays", `production needs at least 7 days of backups, got ${c.database.backupRetentionDays}`, "set 7 or more"],
        [!c.database.deletionProtection, "database.deletionProtection", "production needs deletion protection", "remove database.deletionProtection or set it to true"],
        [c.network.mode === "new" && c.network.natGateways === "instance", "network.natGateways", "production needs NAT gateways (onePerAz): a NAT instance is one small server per zone that a failure or a replacement takes offline for minutes", "set network.natGateways to onePerAz"],
        [!c.protect, "protect", "production needs Pulumi protect on stateful resources", "remove dashboard:protect or set it to true"],
        [c.alerts === undefined, "alerts", "production needs alert recipients", "set dashboard:alerts with emails"],
        ...(c.app.platform === "fargate" ? fargateGaps(c) : [[c.app.minSize < 2, "app.minSize", `production needs at least 2 app servers in different zones, got ${c.app.minSize}`, "set app.minSize to 2 or more"] as const]),
    ];
}

/** Production on Fargate: two tasks of each scaled service, so each spans two zones. */
function fargateGaps(c: StackInput): Gap[] {
    const services = c.app.containers?.services;
    if (services === undefined) return [];
    return (["dashboard", "renderer"] as const).map((s) => {
        const min = services[s].minSize;
        return [min < 2, `app.containers.services.${s}.minSize`, `production needs at least 2 ${s} tasks in different zones, got ${min}`, `set app.containers.services.${s}.minSize to 2 or more`] as const;
    });
}

/** The rules across sections: production's needs, a network without NAT, the status page's egress. */
const crossSectionRules = [
    across<StackInput>(["environment", "network", "domain", "database.multiAz", "database.backupRetentionDays", "database.deletionProtection", "protect", "alerts", "app.minSize", "app.platform", "app.containers", "allowUnsafeProduction"], (c, report) => {
        if (c.environment !== "production" || c.allowUnsafeProduction) return;
        for (const [broken, path, message, fix] of productionGaps(c)) {
            if (broken) report(path.split("."), message, `${fix}, or set dashboard:allowUnsafeProduction to true to accept the risk`);
        }
    }),
    across<StackInput>(["environment", "app.containers.tag"], (c, report) => {
        if (c.environment === "production" && c.app.containers?.tag === "latest") {
            report(["app", "containers", "tag"], "is latest, which production refuses: a moving tag makes every task start a different release and a rollback return to nothing", "pin the vendor's release tag, e.g. 2025_10.1");
        }
    }),
    across<StackInput>(["network", "app.container", "app.platform", "app.containers"], (c, report) => {
        for (const p of withoutNatProblems(c.network, c.app)) report(p.path.split("."), p.message, p.fix);
    }),
    across<StackInput>(["network", "statusPage"], (c, report) => {
        if (c.statusPage.enabled && c.network.mode === "new" && c.network.natGateways === "none") {
            report(["statusPage", "enabled"], "the status checker runs in the private subnets and needs a NAT gateway to reach the site", "set network.natGateways to \"single\", or turn the status page off");
        }
    }),
];

/**
 * The whole `dashboard` namespace for one profile: every key, the rules across sections, and the
 * defaults. Its output is the {@link DashboardConfig}; config/jsonSchema.ts turns it into the editor schema.
 * @param profile the environment profile whose defaults apply @default required
 */
export function stackSchema(profile: Profile) {
    return section(stackShape(profile))
        .check(...crossSectionRules)
        .transform((c) => ({
            ...c,
            statusPage: { ...c.statusPage, title: c.statusPage.title ?? `${c.customer} dashboard status` },
        }));
}

/** The fully defaulted config as the schema produces it (before freezing). */
export type StackOutput = z.output<ReturnType<typeof stackSchema>>;

const schemas = new Map<Environment, ReturnType<typeof stackSchema>>();
/** The stack schema of an environment, built once. */
function schemaFor(environment: Environment) {
    let schema = schemas.get(environment);
    if (schema === undefined) schemas.set(environment, (schema = stackSchema(PROFILES[environment])));
    return schema;
}

/** The outcome of validating a raw stack config. */
export interface ValidationResult {
    /** The fully defaulted config; present only when there are no problems. */
    readonly config?: DeepReadonly<StackOutput>;
    readonly problems: readonly Problem[];
    /** Production safety rules relaxed by `allowUnsafeProduction`, one line each. */
    readonly warnings: readonly string[];
}

/**
 * Validates a raw config (the `dashboard` namespace, keys without the prefix, objects already
 * parsed) against the schema of its environment and applies that profile's defaults. Reports every
 * problem at once. What zod cannot know is checked here: whether the licence was set as a secret.
 *
 * @param raw the config values by key @default required
 * @param secretKeys keys (without prefix) whose values were set with `--secret` @default required
 */
export function validateConfig(raw: RawObject, secretKeys: ReadonlySet<string>): ValidationResult {
    const input = withoutNulls(raw) as RawObject;
    const environment = (ENVIRONMENTS as readonly unknown[]).includes(input.environment) ? (input.environment as Environment) : "development";
    const result = schemaFor(environment).safeParse(input);
    const problems = result.success ? [] : toProblems(result.error.issues);
    const app = input.app as RawObject | undefined;
    if (typeof app === "object" && app?.licenceKey !== undefined && !secretKeys.has("app")) {
        problems.push({ path: "app.licenceKey", message: "is set in plain text", fix: "remove it from the stack file and run `pulumi config set --secret --path app.licenceKey <key>`" });
    }
    // Which keys the stack file wrote, as opposed to defaulted: the schema's output cannot tell.
    if (typeof app === "object" && app?.platform === "fargate") {
        for (const key of EC2_ONLY_KEYS.filter((k) => app[k] !== undefined)) {
            problems.push({ path: `app.${key}`, message: "applies to platform ec2 only", fix: "remove it: with fargate, size and count the services in app.containers.services" });
        }
    }
    if (!result.success || problems.length > 0) return { problems, warnings: [] };
    return { config: deepFreeze(result.data), problems: [], warnings: warningsOf(result.data) };
}

/** What a valid config is warned about: relaxed production rules, a status page behind a closed ingress. */
function warningsOf(c: StackOutput): string[] {
    const warnings: string[] = [];
    if (c.statusPage.enabled && !c.ingress.allowedCidrs.includes("0.0.0.0/0")) {
        warnings.push("dashboard:statusPage: ingress.allowedCidrs does not admit everyone: add the NAT gateways' public addresses, or every check will report the site down");
    }
    if (c.environment === "production" && c.allowUnsafeProduction) {
        for (const [broken, path, message] of productionGaps(c)) {
            if (broken) warnings.push(`dashboard:${path}: ${message} (relaxed by dashboard:allowUnsafeProduction)`);
        }
    }
    return warnings;
}

/**
 * A type and everything in it read-only, except Pulumi Outputs; a key whose value may be undefined
 * becomes optional (the schema's transforms write every key, the components may leave them out).
 */
export type DeepReadonly<T> = T extends pulumi.Output<unknown>
    ? T
    : T extends ReadonlyArray<infer U>
      ? ReadonlyArray<DeepReadonly<U>>
      : T extends object
        ? Simplify<
              { readonly [K in keyof T as undefined extends T[K] ? K : never]?: DeepReadonly<T[K]> } & {
                  readonly [K in keyof T as undefined extends T[K] ? never : K]: DeepReadonly<T[K]>;
              }
          >
        : T;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Freezes a value and everything in it, except Pulumi Outputs. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
        for (const v of Object.values(value as object)) deepFreeze(v);
        Object.freeze(value);
    }
    return value as DeepReadonly<T>;
}
