/** The `dashboard:app` section: image, instance, sizes, scaling, container, env file, services, licence. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { containersShape, managedEnvRule, platform } from "./containers";
import { across, int, list, say, secret, section, str, stringMap } from "./kit";
import { COMMON_DEFAULTS, defaultAmi, type Profile } from "./profiles";
import { ABS_PATH, AMI, ENV_NAME, HTTP_PATH, IMAGE, INSTANCE_TYPE, LOG_FILE, UNIT, USER } from "./patterns";

const envName = () => str(ENV_NAME, "use letters, digits and '_'");
const d = COMMON_DEFAULTS.app;

const container = section({
    image: str(IMAGE, "use an image reference such as registry/name:tag", "set the image reference, e.g. registry.example.com/dashboard:2026.11").meta({ description: "Image reference, e.g. registry.example.com/dashboard:2026.11." }),
    env: stringMap(ENV_NAME, "use names of letters, digits and '_'").default({}).meta({ description: "Non-secret environment variables of the container. Default: {}" }),
});

const n = d.envFile.names;
const names = section({
    host: envName().default(n.host),
    port: envName().default(n.port),
    username: envName().default(n.username),
    password: envName().default(n.password),
    database: envName().default(n.database),
    engine: envName().default(n.engine),
    licence: envName().default(n.licence),
});

const envFile = section({
    path: str(ABS_PATH, "use an absolute path").default(d.envFile.path).meta({ description: "The main env file (mode 0600, owned by owner). Default: /var/panintelligence/dashboard.env" }),
    extraPaths: list(str(ABS_PATH, "use absolute paths")).default([...d.envFile.extraPaths]).meta({ description: "Further files that get the database variables but not the licence or static ones. Default: [/var/panintelligence/scheduler.env]" }),
    names: names.prefault({}).meta({ description: `Variable names the application expects. Default: ${Object.entries(n).map(([k, v]) => `${k}: ${v}`).join(", ")}` }),
    static: stringMap(ENV_NAME, "use letters, digits and '_'").default({ ...d.envFile.static }).meta({ description: "Fixed variables written into the main file only. Default: { PI_EXTERNAL_DB: \"true\" }" }),
    owner: str(USER, "use a Linux user name").default(d.envFile.owner).meta({ description: "The unprivileged user that owns the files and runs the app. Default: pi-user" }),
});

/** `app.services`: the Docker daemon is refused, as restarting it never hands a container the new password. */
const unit = str(UNIT, "use systemd unit names such as dashboard.service").refine((u) => u !== "docker" && u !== "docker.service", {
    error: say(
        "restarting the Docker daemon keeps every container's old environment (the new password never arrives) and stops every container on the server",
        "remove it: the refresh recreates the containers that read the env files; list only units whose start creates a fresh container",
    ),
});

const port = int({ min: 1, max: 65535 }).refine((p) => p !== 22, { error: say("22 is the SSH port and is never opened", "use the port the app listens on, e.g. 8224") });

/** The keys as the stack file writes them, each with its default for a profile. */
const shapeFor = (profile: Profile) => ({
    platform,
    containers: section(containersShape(profile)).check(managedEnvRule).optional().meta({ description: "The vendor's containers on ECS Fargate (platform fargate): tag, repository, registryCredentials, containerInsights, tomcatMaxMemoryMb, urlVariables, services." }),
    ami: str(AMI, "use an AMI id (ami-…) or ssm:/path/of/a/parameter").optional().meta({ description: "The image: an AMI id or ssm:/parameter/path, resolved at each launch. Default: latest Amazon Linux 2023 (runs no dashboard: set it, or container)" }),
    rootDeviceName: str(/^\/dev\/[a-z0-9]+$/, "use the image's root device, e.g. /dev/xvda or /dev/sda1").optional().meta({ description: "The image's root device (/dev/sda1 Ubuntu, /dev/xvda Amazon Linux); looked up, another one is an error. Default: the image's own" }),
    instanceType: str(INSTANCE_TYPE, "use an EC2 instance type such as t3.medium").default(d.instanceType).meta({ description: "EC2 instance type; Graviton types (t4g.*) pick the arm64 default image. Default: t3a.medium (AMD, x86_64 like the vendor's Ubuntu image; $27.45 a month in us-east-1 against $30.37 for t3.medium)" }),
    port: port.default(d.port).meta({ description: "The app's HTTP port (not 22). Default: 8224" }),
    healthCheckPath: str(HTTP_PATH, "use a path starting with /").default(d.healthCheckPath).meta({ description: "Health-check path (200–399 healthy). Default: /" }),
    minSize: int({ min: 0, max: 100 }).default(profile.minSize).meta({ description: "Fewest app servers; production needs 2. Default: 1 (development) / 2" }),
    desiredSize: int({ min: 0, max: 100 }).optional().meta({ description: "App servers at creation, between minSize and maxSize. Default: 1 (development) / 2" }),
    maxSize: int({ min: 1, max: 100 }).optional().meta({ description: "Most app servers. Default: 2 (development) / 4" }),
    scaleOutCpuPercent: int({ min: 1, max: 99 }, "%").default(d.scaleOutCpuPercent).meta({ description: "Add a server after 2 minutes above this CPU. Default: 70" }),
    scaleInCpuPercent: int({ min: 1, max: 99 }, "%").default(d.scaleInCpuPercent).meta({ description: "Remove one after 10 minutes below this CPU, below scaleOutCpuPercent. Default: 20" }),
    volumeGb: int({ min: 8, max: 16384 }, " GB").optional().meta({ description: "Encrypted gp3 root volume, GB; below the image's root snapshot it is an error. Default: 15, or the image's root snapshot if larger" }),
    stickinessSeconds: int({ min: 1, max: 604800 }, " s").default(d.stickinessSeconds).meta({ description: "Load-balancer cookie duration. Default: 86400" }),
    container: container.optional().meta({ description: "Run the dashboard's container on the stock image instead of the vendor's image: { image, env }. Default: none" }),
    envFile: envFile.prefault({}).meta({ description: "Where the boot script writes the database credentials and the licence: { path, extraPaths, names, static, owner }." }),
    services: list(unit).default([]).meta({ description: "Image mode: systemd units restarted after the env files changed (not docker). Default: []" }),
    logFiles: list(str(LOG_FILE, "use absolute paths; * matches within a name")).default([...d.logFiles]).meta({ description: "Log files (globs allowed) shipped to the app log group besides the boot log. Default: [/var/panintelligence/logs/*.log]" }),
    licenceKey: secret().optional().meta({ description: "The licence key, a secret: pulumi config set --secret --path app.licenceKey <key>. Default: none" }),
});

type AppInput = z.output<ReturnType<typeof section<ReturnType<typeof shapeFor>>>>;

/** The sizes after defaults: desired at least min, max at least desired. */
function sizes(a: AppInput, profile: Profile) {
    const minSize = a.minSize;
    const desiredSize = a.desiredSize ?? Math.max(profile.desiredSize, minSize);
    return { minSize, desiredSize, maxSize: a.maxSize ?? Math.max(profile.maxSize, desiredSize) };
}

const scalingRules = (profile: Profile) =>
    across<AppInput>(["minSize", "desiredSize", "maxSize", "scaleOutCpuPercent", "scaleInCpuPercent"], (a, report) => {
        const { minSize, desiredSize, maxSize } = sizes(a, profile);
        if (minSize > desiredSize) report(["minSize"], `${minSize} is above desiredSize (${desiredSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
        if (desiredSize > maxSize) report(["desiredSize"], `${desiredSize} is above maxSize (${maxSize})`, "keep minSize ≤ desiredSize ≤ maxSize");
        if (a.scaleInCpuPercent >= a.scaleOutCpuPercent) report(["scaleInCpuPercent"], `${a.scaleInCpuPercent}% is not below scaleOutCpuPercent (${a.scaleOutCpuPercent}%)`, "scale in well below the scale-out threshold, e.g. 20 and 70");
    });

/** The keys only the EC2 platform reads: set with platform fargate they would be ignored, so validateConfig refuses them. */
export const EC2_ONLY_KEYS = ["ami", "rootDeviceName", "instanceType", "port", "healthCheckPath", "minSize", "desiredSize", "maxSize", "scaleOutCpuPercent", "scaleInCpuPercent", "volumeGb", "container", "envFile", "services", "logFiles"] as const;

/** Fargate needs its containers block; EC2 takes none. */
const platformRule = across<AppInput>(["platform", "containers"], (a, report) => {
    if (a.platform === "ec2" && a.containers !== undefined) report(["containers"], "applies to platform fargate only", "set app.platform to fargate, or remove app.containers");
    if (a.platform === "fargate" && a.containers === undefined) {
        report(["containers"], "is required with platform fargate", "set app.containers with at least tag, e.g. { tag: 2025_10.1, registryCredentials: <secret ARN> }");
    }
});

const runsSomething = across<AppInput>(["ami", "container", "platform"], (a, report) => {
    if (a.platform === "ec2" && a.ami === undefined && a.container === undefined) {
        report(
            [],
            "runs nothing: the default image is stock Amazon Linux 2023, which has no dashboard on it",
            "set app.ami to the vendor's dashboard image (an AMI id or ssm:/parameter), or app.container.image to run the dashboard's container image",
        );
    }
});

/**
 * The app section for a profile: the stack file's keys, the rules across them, and the profile's
 * defaults. The licence key comes out as a secret Output; whether it was set as a secret is checked
 * by validateConfig, which knows the secret keys.
 * @param profile the environment profile whose defaults apply @default required
 */
export function appSchema(profile: Profile) {
    return section(shapeFor(profile))
        .check(scalingRules(profile), runsSomething, platformRule)
        .transform((a) => ({
            ...a,
            ami: a.ami ?? defaultAmi(a.instanceType),
            /** After `resolveConfig`: the image's own root device. */
            rootDeviceName: a.rootDeviceName ?? d.rootDeviceName,
            ...sizes(a, profile),
            /** After `resolveConfig`: at least the image's root snapshot. */
            volumeGb: a.volumeGb ?? d.volumeGb,
            /** What the stack file set for the root volume, before the image was looked up. */
            requested: { rootDeviceName: a.rootDeviceName, volumeGb: a.volumeGb },
            container: a.container === undefined ? undefined : { image: a.container.image, env: a.container.env },
            containers:
                a.containers === undefined
                    ? undefined
                    : {
                          ...a.containers,
                          registryCredentials: a.containers.registryCredentials,
                          containerInsights: a.containers.containerInsights ?? profile.containerInsights,
                          tomcatMaxMemoryMb: a.containers.tomcatMaxMemoryMb ?? Math.floor(a.containers.services.dashboard.memory / 2),
                      },
            /** The licence key, always a secret Output; undefined when not configured. */
            licenceKey: a.licenceKey === undefined ? undefined : pulumi.secret(a.licenceKey),
        }));
}
