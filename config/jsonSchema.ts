/**
 * The editor schema of a stack file (`Pulumi.<stack>.yaml`), generated from the zod schema: every
 * `dashboard:*` key with its description, `aws:region`, and the forms the stack file writes that the
 * program reads differently — scalars the CLI stores as strings (`"30"`, `"true"`), secrets as
 * `secure:` values. `npm run schema` writes it to schema/stack-config.schema.json. Draft-07, the newest
 * draft every yaml-language-server release reads.
 */
import { z } from "zod";
import { editorHints } from "./kit";
import { NAMESPACE } from "./problems";
import { PROFILES } from "./profiles";
import { stackSchema } from "./validate";

/** JSON Schema, as zod and ajv see it. */
type JsonSchema = Record<string, unknown>;

/** A `secure:` value: what `pulumi config set --secret` writes. */
const SECURE: JsonSchema = {
    type: "object",
    properties: { secure: { type: "string", minLength: 1 } },
    required: ["secure"],
    additionalProperties: false,
    description: "An encrypted value written by `pulumi config set --secret`.",
};

/** What each hint lets the stack file write besides the program's own form. */
const WIDENED: Record<string, JsonSchema> = {
    int: { type: "string", pattern: "^-?\\d+$" },
    bool: { type: "string", enum: ["true", "false"] },
};

/** Rewrites one generated node in place: defaults out (they differ per environment), hints in. */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
    const js = ctx.jsonSchema;
    delete js.default;
    const hint = editorHints.get(ctx.zodSchema as z.ZodType)?.hint;
    if (hint === undefined) return;
    const own = { ...js };
    for (const key of Object.keys(js)) delete js[key];
    if (own.description !== undefined) js.description = own.description;
    delete own.description;
    if (hint === "secret") {
        js.allOf = [SECURE];
        return;
    }
    js.anyOf = [own, WIDENED[hint]];
}

/** The JSON Schema of the `dashboard` namespace's values, keyed by their names without the namespace. */
function namespaceSchema(): Record<string, JsonSchema> {
    const generated = z.toJSONSchema(stackSchema(PROFILES.development), { io: "input", target: "draft-07", unrepresentable: "any", override }) as JsonSchema;
    return generated.properties as Record<string, JsonSchema>;
}

/**
 * The JSON Schema of a whole stack file: its `config:` map (the `dashboard:*` keys, `aws:region`,
 * keys of other namespaces left to their owners), and the CLI's own top-level keys.
 */
export function stackFileSchema(): JsonSchema {
    const keys = namespaceSchema();
    const required = ["customer", "environment"];
    return {
        $schema: "http://json-schema.org/draft-07/schema#",
        title: "dashboard stack file (Pulumi.<stack>.yaml)",
        description: "Generated from the zod schema in config/ by `npm run schema`; do not edit.",
        type: "object",
        properties: {
            config: {
                type: "object",
                properties: {
                    "aws:region": { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d$", description: "The AWS region of the stack, e.g. us-east-1." },
                    ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`${NAMESPACE}:${k}`, v])),
                },
                required: required.map((k) => `${NAMESPACE}:${k}`),
                // Other namespaces (aws:profile, pulumi:tags, …) belong to their owners; a dashboard key not listed is a typo.
                patternProperties: { [`^(?!${NAMESPACE}:)[A-Za-z0-9_.-]+:.+$`]: {} },
                additionalProperties: false,
            },
            encryptionsalt: { type: "string" },
            secretsprovider: { type: "string" },
            encryptedkey: { type: "string" },
            environment: { type: "array", items: { type: "string" }, description: "Pulumi ESC environments imported by the stack." },
        },
        additionalProperties: false,
    };
}

/** The schema as the committed file holds it: two-space JSON and a final newline. */
export function renderStackFileSchema(): string {
    return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}
