/**
 * The pack `pulumi preview --policy-pack policy` loads serves exactly the policies the offline plan runs,
 * with the enforcement level of the stack's environment, under names the CLI accepts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { Environment as ConfigEnvironment } from "../../config";
import { checkCompliance } from "../../plan/compliance";
import { configSecrets, environmentOf, packFacts } from "../../policy/facts";
import { enforcementIn, policies } from "../../policy/policies";
import { ENVIRONMENTS, policyName, type Environment } from "../../policy/rule";

// The pack's environment type is the config contract's, both ways.
const toPolicy = (e: ConfigEnvironment): Environment => e;
const toConfig = (e: Environment): ConfigEnvironment => e;

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");

interface Served {
    name: string;
    version: string;
    args: { policies: Array<{ name: string; description: string; enforcementLevel?: string }> };
}

/** Loads policy/index.ts with the CLI's config for a stack, with the gRPC server replaced by a recorder. */
function servedFor(config: Record<string, string>): Served {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const server = require("@pulumi/policy/server") as { serve: (...args: unknown[]) => void };
    const serve = server.serve;
    const calls: Served[] = [];
    server.serve = (name, version, _level, args) => void calls.push({ name, version, args } as Served);
    pulumi.runtime.setAllConfig(config);
    const entry = require.resolve(path.join(POLICY_DIR, "index"));
    delete require.cache[entry];
    try {
        require(entry); // eslint-disable-line @typescript-eslint/no-require-imports
    } finally {
        server.serve = serve;
        delete require.cache[entry];
        pulumi.runtime.setAllConfig({});
    }
    assert.equal(calls.length, 1, "index.ts constructs one PolicyPack");
    return calls[0];
}

/** Policies that apply only in some environments; every other policy is mandatory everywhere. */
const ONLY: Record<string, readonly Environment[]> = {
    "CKV_AWS_157 / RDS.5": ["production"],
    "CKV_AWS_293 / RDS.8": ["staging", "production"],
    "AutoScaling.2 / ELB.13": ["production"],
    "CKV_AWS_65 / ECS.12": ["production"],
};
/** Policies whose violations are reported but fail nothing (accepted gaps, README "Policy pack"). */
const ADVISORY: readonly string[] = ["CKV_AWS_336 / ECS.5"];

describe("policy pack (policy/)", () => {
    it("shares the config contract's environments", () => {
        assert.deepEqual(ENVIRONMENTS.map(toConfig).map(toPolicy), ["development", "staging", "production"]);
    });

    for (const environment of ENVIRONMENTS) {
        it(`policy/index.ts serves the plan's policies with the ${environment} levels`, () => {
            const config = { "dashboard:environment": environment, "dashboard:app": JSON.stringify({ licenceKey: "LIC-1" }) };
            const served = servedFor(config);
            assert.equal(served.name, "dashboard");
            const expected = policies(packFacts(config));
            assert.deepEqual(
                served.args.policies.map((p) => [p.name, p.description, p.enforcementLevel]),
                expected.map((p) => [p.name, p.description, p.enforcementLevel]),
            );
            const plan = checkCompliance({ resources: [], outputs: {}, environment, secrets: [] });
            assert.deepEqual(plan.map((r) => r.title), served.args.policies.map((p) => p.description));
        });
    }

    it("each policy is mandatory (or advisory) exactly where its rule applies, disabled elsewhere", () => {
        for (const environment of ENVIRONMENTS) {
            for (const p of policies({ environment, secrets: [] })) {
                const applies = (ONLY[p.id] ?? ENVIRONMENTS).includes(environment);
                assert.equal(p.enforcementLevel, applies ? (ADVISORY.includes(p.id) ? "advisory" : "mandatory") : "disabled", `${p.id} in ${environment}`);
                assert.equal(enforcementIn(p, environment), p.enforcementLevel);
            }
        }
        const all = policies({ environment: "production", secrets: [] });
        assert.deepEqual(all.filter((p) => p.only !== undefined).map((p) => p.id).sort(), Object.keys(ONLY).sort());
        assert.deepEqual(all.filter((p) => p.advisory === true).map((p) => p.id), ADVISORY);
    });

    it("an advisory policy is advisory where it applies and disabled elsewhere; the others are never advisory", () => {
        const base = { id: "X.1", name: "x-1", description: "x", validateStack: () => undefined };
        assert.deepEqual(ENVIRONMENTS.map((e) => enforcementIn({ ...base, advisory: true }, e)), ["advisory", "advisory", "advisory"]);
        assert.deepEqual(ENVIRONMENTS.map((e) => enforcementIn({ ...base, advisory: true, only: ["production"] }, e)), ["disabled", "disabled", "advisory"]);
        assert.deepEqual(ENVIRONMENTS.map((e) => enforcementIn({ ...base, advisory: false }, e)), ["mandatory", "mandatory", "mandatory"]);
    });

    it("names are the ids in the characters policy names allow, unique, never the reserved 'all'", () => {
        const all = policies({ environment: "production", secrets: [] });
        for (const p of all) {
            assert.match(p.name, /^[a-z0-9][a-z0-9-]{0,99}$/, p.name);
            assert.equal(p.name, policyName(p.id), p.id);
        }
        assert.equal(new Set(all.map((p) => p.name)).size, all.length);
        assert.equal(new Set(all.map((p) => p.id)).size, all.length);
        assert.ok(!all.some((p) => p.name === "all"));
        assert.equal(policyName("CKV_AWS_24/25/260 / EC2.18-19"), "ckv-aws-24-25-260-ec2-18-19");
    });

    it("learns the environment and the licence key from the stack config; without one it is production", () => {
        assert.equal(environmentOf({ "dashboard:environment": "staging" }), "staging");
        assert.equal(environmentOf({}), "production");
        assert.equal(environmentOf({ "dashboard:environment": "prod" }), "production");
        assert.deepEqual(configSecrets({ "dashboard:app": JSON.stringify({ port: 8224, licenceKey: "LIC-9" }), "dashboard:customer": "acme" }), ["LIC-9"]);
        assert.deepEqual(configSecrets({ "dashboard:token": "abc" }, ["dashboard:token", "dashboard:absent"]), ["abc"]);
        assert.deepEqual(packFacts({}), { environment: "production", secrets: [] });
    });

    it("is a pack the CLI can load: PulumiPolicy.yaml, a versioned package.json whose dependencies the root installs", () => {
        const project = parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"));
        assert.equal(project.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
        const root = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "..", "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.equal(pkg.main, "index.ts");
        for (const [dep, range] of Object.entries(pkg.dependencies)) {
            assert.equal(range, root.dependencies[dep] ?? root.devDependencies[dep], dep);
            assert.ok(fs.existsSync(path.join(require.resolve(`${dep}/package.json`, { paths: [POLICY_DIR] }))), dep);
        }
        // The CLI's analyzer shim resolves its runner from the pack's directory.
        assert.ok(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] }));
    });
});
