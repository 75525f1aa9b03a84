/**
 * The security group rules of the Fargate services, as a table: only the dashboard admits the load
 * balancer; each internal port is open only from the services that call it (and only they may send
 * to it); everyone sends HTTPS out; the database and NFS only from the dashboard and scheduler.
 * Plain values; table-tested in tests/components/fargate/securityRules.test.ts.
 */
import type { ServiceName } from "../../config/containers";
import { DATABASE_CLIENTS, DASHBOARD_PORT, SERVICE_SPECS, callsBetween } from "./services";
import { NFS_PORT } from "../sideload";

/** Where a rule's traffic comes from or goes to. */
export type Peer =
    | { readonly kind: "service"; readonly service: ServiceName }
    | { readonly kind: "loadBalancer" }
    | { readonly kind: "database" }
    | { readonly kind: "fileSystem" }
    | { readonly kind: "internet" };

/** One rule of a service's group. */
export interface RuleSpec {
    /** The group the rule belongs to. */
    readonly service: ServiceName;
    readonly direction: "in" | "out";
    /** The last part of the rule's logical name: `<prefix>-<role>-<direction>-<key>`. */
    readonly key: string;
    readonly peer: Peer;
    /** The port; `database` for the database's (known only once it exists). */
    readonly port: number | "database";
    readonly description: string;
}

const role = (s: ServiceName) => SERVICE_SPECS[s].role;

/** Every rule of the services that run, in a stable order: per service, ingress, then egress. */
export function securityRules(services: readonly ServiceName[]): RuleSpec[] {
    const calls = callsBetween(services);
    return services.flatMap((s) => {
        const ingress: RuleSpec[] = [
            ...(s === "dashboard" ? [{ service: s, direction: "in" as const, key: "lb", peer: { kind: "loadBalancer" as const }, port: DASHBOARD_PORT, description: `${DASHBOARD_PORT} from the load balancer` }] : []),
            ...calls.filter((c) => c.to === s).map((c) => ({ service: s, direction: "in" as const, key: role(c.from), peer: { kind: "service" as const, service: c.from }, port: c.port, description: `${c.port} from the ${role(c.from)}` })),
        ];
        const egress: RuleSpec[] = [
            { service: s, direction: "out", key: "https", peer: { kind: "internet" }, port: 443, description: "HTTPS to image registries, AWS APIs and the licence server" },
            ...(DATABASE_CLIENTS.includes(s)
                ? [
                      { service: s, direction: "out" as const, key: "db", peer: { kind: "database" as const }, port: "database" as const, description: "Database port to the database" },
                      { service: s, direction: "out" as const, key: "nfs", peer: { kind: "fileSystem" as const }, port: NFS_PORT, description: "NFS to the content file system" },
                  ]
                : []),
            ...calls.filter((c) => c.from === s).map((c) => ({ service: s, direction: "out" as const, key: role(c.to), peer: { kind: "service" as const, service: c.to }, port: c.port, description: `${c.port} to the ${role(c.to)}` })),
        ];
        return [...ingress, ...egress];
    });
}

/** A group's description: what it admits, e.g. `Dashboard tasks: 8224 from the load balancer, 8224 from the scheduler`. */
export function groupDescription(service: ServiceName, rules: readonly RuleSpec[]): string {
    const ingress = rules.filter((r) => r.service === service && r.direction === "in").map((r) => r.description);
    const name = role(service).replace(/^./, (c) => c.toUpperCase());
    return `${name} tasks: ${ingress.length === 0 ? "no ingress" : ingress.join(", ")}`;
}
