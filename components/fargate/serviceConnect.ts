/**
 * Service Connect between the Fargate services: each service serves its named ports under its role's
 * name (`http://renderer:9915`), and every service is a client of the namespace (the security groups,
 * not Service Connect, decide who reaches whom). Plain values; tested in tests/components/fargate/serviceConnect.test.ts.
 */
import type { ServiceName } from "../../config/containers";
import { SERVICE_SPECS } from "./services";

/** A service's Service Connect configuration, as the provider takes it (resolved values). */
export interface ServiceConnectConfiguration {
    readonly enabled: true;
    readonly namespace: string;
    readonly services: { portName: string; discoveryName: string; clientAlias: { dnsName: string; port: number }[] }[];
    readonly logConfiguration: { logDriver: "awslogs"; options: Record<string, string> };
}

/**
 * The configuration of one service: an endpoint per named port (discovery name = port name, unique in
 * the namespace; alias `<role>:<port>`, so the dashboard answers as `dashboard:8224` and
 * `dashboard:28748`), and the proxy's logs in the service's log group under the prefix `service-connect`.
 * @param service the service @default required
 * @param namespaceArn the Cloud Map namespace @default required
 * @param logGroupName the service's log group @default required
 * @param region the log group's region @default required
 */
export function serviceConnectConfiguration(service: ServiceName, namespaceArn: string, logGroupName: string, region: string): ServiceConnectConfiguration {
    const spec = SERVICE_SPECS[service];
    return {
        enabled: true,
        namespace: namespaceArn,
        services: spec.ports.map((p) => ({ portName: p.name, discoveryName: p.name, clientAlias: [{ dnsName: spec.role, port: p.port }] })),
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": "service-connect" } },
    };
}
