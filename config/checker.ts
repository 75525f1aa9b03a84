import { parseCidr, type Block } from "../common/cidr";
import { didYouMean, type Problem } from "./problems";

/** A plain config object as read from YAML/JSON. */
export type RawObject = Record<string, unknown>;

/** Options shared by the integer readers. */
export interface IntRange {
    readonly min: number;
    readonly max: number;
}

/** Parses a CIDR block as the subnet split does; undefined when malformed or with host bits set. */
function parseCidrOrUndefined(cidr: string): Block | undefined {
    try {
        return parseCidr(cidr);
    } catch {
        return undefined;
    }
}

/**
 * Collects problems while reading untyped config values. Every reader returns
 * a value (the default when the input is missing or wrong), so one pass over a
 * config reports every problem at once.
 */
export class Checker {
    readonly problems: Problem[] = [];

    report(path: string, message: string, fix: string): void {
        this.problems.push({ path, message, fix });
    }

    /** Reports keys of `obj` that are not in `known`, with a did-you-mean hint for near misses. */
    unknownKeys(path: string, obj: RawObject, known: readonly string[]): void {
        for (const key of Object.keys(obj)) {
            if (known.includes(key)) continue;
            const suggestion = didYouMean(key, known);
            const at = path === "" ? key : `${path}.${key}`;
            this.report(
                at,
                "unknown key",
                suggestion !== undefined
                    ? `did you mean "${suggestion}"?`
                    : `remove it; known keys here: ${known.join(", ")}`,
            );
        }
    }

    /** An optional object; undefined when absent, {} after reporting when not an object. */
    object(path: string, value: unknown, known: readonly string[]): RawObject | undefined {
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "object" || Array.isArray(value)) {
            this.report(path, `must be an object, got ${describe(value)}`, `set it as a map of ${known.join(", ")}`);
            return {};
        }
        this.unknownKeys(path, value as RawObject, known);
        return value as RawObject;
    }

    string(path: string, value: unknown, fallback: string, pattern?: RegExp, fix?: string): string {
        if (value === undefined || value === null) return fallback;
        if (typeof value !== "string") {
            this.report(path, `must be a string, got ${describe(value)}`, fix ?? "quote the value");
            return fallback;
        }
        if (pattern !== undefined && !pattern.test(value)) {
            this.report(path, `"${value}" is not valid`, fix ?? `it must match ${pattern.source}`);
        }
        return value;
    }

    optionalString(path: string, value: unknown, pattern?: RegExp, fix?: string): string | undefined {
        if (value === undefined || value === null) return undefined;
        return this.string(path, value, "", pattern, fix);
    }

    int(path: string, value: unknown, fallback: number, range: IntRange, unit = ""): number {
        if (value === undefined || value === null) return fallback;
        const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== "number" || !Number.isInteger(n)) {
            this.report(path, `must be a whole number, got ${describe(value)}`, `set a number from ${range.min} to ${range.max}`);
            return fallback;
        }
        if (n < range.min || n > range.max) {
            this.report(path, `${n}${unit} is outside ${range.min}–${range.max}${unit}`, `set a value from ${range.min} to ${range.max}`);
        }
        return n;
    }

    bool(path: string, value: unknown, fallback: boolean): boolean {
        if (value === undefined || value === null) return fallback;
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.report(path, `must be true or false, got ${describe(value)}`, "set true or false");
        return fallback;
    }

    oneOf<T extends string>(path: string, value: unknown, fallback: T, allowed: readonly T[]): T {
        if (value === undefined || value === null) return fallback;
        if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
        const hint = typeof value === "string" ? didYouMean(value, allowed) : undefined;
        this.report(
            path,
            `${describe(value)} is not one of ${allowed.join(", ")}`,
            hint !== undefined ? `did you mean "${hint}"?` : `use one of ${allowed.join(", ")}`,
        );
        return fallback;
    }

    /** A list of strings, each checked against `pattern`; duplicates are reported. */
    stringList(
        path: string,
        value: unknown,
        fallback: readonly string[],
        pattern?: RegExp,
        fix?: string,
    ): string[] {
        if (value === undefined || value === null) return [...fallback];
        if (!Array.isArray(value)) {
            this.report(path, `must be a list, got ${describe(value)}`, "write it as a YAML list");
            return [...fallback];
        }
        const seen = new Set<string>();
        const out: string[] = [];
        value.forEach((item, i) => {
            const s = this.string(`${path}[${i}]`, item, "", pattern, fix);
            if (typeof item !== "string") return;
            if (seen.has(s)) this.report(`${path}[${i}]`, `"${s}" is listed twice`, "remove the duplicate");
            seen.add(s);
            out.push(s);
        });
        return out;
    }

    /** A map of string to string, keys checked against `keyPattern`. */
    stringMap(path: string, value: unknown, keyPattern: RegExp, keyFix: string): Record<string, string> {
        if (value === undefined || value === null) return {};
        if (typeof value !== "object" || Array.isArray(value)) {
            this.report(path, `must be a map, got ${describe(value)}`, "write it as a YAML map of names to values");
            return {};
        }
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(value as RawObject)) {
            if (!keyPattern.test(k)) this.report(`${path}.${k}`, `"${k}" is not a valid name`, keyFix);
            if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = String(v);
            else this.report(`${path}.${k}`, `must be a string, got ${describe(v)}`, "quote the value");
        }
        return out;
    }

    /** An IPv4 CIDR block; the prefix must lie in `prefixes` when given. */
    cidr(path: string, value: unknown, fallback: string, prefixes?: IntRange): string {
        const s = this.string(path, value, fallback);
        if (typeof value !== "string") return s;
        const parsed = parseCidrOrUndefined(s);
        if (parsed === undefined) {
            this.report(path, `"${s}" is not a valid IPv4 CIDR block`, "write it as a.b.c.d/n with the host bits zero, e.g. 10.0.0.0/16");
        } else if (prefixes !== undefined && (parsed.prefix < prefixes.min || parsed.prefix > prefixes.max)) {
            this.report(path, `/${parsed.prefix} is outside /${prefixes.min}–/${prefixes.max}`, `use a prefix from /${prefixes.min} to /${prefixes.max}`);
        }
        return s;
    }
}

/** A short description of a value for messages. */
export function describe(value: unknown): string {
    if (typeof value === "string") return `"${value}"`;
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    if (typeof value === "object") return "an object";
    return String(value);
}
