import * as assert from "node:assert/strict";
import { maxConnectionsParameter, stackTags } from "../program";
import { runProgram, type ProgramRun } from "../plan/run";
import { loadStackConfig } from "./mocks";
import { STACKS } from "./stackPlans";

async function run(stack: string): Promise<ProgramRun> {
    const file = loadStackConfig(stack);
    const result = await runProgram(stack, file.region ?? "us-east-1", file.config, file.secretKeys);
    assert.ok(!("errors" in result), "errors" in result ? result.errors.join("\n") : "");
    return result;
}

describe("the program (index.ts → program.ts)", () => {
    let dev: ProgramRun;
    before(async () => {
        dev = await run("dev");
    });

    it("tags every resource through one AWS provider: customer, environment, stack, managed-by", () => {
        const providers = dev.resources.filter((r) => r.type === "pulumi:providers:aws");
        assert.equal(providers.length, 1);
        assert.deepEqual(JSON.parse(providers[0].inputs.defaultTags), { tags: { customer: "demo", environment: "development", stack: "dev", "managed-by": "pulumi" } });
        assert.equal(providers[0].inputs.region, "us-east-1");
        const untagged = dev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider.startsWith(providers[0].urn));
        assert.deepEqual(untagged.map((r) => `${r.type} ${r.name}`), []);
        // Look-ups go through it too, so they ask the stack's region.
        const elsewhere = dev.invokes.filter((i) => i.token.startsWith("aws:") && !i.provider.startsWith(providers[0].urn));
        assert.deepEqual(elsewhere.map((i) => i.token), []);
    });

    it("tags what the Auto Scaling group launches, which provider default tags do not reach", () => {
        const lt = dev.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
        const instanceTags = lt.inputs.tagSpecifications.find((t: any) => t.resourceType === "instance").tags;
        assert.equal(instanceTags.customer, "demo");
        assert.equal(instanceTags.stack, "dev");
        assert.equal(instanceTags["managed-by"], "pulumi");
    });

    it("builds Network → Database → Sideload → AppCluster → Monitoring, each a component", () => {
        // Top-level components only: the parts nested in a component are checked by its own tests.
        const components = dev.resources.filter((r) => !r.custom && r.type.startsWith("dashboard:") && r.parent === "").map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(components, [
            "dashboard:network:Network network",
            "dashboard:database:Database database",
            "dashboard:sideload:Sideload sideload",
            "dashboard:app:AppCluster app",
            "dashboard:monitoring:Monitoring monitoring",
        ]);
    });

    it("grants access explicitly: the database and the file system admit the app servers' group, as their own children", () => {
        const appSg = dev.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "app-servers")!;
        const db = dev.resources.find((r) => r.name === "database-from-app")!;
        const efs = dev.resources.find((r) => r.name === "sideload-mount-from-app")!;
        assert.equal(db.inputs.referencedSecurityGroupId, appSg.id);
        assert.equal(db.inputs.fromPort, 3306);
        assert.equal(efs.inputs.referencedSecurityGroupId, appSg.id);
        assert.equal(efs.inputs.fromPort, 2049);
        assert.ok(db.parent.endsWith("::database") && efs.parent.endsWith("::sideload-filesystem"));
        // The file system policy names the app servers' role and the sideload function's, nobody else.
        const policy = JSON.parse(dev.resources.find((r) => r.type === "aws:efs/fileSystemPolicy:FileSystemPolicy" && r.name === "sideload-fs-policy")!.inputs.policy);
        const role = (name: string) => dev.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!.state.arn;
        assert.deepEqual(policy.Statement[0].Principal, { AWS: [role("sideload-role"), role("app-instance")] });
    });

    it("registers no (type, name) pair twice, in any stack file", async () => {
        for (const stack of STACKS) {
            const r = stack === "dev" ? dev : await run(stack);
            const keys = r.resources.map((x) => `${x.type}::${x.name}`);
            assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], stack);
        }
    });

    it("starts no app server before the file system can be mounted", () => {
        const asg = dev.resources.find((r) => r.type === "aws:autoscaling/group:Group")!;
        const targets = dev.resources.filter((r) => r.type === "aws:efs/mountTarget:MountTarget").map((r) => r.urn);
        assert.equal(targets.length, 2);
        for (const t of targets) assert.ok(asg.dependencies.includes(t), t);
    });

    it("outputs what a user needs, and never a secret value", () => {
        assert.match(String(dev.outputs.shellCommand), /^aws ssm start-session --region us-east-1 --target "\$\(aws autoscaling describe-auto-scaling-groups --region us-east-1 --auto-scaling-group-names app-asg-[0-9a-f]{7} /);
        assert.match(String(dev.outputs.resyncCommand), /--function-name sideload-[a-z0-9]{8} .*--payload '\{"resync":true\}'/);
        assert.match(String(dev.outputs.databaseEndpoint), /^dashboard-[a-z0-9]{8}\..+\.rds\.amazonaws\.com:3306$/);
        assert.equal(dev.outputs.statusPageUrl, null);
        assert.equal(dev.outputs.licenceSecretArn, null);
    });

    it("passes a numeric max_connections to the connections alarm, and nothing else", () => {
        assert.equal(maxConnectionsParameter({ max_connections: "300" }), 300);
        assert.equal(maxConnectionsParameter({ max_connections: "{DBInstanceClassMemory/12582880}" }), undefined);
        assert.equal(maxConnectionsParameter({}), undefined);
        assert.deepEqual(stackTags({ customer: "a", environment: "staging" } as any, "s"), { customer: "a", environment: "staging", stack: "s", "managed-by": "pulumi" });
    });
});
