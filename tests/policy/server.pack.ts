/**
 * npm run test:pack — the pack as the Pulumi CLI runs it, without the CLI: policy/ started by the SDK's
 * own runner (`@pulumi/pulumi/cmd/run-policy-pack`, what the CLI's analyzer shim starts, TypeScript
 * compiled and type-checked by its ts-node) with a stack's config in PULUMI_CONFIG, then asked over
 * gRPC what the engine asks: its policies, each resource's inputs (Analyze) and the whole stack's
 * outputs (AnalyzeStack), here the resources a mock run of the stack file recorded. Its verdicts must
 * be the offline plan's. A few seconds per stack: kept out of npm test.
 */
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type { RecordedResource } from "../mocks";
import { loadStackConfig } from "../mocks";
import { runProgram } from "../../plan/run";
import { planOf } from "../stackPlans";
import { checkCompliance } from "../../plan/compliance";
import { configSecrets, environmentOf, packFacts } from "../../policy/facts";
import { brokenFargateStack, ECS_RULES, fargateStack, recorded } from "./fargateStack";
import { policies } from "../../policy/policies";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] }));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkDir] }));
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

/** Starts the pack with a stack's config and resolves its gRPC address once it prints its port. */
function startPack(config: Record<string, string>): Promise<{ child: ChildProcess; address: string }> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: POLICY_DIR, env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config) } });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    return new Promise((resolve, reject) => {
        child.stdout.once("data", (d) => resolve({ child, address: `127.0.0.1:${String(d).trim()}` }));
        child.once("exit", (code) => reject(new Error(`pack exited ${code}: ${err}`)));
    });
}

const call = <T>(client: any, method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](req, (e: Error | null, res: T) => (e ? reject(e) : resolve(res))));

const struct = (props: Record<string, unknown>) => Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));

function options(r: RecordedResource) {
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    o.setIgnorechangesList([...r.ignoreChanges]);
    if (r.parent) o.setParent(r.parent);
    return o;
}

function analyzeRequest(r: RecordedResource) {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(struct(r.inputs));
    req.setOptions(options(r));
    return req;
}

function stackRequest(resources: readonly RecordedResource[]) {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const a = new pb.AnalyzerResource();
            a.setType(r.type);
            a.setName(r.name);
            a.setUrn(r.urn);
            a.setProperties(struct(r.state));
            a.setOptions(options(r));
            if (r.parent) a.setParent(r.parent);
            a.setDependenciesList([...r.dependencies]);
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                const deps = new pb.AnalyzerPropertyDependencies();
                deps.setUrnsList([...urns]);
                a.getPropertydependenciesMap().set(k, deps);
            }
            return a;
        }),
    );
    return req;
}

interface Verdicts {
    violations: string[];
    notApplicable: Set<string>;
}

async function analyze(client: unknown, resources: readonly RecordedResource[]): Promise<Verdicts> {
    const out: Verdicts = { violations: [], notApplicable: new Set() };
    const collect = (res: any) => {
        // The server prefixes each message with the policy's description: keep the line the policy reported.
        for (const d of res.getDiagnosticsList()) out.violations.push(`${d.getPolicyname()} [${LEVELS[d.getEnforcementlevel()]}] ${d.getUrn()}: ${d.getMessage().split("\n").pop()}`);
        for (const n of res.getNotApplicableList()) out.notApplicable.add(n.getPolicyName());
    };
    for (const r of resources) collect(await call(client, "analyze", analyzeRequest(r)));
    collect(await call(client, "analyzeStack", stackRequest(resources)));
    return out;
}

for (const stack of ["dev", "example-existing-vpc", "example-production"]) {
    describe(`the pack for ${stack}, under the SDK's policy runner`, function () {
        this.timeout(120_000);
        const file = loadStackConfig(stack);
        const config = file.config;
        let pack: { child: ChildProcess; address: string };
        let client: any;
        before(async () => {
            pack = await startPack(config);
            client = new AnalyzerClient(pack.address, grpc.credentials.createInsecure());
        });
        after(() => {
            client?.close();
            pack?.child.kill();
        });

        it("serves the plan's policies, with the levels of the stack's environment", async () => {
            const info: any = await call(client, "getAnalyzerInfo", new Empty());
            assert.equal(info.getName(), "dashboard");
            const served = info.getPoliciesList().map((p: any) => [p.getName(), p.getDescription(), LEVELS[p.getEnforcementlevel()]]);
            assert.deepEqual(served, policies(packFacts(config)).map((p) => [p.name, p.description, p.enforcementLevel]));
        });

        it("finds what the plan finds in the recorded resources: nothing", async () => {
            const run = await runProgram(stack, file.region ?? "us-east-1", file.config, file.secretKeys);
            assert.ok(!("errors" in run));
            const verdicts = await analyze(client, run.resources);
            assert.deepEqual(verdicts.violations, []);
            const plan = await planOf(stack);
            const names = new Map(policies(packFacts(config)).map((p) => [p.id, p]));
            // Rules the plan calls not applicable: disabled in this environment, or not applicable to the pack too.
            for (const r of plan.compliance.filter((x) => x.verdict === "not applicable")) {
                const p = names.get(r.id)!;
                assert.ok(p.enforcementLevel === "disabled" || verdicts.notApplicable.has(p.name), r.id);
            }
        });

        it("judges a synthetic Fargate stack as the plan does: the passing one clean, each ECS rule's failure at the environment's level", async () => {
            const judged = new Map(policies(packFacts(config)).filter((p) => [...ECS_RULES, "AutoScaling.2 / ELB.13"].includes(p.id)).map((p) => [p.id, p]));
            const names = new Set([...judged.values()].map((p) => p.name));
            const ours = (v: Verdicts) => v.violations.filter((line) => names.has(line.split(" ")[0])).map((line) => line.replace(/ urn:\S+: /, ": "));
            const clean = await analyze(client, fargateStack().map(recorded));
            assert.deepEqual(ours(clean), []);
            for (const p of judged.values()) assert.ok(p.enforcementLevel === "disabled" || !clean.notApplicable.has(p.name), `${p.id} applies to the Fargate stack`);
            const broken = brokenFargateStack();
            const found = ours(await analyze(client, broken.map(recorded)));
            const plan = checkCompliance({ resources: broken, outputs: {}, environment: environmentOf(config), secrets: configSecrets(config) });
            const expected = plan.filter((r) => judged.has(r.id) && (r.verdict === "fail" || r.verdict === "advisory")).flatMap((r) => r.details.map((d) => `${judged.get(r.id)!.name} [${judged.get(r.id)!.enforcementLevel}]: ${d}`));
            assert.deepEqual([...found].sort(), [...expected].sort());
            // Every ECS rule enabled here is among them, at its level (the root file system one advisory).
            for (const p of judged.values()) if (p.enforcementLevel !== "disabled") assert.ok(found.some((line) => line.startsWith(`${p.name} [${p.enforcementLevel}]: `)), p.id);
        });

        it("reports a violation with the enforcement level of the environment", async () => {
            const db = { type: "aws:rds/instance:Instance", name: "db", urn: `urn:pulumi:${stack}::dashboard::aws:rds/instance:Instance::db`, parent: "", custom: true, inputs: { storageEncrypted: false, multiAz: false }, state: {}, id: "db", protect: false, ignoreChanges: [], dependencies: [], propertyDependencies: {}, retainOnDelete: false, deleteBeforeReplace: false, replaceOnChanges: [], provider: "" };
            const res: any = await call(client, "analyze", analyzeRequest(db));
            const found = res.getDiagnosticsList().map((d: any) => `${d.getPolicyname()} [${LEVELS[d.getEnforcementlevel()]}]`);
            assert.ok(found.includes("ckv-aws-16-rds-3 [mandatory]"), found.join(", "));
            assert.equal(found.includes("ckv-aws-157-rds-5 [mandatory]"), config["dashboard:environment"] === "production");
            const bucket = { ...db, type: "aws:s3/bucket:Bucket", name: "open", urn: `urn:pulumi:${stack}::dashboard::aws:s3/bucket:Bucket::open`, inputs: {}, state: { id: "open-1", bucket: "open-1" } };
            const stackWide = await analyze(client, [bucket]);
            assert.ok(stackWide.violations.includes(`ckv-aws-53-56-s3-8 [mandatory] ${bucket.urn}: Bucket open: not all four public-access blocks are on`), stackWide.violations.join("\n"));
        });
    });
}
