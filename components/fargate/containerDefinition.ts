/**
 * The container definition of each Fargate service, rendered from resolved values: image, named
 * ports, environment (never a secret), secrets from Secrets Manager, mounts, health check, logs.
 * Plain values in, plain values out; tested with exact JSON in tests/components/fargate/containerDefinition.test.ts.
 */
import type { Engine } from "../../common/engines";
import { managedEnvNames, type ServiceName } from "../../config/containers";
import { SERVICE_SPECS, imageReference, type ContainersConfig } from "./services";
import { mountPoints, type MountPoint } from "./volumes";

/** The database as the dashboard and scheduler see it. */
export interface ContainerDatabase {
    /** `PI_DB_HOST`. @default required */
    readonly host: string;
    /** `PI_DB_PORT`. @default required */
    readonly port: number;
    /** `PI_DB_SCHEMA_NAME`. @default required */
    readonly schemaName: string;
    /** mariadb and mysql add `PI_DB_IS_MYSQL=true`. @default required */
    readonly engine: Engine;
    /** The RDS-managed secret (JSON with `username` and `password`). @default required */
    readonly secretArn: string;
}

/** Everything a container definition is rendered from, resolved. */
export interface ContainerInputs {
    /** Which service. @default required */
    readonly service: ServiceName;
    /** The `app.containers` block. @default required */
    readonly containers: ContainersConfig;
    /** The log group's region. @default required */
    readonly region: string;
    /** The service's log group. @default required */
    readonly logGroupName: string;
    /** The database (the dashboard's and scheduler's env and secrets). @default required */
    readonly database: ContainerDatabase;
    /** The licence secret (its whole value is the key). @default none (no `PI_LICENCE`) */
    readonly licenceSecretArn?: string;
    /** The domain the load balancer serves over HTTPS. @default none (plain HTTP, no proxy settings) */
    readonly domainName?: string;
}

/** One variable of a container's `environment` or `secrets`. */
export interface NameValue {
    readonly name: string;
    readonly value: string;
}
export interface NameValueFrom {
    readonly name: string;
    readonly valueFrom: string;
}

/** An ECS container definition, as much of it as the program sets. */
export interface ContainerDefinition {
    readonly name: string;
    readonly image: string;
    readonly essential: true;
    readonly repositoryCredentials?: { readonly credentialsParameter: string };
    readonly portMappings: readonly { name: string; containerPort: number; protocol: "tcp"; appProtocol: "http" }[];
    readonly environment: readonly NameValue[];
    readonly secrets: readonly NameValueFrom[];
    readonly mountPoints: readonly MountPoint[];
    readonly healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
    readonly logConfiguration: { logDriver: "awslogs"; options: Record<string, string> };
    readonly privileged: false;
    readonly readonlyRootFilesystem: boolean;
    readonly linuxParameters: { initProcessEnabled: true };
    readonly stopTimeout: number;
}

/** `http://<role>:<port><path>`: a service's address through Service Connect. */
export function serviceUrl(service: ServiceName, path = ""): string {
    const spec = SERVICE_SPECS[service];
    return `http://${spec.role}:${spec.ports[0].port}${path}`;
}

/** The variables the program sets on a service (plain values only: the secrets are in {@link containerSecrets}). */
export function managedEnvironment(i: ContainerInputs): Record<string, string> {
    const { containers: c, database: db } = i;
    const database = {
        PI_DB_HOST: db.host,
        PI_DB_PORT: String(db.port),
        PI_DB_SCHEMA_NAME: db.schemaName,
        PI_EXTERNAL_DB: "true",
        ...(db.engine === "postgres" ? {} : { PI_DB_IS_MYSQL: "true" }),
    };
    const urls = (names: readonly string[], url: string) => Object.fromEntries(names.map((n) => [n, url]));
    switch (i.service) {
        case "dashboard":
            return {
                ...database,
                PI_TOMCAT_MAX_MEMORY: String(c.tomcatMaxMemoryMb),
                // TLS ends at the load balancer: the app builds its links for https://<domain>:443.
                ...(i.domainName === undefined ? {} : { PI_PROXY_ENABLED: "true", PI_PROXY_SCHEME: "https", PI_PROXY_HOST: i.domainName, PI_PROXY_PORT: "443", PI_PROXY_IS_SECURE: "true" }),
                ...urls(c.urlVariables.renderer, serviceUrl("renderer")),
                ...urls(c.urlVariables.scheduler, serviceUrl("scheduler")),
                ...(c.services.pirana.enabled ? urls(c.urlVariables.analytics, serviceUrl("pirana")) : {}),
            };
        case "scheduler":
            return { ...database, SCHEDULER_DASHBOARD_URL: serviceUrl("dashboard", "/pi") };
        case "renderer":
            return { RENDERER_DASHBOARD_URL: `http://${SERVICE_SPECS.dashboard.role}:${SERVICE_SPECS.dashboard.ports[1].port}/pi` };
        default:
            return {};
    }
}

/**
 * The container's `environment`: the program's variables and the service's `env`, sorted by name.
 * Throws when `env` sets a name the program sets (config reports it first, see `managedEnvRule`).
 */
export function containerEnvironment(i: ContainerInputs): NameValue[] {
    const managed = managedEnvironment(i);
    const user = i.containers.services[i.service].env;
    const reserved = new Set([...Object.keys(managed), ...managedEnvNames(i.service, i.containers.urlVariables, i.containers.services.pirana.enabled)]);
    const clashes = Object.keys(user).filter((k) => reserved.has(k));
    if (clashes.length > 0) throw new Error(`FargateCluster: app.containers.services.${i.service}.env sets ${clashes.join(", ")}, which the program sets`);
    return Object.entries({ ...managed, ...user })
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The container's `secrets`: the database user and password (dashboard, scheduler) by JSON key, the licence (dashboard). */
export function containerSecrets(i: ContainerInputs): NameValueFrom[] {
    if (i.service !== "dashboard" && i.service !== "scheduler") return [];
    const database = [
        { name: "PI_DB_USERNAME", valueFrom: `${i.database.secretArn}:username::` },
        { name: "PI_DB_PASSWORD", valueFrom: `${i.database.secretArn}:password::` },
    ];
    return i.service === "dashboard" && i.licenceSecretArn !== undefined ? [...database, { name: "PI_LICENCE", valueFrom: i.licenceSecretArn }] : database;
}

/** The container health check: curl against the version path on the first port, sized for Tomcat's start. */
export function healthCheck(service: ServiceName): NonNullable<ContainerDefinition["healthCheck"]> {
    const spec = SERVICE_SPECS[service];
    return {
        command: ["CMD-SHELL", `curl -fsS -o /dev/null http://127.0.0.1:${spec.ports[0].port}${spec.healthPath} || exit 1`],
        interval: 30,
        timeout: 5,
        retries: 3,
        startPeriod: spec.startPeriodSeconds,
    };
}

/** The service's one container. */
export function containerDefinition(i: ContainerInputs): ContainerDefinition {
    const spec = SERVICE_SPECS[i.service];
    const s = i.containers.services[i.service];
    const credentials = i.containers.registryCredentials;
    return {
        name: spec.role,
        image: imageReference(i.containers.repository, s.image, i.containers.tag),
        essential: true,
        ...(credentials === undefined ? {} : { repositoryCredentials: { credentialsParameter: credentials } }),
        portMappings: spec.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "tcp" as const, appProtocol: "http" as const })),
        environment: containerEnvironment(i),
        secrets: containerSecrets(i),
        mountPoints: mountPoints(i.service),
        ...(s.healthCheck ? { healthCheck: healthCheck(i.service) } : {}),
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": i.logGroupName, "awslogs-region": i.region, "awslogs-stream-prefix": "ecs" } },
        privileged: false,
        readonlyRootFilesystem: s.readonlyRootFilesystem,
        // An init process reaps the SSM agent's children of ECS Exec sessions.
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: spec.stopTimeoutSeconds,
    };
}
