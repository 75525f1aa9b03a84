/**
 * The rules over the whole stack: no secret anywhere, every tier in two or more zones in production,
 * and no fixed physical name.
 */
import { isTrue, label, of, T, type PlannedResource, type Rule } from "./rule";

/** Inputs that are physical names of the resource itself (not e.g. a DNS name the user chose). */
const PHYSICAL_NAME_FIELDS = ["name", "bucket", "identifier", "finalSnapshotIdentifier", "functionName", "dashboardName", "alarmName", "roleName", "dbSubnetGroupName"];
// A DNS name the user chose, names scoped to their parent (an API stage), and names of something else
// (an SSM association's `name` is the document it runs), are not account-wide physical names.
const NOT_PHYSICAL_NAME_TYPES = new Set(["aws:route53/record:Record", "aws:acm/certificate:Certificate", "aws:apigatewayv2/stage:Stage", "aws:ssm/association:Association"]);

/** Every string inside a value, for secret scanning. */
function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
    return out;
}

function decodeUserData(data: unknown): string {
    if (typeof data !== "string") return "";
    const decoded = Buffer.from(data, "base64").toString("utf8");
    return Buffer.from(decoded, "utf8").toString("base64") === data ? decoded : data;
}

export const noSecretLeaks: Rule = {
    id: "CKV_AWS_46 / CKV_AWS_45",
    title: "No secret in user data, Lambda environment, tags or outputs",
    check: (ctx) => {
        const problems: string[] = [];
        const leaks = (text: string) => ctx.secrets.filter((s) => s.length > 0 && text.includes(s)).length > 0 || /(password|passwd|secret_?key)\s*[=:]\s*['"]?[^\s'"$]{6,}/i.test(text);
        for (const t of of(ctx, T.launchTemplate)) if (leaks(decodeUserData(t.inputs.userData))) problems.push(`${label(t)}: user data carries a secret`);
        for (const f of of(ctx, T.lambda)) if (strings(f.inputs.environment).some(leaks)) problems.push(`${label(f)}: environment carries a secret`);
        for (const r of ctx.resources) if (strings([r.inputs.tags, r.inputs.tagsAll]).some((s) => ctx.secrets.some((x) => x.length > 0 && s.includes(x)))) problems.push(`${label(r)}: a tag carries a secret`);
        for (const [k, v] of Object.entries(ctx.outputs)) if (strings(v).some((s) => ctx.secrets.some((x) => x.length > 0 && s.includes(x)))) problems.push(`output ${k} carries a secret`);
        return problems;
    },
};

export const multiAzInProduction: Rule = {
    id: "AutoScaling.2 / ELB.13",
    title: "Every tier spans two or more availability zones in production",
    check: (ctx) => {
        if (ctx.environment !== "production") return { notApplicable: `${ctx.environment} stack` };
        const problems: string[] = [];
        const count = (v: unknown) => new Set(Array.isArray(v) ? v : []).size;
        for (const a of of(ctx, T.alb)) if (count(a.inputs.subnets) < 2) problems.push(`${label(a)}: ${count(a.inputs.subnets)} subnet(s)`);
        for (const g of of(ctx, T.asg)) if (count(g.inputs.vpcZoneIdentifiers) < 2) problems.push(`${label(g)}: ${count(g.inputs.vpcZoneIdentifiers)} subnet(s)`);
        for (const g of of(ctx, T.dbSubnetGroup)) if (count(g.inputs.subnetIds) < 2) problems.push(`${label(g)}: ${count(g.inputs.subnetIds)} subnet(s)`);
        for (const d of of(ctx, T.db)) if (!isTrue(d.inputs.multiAz)) problems.push(`${label(d)}: single-AZ`);
        for (const f of of(ctx, T.efs)) {
            const targets = of(ctx, T.mountTarget).filter((m) => m.inputs.fileSystemId === f.state.id);
            if (count(targets.map((m) => m.inputs.subnetId)) < 2) problems.push(`${label(f)}: ${targets.length} mount target(s)`);
        }
        for (const v of of(ctx, T.vpc)) if (v.inputs.natGateways?.strategy !== "OnePerAz") problems.push(`${label(v)}: NAT strategy ${v.inputs.natGateways?.strategy ?? "none"} is one zone's`);
        return problems;
    },
};

export const noFixedPhysicalNames: Rule = {
    id: "DASH.1",
    title: "No fixed physical name: the same config under two stack names shares none",
    check: (ctx) => {
        if (ctx.twin === undefined) return { notApplicable: "no second run to compare with" };
        const names = (rs: readonly PlannedResource[]) => {
            const m = new Map<string, string>();
            for (const r of rs) {
                if (!r.custom || NOT_PHYSICAL_NAME_TYPES.has(r.type) || r.type.startsWith("pulumi:")) continue;
                for (const f of PHYSICAL_NAME_FIELDS) {
                    const v = r.inputs[f];
                    if (typeof v === "string" && v !== "") m.set(`${v}`, `${label(r)}.${f}`);
                }
            }
            return m;
        };
        const mine = names(ctx.resources);
        const theirs = names(ctx.twin);
        return [...mine.entries()].filter(([v]) => theirs.has(v)).map(([v, where]) => `${where} = "${v}" in both stacks`);
    },
};
