/**
 * The Fargate platform's share of the monthly estimate: each service's tasks × 730 h × (vCPU-hours
 * and GB-hours at the region's Fargate prices), Spot at its stated discount. What it leaves out is
 * named in the estimate's "not priced" list.
 */
import type { PlannedResource } from "./compliance";

/** The Fargate prices of a region, when the table has them. */
export interface FargatePrices {
    readonly fargateVcpuHourly: number;
    readonly fargateGbHourly: number;
    /** Share below on-demand that Spot costs (0.7: Spot is 30 % of on-demand). */
    readonly fargateSpotDiscount: number;
    readonly fargateSource: string;
}

/** One priced service: its name, tasks, size and whether it runs on Spot. */
export interface FargateService {
    readonly name: string;
    readonly tasks: number;
    readonly vcpu: number;
    readonly gb: number;
    readonly spot: boolean;
}

/** The services of a plan with their task definitions' sizes; a service whose definition is missing is left out. */
export function fargateServices(services: readonly PlannedResource[], taskDefinitions: readonly PlannedResource[]): FargateService[] {
    return services.flatMap((s) => {
        const td = taskDefinitions.find((t) => t.state.arn === s.inputs.taskDefinition || t.state.id === s.inputs.taskDefinition);
        if (td === undefined || !(td.inputs.requiresCompatibilities ?? []).includes("FARGATE")) return [];
        const strategies: { capacityProvider?: string }[] = s.inputs.capacityProviderStrategies ?? [];
        return [
            {
                name: s.name,
                tasks: Number(s.inputs.desiredCount ?? 0),
                vcpu: Number(td.inputs.cpu) / 1024,
                gb: Number(td.inputs.memory) / 1024,
                spot: strategies.some((c) => c.capacityProvider === "FARGATE_SPOT"),
            },
        ];
    });
}

/** A priced line: the item, how it was reached, the monthly figure. */
export interface FargateLine {
    readonly item: string;
    readonly basis: string;
    readonly monthly: number;
}

/**
 * Each service's monthly cost at `hours` a month; undefined without prices for the region.
 * @param services the services to price @default required
 * @param prices the region's Fargate prices @default required
 * @param hours hours in a month @default 730
 */
export function fargateLines(services: readonly FargateService[], prices: Partial<FargatePrices>, hours = 730): FargateLine[] | undefined {
    const { fargateVcpuHourly: cpu, fargateGbHourly: gb, fargateSpotDiscount: discount = 0.7 } = prices;
    if (cpu === undefined || gb === undefined) return undefined;
    return services.map((s) => {
        const factor = s.spot ? 1 - discount : 1;
        const hourly = (s.vcpu * cpu + s.gb * gb) * factor;
        const spot = s.spot ? ` × ${Math.round((1 - discount) * 100)} % (Spot ⚠)` : "";
        return {
            item: `Fargate ${s.name}${s.spot ? " (Spot)" : ""}`,
            basis: `${s.tasks} tasks × 730 h × (${s.vcpu} vCPU × $${cpu} + ${s.gb} GB × $${gb})${spot}`,
            monthly: s.tasks * hours * hourly,
        };
    });
}

/** What a pricing step of the estimate reads and writes (see cost.ts). */
interface PricingStep {
    readonly p: Partial<FargatePrices>;
    of(type: string): PlannedResource[];
    add(item: string, basis: string, monthly: number, source: string): void;
    readonly notPriced: string[];
}

/**
 * The estimate's Fargate step: a line per service, or a "not priced" entry for a region without prices.
 * @param step the estimate's resources, prices and lists @default required
 * @param hours hours in a month @default required
 */
export function priceFargate({ p, of, add, notPriced }: PricingStep, hours: number): void {
    const services = fargateServices(of("aws:ecs/service:Service"), of("aws:ecs/taskDefinition:TaskDefinition"));
    if (services.length === 0) return;
    const lines = fargateLines(services, p, hours);
    if (lines === undefined) {
        notPriced.push("Fargate tasks (no Fargate prices for this region in the table)");
        return;
    }
    for (const l of lines) add(l.item, l.basis, l.monthly, p.fargateSource ?? "");
    notPriced.push("Container Insights metrics and performance logs (custom-metric and log prices), Fargate storage above the free 20 GB a task");
}
