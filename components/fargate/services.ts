/**
 * What the Fargate platform knows of the vendor's services: each one's name in AWS, its named ports,
 * health check and timings; who calls whom; which run; the image reference; the stack-scoped names.
 * Plain values in, plain values out; table-tested in tests/components/fargate/services.test.ts.
 */
import { SERVICES, type ServiceName } from "../../config/containers";
import type { AppConfig } from "../../config/types";

/** The `app.containers` block, fully defaulted. */
export type ContainersConfig = NonNullable<AppConfig["containers"]>;

/** One named port of a service: its port mapping and its Service Connect endpoint. */
export interface NamedPort {
    /** The port mapping's name and the Service Connect discovery name (unique in the namespace). */
    readonly name: string;
    readonly port: number;
}

/** What the program knows of one service of the vendor's images. */
export interface ServiceSpec {
    /**
     * The service's name in AWS: the container's name, the DNS name its clients use (`http://<role>:<port>`),
     * and the middle of its resources' logical names (`app-<role>-…`).
     */
    readonly role: string;
    /** Its named ports, the one health-checked first. */
    readonly ports: readonly NamedPort[];
    /** The path of its version endpoint, which the container health check requests. */
    readonly healthPath: string;
    /** Seconds after start during which failed health checks do not count (ECS allows 0–300). */
    readonly startPeriodSeconds: number;
    /** Seconds between SIGTERM and SIGKILL (Fargate allows up to 120). */
    readonly stopTimeoutSeconds: number;
}

/** The dashboard's public port (behind the load balancer) and the one the renderer calls back on. */
export const DASHBOARD_PORT = 8224;
export const DASHBOARD_INTERNAL_PORT = 28748;
/** The load balancer's health check of the dashboard (the vendor's). */
export const DASHBOARD_HEALTH_PATH = "/pi/version";

/**
 * The vendor's services (their Terraform module, December 2025). Tomcat (dashboard, scheduler) gets the
 * longest start period the API allows: its first start creates the schema in an empty database.
 */
export const SERVICE_SPECS: Readonly<Record<ServiceName, ServiceSpec>> = {
    dashboard: {
        role: "dashboard",
        ports: [{ name: "dashboard", port: DASHBOARD_PORT }, { name: "dashboard-internal", port: DASHBOARD_INTERNAL_PORT }],
        healthPath: DASHBOARD_HEALTH_PATH,
        startPeriodSeconds: 300,
        stopTimeoutSeconds: 60,
    },
    scheduler: { role: "scheduler", ports: [{ name: "scheduler", port: 9917 }], healthPath: "/version", startPeriodSeconds: 300, stopTimeoutSeconds: 60 },
    renderer: { role: "renderer", ports: [{ name: "renderer", port: 9915 }], healthPath: "/version", startPeriodSeconds: 180, stopTimeoutSeconds: 30 },
    pirana: { role: "pirana", ports: [{ name: "pirana", port: 9918 }], healthPath: "/version", startPeriodSeconds: 180, stopTimeoutSeconds: 30 },
    excelReader: { role: "excel-reader", ports: [{ name: "excel-reader", port: 9916 }], healthPath: "/version", startPeriodSeconds: 180, stopTimeoutSeconds: 30 },
};

/** One call between services: `from` reaches `to` on `port` (Service Connect, `http://<to's role>:<port>`). */
export interface Call {
    readonly from: ServiceName;
    readonly to: ServiceName;
    readonly port: number;
}

/** Who calls whom: the only ports open between the services (the load balancer reaches the dashboard's 8224). */
export const CALLS: readonly Call[] = [
    { from: "scheduler", to: "dashboard", port: DASHBOARD_PORT },
    { from: "renderer", to: "dashboard", port: DASHBOARD_INTERNAL_PORT },
    { from: "dashboard", to: "renderer", port: 9915 },
    { from: "dashboard", to: "scheduler", port: 9917 },
    { from: "dashboard", to: "pirana", port: 9918 },
    { from: "dashboard", to: "excelReader", port: 9916 },
];

/** The calls between services that run. */
export function callsBetween(services: readonly ServiceName[]): Call[] {
    return CALLS.filter((c) => services.includes(c.from) && services.includes(c.to));
}

/** The services that run, in {@link SERVICES} order: dashboard, scheduler and renderer always, pirana and excelReader when enabled. */
export function enabledServices(containers: Pick<ContainersConfig, "services">): ServiceName[] {
    return SERVICES.filter((s) => containers.services[s].enabled);
}

/** The services whose task count autoscaling owns. */
export const SCALED_SERVICES: readonly ServiceName[] = ["dashboard", "renderer"];

/** The services that read the database secret: a rotation redeploys them. */
export const DATABASE_CLIENTS: readonly ServiceName[] = ["dashboard", "scheduler"];

/**
 * A service's image: a name without `/` is an image in `repository`, tagged with `tag` unless it
 * carries its own tag or digest (`server:2025_10.2`, `server@sha256:…`); anything with `/` is a full
 * reference and used as given.
 */
export function imageReference(repository: string, image: string, tag: string): string {
    if (image.includes("/")) return image;
    return /[:@]/.test(image) ? `${repository}/${image}` : `${repository}/${image}:${tag}`;
}

/** An image in ECR: its registry's account and region, and the repository's name. */
export interface EcrImage {
    readonly accountId: string;
    readonly region: string;
    readonly repositoryName: string;
}

const ECR = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)([:@].*)?$/;

/** The ECR repository of an image reference (a repository of its own, or one a pull-through cache created); undefined elsewhere (ghcr). */
export function ecrImage(reference: string): EcrImage | undefined {
    const m = ECR.exec(reference);
    return m === null ? undefined : { accountId: m[1], region: m[3], repositoryName: m[5] };
}

/**
 * A name unique to a customer's stack, for the few names the program must choose (the Cloud Map
 * namespace, unique per account and region; the task-definition families): `dashboard-<customer>-<stack>`,
 * every character outside letters, digits, `-` and `_` (a `.` of a stack name) replaced by `-`.
 */
export function stackScopedName(customer: string, stack: string): string {
    return `dashboard-${customer}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** The longest family prefix: the family `<prefix>-excel-reader` stays within ECS's 255 characters. */
const MAX_FAMILY_PREFIX = 255 - "-excel-reader".length;

/**
 * Throws on names AWS would refuse: a Cloud Map namespace is 1–1024 printable characters, not an ARN,
 * without `<`, `>`, `"` or `/` (ECS refuses those in a cluster's Service Connect default); a task
 * family is letters, digits, `-` and `_`, 255 at most.
 */
export function checkNames(namespaceName: string, familyPrefix: string): void {
    if (!/^[!-~]{1,1024}$/.test(namespaceName) || namespaceName.startsWith("arn:") || /[<>"/]/.test(namespaceName)) {
        throw new Error(`FargateCluster: namespaceName "${namespaceName}" is not a Cloud Map namespace name (1–1024 printable characters, no <, >, " or /, not an ARN)`);
    }
    if (!new RegExp(`^[A-Za-z0-9_-]{1,${MAX_FAMILY_PREFIX}}$`).test(familyPrefix)) {
        throw new Error(`FargateCluster: familyPrefix "${familyPrefix}" must be 1–${MAX_FAMILY_PREFIX} letters, digits, '-' or '_' (a task family is at most 255)`);
    }
}
