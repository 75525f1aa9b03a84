/**
 * No secret in plain text: not in user data, Lambda environment, tags or stack outputs. The secrets are
 * the stack config's secret values (the licence key) and anything that looks like a password assignment.
 */
import { known, label, of, T, type DashboardPolicy, type StackFacts } from "./rule";

/**
 * Every string inside a value, for secret scanning; values not known yet (preview) are skipped.
 *
 * @param value Any property value. @default required
 * @param out Where the strings are collected. @default a new list
 */
export function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((_, i) => strings(known(() => value[i] as unknown), out));
    else if (value !== null && typeof value === "object") for (const k of Object.keys(value)) strings(known(() => (value as Record<string, unknown>)[k]), out);
    return out;
}

function decodeUserData(data: unknown): string {
    if (typeof data !== "string") return "";
    const decoded = Buffer.from(data, "base64").toString("utf8");
    return Buffer.from(decoded, "utf8").toString("base64") === data ? decoded : data;
}

const PASSWORD_ASSIGNMENT = /(password|passwd|secret_?key)\s*[=:]\s*['"]?[^\s'"$]{6,}/i;

/**
 * CKV_AWS_46 / CKV_AWS_45. Reads the stack's secret values.
 *
 * @param facts The stack's facts (its secret values). @default required
 */
export const noSecretLeaks = (facts: StackFacts): DashboardPolicy => ({
    id: "CKV_AWS_46 / CKV_AWS_45",
    name: "ckv-aws-46-ckv-aws-45",
    description: "No secret in user data, Lambda environment, tags or outputs",
    validateStack: (args, report) => {
        const secrets = facts.secrets.filter((s) => s.length > 0);
        const carries = (text: string) => secrets.some((s) => text.includes(s));
        const leaks = (text: string) => carries(text) || PASSWORD_ASSIGNMENT.test(text);
        for (const t of of(args.resources, T.launchTemplate)) {
            if (leaks(decodeUserData(known(() => t.props.userData as unknown)))) report(`${label(t)}: user data carries a secret`, t.urn);
        }
        for (const f of of(args.resources, T.lambda)) {
            if (strings(known(() => f.props.environment as unknown)).some(leaks)) report(`${label(f)}: environment carries a secret`, f.urn);
        }
        for (const r of args.resources.filter((x) => x.type !== T.stack)) {
            const tags = [...strings(known(() => r.props.tags as unknown)), ...strings(known(() => r.props.tagsAll as unknown))];
            if (tags.some(carries)) report(`${label(r)}: a tag carries a secret`, r.urn);
        }
        for (const s of of(args.resources, T.stack)) {
            for (const k of Object.keys(s.props)) if (strings(known(() => s.props[k] as unknown)).some(carries)) report(`output ${k} carries a secret`, s.urn);
        }
    },
});
