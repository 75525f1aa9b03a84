import * as assert from "node:assert/strict";
import { InstanceAutomation, type InstanceAutomationArgs } from "../../../components/app/instanceAutomation";
import {
    awsDocumentArn,
    efsUtilsAssociation,
    efsUtilsSource,
    eventsTrustPolicy,
    refreshCommandInput,
    rotationEventPattern,
    runCommandPolicy,
} from "../../../components/app/instanceAutomationPlan";
import { REFRESH_SCRIPT } from "../../../components/app/userData";
import { runProgram } from "../../../plan/run";
import { ACCOUNT_ID, loadStackConfig, settle, startMocks, valueOf, type MockRun } from "../../mocks";

const T = {
    association: "aws:ssm/association:Association",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT_ID}:secret:rds!db-0000-AbCdEf`;
const GROUP = "app-asg-1a2b3c4";

async function build(overrides: Partial<InstanceAutomationArgs> = {}): Promise<{ run: MockRun; automation: InstanceAutomation }> {
    const run = await startMocks({ region: "eu-west-1" });
    const automation = new InstanceAutomation("app-automation", { groupName: GROUP, databaseSecretArn: SECRET, efsUtils: "distributor", refreshScript: REFRESH_SCRIPT, ...overrides });
    await settle();
    return { run, automation };
}

describe("components/app/instanceAutomationPlan", () => {
    it("efs-utils: Amazon Linux public parameters use the image's package, anything else Distributor", () => {
        const table: Array<[string, string]> = [
            ["ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "image"],
            ["ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", "image"],
            ["ssm:/dashboard/vendor-ami", "distributor"],
            ["ami-0123456789abcdef0", "distributor"],
            ["ssm:/aws/service/canonical/ubuntu/server/20.04/stable/current/amd64/hvm/ebs-gp2/ami-id", "distributor"],
        ];
        for (const [ami, source] of table) assert.equal(efsUtilsSource(ami), source, ami);
    });

    it("the association installs AmazonEFSUtils with AWS-ConfigureAWSPackage on the group's tag", () => {
        assert.deepEqual(efsUtilsAssociation(GROUP), {
            name: "AWS-ConfigureAWSPackage",
            parameters: { action: "Install", name: "AmazonEFSUtils" },
            targets: [{ key: "tag:aws:autoscaling:groupName", values: [GROUP] }],
        });
    });

    it("the rotation pattern matches RotationSucceeded of exactly one secret", () => {
        assert.deepEqual(rotationEventPattern(SECRET), {
            source: ["aws.secretsmanager"],
            "detail-type": ["AWS Service Event via CloudTrail", "AWS API Call via CloudTrail"],
            detail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["RotationSucceeded"], additionalEventData: { SecretId: [SECRET] } },
        });
    });

    it("the command runs the refresh script only if a secret changed; documents have no account in their ARN", () => {
        assert.equal(refreshCommandInput(REFRESH_SCRIPT), '{"commands":["/usr/local/sbin/dashboard-refresh-secrets --if-changed"]}');
        assert.equal(awsDocumentArn("aws-cn", "cn-north-1", "AWS-RunShellScript"), "arn:aws-cn:ssm:cn-north-1::document/AWS-RunShellScript");
    });

    it("the events role: trusted by this rule of this account, SendCommand of one document onto the group's instances", () => {
        const rule = `arn:aws:events:eu-west-1:${ACCOUNT_ID}:rule/app-automation-rotation-1`;
        assert.deepEqual(eventsTrustPolicy(ACCOUNT_ID, rule).Statement, [
            {
                Sid: "EventBridgeRuleOfThisStack",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": rule } },
            },
        ]);
        assert.deepEqual(runCommandPolicy({ partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID, groupName: GROUP }).Statement, [
            { Sid: "RunShellDocument", Effect: "Allow", Action: "ssm:SendCommand", Resource: "arn:aws:ssm:eu-west-1:*:document/AWS-RunShellScript" },
            {
                Sid: "OnThisGroupsInstances",
                Effect: "Allow",
                Action: "ssm:SendCommand",
                Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT_ID}:instance/*`,
                Condition: { StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": GROUP } },
            },
        ]);
    });
});

describe("components/app/instanceAutomation (mocks)", () => {
    it("distributor: one association, document and parameters exact, targeting the group", async () => {
        const { run } = await build();
        assert.deepEqual(
            run.byType(T.association).map((a) => [a.name, a.inputs]),
            [["app-automation-efs-utils", { name: "AWS-ConfigureAWSPackage", parameters: { action: "Install", name: "AmazonEFSUtils" }, targets: [{ key: "tag:aws:autoscaling:groupName", values: [GROUP] }] }]],
        );
    });

    it("image: no association, the rotation trigger all the same", async () => {
        const { run } = await build({ efsUtils: "image" });
        assert.deepEqual(run.byType(T.association), []);
        assert.equal(run.byType(T.rule).length, 1);
        assert.equal(run.byType(T.target).length, 1);
    });

    it("the rule matches this secret's rotation; the target runs the refresh on the group through Run Command, with the scoped role", async () => {
        const { run, automation } = await build();
        const rule = run.get(T.rule, "app-automation-rotation");
        assert.deepEqual(JSON.parse(rule.inputs.eventPattern), rotationEventPattern(SECRET));
        const role = run.get(T.role, "app-automation-refresh-role");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), eventsTrustPolicy(ACCOUNT_ID, rule.state.arn));
        const policy = run.get(T.rolePolicy, "app-automation-refresh-policy");
        assert.equal(policy.inputs.role, role.id);
        assert.deepEqual(JSON.parse(policy.inputs.policy), runCommandPolicy({ partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID, groupName: GROUP }));
        const target = run.get(T.target, "app-automation-refresh");
        assert.deepEqual(target.inputs, {
            rule: rule.state.name,
            arn: "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript",
            roleArn: role.state.arn,
            input: '{"commands":["/usr/local/sbin/dashboard-refresh-secrets --if-changed"]}',
            runCommandTargets: [{ key: "tag:aws:autoscaling:groupName", values: [GROUP] }],
        });
        assert.ok(target.dependencies.includes(policy.urn), "the target waits for the role's policy");
        assert.equal(await valueOf(automation.refreshRoleArn), role.state.arn);
        for (const r of run.resources.filter((x) => x.type !== "dashboard:app:InstanceAutomation")) assert.match(r.name, /^app-automation-/);
    });

    it("the same resources in a preview: the secret ARN, known only once the database exists, is an input, not a condition", async () => {
        const names = async (preview: boolean) => {
            const run = await startMocks({ region: "eu-west-1", preview });
            new InstanceAutomation("app-automation", { groupName: GROUP, databaseSecretArn: SECRET, efsUtils: "distributor", refreshScript: REFRESH_SCRIPT });
            await settle();
            return run.resources.map((r) => `${r.type}::${r.name}`).sort();
        };
        assert.deepEqual(await names(true), await names(false));
    });
});

describe("the program's rotation trigger and efs-utils association", () => {
    it("dev (vendor image): the rule names the RDS-managed secret, the targets the Auto Scaling group", async () => {
        const file = loadStackConfig("dev");
        const run = await runProgram("dev", "us-east-1", file.config, file.secretKeys);
        assert.ok(!("errors" in run));
        const secretArn = String(run.outputs.databaseSecretArn);
        assert.match(secretArn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
        const group = String(run.outputs.autoScalingGroupName);
        const rule = run.resources.find((r) => r.type === T.rule && r.name === "app-automation-rotation")!;
        assert.deepEqual(JSON.parse(rule.inputs.eventPattern).detail.additionalEventData, { SecretId: [secretArn] });
        const target = run.resources.find((r) => r.type === T.target && r.name === "app-automation-refresh")!;
        assert.deepEqual(target.inputs.runCommandTargets, [{ key: "tag:aws:autoscaling:groupName", values: [group] }]);
        const association = run.resources.filter((r) => r.type === T.association);
        assert.deepEqual(association.map((a) => a.inputs.targets), [[{ key: "tag:aws:autoscaling:groupName", values: [group] }]]);
    });

    it("the stock Amazon Linux image: no association (dnf installs the rpm at boot)", async () => {
        const file = loadStackConfig("dev");
        const app = { ...JSON.parse(file.config["dashboard:app"]), ami: undefined, rootDeviceName: undefined, container: { image: "public.ecr.aws/nginx/nginx:1.27" } };
        const run = await runProgram("al", "us-east-1", { ...file.config, "dashboard:app": JSON.stringify(app) }, file.secretKeys);
        assert.ok(!("errors" in run), "errors" in run ? run.errors.join("\n") : "");
        assert.deepEqual(run.resources.filter((r) => r.type === T.association), []);
        assert.equal(run.resources.filter((r) => r.type === T.rule && r.name === "app-automation-rotation").length, 1);
    });
});
