/**
 * Every tier spans two or more availability zones in production: load balancer, app servers (the EC2
 * group's subnets, or each ECS service's subnets and, behind the load balancer, two or more tasks),
 * database (subnet group and Multi-AZ), file system mount targets and NAT.
 */
import type { PolicyResource } from "@pulumi/policy";
import { distinctCount, isTrue, known, label, of, refersTo, T, type DashboardPolicy } from "./rule";

/** Whether `r` lies inside the component `ancestor`. */
function inside(r: PolicyResource, ancestor: PolicyResource): boolean {
    for (let p = r.parent; p !== undefined; p = p.parent) if (p === ancestor) return true;
    return false;
}

/**
 * The NAT problem of an awsx VPC, if any. Its `natGateways` output lists the gateways (their ids: the
 * engine hands resource references to a pack as ids); a hand-made case may give the input's
 * `{ strategy }`; while the list is unknown (preview of a new VPC), the component's NAT gateway children
 * are counted.
 */
function natProblem(v: PolicyResource, resources: readonly PolicyResource[]): string | undefined {
    const nats: unknown = known(() => v.props.natGateways ?? null);
    if (nats === null) return "NAT strategy none is one zone's";
    const strategy: unknown = known(() => (nats as { strategy?: unknown } | undefined)?.strategy);
    if (typeof strategy === "string") return strategy === "OnePerAz" ? undefined : `NAT strategy ${strategy} is one zone's`;
    const count = Array.isArray(nats) ? nats.length : of(resources, T.natGateway).filter((n) => inside(n, v)).length;
    if (!Array.isArray(nats) && count === 0) return undefined; // not known yet: the offline plan and the next preview tell
    return count >= 2 ? undefined : `${count} NAT gateway(s), one zone's`;
}

/** Whether an ECS service registers its tasks with a load balancer (a list not known yet counts as none). */
function behindLoadBalancer(s: PolicyResource): boolean {
    const lbs: unknown = known(() => s.props.loadBalancers ?? []);
    return Array.isArray(lbs) && lbs.length > 0;
}

export const multiAzInProduction: DashboardPolicy = {
    id: "AutoScaling.2 / ELB.13",
    name: "autoscaling-2-elb-13",
    description: "Every tier spans two or more availability zones in production",
    only: ["production"],
    validateStack: (args, report) => {
        const few = (n: number | undefined) => n !== undefined && n < 2;
        const subnets = (r: PolicyResource, read: () => unknown) => {
            const n = distinctCount(read);
            if (few(n)) report(`${label(r)}: ${n} subnet(s)`, r.urn);
        };
        for (const a of of(args.resources, T.alb)) subnets(a, () => a.props.subnets);
        for (const g of of(args.resources, T.asg)) subnets(g, () => g.props.vpcZoneIdentifiers);
        for (const g of of(args.resources, T.dbSubnetGroup)) subnets(g, () => g.props.subnetIds);
        for (const s of of(args.resources, T.ecsService)) {
            subnets(s, () => s.props.networkConfiguration?.subnets);
            const tasks = behindLoadBalancer(s) ? known(() => Number(s.props.desiredCount ?? 0)) : undefined;
            if (few(tasks)) report(`${label(s)}: ${tasks} task(s) behind the load balancer`, s.urn);
        }
        for (const d of of(args.resources, T.db)) if (!isTrue(d.props.multiAz)) report(`${label(d)}: single-AZ`, d.urn);
        for (const f of of(args.resources, T.efs)) {
            const targets = of(args.resources, T.mountTarget).filter((m) => refersTo(m, "fileSystemId", f, ["id"]));
            if (few(distinctCount(() => targets.map((m) => known(() => m.props.subnetId))))) report(`${label(f)}: ${targets.length} mount target(s)`, f.urn);
        }
        for (const v of of(args.resources, T.vpc)) {
            const problem = natProblem(v, args.resources);
            if (problem !== undefined) report(`${label(v)}: ${problem}`, v.urn);
        }
    },
};
