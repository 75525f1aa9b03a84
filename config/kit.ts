/**
 * The zod building blocks of the config schema, each with the contract's messages: every issue says
 * what is wrong and how to fix it, and {@link toProblems} turns zod's issues into {@link Problem}s.
 * Scalars the Pulumi CLI hands over as strings (`"30"`, `"true"`) are read as numbers and booleans.
 */
import { z } from "zod";
import { parseCidr } from "../common/cidr";
import { didYouMean, type Problem } from "./problems";

/** A plain config object as read from YAML/JSON. */
export type RawObject = Record<string, unknown>;

/** Between an issue's "what is wrong" and its "how to fix it" inside a zod message. */
const SEP = "\u001f";
/** Marks an unknown-keys issue; the known keys follow as JSON. */
const UNKNOWN = "\u001eunknown";

/** A zod issue message in the contract's two parts. */
export function say(message: string, fix: string): string {
    return `${message}${SEP}${fix}`;
}

/** How the editor schema widens a schema's input: scalars also as strings, secrets as `secure:` values. */
export type EditorHint = "int" | "bool" | "secret";
/** Schemas whose stack-file form differs from what the program receives (read by config/jsonSchema.ts). */
export const editorHints = z.registry<{ hint: EditorHint }>();

/** A short description of a value for messages. */
export function describe(value: unknown): string {
    if (typeof value === "string") return `"${value}"`;
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    if (typeof value === "object") return "an object";
    return String(value);
}

/** A bound of {@link int}. */
export interface IntRange {
    readonly min: number;
    readonly max: number;
}

/**
 * A whole number in a range; digit strings are read as numbers.
 * @param range inclusive bounds @default required
 * @param unit appended to numbers in messages, e.g. " GB" @default ""
 */
export function int(range: IntRange, unit = "") {
    const { min, max } = range;
    const outside = (iss: { input?: unknown }) => say(`${String(iss.input)}${unit} is outside ${min}–${max}${unit}`, `set a value from ${min} to ${max}`);
    const schema = z.preprocess(
        (v) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v),
        z
            .int({ error: (iss) => say(`must be a whole number, got ${describe(iss.input)}`, `set a number from ${min} to ${max}`) })
            .min(min, { error: outside })
            .max(max, { error: outside }),
    );
    return schema.register(editorHints, { hint: "int" });
}

/** `true` or `false`, also as the words. */
export function bool() {
    return z
        .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ error: (iss) => say(`must be true or false, got ${describe(iss.input)}`, "set true or false") }))
        .register(editorHints, { hint: "bool" });
}

/**
 * A string, optionally matching a pattern.
 * @param pattern what the value must match @default none
 * @param fix how to fix a value that does not match (or is not a string) @default "it must match <pattern>"
 * @param required the fix when the key is missing; set it on keys that have no default @default none
 */
export function str(pattern?: RegExp, fix?: string, required?: string) {
    const base = z.string({
        error: (iss) => (iss.input === undefined && required !== undefined ? say("is required", required) : say(`must be a string, got ${describe(iss.input)}`, fix ?? "quote the value")),
    });
    if (pattern === undefined) return base;
    return base.regex(pattern, { error: (iss) => say(`"${String(iss.input)}" is not valid`, fix ?? `it must match ${pattern.source}`) });
}

/**
 * One of a list of words, with a did-you-mean hint.
 * @param values the words accepted @default required
 * @param required the fix when the key is missing @default none
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, required?: string) {
    return z.enum(values, {
        error: (iss) => {
            if (iss.input === undefined && required !== undefined) return say("is required", required);
            const hint = typeof iss.input === "string" ? didYouMean(iss.input, values) : undefined;
            return say(`${describe(iss.input)} is not one of ${values.join(", ")}`, hint !== undefined ? `did you mean "${hint}"?` : `use one of ${values.join(", ")}`);
        },
    });
}

/**
 * A list of strings; an entry listed twice is refused.
 * @param item the schema of one entry @default required
 */
export function list(item: z.ZodType<string>) {
    return z.array(item, { error: (iss) => say(`must be a list, got ${describe(iss.input)}`, "write it as a YAML list") }).check(
        z.superRefine((items, ctx) => {
            const seen = new Set<unknown>();
            items.forEach((s, i) => {
                if (typeof s === "string" && seen.has(s)) ctx.addIssue({ code: "custom", path: [i], input: s, message: say(`"${s}" is listed twice`, "remove the duplicate") });
                seen.add(s);
            });
        }),
    );
}

/**
 * A map of names to string values (numbers and booleans are written as text).
 * @param keyPattern what each name must match @default required
 * @param keyFix how to fix a name that does not @default required
 */
export function stringMap(keyPattern: RegExp, keyFix: string) {
    const value = z.union([z.string(), z.number(), z.boolean()], { error: (iss) => say(`must be a string, got ${describe(iss.input)}`, "quote the value") }).transform(String);
    return z
        .record(z.string(), value, { error: (iss) => say(`must be a map, got ${describe(iss.input)}`, "write it as a YAML map of names to values") })
        .check(
            z.superRefine((map, ctx) => {
                for (const k of Object.keys(map)) {
                    if (!keyPattern.test(k)) ctx.addIssue({ code: "custom", path: [k], input: k, message: say(`"${k}" is not a valid name`, keyFix) });
                }
            }),
        );
}

/**
 * An IPv4 CIDR block with the host bits zero, its prefix optionally in a range.
 * @param prefixes the prefix lengths accepted @default any
 */
export function cidr(prefixes?: IntRange) {
    return str()
        .meta({ pattern: "^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$" })
        .check(
        z.superRefine((s, ctx) => {
            let prefix: number;
            try {
                prefix = parseCidr(s).prefix;
            } catch {
                ctx.addIssue({ code: "custom", input: s, message: say(`"${s}" is not a valid IPv4 CIDR block`, "write it as a.b.c.d/n with the host bits zero, e.g. 10.0.0.0/16") });
                return;
            }
            if (prefixes !== undefined && (prefix < prefixes.min || prefix > prefixes.max)) {
                ctx.addIssue({ code: "custom", input: s, message: say(`/${prefix} is outside /${prefixes.min}–/${prefixes.max}`, `use a prefix from /${prefixes.min} to /${prefixes.max}`) });
            }
        }),
    );
}

/** A secret string: in the stack file a `secure:` value, in the program the decrypted text. */
export function secret() {
    return z.string({ error: (iss) => say(`must be a string, got ${describe(iss.input)}`, "set it with `pulumi config set --secret --path <key> <value>`") }).register(editorHints, { hint: "secret" });
}

/**
 * An object whose keys are all known: an unknown key is refused with a did-you-mean hint.
 * @param shape the known keys and their schemas @default required
 */
export function section<S extends z.core.$ZodLooseShape>(shape: S) {
    const known = Object.keys(shape);
    return z.strictObject(shape, {
        error: (iss) =>
            iss.code === "unrecognized_keys"
                ? `${UNKNOWN}${JSON.stringify(known)}`
                : say(`must be an object, got ${describe(iss.input)}`, `set it as a map of ${known.join(", ")}`),
    });
}

/**
 * Whether the values a rule reads are valid: no issue lies at or below one of `keys` (dotted paths
 * below the object being checked), and none says an object on the way is not an object. Issues of
 * other rules across keys do not count, so each such rule runs on its own.
 */
export function untouched(keys: readonly string[]) {
    const paths = keys.map((k) => k.split("."));
    return (payload: { issues: readonly z.core.$ZodRawIssue[] }) =>
        !payload.issues.some((issue) => {
            if ((issue as { params?: { across?: boolean } }).params?.across === true) return false;
            const at = (issue.path ?? []).map(String);
            return paths.some((p) => (at.length >= p.length ? p.every((k, i) => at[i] === k) : issue.code === "invalid_type" && at.every((k, i) => p[i] === k)));
        });
}

/** A custom issue at a path below the object being checked. */
export interface Report {
    (path: ReadonlyArray<string | number>, message: string, fix: string): void;
}

/**
 * A rule across several keys of one object, run whenever the keys it reads are valid (so every
 * problem is reported at once). The value handed to the rule has each key's own defaults applied.
 * @param keys the keys the rule reads, dotted below the object (`app.minSize`) @default required
 * @param rule the check, reporting through its second argument @default required
 */
export function across<T>(keys: readonly string[], rule: (value: T, report: Report) => void) {
    return z.superRefine<T>(
        (value, ctx) => rule(value, (path, message, fix) => ctx.addIssue({ code: "custom", path: [...path], input: value, message: say(message, fix), params: { across: true } })),
        { when: untouched(keys) },
    );
}

/** zod's issues as the contract's problems, one per unknown key. */
export function toProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
    return issues.flatMap((issue) => {
        const path = formatPath(issue.path);
        if (issue.code === "unrecognized_keys" && issue.message.startsWith(UNKNOWN)) {
            const known = JSON.parse(issue.message.slice(UNKNOWN.length)) as string[];
            return issue.keys.map((key) => {
                const suggestion = didYouMean(key, known);
                const fix = suggestion !== undefined ? `did you mean "${suggestion}"?` : `remove it; known keys here: ${known.join(", ")}`;
                return { path: path === "" ? key : `${path}.${key}`, message: "unknown key", fix };
            });
        }
        const [message, fix] = issue.message.includes(SEP) ? issue.message.split(SEP) : [issue.message, "see the config reference in the README"];
        return [{ path, message, fix }];
    });
}

/** `app.envFile.names.host`, `sideload.folders[1]` */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out === "" ? String(p) : `${out}.${String(p)}`), "");
}

/** A raw config with every null value left out, as YAML's empty values mean "not set". */
export function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
