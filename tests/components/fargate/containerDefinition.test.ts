import * as assert from "node:assert/strict";
import { containerDefinition, managedEnvironment, type ContainerInputs } from "../../../components/fargate/containerDefinition";
import { managedEnvNames, SERVICES } from "../../../config/containers";
import { DB_SECRET, LICENCE_SECRET, REGISTRY_SECRET, containersConfig } from "./fixtures";

const RES = "/var/panintelligence/Dashboard/tomcat/webapps/panMISDashboardResources";
const DATABASE = { host: "dashboard-abc.c0mock.us-east-1.rds.amazonaws.com", port: 3306, schemaName: "dashboard", engine: "mariadb" as const, secretArn: DB_SECRET };

function inputs(over: Partial<ContainerInputs> = {}): ContainerInputs {
    return {
        service: "dashboard",
        containers: containersConfig(),
        region: "us-east-1",
        logGroupName: "app-dashboard-logs-1234567",
        database: DATABASE,
        licenceSecretArn: LICENCE_SECRET,
        domainName: "dashboard.acme.example.com",
        ...over,
    };
}

/** The parts every container shares: logs to its group, never privileged, an init process for ECS Exec. */
const logs = (group: string) => ({ logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs" } });
const curl = (port: number, path: string) => ["CMD-SHELL", `curl -fsS -o /dev/null http://127.0.0.1:${port}${path} || exit 1`];
const env = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));
const COMMON = { essential: true, privileged: false, readonlyRootFilesystem: false, linuxParameters: { initProcessEnabled: true } };
const DB_ENV = { PI_DB_HOST: DATABASE.host, PI_DB_PORT: "3306", PI_DB_SCHEMA_NAME: "dashboard", PI_EXTERNAL_DB: "true", PI_DB_IS_MYSQL: "true" };
const DB_SECRETS = [
    { name: "PI_DB_USERNAME", valueFrom: `${DB_SECRET}:username::` },
    { name: "PI_DB_PASSWORD", valueFrom: `${DB_SECRET}:password::` },
];

describe("components/fargate/containerDefinition: each service's exact container", () => {
    it("dashboard: 8224 and 28748, database and proxy env, the URLs of renderer, scheduler and pirana, secrets, seven mounts, /pi/version", () => {
        const def = JSON.parse(JSON.stringify(containerDefinition(inputs())));
        assert.deepEqual(def, {
            name: "dashboard",
            image: "ghcr.io/pi-cr/server:2025_10.1",
            ...COMMON,
            repositoryCredentials: { credentialsParameter: REGISTRY_SECRET },
            portMappings: [
                { name: "dashboard", containerPort: 8224, protocol: "tcp", appProtocol: "http" },
                { name: "dashboard-internal", containerPort: 28748, protocol: "tcp", appProtocol: "http" },
            ],
            environment: env({
                ...DB_ENV,
                PI_TOMCAT_MAX_MEMORY: "1024",
                PI_PROXY_ENABLED: "true",
                PI_PROXY_SCHEME: "https",
                PI_PROXY_HOST: "dashboard.acme.example.com",
                PI_PROXY_PORT: "443",
                PI_PROXY_IS_SECURE: "true",
                PAN_RENDERER_URL: "http://renderer:9915",
                PI_VARIABLE_PAN_RENDERER_URL: "http://renderer:9915",
                PAN_SCHEDULER_URL: "http://scheduler:9917",
                PI_VARIABLE_PAN_SCHEDULER_URL: "http://scheduler:9917",
                PI_VARIABLE_ANALYTICS_SERVER_URL: "http://pirana:9918",
            }),
            secrets: [...DB_SECRETS, { name: "PI_LICENCE", valueFrom: LICENCE_SECRET }],
            mountPoints: [
                { sourceVolume: "keys", containerPath: "/var/panintelligence/Dashboard/keys", readOnly: false },
                { sourceVolume: "custom_jdbc", containerPath: "/var/panintelligence/Dashboard/custom_jdbc", readOnly: false },
                { sourceVolume: "themes", containerPath: `${RES}/themes`, readOnly: false },
                { sourceVolume: "images", containerPath: `${RES}/images`, readOnly: false },
                { sourceVolume: "files", containerPath: `${RES}/files`, readOnly: false },
                { sourceVolume: "svg", containerPath: `${RES}/svg`, readOnly: false },
                { sourceVolume: "locale", containerPath: `${RES}/locale`, readOnly: false },
            ],
            healthCheck: { command: curl(8224, "/pi/version"), interval: 30, timeout: 5, retries: 3, startPeriod: 300 },
            logConfiguration: logs("app-dashboard-logs-1234567"),
            stopTimeout: 60,
        });
    });

    it("scheduler: 9917, database env and secrets, the dashboard's URL, the keys mount, /version", () => {
        const def = JSON.parse(JSON.stringify(containerDefinition(inputs({ service: "scheduler", logGroupName: "app-scheduler-logs-1234567" }))));
        assert.deepEqual(def, {
            name: "scheduler",
            image: "ghcr.io/pi-cr/scheduler:2025_10.1",
            ...COMMON,
            repositoryCredentials: { credentialsParameter: REGISTRY_SECRET },
            portMappings: [{ name: "scheduler", containerPort: 9917, protocol: "tcp", appProtocol: "http" }],
            environment: env({ ...DB_ENV, SCHEDULER_DASHBOARD_URL: "http://dashboard:8224/pi" }),
            secrets: DB_SECRETS,
            mountPoints: [{ sourceVolume: "keys", containerPath: "/var/panintelligence/Dashboard/keys", readOnly: false }],
            healthCheck: { command: curl(9917, "/version"), interval: 30, timeout: 5, retries: 3, startPeriod: 300 },
            logConfiguration: logs("app-scheduler-logs-1234567"),
            stopTimeout: 60,
        });
    });

    it("renderer: 9915, only the dashboard's internal URL, no secret, no mount", () => {
        const def = JSON.parse(JSON.stringify(containerDefinition(inputs({ service: "renderer", logGroupName: "app-renderer-logs-1234567" }))));
        assert.deepEqual(def, {
            name: "renderer",
            image: "ghcr.io/pi-cr/renderer:2025_10.1",
            ...COMMON,
            repositoryCredentials: { credentialsParameter: REGISTRY_SECRET },
            portMappings: [{ name: "renderer", containerPort: 9915, protocol: "tcp", appProtocol: "http" }],
            environment: [{ name: "RENDERER_DASHBOARD_URL", value: "http://dashboard:28748/pi" }],
            secrets: [],
            mountPoints: [],
            healthCheck: { command: curl(9915, "/version"), interval: 30, timeout: 5, retries: 3, startPeriod: 180 },
            logConfiguration: logs("app-renderer-logs-1234567"),
            stopTimeout: 30,
        });
    });

    it("pirana and excel-reader: their port, no env of the program's, no secret, no mount", () => {
        const containers = containersConfig({ services: { excelReader: { enabled: true, env: { EXCEL_READER_THREADS: "4" } } } });
        for (const [service, name, port, image, env] of [
            ["pirana", "pirana", 9918, "pirana", []],
            ["excelReader", "excel-reader", 9916, "excel-reader", [{ name: "EXCEL_READER_THREADS", value: "4" }]],
        ] as const) {
            const def = JSON.parse(JSON.stringify(containerDefinition(inputs({ service, containers, logGroupName: `app-${name}-logs` }))));
            assert.deepEqual(def, {
                name,
                image: `ghcr.io/pi-cr/${image}:2025_10.1`,
                ...COMMON,
                repositoryCredentials: { credentialsParameter: REGISTRY_SECRET },
                portMappings: [{ name, containerPort: port, protocol: "tcp", appProtocol: "http" }],
                environment: env,
                secrets: [],
                mountPoints: [],
                healthCheck: { command: curl(port, "/version"), interval: 30, timeout: 5, retries: 3, startPeriod: 180 },
                logConfiguration: logs(`app-${name}-logs`),
                stopTimeout: 30,
            });
        }
    });

    it("without a domain no proxy settings; without pirana no analytics URL; postgres is not MySQL; without a licence no PI_LICENCE", () => {
        const containers = containersConfig({ services: { pirana: { enabled: false } } });
        const def = containerDefinition(inputs({ containers, domainName: undefined, licenceSecretArn: undefined, database: { ...DATABASE, engine: "postgres", port: 5432 } }));
        const names = def.environment.map((e) => e.name);
        assert.deepEqual(names.filter((n) => n.startsWith("PI_PROXY") || n === "PI_DB_IS_MYSQL" || n === "PI_VARIABLE_ANALYTICS_SERVER_URL"), []);
        assert.equal(def.environment.find((e) => e.name === "PI_DB_PORT")?.value, "5432");
        assert.deepEqual(def.secrets.map((s) => s.name), ["PI_DB_USERNAME", "PI_DB_PASSWORD"]);
    });

    it("user env merged and sorted; a full image reference as given; no repositoryCredentials without them; no health check when turned off; read-only root when set", () => {
        const containers = containersConfig({
            registryCredentials: undefined,
            repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr",
            services: { dashboard: { env: { PI_TOMCAT_COOKIE_SECURE: "true", AAA: "1" }, healthCheck: false, readonlyRootFilesystem: true, image: "registry.example.com/acme/dash:9" } },
        });
        const def = containerDefinition(inputs({ containers }));
        assert.equal(def.image, "registry.example.com/acme/dash:9");
        assert.equal(def.repositoryCredentials, undefined);
        assert.equal(def.healthCheck, undefined);
        assert.equal(def.readonlyRootFilesystem, true);
        assert.equal(def.environment[0].name, "AAA");
        assert.ok(def.environment.some((e) => e.name === "PI_TOMCAT_COOKIE_SECURE" && e.value === "true"));
        assert.deepEqual(def.environment.map((e) => e.name), [...def.environment.map((e) => e.name)].sort());
        assert.equal(containerDefinition(inputs({ containers, service: "renderer" })).image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr/renderer:2025_10.1");
    });

    it("never a secret in environment, and every name the program sets is one the config reserves (so env can never override it)", () => {
        const containers = containersConfig({ services: { excelReader: { enabled: true } } });
        for (const service of SERVICES) {
            const i = inputs({ service, containers });
            const def = containerDefinition(i);
            const reserved = managedEnvNames(service, containers.urlVariables, true);
            assert.deepEqual(Object.keys(managedEnvironment(i)).filter((k) => !reserved.includes(k)), [], service);
            assert.deepEqual(def.environment.filter((e) => /PASSWORD|USERNAME|LICENCE/.test(e.name)), [], service);
            assert.ok(!JSON.stringify(def.environment).includes(DB_SECRET), service);
        }
    });

    it("throws when env sets what the program sets (the config reports it first)", () => {
        const containers = { ...containersConfig(), services: { ...containersConfig().services, renderer: { ...containersConfig().services.renderer, env: { RENDERER_DASHBOARD_URL: "x" } } } };
        assert.throws(() => containerDefinition(inputs({ containers, service: "renderer" })), /services\.renderer\.env sets RENDERER_DASHBOARD_URL, which the program sets/);
    });
});
