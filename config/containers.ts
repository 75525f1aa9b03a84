/**
 * `dashboard:app.containers`: the vendor's four containers on ECS Fargate (`app.platform: fargate`):
 * the image tag and registry, each service's size and count, which optional services run, extra env.
 */
import { z } from "zod";
import { across, bool, int, list, oneOf, say, section, str, stringMap } from "./kit";
import { ENV_NAME, IMAGE } from "./patterns";
import type { Profile } from "./profiles";

/** The services of the Fargate platform, in the order they are built and reported. */
export const SERVICES = ["dashboard", "scheduler", "renderer", "pirana", "excelReader"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** CPU units Fargate accepts (Linux) → the memory sizes (MiB) it accepts with them. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: steps(1024, 4096, 1024),
    1024: steps(2048, 8192, 1024),
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, by: number): number[] {
    return Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
}

/** The accepted pairs as one line for an error: `256 CPU: 512, 1024 or 2048 MiB; 512 CPU: 1024–4096 MiB in steps of 1024; …` */
export function fargateSizesText(): string {
    return Object.entries(FARGATE_SIZES)
        .map(([cpu, mem]) => (mem.length <= 3 ? `${cpu} CPU: ${mem.slice(0, -1).join(", ")} or ${mem[mem.length - 1]} MiB` : `${cpu} CPU: ${mem[0]}–${mem[mem.length - 1]} MiB in steps of ${mem[1] - mem[0]}`))
        .join("; ");
}

/** Each service's defaults: the vendor module's sizes (dashboard, renderer, pirana 1 vCPU / 2 GiB; scheduler 0.25 / 0.5). */
export const SERVICE_DEFAULTS: Readonly<Record<ServiceName, { cpu: number; memory: number; enabled: boolean; scaled: boolean }>> = {
    dashboard: { cpu: 1024, memory: 2048, enabled: true, scaled: true },
    scheduler: { cpu: 256, memory: 512, enabled: true, scaled: false },
    renderer: { cpu: 1024, memory: 2048, enabled: true, scaled: true },
    pirana: { cpu: 1024, memory: 2048, enabled: true, scaled: false },
    excelReader: { cpu: 512, memory: 1024, enabled: false, scaled: false },
};

/** The image repository the vendor publishes to; ghcr needs credentials. */
export const VENDOR_REPOSITORY = "ghcr.io/pi-cr";
/** Image names in the repository (the dashboard's is `server`). */
export const IMAGE_NAMES: Readonly<Record<ServiceName, string>> = { dashboard: "server", scheduler: "scheduler", renderer: "renderer", pirana: "pirana", excelReader: "excel-reader" };

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9._-]+)*$/;

/** The keys of every service. */
function baseShape(service: ServiceName) {
    const d = SERVICE_DEFAULTS[service];
    return {
        cpu: int({ min: 256, max: 16384 }).default(d.cpu).meta({ description: `CPU units of a task (1024 = 1 vCPU). Default: ${d.cpu}` }),
        memory: int({ min: 512, max: 122880 }, " MiB").default(d.memory).meta({ description: `Memory of a task, MiB; only the pairs Fargate accepts with cpu. Default: ${d.memory}` }),
        spot: bool().default(false).meta({ description: "Run on Fargate Spot (about 70 % cheaper, may be interrupted with two minutes' notice). Default: false" }),
        image: str(IMAGE, "use an image name in the repository, or a full reference").default(IMAGE_NAMES[service]).meta({ description: `Image name in the repository, or a full reference with a registry. Default: ${IMAGE_NAMES[service]}` }),
        env: stringMap(ENV_NAME, "use names of letters, digits and '_'").default({}).meta({ description: "Extra non-secret environment variables of the container. Default: {}" }),
        healthCheck: bool().default(true).meta({ description: "A container health check: curl against the service's version path on 127.0.0.1 (dashboard /pi/version, the others /version); set false when the image has no curl. Default: true" }),
        readonlyRootFilesystem: bool().default(false).meta({ description: "Mount the container's root file system read-only (the vendor images write under their install directories: off). Default: false" }),
    };
}

/** The task counts of a scaled service (dashboard, renderer), defaulted from the profile. */
function countsShape(profile: Profile) {
    return {
        minSize: int({ min: 0, max: 100 }).default(profile.minSize).meta({ description: "Fewest tasks; production needs 2 (spread over zones). Default: 1 (development) / 2" }),
        desiredSize: int({ min: 0, max: 100 }).optional().meta({ description: "Tasks at creation; autoscaling owns the count afterwards. Default: minSize" }),
        maxSize: int({ min: 1, max: 100 }).optional().meta({ description: "Most tasks. Default: 2 (development) / 4" }),
        cpuTargetPercent: int({ min: 10, max: 90 }, "%").default(60).meta({ description: "Target-tracking scaling keeps the service's average CPU near this. Default: 60" }),
    };
}

/** Whether an optional service runs. */
const enabledShape = (service: ServiceName) => ({ enabled: bool().default(SERVICE_DEFAULTS[service].enabled).meta({ description: `Run this service. Default: ${SERVICE_DEFAULTS[service].enabled}` }) });

/** A service's CPU/memory pair must be one Fargate accepts. */
const sizeRule = across<{ cpu: number; memory: number }>(["cpu", "memory"], (s, report) => {
    const accepted = FARGATE_SIZES[s.cpu];
    if (accepted === undefined) report(["cpu"], `${s.cpu} is not a Fargate CPU size`, `use one of ${Object.keys(FARGATE_SIZES).join(", ")}`);
    else if (!accepted.includes(s.memory)) report(["memory"], `${s.memory} MiB does not go with ${s.cpu} CPU on Fargate`, `use one of the pairs Fargate accepts: ${fargateSizesText()}`);
});

/** A scaled service's counts after defaults: desired at least min, max at least desired. */
function counts(s: { minSize: number; desiredSize?: number; maxSize?: number }, profile: Profile) {
    const desiredSize = s.desiredSize ?? Math.max(profile.desiredSize, s.minSize);
    return { minSize: s.minSize, desiredSize, maxSize: s.maxSize ?? Math.max(profile.maxSize, desiredSize) };
}

const countRule = (profile: Profile) =>
    across<{ minSize: number; desiredSize?: number; maxSize?: number }>(["minSize", "desiredSize", "maxSize"], (s, report) => {
        const { minSize, desiredSize, maxSize } = counts(s, profile);
        if (minSize > desiredSize) report(["minSize"], `${minSize} is above desiredSize (${desiredSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
        if (desiredSize > maxSize) report(["desiredSize"], `${desiredSize} is above maxSize (${maxSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
    });

/** A scaled service (dashboard, renderer). */
const scaled = (service: ServiceName, profile: Profile) =>
    section({ ...baseShape(service), ...countsShape(profile) })
        .check(sizeRule, countRule(profile))
        .transform((s) => ({ ...s, ...counts(s, profile), enabled: true as boolean }))
        .prefault({});

/** A service of one task (scheduler: two would run each schedule twice). */
const single = (service: ServiceName) =>
    section({ ...baseShape(service) })
        .check(sizeRule)
        .transform((s) => ({ ...s, enabled: true as boolean }))
        .prefault({});

/** An optional service of one task (pirana, excelReader). */
const optional = (service: ServiceName) =>
    section({ ...baseShape(service), ...enabledShape(service) })
        .check(sizeRule)
        .prefault({});

/** The services block for a profile. */
const servicesSchema = (profile: Profile) =>
    section({
        dashboard: scaled("dashboard", profile).meta({ description: "The dashboard (Tomcat): 8224 behind the load balancer, 28748 for the renderer's calls back." }),
        scheduler: single("scheduler").meta({ description: "The scheduler: 9917, one task." }),
        renderer: scaled("renderer", profile).meta({ description: "The renderer: 9915, called by the dashboard." }),
        pirana: optional("pirana").meta({ description: "pirana (analytics): 9918, called by the dashboard." }),
        excelReader: optional("excelReader").meta({ description: "The excel-reader: 9916, called by the dashboard; off by default." }),
    }).prefault({});

/** `registryCredentials`: a secret's ARN; a user name and password written into the stack file are refused. */
const registryCredentials = z
    .unknown()
    .superRefine((v, ctx) => {
        if (typeof v === "string" && SECRET_ARN.test(v)) return;
        const plain = typeof v === "object" && v !== null && ("password" in v || "username" in v);
        ctx.addIssue({
            code: "custom",
            input: v,
            message: plain
                ? say("holds a registry password in plain text", "store {\"username\":…,\"password\":…} in a Secrets Manager secret and set its ARN here")
                : say(`${typeof v === "string" ? `"${v}"` : "this"} is not a Secrets Manager secret ARN`, "set the ARN of the secret holding the registry's username and password"),
        });
    })
    .transform((v) => v as string)
    .meta({ description: "ARN of a Secrets Manager secret with the registry's {\"username\",\"password\"} (ghcr needs them). Not needed for an ECR repository or pull-through cache. Default: none", type: "string" });

/** The `app.containers` keys for a profile. */
export const containersShape = (profile: Profile) => ({
    tag: str(TAG, "use the vendor's release tag, e.g. 2025_10.1", "set the vendor's release tag, e.g. 2025_10.1").meta({ description: "Image tag of every service, e.g. 2025_10.1; latest is refused in production. A new tag rolls every service." }),
    repository: str(REPOSITORY, "use a registry and path such as ghcr.io/pi-cr or <account>.dkr.ecr.<region>.amazonaws.com/ghcr/pi-cr").default(VENDOR_REPOSITORY).meta({
        description: "Registry and path of the images: the vendor's ghcr.io/pi-cr (needs registryCredentials), or an ECR pull-through cache of it (<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/pi-cr). Default: ghcr.io/pi-cr",
    }),
    registryCredentials: registryCredentials.optional(),
    containerInsights: bool().optional().meta({ description: "ECS Container Insights (task-count alarms; priced as custom metrics). Default: false (development, staging) / true (production)" }),
    tomcatMaxMemoryMb: int({ min: 256, max: 122880 }, " MiB").optional().meta({ description: "PI_TOMCAT_MAX_MEMORY of the dashboard. Default: half the dashboard's memory" }),
    urlVariables: section({
        renderer: list(str(ENV_NAME, "use letters, digits and '_'")).default(["PAN_RENDERER_URL", "PI_VARIABLE_PAN_RENDERER_URL"]).meta({ description: "Variables that give the dashboard the renderer's URL. Default: [PAN_RENDERER_URL, PI_VARIABLE_PAN_RENDERER_URL]" }),
        scheduler: list(str(ENV_NAME, "use letters, digits and '_'")).default(["PAN_SCHEDULER_URL", "PI_VARIABLE_PAN_SCHEDULER_URL"]).meta({ description: "Variables that give the dashboard the scheduler's URL. Default: [PAN_SCHEDULER_URL, PI_VARIABLE_PAN_SCHEDULER_URL]" }),
        analytics: list(str(ENV_NAME, "use letters, digits and '_'")).default(["PI_VARIABLE_ANALYTICS_SERVER_URL"]).meta({ description: "Variables that give the dashboard pirana's URL (when pirana runs). Default: [PI_VARIABLE_ANALYTICS_SERVER_URL]" }),
    })
        .prefault({})
        .meta({ description: "The names of the service-URL variables, which differ between the vendor's repositories: each name listed is set." }),
    services: servicesSchema(profile).meta({ description: "Per service: cpu, memory, spot, image, env, readonlyRootFilesystem; dashboard and renderer also minSize, desiredSize, maxSize, cpuTargetPercent; pirana and excelReader enabled." }),
});

/** The names of the service-URL variables the dashboard gets (`app.containers.urlVariables`). */
export interface UrlVariableNames {
    readonly renderer: readonly string[];
    readonly scheduler: readonly string[];
    readonly analytics: readonly string[];
}

/** What the program sets on the dashboard and the scheduler for the database (the user name and password as secrets). */
const DATABASE_ENV = ["PI_DB_HOST", "PI_DB_PORT", "PI_DB_SCHEMA_NAME", "PI_DB_USERNAME", "PI_DB_PASSWORD", "PI_EXTERNAL_DB", "PI_DB_IS_MYSQL"];
/** What the program sets on the dashboard behind the TLS load balancer (with a domain; reserved without one too). */
const PROXY_ENV = ["PI_PROXY_ENABLED", "PI_PROXY_SCHEME", "PI_PROXY_HOST", "PI_PROXY_PORT", "PI_PROXY_IS_SECURE"];

/**
 * The environment names the program sets on a service, which its `env` may not set: the database
 * (the user name and password come from the secret: a plain value there would be the password in
 * plain text), the licence, Tomcat's memory, the proxy settings, and the URLs of the other services
 * (pirana's only when it runs).
 * @param service the service @default required
 * @param urlVariables the names of the service-URL variables @default required
 * @param piranaRuns whether pirana runs (its URL variables are the program's then) @default required
 */
export function managedEnvNames(service: ServiceName, urlVariables: UrlVariableNames, piranaRuns: boolean): string[] {
    switch (service) {
        case "dashboard":
            return [...DATABASE_ENV, "PI_LICENCE", "PI_TOMCAT_MAX_MEMORY", ...PROXY_ENV, ...urlVariables.renderer, ...urlVariables.scheduler, ...(piranaRuns ? urlVariables.analytics : [])];
        case "scheduler":
            return [...DATABASE_ENV, "SCHEDULER_DASHBOARD_URL"];
        case "renderer":
            return ["RENDERER_DASHBOARD_URL"];
        default:
            return [];
    }
}

type ContainersInput = { urlVariables: UrlVariableNames; services: Record<ServiceName, { env: Record<string, string>; enabled: boolean }> };

/** A service's `env` may not set what the program sets; a URL-variable name is neither a fixed name nor in two lists. */
export const managedEnvRule = across<ContainersInput>(["urlVariables", "services"], (c, report) => {
    const piranaRuns = c.services.pirana.enabled;
    for (const service of SERVICES) {
        const managed = new Set(managedEnvNames(service, c.urlVariables, piranaRuns));
        for (const key of Object.keys(c.services[service].env).filter((k) => managed.has(k))) {
            report(["services", service, "env", key], `is set by the program on the ${service}`, key.startsWith("PI_DB_") || key === "PI_LICENCE" ? "remove it: the database and licence values come from their secrets" : "remove it, or rename the variable the program sets (app.containers.urlVariables)");
        }
    }
    const fixed = new Set([...managedEnvNames("dashboard", { renderer: [], scheduler: [], analytics: [] }, false), ...managedEnvNames("scheduler", { renderer: [], scheduler: [], analytics: [] }, false)]);
    const seen = new Map<string, string>();
    for (const list of ["renderer", "scheduler", "analytics"] as const) {
        c.urlVariables[list].forEach((name, i) => {
            const other = seen.get(name);
            if (fixed.has(name)) report(["urlVariables", list, i], `"${name}" is a variable the program sets to something else`, "use the vendor's URL-variable name");
            else if (other !== undefined) report(["urlVariables", list, i], `"${name}" is also listed in urlVariables.${other}`, "give each URL its own variable names");
            seen.set(name, list);
        });
    }
});

export const platform = oneOf(["ec2", "fargate"]).default("ec2").meta({ description: "The app tier's compute: ec2 (an Auto Scaling group of the vendor's image, or of a stock image running one container) or fargate (the vendor's containers as ECS services). Default: ec2" });
