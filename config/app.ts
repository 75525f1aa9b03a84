/** The `dashboard:app` section: image, instance, sizes, scaling, container, env file, services, licence. */
import * as pulumi from "@pulumi/pulumi";
import type { Checker } from "./checker";
import { COMMON_DEFAULTS, defaultAmi, type Profile } from "./profiles";
import type { AppConfig, EnvFileConfig } from "./types";
import { ABS_PATH, AMI, ENV_NAME, HTTP_PATH, IMAGE, INSTANCE_TYPE, LOG_FILE, UNIT, USER } from "./patterns";

const APP_KEYS = [
    "ami", "rootDeviceName", "instanceType", "port", "healthCheckPath", "minSize", "desiredSize", "maxSize", "scaleOutCpuPercent",
    "scaleInCpuPercent", "volumeGb", "stickinessSeconds", "container", "envFile", "services", "logFiles", "licenceKey",
] as const;

export function readApp(c: Checker, value: unknown, profile: Profile, appIsSecret: boolean): AppConfig {
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

export function readEnvFile(c: Checker, value: unknown): EnvFileConfig {
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
