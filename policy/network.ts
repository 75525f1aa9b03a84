/**
 * The network rules: the load balancer's listeners and headers, and security group ingress.
 */
import type { PolicyResource } from "@pulumi/policy";
import { known, label, mustBeTrue, of, T, type DashboardPolicy, type StackFacts } from "./rule";

/** TLS policies that allow only TLS 1.2 and 1.3. */
const TLS12_POLICIES: readonly string[] = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/**
 * CKV_AWS_2 / ELB.1. Reads the environment: a development stack without a domain serves HTTP only, by design.
 *
 * @param facts The stack's facts. @default required
 */
export const httpRedirectsToHttps = (facts: StackFacts): DashboardPolicy => ({
    id: "CKV_AWS_2 / ELB.1",
    name: "ckv-aws-2-elb-1",
    description: "The load balancer redirects HTTP to HTTPS",
    validateStack: (args, report) => {
        const listeners = of(args.resources, T.listener);
        if (!listeners.some((l) => l.props.protocol === "HTTPS") && facts.environment === "development") {
            args.notApplicable("development stack without a domain: HTTP only by design");
        }
        for (const l of listeners.filter((x) => x.props.protocol === "HTTP")) {
            const action = (l.props.defaultActions ?? [])[0];
            const ok = action?.type === "redirect" && action.redirect?.protocol === "HTTPS" && action.redirect?.statusCode === "HTTP_301";
            if (!ok) report(`${label(l)}: port ${l.props.port} does not redirect to HTTPS`, l.urn);
        }
    },
});

export const httpsTls12Only: DashboardPolicy = {
    id: "CKV_AWS_103 / ELB.17",
    name: "ckv-aws-103-elb-17",
    description: "HTTPS listeners allow TLS 1.2 or newer only",
    validateStack: (args, report) => {
        const https = of(args.resources, T.listener).filter((l) => l.props.protocol === "HTTPS");
        if (https.length === 0) args.notApplicable("no HTTPS listener");
        for (const l of https) if (!TLS12_POLICIES.includes(l.props.sslPolicy)) report(`${label(l)}: sslPolicy ${l.props.sslPolicy}`, l.urn);
    },
};

/**
 * The load balancers' security groups: their ids and, for ids not known yet (preview), the group
 * resources the load balancers' `securityGroups` were computed from.
 */
function loadBalancerGroups(resources: readonly PolicyResource[]): (groupId: unknown, from: readonly PolicyResource[]) => boolean {
    const ids = new Set<unknown>();
    const sources = new Set<PolicyResource>();
    for (const a of of(resources, T.alb)) {
        for (const id of known(() => [...(a.props.securityGroups ?? [])]) ?? []) ids.add(id);
        for (const g of a.propertyDependencies.securityGroups ?? []) sources.add(g);
    }
    return (groupId, from) => (groupId !== undefined && ids.has(groupId)) || from.some((g) => sources.has(g));
}

const open = (cidr: unknown) => cidr === "0.0.0.0/0" || cidr === "::/0";
const anyOpen = (cidrs: unknown): boolean => Array.isArray(cidrs) && cidrs.some(open);
const webOnly = (from: unknown, to: unknown) => from === to && (from === 80 || from === 443);

export const noInternetIngress: DashboardPolicy = {
    id: "CKV_AWS_24/25/260 / EC2.18-19",
    name: "ckv-aws-24-25-260-ec2-18-19",
    description: "No security group admits the internet, except the load balancer on 80 and 443",
    validateStack: (args, report) => {
        const isLoadBalancers = loadBalancerGroups(args.resources);
        for (const r of of(args.resources, T.ingressRule)) {
            if (!open(r.props.cidrIpv4) && !open(r.props.cidrIpv6)) continue;
            const group = isLoadBalancers(known(() => r.props.securityGroupId), r.propertyDependencies.securityGroupId ?? []);
            if (!(webOnly(r.props.fromPort, r.props.toPort) && group)) report(`${label(r)}: admits ${r.props.cidrIpv4 ?? r.props.cidrIpv6} on ${r.props.fromPort}-${r.props.toPort}`, r.urn);
        }
        for (const r of of(args.resources, T.sgRule).filter((x) => x.props.type === "ingress")) {
            if (anyOpen(r.props.cidrBlocks)) report(`${label(r)}: admits the internet`, r.urn);
        }
        // A group's `ingress` output also lists the rules of the ingress-rule resources once refreshed: the
        // load balancer's 80 and 443 are allowed there too.
        for (const g of of(args.resources, T.sg)) {
            const albGroup = isLoadBalancers(known(() => g.props.id), [g]);
            // Unknown while the group is yet to be created: then the program set no inline rule (those would be known).
            for (const rule of known(() => [...(g.props.ingress ?? [])]) ?? []) {
                const fromInternet = anyOpen(rule.cidrBlocks) || anyOpen(rule.ipv6CidrBlocks);
                if (fromInternet && !(albGroup && webOnly(rule.fromPort, rule.toPort))) report(`${label(g)}: inline ingress from the internet`, g.urn);
            }
        }
    },
};

export const albDropsInvalidHeaders: DashboardPolicy = {
    id: "CKV_AWS_131 / ELB.4",
    name: "ckv-aws-131-elb-4",
    description: "The load balancer drops invalid header fields",
    validateResource: mustBeTrue(T.alb, "dropInvalidHeaderFields"),
};
