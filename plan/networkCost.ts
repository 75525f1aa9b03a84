/**
 * The network's share of the monthly estimate: NAT gateways and their data, NAT instances (instance
 * hours, root volume, the Elastic IP), interface endpoints. The public IPv4 addresses it counts are
 * priced with the load balancer's (plan/cost.ts).
 */
import type { PlannedResource } from "./compliance";
import type { Assumptions, RegionPrices } from "./cost";

/** What a network pricing step reads and writes (the estimate's context, plan/cost.ts). */
export interface NetworkPricing {
    readonly a: Assumptions;
    readonly p: RegionPrices;
    readonly notPriced: string[];
    of(type: string): PlannedResource[];
    add(item: string, basis: string, monthly: number, source: string): void;
}

/** A price in dollars as the estimate's bases write it. */
export const money = (x: number) => `$${x < 0.01 && x > 0 ? x.toPrecision(2) : x.toFixed(x < 1 ? 4 : 2).replace(/0+$/, "").replace(/\.$/, "")}`;

/** Whether a resource belongs to a NAT instance (components/network/natInstance.ts). */
export function isNatInstancePart(r: PlannedResource): boolean {
    return `${r.urn ?? ""} ${r.parent ?? ""}`.includes("dashboard:network:NatInstance");
}

/**
 * Network: NAT gateways and their data, NAT instances, interface endpoints. Returns the public IPv4
 * addresses it made: one per NAT gateway, one per NAT instance's Elastic IP.
 * @param ctx the estimate's context @default required
 * @param hours hours in a month @default required
 */
export function priceNetwork(ctx: NetworkPricing, hours: number): { natIps: number } {
    const { a, p, of, add, notPriced } = ctx;
    let natCount = 0;
    for (const vpc of of("awsx:ec2:Vpc")) {
        const zones = (vpc.inputs.availabilityZoneNames ?? []).length;
        const strategy = vpc.inputs.natGateways?.strategy;
        natCount += strategy === "OnePerAz" ? zones : strategy === "Single" ? 1 : 0;
    }
    if (of("awsx:ec2:Vpc").length === 0) notPriced.push("NAT gateways and endpoints of the existing VPC (its owner's)");
    if (natCount > 0) {
        add("NAT gateways", `${natCount} × ${hours} h × ${money(p.natHourly)}`, natCount * hours * p.natHourly, p.natSource);
        add("NAT data processed", `${a.natDataGb} GB × ${money(p.natPerGb)} (assumption natDataGb)`, a.natDataGb * p.natPerGb, p.natSource);
    }
    const natInstanceIps = priceNatInstances(ctx, hours);
    const interfaceEndpoints = of("aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
    if (interfaceEndpoints.length > 0) {
        const azHours = interfaceEndpoints.reduce((n, e) => n + (e.inputs.subnetIds ?? []).length, 0);
        add("Interface endpoints", `${interfaceEndpoints.length} endpoints, ${azHours} endpoint-AZs × ${hours} h × ${money(p.interfaceEndpointHourlyPerAz)}`, azHours * hours * p.interfaceEndpointHourlyPerAz, p.interfaceEndpointSource);
        add("Interface endpoint data", `${interfaceEndpoints.length} × ${a.endpointDataGb} GB × ${money(p.interfaceEndpointPerGb)} (assumption endpointDataGb)`, interfaceEndpoints.length * a.endpointDataGb * p.interfaceEndpointPerGb, p.interfaceEndpointSource);
    }
    return { natIps: natCount + natInstanceIps };
}

/**
 * NAT instances: each group of one × instance hours, its root volume, and its Elastic IP (counted
 * with the other public addresses). No per-GB processing charge: data out is the same as a gateway's
 * and is not priced. The minutes a replacement runs on its launch-time address are left out.
 * Returns the number of Elastic IPs.
 */
function priceNatInstances({ p, of, add, notPriced }: NetworkPricing, hours: number): number {
    const groups = of("aws:autoscaling/group:Group").filter(isNatInstancePart);
    if (groups.length === 0) return 0;
    const templates = of("aws:ec2/launchTemplate:LaunchTemplate").filter(isNatInstancePart);
    const byType = new Map<string, { count: number; gb: number }>();
    for (const g of groups) {
        const lt = templates.find((t) => t.state.id === g.inputs.launchTemplate?.id);
        if (lt === undefined) continue;
        const type = String(lt.inputs.instanceType);
        const gb = (lt.inputs.blockDeviceMappings ?? []).reduce((n: number, m: { ebs?: { volumeSize?: number } }) => n + Number(m.ebs?.volumeSize ?? 0), 0);
        const seen = byType.get(type) ?? { count: 0, gb: 0 };
        byType.set(type, { count: seen.count + Number(g.inputs.desiredCapacity ?? 1), gb: seen.gb + gb });
    }
    for (const [type, { count, gb }] of byType) {
        const hourly = (p.ec2Hourly as Record<string, number>)[type];
        if (hourly === undefined) notPriced.push(`NAT instance EC2 ${type} (not in the price table)`);
        else add(`NAT instances EC2 ${type}`, `${count} × ${hours} h × ${money(hourly)}`, count * hours * hourly, p.natInstanceSource);
        add("NAT instance gp3 volumes", `${gb} GB × ${money(p.ebsGbMonth.gp3)}`, gb * p.ebsGbMonth.gp3, p.ebsSource);
    }
    return of("aws:ec2/eip:Eip").filter(isNatInstancePart).length;
}
