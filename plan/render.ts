/** Text and Markdown renderings of plans and of the comparison of two plans. */
import type { RuleResult } from "./compliance";
import type { StackPlan } from "./run";

const money = (x: number) => `$${x.toFixed(2)}`;
const fmt = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const settingsText = (s: Readonly<Record<string, unknown>>) =>
    Object.entries(s)
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" ");

/** A rule's verdict in the terminal report. */
const MARKS: Readonly<Record<RuleResult["verdict"], string>> = { pass: "ok  ", fail: "FAIL", advisory: "warn", "not applicable": "n/a " };

/** The plan as a terminal report. */
export function renderText(plan: StackPlan): string {
    const out: string[] = [`Stack ${plan.stack} (${plan.customer ?? "?"}, ${plan.environment ?? "?"}, ${plan.region})`];
    if (plan.errors.length > 0) {
        out.push("", `Config errors (${plan.errors.length}):`, ...plan.errors.map((e) => `  ${e}`));
        return out.join("\n");
    }
    for (const w of plan.warnings) out.push(`warning: ${w}`);
    const total = Object.values(plan.counts).reduce((n, c) => n + c, 0);
    out.push("", `Resources (${total}):`);
    for (const c of plan.components) {
        out.push(`  ${c.component}`);
        for (const r of c.resources) out.push(`    ${r.type} ${r.name}${Object.keys(r.settings).length ? `  ${settingsText(r.settings)}` : ""}`);
    }
    out.push("", "Outputs:");
    for (const [k, v] of Object.entries(plan.outputs)) out.push(`  ${k}: ${v === null || v === undefined ? "(none)" : fmt(v)}`);
    const failed = plan.compliance.filter((r) => r.verdict === "fail").length;
    const advisory = plan.compliance.filter((r) => r.verdict === "advisory").length;
    out.push("", `Compliance: ${plan.compliance.length - failed - advisory} of ${plan.compliance.length} rules pass or do not apply, ${advisory ? `${advisory} advisory, ` : ""}${failed} fail`);
    for (const r of plan.compliance) {
        out.push(`  ${MARKS[r.verdict]} ${r.id}  ${r.title}${r.verdict === "not applicable" ? ` (${r.details.join("; ")})` : ""}`);
        if (r.verdict === "fail" || r.verdict === "advisory") for (const d of r.details) out.push(`         ${d}`);
    }
    if (plan.cost !== undefined) {
        const c = plan.cost;
        out.push("", `Monthly cost estimate (${c.currency}, ${c.priceRegion} list prices taken ${c.taken}, 730 h):`);
        const width = Math.max(...c.items.map((i) => i.item.length));
        for (const i of c.items) out.push(`  ${i.item.padEnd(width)}  ${money(i.monthly).padStart(9)}  ${i.basis}  [${i.source}]`);
        out.push(`  ${"Total".padEnd(width)}  ${money(c.total).padStart(9)}`);
        out.push(`  Assumptions (override with --assume key=value): ${Object.entries(c.assumptions).map(([k, v]) => `${k}=${v}`).join(", ")}`);
        out.push(`  Not priced: ${c.notPriced.join("; ")}`);
    }
    return out.join("\n");
}

/** The plan as a pull-request comment. */
export function renderMarkdown(plan: StackPlan): string {
    const out: string[] = [`### Stack \`${plan.stack}\` — ${plan.customer ?? "?"}, ${plan.environment ?? "?"}, ${plan.region}`];
    if (plan.errors.length > 0) {
        out.push("", `**Config errors (${plan.errors.length})**`, "", ...plan.errors.map((e) => `- \`${e}\``));
        return out.join("\n");
    }
    for (const w of plan.warnings) out.push(`> ⚠ ${w}`);
    const failed = plan.compliance.filter((r) => r.verdict === "fail");
    const advisory = plan.compliance.filter((r) => r.verdict === "advisory");
    const n = plan.compliance.length;
    const summary = advisory.length === 0 ? `**Compliance:** all ${n} rules pass or do not apply` : `**Compliance:** none of ${n} rules fails, ${advisory.length} advisory`;
    out.push("", failed.length === 0 ? summary : `**Compliance: ${failed.length} rule(s) fail**`);
    for (const f of plan.findings) out.push(`- ❌ ${f}`);
    for (const r of advisory) for (const d of r.details) out.push(`- ⚠ ${r.id} (advisory): ${d}`);
    if (plan.cost !== undefined) {
        out.push("", `**Monthly cost: ${money(plan.cost.total)}** (${plan.cost.priceRegion} list prices, ${plan.cost.taken})`, "", "| item | monthly | basis |", "|---|---:|---|");
        for (const i of plan.cost.items) out.push(`| ${i.item} | ${money(i.monthly)} | ${i.basis} |`);
        out.push("", `Not priced: ${plan.cost.notPriced.join("; ")}.`);
    }
    out.push("", "<details><summary>Resources</summary>", "", "| type | count |", "|---|---:|");
    for (const [t, n] of Object.entries(plan.counts)) out.push(`| \`${t}\` | ${n} |`);
    out.push("", "</details>");
    return out.join("\n");
}

/** What differs between two plans: resources, settings, cost. */
export interface PlanComparison {
    readonly a: string;
    readonly b: string;
    /** type → [count in a, count in b], types whose counts differ. */
    readonly counts: Readonly<Record<string, [number, number]>>;
    /** `<component> <type> <name>`: settings that differ, [a, b]; undefined = resource absent. */
    readonly settings: Readonly<Record<string, Record<string, [unknown, unknown]>>>;
    /** cost item → [a, b] monthly. */
    readonly cost: Readonly<Record<string, [number, number]>>;
    readonly total: [number, number];
}

export function comparePlans(a: StackPlan, b: StackPlan): PlanComparison {
    const counts: Record<string, [number, number]> = {};
    for (const t of new Set([...Object.keys(a.counts), ...Object.keys(b.counts)])) {
        const pair: [number, number] = [a.counts[t] ?? 0, b.counts[t] ?? 0];
        if (pair[0] !== pair[1]) counts[t] = pair;
    }
    const index = (p: StackPlan) => new Map(p.components.flatMap((c) => c.resources.map((r) => [`${c.component} ${r.type} ${r.name}`, r.settings] as const)));
    const ia = index(a);
    const ib = index(b);
    const settings: Record<string, Record<string, [unknown, unknown]>> = {};
    for (const key of new Set([...ia.keys(), ...ib.keys()])) {
        const sa = ia.get(key);
        const sb = ib.get(key);
        const diff: Record<string, [unknown, unknown]> = {};
        if (sa === undefined || sb === undefined) {
            diff.present = [sa !== undefined, sb !== undefined];
        } else {
            for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
                if (JSON.stringify(sa[k]) !== JSON.stringify(sb[k])) diff[k] = [sa[k], sb[k]];
            }
        }
        if (Object.keys(diff).length > 0) settings[key] = diff;
    }
    const cost: Record<string, [number, number]> = {};
    const ca = new Map((a.cost?.items ?? []).map((i) => [i.item, i.monthly]));
    const cb = new Map((b.cost?.items ?? []).map((i) => [i.item, i.monthly]));
    for (const item of new Set([...ca.keys(), ...cb.keys()])) {
        const pair: [number, number] = [ca.get(item) ?? 0, cb.get(item) ?? 0];
        if (pair[0] !== pair[1]) cost[item] = pair;
    }
    return { a: a.stack, b: b.stack, counts, settings, cost, total: [a.cost?.total ?? 0, b.cost?.total ?? 0] };
}

export function renderComparison(c: PlanComparison): string {
    const out: string[] = [`Comparing ${c.a} → ${c.b}`, "", "Resource counts that differ:"];
    const entries = Object.entries(c.counts);
    if (entries.length === 0) out.push("  (none)");
    for (const [t, [x, y]] of entries) out.push(`  ${t}: ${x} → ${y}`);
    out.push("", "Settings that differ:");
    if (Object.keys(c.settings).length === 0) out.push("  (none)");
    for (const [key, diff] of Object.entries(c.settings)) {
        out.push(`  ${key}`);
        for (const [k, [x, y]] of Object.entries(diff)) out.push(`    ${k}: ${fmt(x)} → ${fmt(y)}`);
    }
    out.push("", "Monthly cost that differs:");
    for (const [item, [x, y]] of Object.entries(c.cost)) out.push(`  ${item}: ${money(x)} → ${money(y)}`);
    out.push(`  Total: ${money(c.total[0])} → ${money(c.total[1])} (${c.total[1] >= c.total[0] ? "+" : "−"}${money(Math.abs(c.total[1] - c.total[0]))})`);
    return out.join("\n");
}
