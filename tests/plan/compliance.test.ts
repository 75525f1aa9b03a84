import * as assert from "node:assert/strict";
import type { Environment } from "../../config";
import { checkCompliance, type ComplianceContext, type PlannedResource } from "../../plan/compliance";
import { policies } from "../../policy/policies";
import { ENVIRONMENTS, T } from "../../policy/rule";
import { runProgram } from "../../plan/run";
import { loadStackConfig } from "../mocks";
import { ECS_RULES, fargateStack } from "../policy/fargateStack";
import { planOf, STACKS } from "../stackPlans";

const POLICIES = policies({ environment: "production", secrets: [] });
const RULES = POLICIES.map((p) => ({ id: p.id, title: p.description }));

/** Every stack file builds under mocks and passes every rule that applies to it. */
describe("compliance of every stack file", () => {
    it("covers the dev stack and both examples", () => {
        assert.deepEqual(STACKS.filter((s) => ["dev", "example-production", "example-existing-vpc"].includes(s)).length, 3);
    });

    for (const stack of STACKS) {
        describe(stack, () => {
            it("builds under mocks with no config error", async () => {
                const plan = await planOf(stack);
                assert.deepEqual(plan.errors, []);
                assert.ok(Object.keys(plan.counts).length > 10);
            });
            for (const rule of RULES) {
                it(`${rule.id}: ${rule.title}`, async () => {
                    const result = (await planOf(stack)).compliance.find((r) => r.id === rule.id);
                    assert.ok(result !== undefined);
                    assert.notEqual(result.verdict, "fail", result.details.join("\n"));
                });
            }
        });
    }

    it("every rule passes, not merely does not apply, on at least one stack file", async () => {
        const plans = await Promise.all(STACKS.map((s) => planOf(s)));
        // The ECS rules pass on the synthetic Fargate stack until a stack file runs the Fargate platform in an
        // environment where they apply; then they must pass there. An advisory rule counts once it is evaluated.
        const synthetic = checkCompliance({ resources: fargateStack(), outputs: {}, environment: "production", secrets: [] });
        for (const rule of POLICIES) {
            const fargateFiles = plans.filter((p) => (p.counts[T.taskDefinition] ?? 0) > 0 && (rule.only ?? ENVIRONMENTS).some((e) => e === p.environment));
            const results = ECS_RULES.includes(rule.id) && fargateFiles.length === 0 ? [synthetic] : plans.map((p) => p.compliance);
            const evaluated: readonly string[] = rule.advisory === true ? ["pass", "advisory"] : ["pass"];
            assert.ok(results.some((c) => evaluated.includes(c.find((r) => r.id === rule.id)?.verdict ?? "")), rule.id);
        }
    });

    it("production applies the production-only rules (they are not skipped)", async () => {
        const plan = await planOf("example-production");
        const verdict = (id: string) => plan.compliance.find((r) => r.id === id)?.verdict;
        for (const id of ["CKV_AWS_157 / RDS.5", "CKV_AWS_293 / RDS.8", "CKV_AWS_2 / ELB.1", "CKV_AWS_103 / ELB.17", "AutoScaling.2 / ELB.13", "DASH.1", "CKV2_AWS_11 / EC2.6"]) {
            assert.equal(verdict(id), "pass", id);
        }
    });

    it("a distinctive licence key set as a secret reaches no user data, Lambda environment, tag or output", async () => {
        const licence = "LIC-7f3a-Zebra-Quasar-91";
        const file = loadStackConfig("example-production");
        const app = { ...JSON.parse(file.config["dashboard:app"]), licenceKey: licence };
        const run = await runProgram("leak", "us-east-1", { ...file.config, "dashboard:app": JSON.stringify(app) }, ["dashboard:app"]);
        assert.ok(!("errors" in run));
        const version = run.resources.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
        assert.equal(version.length, 1, "the licence secret gets one version");
        // Recorded as the runtime's secret wrapper: the value travels marked secret.
        assert.deepEqual(version[0].inputs.secretString, { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: licence });
        const elsewhere = run.resources.filter((r) => r !== version[0] && JSON.stringify(r.inputs).includes(licence));
        assert.deepEqual(elsewhere.map((r) => `${r.type} ${r.name}`), []);
        assert.ok(!JSON.stringify(run.outputs).includes(licence));
        const results = checkCompliance({ resources: run.resources, outputs: run.outputs, environment: "production", secrets: [licence] });
        assert.equal(results.find((r) => r.id === "CKV_AWS_46 / CKV_AWS_45")?.verdict, "pass");
    });
});

/** Each rule fails on the resource that breaks it: none of the checks above can pass vacuously. */
describe("compliance rules catch violations", () => {
    const r = (type: string, name: string, inputs: Record<string, any>, state: Record<string, any> = {}): PlannedResource => ({ type, name, inputs, state: { ...inputs, ...state }, custom: true });
    const ctx = (resources: PlannedResource[], extra: Partial<ComplianceContext> = {}): ComplianceContext => ({ resources, outputs: {}, environment: "production", secrets: [], ...extra });
    const fails = (id: string, c: ComplianceContext) => {
        const result = checkCompliance(c).find((x) => x.id === id);
        assert.equal(result?.verdict, "fail", `${id} should fail`);
        return result.details;
    };
    const bucket = r("aws:s3/bucket:Bucket", "b", {}, { id: "b-1", bucket: "b-1" });

    it("S3: public access, encryption, versioning, TLS-only", () => {
        const c = ctx([bucket, r("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: "b-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false }), r("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: "b-1", versioningConfiguration: { status: "Suspended" } }), r("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b-1", policy: JSON.stringify({ Statement: [{ Effect: "Allow" }] }) })]);
        assert.deepEqual(fails("CKV_AWS_53-56 / S3.8", c), ["Bucket b: not all four public-access blocks are on"]);
        assert.deepEqual(fails("CKV_AWS_145 / S3.17", c), ["Bucket b: no default encryption"]);
        assert.deepEqual(fails("CKV_AWS_21 / S3.14", c), ["Bucket b: versioning is not enabled"]);
        assert.deepEqual(fails("S3.5", c), ["Bucket b: no policy denying aws:SecureTransport false"]);
    });

    it("RDS: encryption, public access, Multi-AZ, deletion protection, backups, log exports, rotation", () => {
        const db = r("aws:rds/instance:Instance", "db", { storageEncrypted: false, publiclyAccessible: true, multiAz: false, deletionProtection: false, backupRetentionPeriod: 1, skipFinalSnapshot: true, enabledCloudwatchLogsExports: [] }, { masterUserSecrets: [{ secretArn: "arn:s" }] });
        const c = ctx([db, r("aws:secretsmanager/secretRotation:SecretRotation", "rot", { secretId: "arn:s", rotationRules: { automaticallyAfterDays: 120 } })]);
        fails("CKV_AWS_16 / RDS.3", c);
        fails("CKV_AWS_17 / RDS.2", c);
        fails("CKV_AWS_157 / RDS.5", c);
        fails("CKV_AWS_293 / RDS.8", c);
        assert.deepEqual(fails("RDS.11", c), ["Instance db: backupRetentionPeriod 1 < 7", "Instance db: no final snapshot"]);
        fails("CKV_AWS_129 / RDS.9", c);
        assert.deepEqual(fails("SecretsManager.1 / SecretsManager.4", c), ["Instance db: managed secret rotation every 120 days"]);
    });

    it("load balancer: HTTP not redirected, weak TLS policy, invalid headers kept", () => {
        const c = ctx([
            r("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: false, securityGroups: ["sg-alb"], subnets: ["s1"] }),
            r("aws:lb/listener:Listener", "http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] }),
            r("aws:lb/listener:Listener", "https", { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-2016-08" }),
        ]);
        assert.deepEqual(fails("CKV_AWS_2 / ELB.1", c), ["Listener http: port 80 does not redirect to HTTPS"]);
        assert.deepEqual(fails("CKV_AWS_103 / ELB.17", c), ["Listener https: sslPolicy ELBSecurityPolicy-2016-08"]);
        fails("CKV_AWS_131 / ELB.4", c);
        assert.deepEqual(fails("AutoScaling.2 / ELB.13", c), ["LoadBalancer alb: 1 subnet(s)"]);
    });

    it("instances: IMDSv1, unencrypted volume, public IP; security groups open to the internet", () => {
        const c = ctx([
            r("aws:ec2/launchTemplate:LaunchTemplate", "lt", { metadataOptions: { httpTokens: "optional" }, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }], networkInterfaces: [{ associatePublicIpAddress: "true" }], userData: Buffer.from("DB_PASSWORD=hunter2secret\n").toString("base64") }),
            r("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: true, securityGroups: ["sg-alb"] }),
            r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-443", { securityGroupId: "sg-alb", cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
            r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-22", { securityGroupId: "sg-app", cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }),
            r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-8080", { securityGroupId: "sg-alb", cidrIpv4: "0.0.0.0/0", fromPort: 8080, toPort: 8080 }),
        ]);
        fails("CKV_AWS_79 / EC2.8", c);
        assert.deepEqual(fails("CKV_AWS_8 / EC2.3", c), ["LaunchTemplate lt: /dev/xvda not encrypted"]);
        fails("CKV_AWS_88 / EC2.9", c);
        assert.deepEqual(fails("CKV_AWS_24/25/260 / EC2.18-19", c), ["SecurityGroupIngressRule app-22: admits 0.0.0.0/0 on 22-22", "SecurityGroupIngressRule alb-8080: admits 0.0.0.0/0 on 8080-8080"]);
        assert.deepEqual(fails("CKV_AWS_46 / CKV_AWS_45", c), ["LaunchTemplate lt: user data carries a secret"]);
    });

    it("a public address is let through only on a NAT instance's launch template (a child of dashboard:network:NatInstance)", () => {
        const nics = { networkInterfaces: [{ associatePublicIpAddress: "true" }], metadataOptions: { httpTokens: "required" } };
        const nat = { ...r("aws:ec2/launchTemplate:LaunchTemplate", "network-nat-1-lt", nics), urn: "urn:pulumi:dev::dashboard::dashboard:network:Network$dashboard:network:NatInstance$aws:ec2/launchTemplate:LaunchTemplate::network-nat-1-lt" };
        const namedLikeOne = { ...r("aws:ec2/launchTemplate:LaunchTemplate", "nat-lt", nics), urn: "urn:pulumi:dev::dashboard::dashboard:app:AppCluster$aws:ec2/launchTemplate:LaunchTemplate::nat-lt" };
        assert.equal(checkCompliance(ctx([nat])).find((x) => x.id === "CKV_AWS_88 / EC2.9")?.verdict, "pass");
        assert.deepEqual(fails("CKV_AWS_88 / EC2.9", ctx([nat, namedLikeOne])), ["LaunchTemplate nat-lt: associatePublicIpAddress is not false"]);
    });

    it("Lambda: outside a VPC, async without a destination, reserved concurrency 0, secret in env", () => {
        const fn = r("aws:lambda/function:Function", "fn", { environment: { variables: { TOKEN: "s3cr3t-value" } } }, { name: "fn-123", arn: "arn:fn" });
        const c = ctx([fn, r("aws:lambda/permission:Permission", "perm", { function: "fn-123", principal: "s3.amazonaws.com" })], { secrets: ["s3cr3t-value"] });
        fails("CKV_AWS_117 / Lambda.3", c);
        fails("CKV_AWS_116", c);
        assert.deepEqual(fails("CKV_AWS_115 (opt-in)", ctx([{ ...fn, inputs: { ...fn.inputs, reservedConcurrentExecutions: 0 } }])), ["Function fn: reserved concurrency 0 throttles every invocation"]);
        assert.deepEqual(fails("CKV_AWS_46 / CKV_AWS_45", c), ["Function fn: environment carries a secret"]);
    });

    it("EFS, flow logs, log retention, tags and outputs", () => {
        const c = ctx(
            [
                r("aws:efs/fileSystem:FileSystem", "fs", { encrypted: false }, { id: "fs-1" }),
                r("awsx:ec2:Vpc", "vpc", { natGateways: { strategy: "Single" } }, { vpcId: "vpc-1" }),
                r("aws:ec2/flowLog:FlowLog", "fl", { vpcId: "vpc-1", trafficType: "REJECT" }),
                r("aws:cloudwatch/logGroup:LogGroup", "lg", {}),
                r("aws:sns/topic:Topic", "t", { tags: { note: "key LIC-1-2-3" } }),
            ],
            { secrets: ["LIC-1-2-3"], outputs: { leaked: "LIC-1-2-3" } },
        );
        fails("CKV_AWS_42 / EFS.1", c);
        fails("EFS.2", c);
        fails("CKV2_AWS_11 / EC2.6", c);
        fails("CKV_AWS_66", c);
        assert.deepEqual(fails("CKV_AWS_46 / CKV_AWS_45", c), ["Topic t: a tag carries a secret", "output leaked carries a secret"]);
        assert.deepEqual(fails("AutoScaling.2 / ELB.13", c), ["FileSystem fs: 0 mount target(s)", "Vpc vpc: NAT strategy Single is one zone's"]);
    });

    it("a physical name fixed in code is caught in one stack, and shows up in both", () => {
        const mine = [r("aws:s3/bucket:Bucket", "b", { bucket: "acme-content" })];
        const twin = [r("aws:s3/bucket:Bucket", "b", { bucket: "acme-content" })];
        assert.deepEqual(fails("DASH.1", ctx(mine)), ['Bucket b.bucket = "acme-content" is fixed: it names no stack']);
        assert.deepEqual(fails("DASH.1", ctx(mine, { twin })), ['Bucket b.bucket = "acme-content" is fixed: it names no stack', 'Bucket b.bucket = "acme-content" in both stacks']);
    });

    it("a physical name computed from another resource, auto-named or carrying the stack name is not fixed", () => {
        const suffix = { ...r("random:index/randomString:RandomString", "suffix", {}), urn: "urn:pulumi:test::dashboard::random:index/randomString:RandomString::suffix" };
        const names = [
            suffix,
            { ...r("aws:rds/instance:Instance", "db", { identifier: "dashboard-x1y2z3w4" }), propertyDependencies: { identifier: [suffix.urn] } },
            r("aws:lb/loadBalancer:LoadBalancer", "app-alb", { name: "app-alb-0a1b2c3" }),
            r("aws:cloudwatch/dashboard:Dashboard", "board", { dashboardName: "dashboard-test-abc" }),
            r("aws:route53/record:Record", "alias", { name: "dashboard.acme.example.com" }),
        ];
        assert.equal(checkCompliance(ctx(names)).find((x) => x.id === "DASH.1")?.verdict, "pass");
        // A name that merely looks like another resource's auto-name is fixed.
        assert.deepEqual(fails("DASH.1", ctx([r("aws:lb/loadBalancer:LoadBalancer", "app-alb", { name: "web-0a1b2c3" })])), ['LoadBalancer app-alb.name = "web-0a1b2c3" is fixed: it names no stack']);
    });

    it("production-only rules are not applicable elsewhere, with the reason", () => {
        const db = r("aws:rds/instance:Instance", "db", { multiAz: false, deletionProtection: false });
        const verdict = (environment: Environment, id: string) => checkCompliance(ctx([db], { environment })).find((x) => x.id === id);
        assert.deepEqual(verdict("staging", "CKV_AWS_157 / RDS.5")?.details, ["staging stack"]);
        assert.equal(verdict("staging", "CKV_AWS_157 / RDS.5")?.verdict, "not applicable");
        assert.equal(verdict("staging", "CKV_AWS_293 / RDS.8")?.verdict, "fail");
        assert.deepEqual(verdict("development", "CKV_AWS_293 / RDS.8")?.details, ["development stack: deletion protection off so it can be torn down"]);
        assert.equal(verdict("staging", "AutoScaling.2 / ELB.13")?.verdict, "not applicable");
    });

    it("HTTP only is by design in development without a domain, and fails elsewhere", () => {
        const http = r("aws:lb/listener:Listener", "http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] });
        assert.equal(checkCompliance(ctx([http], { environment: "development" })).find((x) => x.id === "CKV_AWS_2 / ELB.1")?.verdict, "not applicable");
        assert.deepEqual(fails("CKV_AWS_2 / ELB.1", ctx([http], { environment: "staging" })), ["Listener http: port 80 does not redirect to HTTPS"]);
    });

    it("the load balancer's own 80 and 443 are allowed inline too (a refreshed group lists its rules)", () => {
        const sg = r("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { ingress: [{ fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }, { id: "sg-alb" });
        const other = r("aws:ec2/securityGroup:SecurityGroup", "app-sg", { ingress: [{ fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }, { id: "sg-app" });
        const alb = r("aws:lb/loadBalancer:LoadBalancer", "alb", { dropInvalidHeaderFields: true, securityGroups: ["sg-alb"] });
        assert.deepEqual(fails("CKV_AWS_24/25/260 / EC2.18-19", ctx([sg, other, alb])), ["SecurityGroup app-sg: inline ingress from the internet"]);
    });

    it("NAT: a VPC's natGateways output needs two gateways in production", () => {
        const vpc = (nats: unknown[]) => r("awsx:ec2:Vpc", "vpc", {}, { vpcId: "vpc-1", natGateways: nats });
        assert.deepEqual(fails("AutoScaling.2 / ELB.13", ctx([vpc(["nat-1"])])), ["Vpc vpc: 1 NAT gateway(s), one zone's"]);
        assert.equal(checkCompliance(ctx([vpc(["nat-1", "nat-2"])])).find((x) => x.id === "AutoScaling.2 / ELB.13")?.verdict, "pass");
    });
});
