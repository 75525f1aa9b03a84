/**
 * The network rules: the load balancer's listeners and headers, and security group ingress.
 */
import { label, notTrue, of, T, type Rule } from "./rule";

/** TLS policies that allow only TLS 1.2 and 1.3. */
export const TLS12_POLICIES: readonly string[] = [
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

export const httpRedirectsToHttps: Rule = {
    id: "CKV_AWS_2 / ELB.1",
    title: "The load balancer redirects HTTP to HTTPS",
    check: (ctx) => {
        const listeners = of(ctx, T.listener);
        if (!listeners.some((l) => l.inputs.protocol === "HTTPS") && ctx.environment === "development") {
            return { notApplicable: "development stack without a domain: HTTP only by design" };
        }
        return listeners
            .filter((l) => l.inputs.protocol === "HTTP")
            .flatMap((l) => {
                const action = (l.inputs.defaultActions ?? [])[0];
                const ok = action?.type === "redirect" && action.redirect?.protocol === "HTTPS" && action.redirect?.statusCode === "HTTP_301";
                return ok ? [] : [`${label(l)}: port ${l.inputs.port} does not redirect to HTTPS`];
            });
    },
};

export const httpsTls12Only: Rule = {
    id: "CKV_AWS_103 / ELB.17",
    title: "HTTPS listeners allow TLS 1.2 or newer only",
    check: (ctx) => {
        const https = of(ctx, T.listener).filter((l) => l.inputs.protocol === "HTTPS");
        if (https.length === 0) return { notApplicable: "no HTTPS listener" };
        return https.flatMap((l) => (TLS12_POLICIES.includes(l.inputs.sslPolicy) ? [] : [`${label(l)}: sslPolicy ${l.inputs.sslPolicy}`]));
    },
};

export const noInternetIngress: Rule = {
    id: "CKV_AWS_24/25/260 / EC2.18-19",
    title: "No security group admits the internet, except the load balancer on 80 and 443",
    check: (ctx) => {
        const albGroups = new Set(of(ctx, T.alb).flatMap((a) => a.inputs.securityGroups ?? []));
        const open = (cidr: unknown) => cidr === "0.0.0.0/0" || cidr === "::/0";
        const problems: string[] = [];
        for (const r of of(ctx, T.ingressRule)) {
            if (!open(r.inputs.cidrIpv4) && !open(r.inputs.cidrIpv6)) continue;
            const ports = [r.inputs.fromPort, r.inputs.toPort];
            const webOnly = ports[0] === ports[1] && (ports[0] === 80 || ports[0] === 443);
            if (!(albGroups.has(r.inputs.securityGroupId) && webOnly)) problems.push(`${label(r)}: admits ${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6} on ${ports.join("-")}`);
        }
        for (const r of of(ctx, T.sgRule).filter((x) => x.inputs.type === "ingress")) {
            if ((r.inputs.cidrBlocks ?? []).some(open)) problems.push(`${label(r)}: admits the internet`);
        }
        for (const g of of(ctx, T.sg)) {
            for (const rule of g.inputs.ingress ?? []) {
                if ((rule.cidrBlocks ?? []).some(open) || (rule.ipv6CidrBlocks ?? []).some(open)) problems.push(`${label(g)}: inline ingress from the internet`);
            }
        }
        return problems;
    },
};

export const albDropsInvalidHeaders: Rule = {
    id: "CKV_AWS_131 / ELB.4",
    title: "The load balancer drops invalid header fields",
    check: (ctx) => notTrue(ctx, T.alb, "dropInvalidHeaderFields"),
};
