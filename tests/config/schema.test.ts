/**
 * The editor schema of the stack files (schema/stack-config.schema.json): generated from the zod
 * schema and current, every stack file of the repository valid against it under a real JSON Schema
 * validator (ajv, draft-07), the stack-file mistakes an editor should flag flagged, and the
 * README's config reference naming exactly keys the schema has.
 */
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { renderStackFileSchema } from "../../config/jsonSchema";

const ROOT = join(__dirname, "..", "..");
const SCHEMA_FILE = join(ROOT, "schema", "stack-config.schema.json");
const committed = readFileSync(SCHEMA_FILE, "utf8");
const schema = JSON.parse(committed) as Record<string, any>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const stackFiles = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

/** ajv's errors of a stack file's content, as `<instancePath> <message>` lines. */
function errorsOf(file: unknown): string[] {
    return validate(file) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`.trim());
}

const minimal = (config: Record<string, unknown>) => ({ config: { "aws:region": "us-east-1", "dashboard:customer": "acme", "dashboard:environment": "development", ...config } });

describe("stack-file schema", () => {
    it("is current: `npm run schema` writes what is committed", () => {
        assert.ok(committed === renderStackFileSchema(), "schema/stack-config.schema.json is stale: run `npm run schema` and commit it");
    });

    it(`covers the repository's stack files (${stackFiles.length})`, () => {
        assert.ok(stackFiles.length >= 3);
        assert.ok(!stackFiles.includes("Pulumi.yaml"));
    });

    for (const f of stackFiles) {
        it(`validates ${f}`, () => {
            assert.deepEqual(errorsOf(parse(readFileSync(join(ROOT, f), "utf8"))), []);
        });
    }

    it("accepts what the CLI writes: scalars as strings, secrets as secure values, other namespaces", () => {
        const file = minimal({
            "dashboard:protect": "true",
            "dashboard:logRetentionDays": "30",
            "dashboard:app": { ami: "ami-0123456789abcdef0", minSize: 2, licenceKey: { secure: "v1:abc" } },
            "aws:profile": "acme",
            "pulumi:tags": { team: "platform" },
        });
        assert.deepEqual(errorsOf({ ...file, encryptionsalt: "v1:salt" }), []);
    });

    const INVALID: Array<[string, unknown, RegExp]> = [
        ["an unknown dashboard key", minimal({ "dashboard:databse": {} }), /^\/config must NOT have additional properties/],
        ["an unknown nested key", minimal({ "dashboard:app": { instancetype: "t3.large" } }), /^\/config\/dashboard:app must NOT have additional properties/],
        ["a plain-text licence key", minimal({ "dashboard:app": { licenceKey: "LIC-123" } }), /^\/config\/dashboard:app\/licenceKey must be object/],
        ["an unknown NAT strategy", minimal({ "dashboard:network": { natGateways: "perAz" } }), /^\/config\/dashboard:network\/natGateways must be equal to one of the allowed values/],
        ["zones out of range", minimal({ "dashboard:network": { availabilityZones: 4 } }), /^\/config\/dashboard:network\/availabilityZones must be <= 3/],
        ["a word for a number", minimal({ "dashboard:database": { storageGb: "lots" } }), /^\/config\/dashboard:database\/storageGb must match pattern/],
        ["a malformed CIDR", minimal({ "dashboard:network": { cidr: "10.0.0/16" } }), /^\/config\/dashboard:network\/cidr must match pattern/],
        ["no customer", { config: { "dashboard:environment": "development" } }, /^\/config must have required property 'dashboard:customer'/],
        ["a key the CLI never writes", { ...minimal({}), stack: "dev" }, /^must NOT have additional properties/],
    ];
    for (const [what, file, expected] of INVALID) {
        it(`flags ${what}`, () => {
            const errors = errorsOf(file);
            assert.ok(errors.some((e) => expected.test(e)), `expected ${expected}; got:\n${errors.join("\n")}`);
        });
    }
});

/** The key paths the README's config table documents: `a.b`, `.c` (a sibling of a.b), `d` after a.b (a sibling too). */
export function documentedKeys(readme: string): string[] {
    const section = readme.slice(readme.indexOf("## Config reference"));
    const rows = section.split("\n").filter((l) => l.startsWith("| `"));
    return rows.flatMap((row) => {
        const keys: string[] = [];
        let parent = "";
        for (const [, token] of row.split("|")[1].matchAll(/`([^`]+)`/g)) {
            const path = token.startsWith(".") ? parent + token : !token.includes(".") && parent !== "" ? `${parent}.${token}` : token;
            if (path.includes(".")) parent = path.slice(0, path.lastIndexOf("."));
            keys.push(path);
        }
        return keys;
    });
}

describe("README config reference", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const config = schema.properties.config.properties as Record<string, any>;
    const keys = documentedKeys(readme);
    /** The schema node of a documented key path, undefined when the schema has no such key. */
    const nodeOf = (path: string) =>
        path.split(".").slice(1).reduce((node, k) => node?.properties?.[k], config[`dashboard:${path.split(".")[0]}`]);

    it(`documents keys (${keys.length})`, () => {
        assert.ok(keys.length >= 50, keys.join(", "));
        assert.ok(keys.includes("network.publicSubnetIds") && keys.includes("app.desiredSize"));
    });

    it("names only keys the schema has", () => {
        assert.deepEqual(keys.filter((k) => nodeOf(k) === undefined), []);
    });

    it("documents every key of every section, in its own row or its section's", () => {
        const reference = readme.slice(readme.indexOf("## Config reference"));
        const rowOf = (path: string) => reference.split("\n").find((l) => l.startsWith("| `") && l.split("|")[1].includes(`\`${path}\``));
        const missing = Object.entries(config).flatMap(([name, node]) => {
            if (!name.startsWith("dashboard:")) return [];
            const top = name.slice("dashboard:".length);
            const children = Object.keys(node.properties ?? {}).map((k) => `${top}.${k}`);
            return [top, ...children].filter((p) => !keys.includes(p) && !keys.some((k) => p.startsWith(`${k}.`) && rowOf(k)?.includes(p.split(".").pop()!)));
        });
        assert.deepEqual(missing.filter((p) => p.includes(".") || !keys.some((k) => k.startsWith(`${p}.`))), []);
    });
});
