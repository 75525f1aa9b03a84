/**
 * The ECS rules (the Fargate platform) through the offline plan's adapter: each passes on the synthetic
 * Fargate stack and fails on the one change that breaks it, with its exact lines; none applies to a stack
 * without ECS resources. The same cases run against the pack under the SDK's runner in server.pack.ts.
 */
import * as assert from "node:assert/strict";
import { checkCompliance, findings, type ComplianceContext, type PlannedResource, type RuleResult } from "../../plan/compliance";
import { looksSecret } from "../../policy/containerSecrets";
import { T, type Environment } from "../../policy/rule";
import { brokenFargateStack, cluster, container, ECS_RULES, efsVolume, fargateStack, res, service, taskDefinition, TYPES } from "./fargateStack";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the SDK's unknown string sentinel
const LICENCE = "LIC-7f3a-Zebra-Quasar-91";

const ZONES = "AutoScaling.2 / ELB.13";

const ctx = (resources: readonly PlannedResource[], extra: Partial<ComplianceContext> = {}): ComplianceContext => ({ resources, outputs: {}, environment: "production", secrets: [LICENCE], ...extra });
const result = (id: string, resources: readonly PlannedResource[], extra: Partial<ComplianceContext> = {}): RuleResult => {
    const r = checkCompliance(ctx(resources, extra)).find((x) => x.id === id);
    assert.ok(r !== undefined, id);
    return r;
};
const fails = (id: string, resources: readonly PlannedResource[], extra: Partial<ComplianceContext> = {}) => {
    const r = result(id, resources, extra);
    assert.equal(r.verdict, "fail", `${id}: ${r.verdict} ${r.details.join("; ")}`);
    return r.details;
};
/** The stack with the dashboard's task definition made of `containers` (and `extra` inputs). */
const withDashboard = (containers: Record<string, unknown>[], extra: Record<string, unknown> = {}) => fargateStack([taskDefinition("dashboard", containers, extra)]);

describe("ECS rules (plan adapter)", () => {
    it("the Fargate stack passes every ECS rule and the zones rule in production", () => {
        const results = checkCompliance(ctx(fargateStack()));
        for (const id of [...ECS_RULES, ZONES]) assert.deepEqual([id, results.find((r) => r.id === id)?.verdict], [id, "pass"]);
    });

    it("without ECS resources (the EC2 platform) none applies, and says why", () => {
        const ec2 = [res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { metadataOptions: { httpTokens: "required" } })];
        const reasons = Object.fromEntries(checkCompliance(ctx(ec2)).filter((r) => ECS_RULES.includes(r.id)).map((r) => [r.id, `${r.verdict}: ${r.details.join("; ")}`]));
        assert.deepEqual(reasons, {
            "CKV_AWS_97 / ECS.18": "not applicable: no ECS task definition in the stack",
            "CKV_AWS_334 / ECS.4": "not applicable: no ECS task definition in the stack",
            "ECS.9": "not applicable: no ECS task definition in the stack",
            "CKV_AWS_333 / ECS.2": "not applicable: no ECS service in the stack",
            "ECS.8": "not applicable: no ECS task definition in the stack",
            "CKV_AWS_249": "not applicable: no ECS task definition in the stack",
            "CKV_AWS_336 / ECS.5": "not applicable: no ECS task definition in the stack",
            "CKV_AWS_65 / ECS.12": "not applicable: no ECS cluster in the stack",
        });
    });

    it("EFS volumes: TLS, IAM authorization and an access point each, or the rule fails; no EFS volume, no rule", () => {
        const volumes = [efsVolume("keys", { transitEncryption: "DISABLED" }), efsVolume("themes", { authorizationConfig: { iam: "DISABLED" } })];
        assert.deepEqual(fails("CKV_AWS_97 / ECS.18", withDashboard([container("dashboard")], { volumes })), [
            "TaskDefinition app-dashboard-task: volume keys: transitEncryption is not ENABLED",
            "TaskDefinition app-dashboard-task: volume themes: IAM authorization is not ENABLED",
            "TaskDefinition app-dashboard-task: volume themes: no access point",
        ]);
        const noEfs = fargateStack([taskDefinition("dashboard", [container("dashboard")], { volumes: [] }), taskDefinition("scheduler", [container("scheduler")], { volumes: [{ name: "tmp" }] })]);
        assert.deepEqual([result("CKV_AWS_97 / ECS.18", noEfs).verdict, result("CKV_AWS_97 / ECS.18", noEfs).details], ["not applicable", ["no ECS task definition mounts EFS"]]);
    });

    it("a privileged container fails", () => {
        assert.deepEqual(fails("CKV_AWS_334 / ECS.4", withDashboard([container("dashboard", { privileged: true })])), ["TaskDefinition app-dashboard-task: container dashboard: privileged"]);
    });

    it("logging: a log driver on every container; awslogs with group, region and (Fargate) stream prefix, to one of the stack's groups", () => {
        const noLog = container("dashboard", { logConfiguration: undefined });
        const bare = container("sidecar", { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/elsewhere/app" } } });
        assert.deepEqual(fails("ECS.9", withDashboard([noLog, bare])), [
            "TaskDefinition app-dashboard-task: container dashboard: no logConfiguration with a logDriver",
            "TaskDefinition app-dashboard-task: container sidecar: awslogs without awslogs-region",
            "TaskDefinition app-dashboard-task: container sidecar: awslogs without awslogs-stream-prefix",
            "TaskDefinition app-dashboard-task: container sidecar: awslogs-group /elsewhere/app is none of the stack's log groups, so no retention holds for it",
        ]);
        // Another driver is the operator's choice (FSBP asks for a driver only); not JSON is its own failure.
        const splunk = container("dashboard", { logConfiguration: { logDriver: "splunk", options: { "splunk-url": "https://splunk.example" } } });
        assert.equal(result("ECS.9", withDashboard([splunk])).verdict, "pass");
        assert.deepEqual(fails("ECS.9", fargateStack([{ ...taskDefinition("dashboard"), state: { ...taskDefinition("dashboard").state, containerDefinitions: "[{" } }])), [
            "TaskDefinition app-dashboard-task: containerDefinitions is not a JSON list of container definitions",
        ]);
    });

    it("a service that assigns public IPs fails", () => {
        const open = service("dashboard", { networkConfiguration: { subnets: ["subnet-public-a", "subnet-public-b"], securityGroups: ["sg-1"], assignPublicIp: true } });
        assert.deepEqual(fails("CKV_AWS_333 / ECS.2", fargateStack([open])), ["Service app-dashboard: assignPublicIp is true"]);
    });

    it("secrets: a secret-looking name in environment, or the stack's secret value anywhere in a container definition, fails", () => {
        const env = [
            { name: "PI_DB_HOST", value: "db" },
            { name: "PI_DB_PASSWORD", value: "hunter2" },
            { name: "PI_LICENCE", value: LICENCE },
            { name: "NOTE", value: `licence ${LICENCE}` },
        ];
        const leaky = container("dashboard", { environment: env, command: ["start.sh", "--licence", LICENCE] });
        assert.deepEqual(fails("ECS.8", withDashboard([leaky])), [
            "TaskDefinition app-dashboard-task: container dashboard: environment PI_DB_PASSWORD looks like a secret: inject it through secrets (valueFrom)",
            "TaskDefinition app-dashboard-task: container dashboard: environment PI_LICENCE looks like a secret: inject it through secrets (valueFrom)",
            "TaskDefinition app-dashboard-task: container dashboard: environment PI_LICENCE carries a secret value of the stack",
            "TaskDefinition app-dashboard-task: container dashboard: environment NOTE carries a secret value of the stack",
            "TaskDefinition app-dashboard-task: container dashboard: command carries a secret value of the stack",
        ]);
        // Injected through secrets, with its ARN only: the passing stack's PI_DB_PASSWORD and PI_LICENCE.
        assert.equal(result("ECS.8", fargateStack()).verdict, "pass");
    });

    it("secret-looking names: precise, so the vendor's plain settings pass", () => {
        const secret = ["PI_DB_PASSWORD", "PI_LICENCE", "LICENSE_KEY", "DB_PASS", "GITHUB_TOKEN", "CLIENT_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA", "SMTP_CREDENTIALS", "JWT_PRIVATE_KEY", "STRIPE_API_KEY", "apiKey", "dbPassword", "SSL_KEY_PASSPHRASE"];
        const plain = ["PI_DB_HOST", "PI_DB_PORT", "PI_DB_USERNAME", "PI_DB_SCHEMA_NAME", "PI_EXTERNAL_DB", "PI_TOMCAT_MAX_MEMORY", "PI_PROXY_ENABLED", "PI_PROXY_IS_SECURE", "PI_PROXY_HOST", "PI_PROXY_SCHEME", "PI_PROXY_PORT", "PI_DB_ENGINE", "RENDERER_DASHBOARD_URL", "SCHEDULER_DASHBOARD_URL", "PAN_RENDERER_URL", "PAN_SCHEDULER_URL", "PI_VARIABLE_PAN_RENDERER_URL", "PI_VARIABLE_PAN_SCHEDULER_URL", "PI_VARIABLE_ANALYTICS_SERVER_URL", "CACHE_KEY", "S3_OBJECT_KEY", "PI_KEYS_DIR", "PWD", "PASSENGER_COUNT", "TOKENIZER_MODE"];
        assert.deepEqual(secret.filter((n) => !looksSecret(n)), []);
        assert.deepEqual(plain.filter(looksSecret), []);
    });

    it("one role for pulling and for the task fails; in a preview, two ARNs computed from the same role do too", () => {
        const role = "arn:aws:iam::123456789012:role/app-shared-0a1b2c3";
        assert.deepEqual(fails("CKV_AWS_249", withDashboard([container("dashboard")], { executionRoleArn: role, taskRoleArn: role })), ["TaskDefinition app-dashboard-task: executionRoleArn is the taskRoleArn"]);
        const shared = "urn:pulumi:test::dashboard::aws:iam/role:Role::shared";
        const preview = (deps: [string, string]) => ({ ...taskDefinition("dashboard", [container("dashboard")], { executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN }), propertyDependencies: { executionRoleArn: [deps[0]], taskRoleArn: [deps[1]] } });
        const roles = [res("aws:iam/role:Role", "shared", {}), res("aws:iam/role:Role", "other", {})];
        assert.equal(result("CKV_AWS_249", [...fargateStack([preview([shared, shared])]), ...roles]).verdict, "fail");
        assert.equal(result("CKV_AWS_249", [...fargateStack([preview([shared, shared.replace("shared", "other")])]), ...roles]).verdict, "pass");
    });

    it("a writable root file system is advisory: reported, not a finding, in every environment", () => {
        const writable = fargateStack([taskDefinition("dashboard", [container("dashboard", { readonlyRootFilesystem: false })]), taskDefinition("scheduler", [container("scheduler", { readonlyRootFilesystem: undefined })])]);
        for (const environment of ["development", "staging", "production"] as const) {
            const results = checkCompliance(ctx(writable, { environment }));
            const r = results.find((x) => x.id === "CKV_AWS_336 / ECS.5");
            assert.deepEqual([r?.verdict, r?.details], [
                "advisory",
                [
                    "TaskDefinition app-dashboard-task: container dashboard: root file system writable (readonlyRootFilesystem is not true)",
                    "TaskDefinition app-scheduler-task: container scheduler: root file system writable (readonlyRootFilesystem is not true)",
                ],
            ]);
            assert.deepEqual(findings(results).filter((f) => f.startsWith("CKV_AWS_336")), []);
        }
    });

    it("Container Insights: mandatory in production (enabled or enhanced), not applicable elsewhere with the reason", () => {
        assert.deepEqual(fails("CKV_AWS_65 / ECS.12", fargateStack([cluster("disabled")])), ["Cluster app-cluster: containerInsights is disabled"]);
        assert.deepEqual(fails("CKV_AWS_65 / ECS.12", fargateStack([{ ...cluster(), inputs: {}, state: {} }])), ["Cluster app-cluster: containerInsights is not set"]);
        assert.equal(result("CKV_AWS_65 / ECS.12", fargateStack([cluster("enhanced")])).verdict, "pass");
        for (const environment of ["development", "staging"] as Environment[]) {
            const r = result("CKV_AWS_65 / ECS.12", fargateStack([cluster("disabled")]), { environment });
            assert.deepEqual([r.verdict, r.details], ["not applicable", ["Container Insights is opt-in outside production (app.containers.containerInsights): CloudWatch prices its metrics as custom metrics"]]);
        }
    });

    it("zones in production: every service in two or more subnets, two or more tasks behind the load balancer", () => {
        const oneSubnet = service("scheduler", { networkConfiguration: { subnets: ["subnet-private-a"], securityGroups: ["sg-1"], assignPublicIp: false } });
        assert.deepEqual(fails(ZONES, fargateStack([oneSubnet, service("dashboard", { desiredCount: 1 })])), ["Service app-dashboard: 1 task(s) behind the load balancer", "Service app-scheduler: 1 subnet(s)"]);
        // The scheduler runs one task by design (two would run each schedule twice): not behind the load balancer.
        assert.equal(result(ZONES, fargateStack()).verdict, "pass");
        assert.equal(result(ZONES, fargateStack([oneSubnet]), { environment: "staging" }).verdict, "not applicable");
        // In a preview, subnet ids not known yet count as distinct ones.
        const preview = service("scheduler", { networkConfiguration: { subnets: [UNKNOWN, UNKNOWN], securityGroups: ["sg-1"], assignPublicIp: false } });
        assert.equal(result(ZONES, fargateStack([preview])).verdict, "pass");
    });

    it("in a preview, container definitions not known yet: the known ones are checked, the rest can't run during preview", () => {
        const pending = taskDefinition("scheduler", [container("scheduler")], { containerDefinitions: UNKNOWN });
        const r = result("CKV_AWS_334 / ECS.4", fargateStack([pending]));
        assert.equal(r.verdict, "not applicable");
        assert.match(r.details[0], /^can't run during preview: .*containerDefinitions/);
        assert.deepEqual(fails("CKV_AWS_334 / ECS.4", fargateStack([pending, taskDefinition("dashboard", [container("dashboard", { privileged: true })])])), ["TaskDefinition app-dashboard-task: container dashboard: privileged"]);
    });

    it("the broken Fargate stack (the pack's failing case) fails every ECS rule and the zones rule in production", () => {
        const results = checkCompliance(ctx(brokenFargateStack()));
        const verdicts = Object.fromEntries([...ECS_RULES, ZONES].map((id) => [id, results.find((r) => r.id === id)?.verdict]));
        assert.deepEqual(verdicts, { ...Object.fromEntries([...ECS_RULES, ZONES].map((id) => [id, "fail"])), "CKV_AWS_336 / ECS.5": "advisory" });
    });

    it("the synthetic stack's types are the ones the rules read", () => {
        assert.deepEqual([TYPES.cluster, TYPES.task, TYPES.service, TYPES.logGroup], [T.ecsCluster, T.taskDefinition, T.ecsService, T.logGroup]);
    });
});
