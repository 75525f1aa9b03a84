import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_PLACEHOLDER, settle, stackConfigFromYaml, startMocks, valueOf } from "./mocks";

describe("tests/mocks", () => {
    it("records type, name, inputs, parent and protect of each registration", async () => {
        const run = await startMocks({ stack: "mocktest" });
        class Parent extends pulumi.ComponentResource {
            constructor(name: string) {
                super("dashboard:test:Parent", name);
                new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false }, { parent: this, protect: true });
                this.registerOutputs({});
            }
        }
        const parent = new Parent("p");
        await settle();
        const bucket = run.get("aws:s3/bucket:Bucket", "p-bucket");
        assert.equal(bucket.protect, true);
        assert.equal(bucket.inputs.forceDestroy, false);
        assert.equal(bucket.state.bucket, "p-bucket-" + bucket.state.bucket.split("-").pop());
        assert.equal(bucket.parent, await valueOf(parent.urn));
        assert.equal(run.get("dashboard:test:Parent", "p").custom, false);
        run.assertNoDuplicates();
    });

    it("valueOf resolves an Output and rejects when it fails", async () => {
        await startMocks();
        assert.equal(await valueOf(pulumi.output("x").apply((v) => `${v}y`)), "xy");
        await assert.rejects(valueOf(pulumi.output(1).apply((): number => { throw new Error("tier in one zone"); })), /tier in one zone/);
    });

    it("throws for an unmocked invoke", async () => {
        await startMocks();
        await assert.rejects(aws.ec2.getInstance({ instanceId: "i-1" }), /unmocked invoke: aws:ec2\/getInstance:getInstance/);
    });

    it("answers the availability-zone and caller-identity invokes", async () => {
        await startMocks({ region: "eu-west-1" });
        const zones = await aws.getAvailabilityZones({ state: "available" });
        assert.deepEqual(zones.names.slice(0, 3), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert.equal((await aws.getCallerIdentity()).accountId, "123456789012");
    });

    it("fails on duplicate (type, name) pairs", async () => {
        const run = await startMocks();
        run.resources.push({ ...fake("a"), type: "t" }, { ...fake("a"), type: "t" });
        assert.throws(() => run.assertNoDuplicates(), /duplicate \(type, name\) pairs: t::a/);
    });

    it("loads a stack file, replacing encrypted values and marking their keys secret", () => {
        const stack = stackConfigFromYaml(
            ["config:", "  aws:region: eu-west-1", "  dashboard:customer: acme", "  dashboard:app:", "    port: 8224", "    licenceKey:", "      secure: v1:abc"].join("\n"),
        );
        assert.deepEqual(stack.config, {
            "aws:region": "eu-west-1",
            "dashboard:customer": "acme",
            "dashboard:app": JSON.stringify({ port: 8224, licenceKey: SECRET_PLACEHOLDER }),
        });
        assert.deepEqual(stack.secretKeys, ["dashboard:app"]);
        assert.equal(stack.region, "eu-west-1");
    });
});

function fake(name: string) {
    return {
        type: "x", name, urn: name, parent: "", custom: true, inputs: {}, state: {}, id: name, protect: false,
        ignoreChanges: [], dependencies: [], propertyDependencies: {}, retainOnDelete: false, deleteBeforeReplace: false, replaceOnChanges: [], provider: "",
    };
}
