/**
 * Least privilege of the Fargate platform under a policy engine (@cloud-copilot/iam-simulate): every
 * role the Fargate example creates, with the file system policy of the whole program run, against
 * requests that must be allowed and requests that must be denied. A second run with an ECR pull-through
 * cache and a licence proves the execution role's ECR and licence rights.
 */
import * as assert from "node:assert/strict";
import { runProgram, type ProgramRun } from "../../../plan/run";
import { fileSystemPolicy } from "../../../components/sideload/policies";
import { assume, checkMatrix, stackIam, type AccessCase, type Document, type Expectation, type StackIam } from "../../iamSimulation";
import { ACCOUNT_ID, loadStackConfig } from "../../mocks";

const OTHER_ACCOUNT = "210987654321";
const REGISTRY = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:dashboard/ghcr-pi-cr-AbCdEf`;
const T = {
    fs: "aws:efs/fileSystem:FileSystem",
    ap: "aws:efs/accessPoint:AccessPoint",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    service: "aws:ecs/service:Service",
    machine: "aws:sfn/stateMachine:StateMachine",
    rule: "aws:cloudwatch/eventRule:EventRule",
    secret: "aws:secretsmanager/secret:Secret",
} as const;

async function programRun(config: Record<string, string>, secretKeys: string[]): Promise<ProgramRun> {
    const r = await runProgram("example-fargate", "us-east-1", config, secretKeys);
    assert.ok(!("errors" in r), "errors" in r ? r.errors.join("\n") : "");
    return r;
}

describe("access matrices (iam-simulate) of the Fargate example", function () {
    this.timeout(60000);
    let run: ProgramRun;
    let iam: StackIam;
    let arn: (type: string, name: string) => string;
    const efs = (accessPoint: string, extra: Record<string, string> = {}) => ({ "elasticfilesystem:AccessPointArn": accessPoint, "elasticfilesystem:AccessedViaMountTarget": "true", ...extra });
    const expectMatrix = async (cases: AccessCase[], counts: [number, number]) => {
        const result = await checkMatrix(iam, cases);
        assert.deepEqual(result.wrong, []);
        assert.deepEqual([result.allowed, result.denied], counts, "allowed / denied rows");
    };
    /** A mount through an access point, judged with the file system policy. */
    const mount = (who: string, volume: string, expect: Expectation, why: string, action = "elasticfilesystem:ClientWrite", extra: Record<string, string> = {}): AccessCase => ({
        who, action, resource: arn(T.fs, "sideload-fs"), resourcePolicy: "sideload-fs-policy", context: efs(arn(T.ap, volume), extra), expect, why,
    });
    const stream = (group: string, s = "ecs/dashboard/0123") => `${arn(T.logGroup, group)}:log-stream:${s}`;

    before(async () => {
        const file = loadStackConfig("example-fargate");
        run = await programRun(file.config, file.secretKeys);
        iam = stackIam(run.resources);
        arn = (type, name) => iam.state(type, name).arn;
    });

    it("renders the Fargate roles, each with its one inline policy", () => {
        const fargateRoles = iam.roles.filter((r) => r.name.startsWith("app-")).map((r) => [r.name, r.policies.map((p) => p.name)]);
        assert.deepEqual(fargateRoles.sort(), [
            ["app-dashboard-task", ["app-dashboard-task"]],
            ["app-execution", ["app-execution"]],
            ["app-pirana-task", ["app-pirana-task"]],
            ["app-renderer-task", ["app-renderer-task"]],
            ["app-rotation-events-role", ["app-rotation-events-policy"]],
            ["app-rotation-redeploy-role", ["app-rotation-redeploy-policy"]],
            ["app-scheduler-task", ["app-scheduler-task"]],
        ]);
    });

    it("execution role: the database and registry secrets, the services' log streams; nothing of the tasks' own work", async () => {
        const exec = iam.roleArn("app-execution");
        const db = String(run.outputs.databaseSecretArn);
        await expectMatrix(
            [
                { who: exec, action: "secretsmanager:GetSecretValue", resource: db, expect: "Allowed", why: "PI_DB_USERNAME / PI_DB_PASSWORD by valueFrom" },
                { who: exec, action: "secretsmanager:GetSecretValue", resource: REGISTRY, expect: "Allowed", why: "ghcr's credentials (repositoryCredentials)" },
                { who: exec, action: "logs:CreateLogStream", resource: stream("app-dashboard-logs"), expect: "Allowed", why: "awslogs opens the task's stream" },
                { who: exec, action: "logs:PutLogEvents", resource: stream("app-pirana-logs", "ecs/pirana/1"), expect: "Allowed", why: "every service's container logs" },
                { who: exec, action: "logs:PutLogEvents", resource: stream("app-scheduler-logs", "service-connect/1"), expect: "Allowed", why: "the Service Connect proxy's logs" },

                { who: exec, action: "secretsmanager:GetSecretValue", resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:other-AbCdEf`, expect: "Denied", why: "any other secret" },
                { who: exec, action: "logs:PutLogEvents", resource: stream("app-ecs-exec-logs"), expect: "Denied", why: "the exec sessions' group is the task roles'" },
                { who: exec, action: "logs:PutLogEvents", resource: stream("sideload-logs", "x"), expect: "Denied", why: "another log group of the stack" },
                { who: exec, action: "logs:CreateLogGroup", resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:new`, expect: "Denied", why: "no log group of its own making" },
                { who: exec, action: "ecr:GetAuthorizationToken", resource: "*", expect: "Denied", why: "no ECR right while every image is on ghcr" },
                mount(exec, "app-volumes-keys", "Denied", "the execution role mounts nothing", "elasticfilesystem:ClientMount"),
                { who: exec, action: "ecs:UpdateService", resource: arn(T.service, "app-dashboard-service"), expect: "Denied", why: "no control of the services" },
                assume(iam, "app-execution", "ecs-tasks.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID }, "Allowed", "ECS starting this account's tasks"),
                assume(iam, "app-execution", "ecs-tasks.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT }, "Denied", "ECS for another account"),
                assume(iam, "app-execution", "lambda.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID }, "Denied", "another service"),
            ],
            [6, 9],
        );
    });

    it("dashboard task role: its seven volumes, ECS Exec and its session log; no secret, no other service's volume, never root or without TLS", async () => {
        const dash = iam.roleArn("app-dashboard-task");
        await expectMatrix(
            [
                ...["keys", "custom_jdbc", "themes", "images", "files", "svg", "locale"].map((v) => mount(dash, `app-volumes-${v}`, "Allowed", `writes ${v}`)),
                mount(dash, "app-volumes-themes", "Allowed", "mounts themes", "elasticfilesystem:ClientMount"),
                { who: dash, action: "ssmmessages:CreateControlChannel", resource: "*", expect: "Allowed", why: "ECS Exec's control channel" },
                { who: dash, action: "ssmmessages:OpenDataChannel", resource: "*", expect: "Allowed", why: "ECS Exec's data channel" },
                { who: dash, action: "logs:DescribeLogGroups", resource: "*", expect: "Allowed", why: "the agent finds the exec log group" },
                { who: dash, action: "logs:PutLogEvents", resource: stream("app-ecs-exec-logs", "ecs-execute-command-1"), expect: "Allowed", why: "the session's log" },
                { who: dash, action: "logs:DescribeLogStreams", resource: arn(T.logGroup, "app-ecs-exec-logs"), expect: "Allowed", why: "the agent checks its stream" },

                mount(dash, "sideload-access-point", "Denied", "not through the sideload's own access point (all of /content)", "elasticfilesystem:ClientMount"),
                mount(dash, "app-volumes-keys", "Denied", "never as root", "elasticfilesystem:ClientRootAccess"),
                mount(dash, "app-volumes-keys", "Denied", "never without TLS", "elasticfilesystem:ClientMount", { "aws:SecureTransport": "false" }),
                { who: dash, action: "secretsmanager:GetSecretValue", resource: String(run.outputs.databaseSecretArn), expect: "Denied", why: "secrets come in through the execution role" },
                { who: dash, action: "logs:PutLogEvents", resource: stream("app-dashboard-logs"), expect: "Denied", why: "container logs are the execution role's" },
                { who: dash, action: "ecs:UpdateService", resource: arn(T.service, "app-dashboard-service"), expect: "Denied", why: "no control of the services" },
                { who: dash, action: "s3:GetObject", resource: `arn:aws:s3:::${String(run.outputs.contentBucket)}/themes/x.css`, resourcePolicy: "sideload-bucket-policy", expect: "Denied", why: "content comes from EFS, not the bucket" },
                assume(iam, "app-dashboard-task", "ecs-tasks.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task/app-ecs-cluster/0123` }, "Allowed", "this region's tasks"),
                assume(iam, "app-dashboard-task", "ecs-tasks.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:task/x/1` }, "Denied", "tasks of another region"),
            ],
            [14, 8],
        );
    });

    it("scheduler, renderer, pirana: the scheduler only keys; the others no volume at all; all of them ECS Exec", async () => {
        const scheduler = iam.roleArn("app-scheduler-task");
        const renderer = iam.roleArn("app-renderer-task");
        const pirana = iam.roleArn("app-pirana-task");
        await expectMatrix(
            [
                mount(scheduler, "app-volumes-keys", "Allowed", "the keys it shares with the dashboard"),
                ...[scheduler, renderer, pirana].map((who): AccessCase => ({ who, action: "ssmmessages:CreateDataChannel", resource: "*", expect: "Allowed", why: "ECS Exec" })),

                mount(scheduler, "app-volumes-themes", "Denied", "not the dashboard's other volumes, though the file system policy names its role"),
                mount(scheduler, "sideload-access-point", "Denied", "not the sideload's access point", "elasticfilesystem:ClientMount"),
                mount(renderer, "app-volumes-keys", "Denied", "the renderer mounts nothing", "elasticfilesystem:ClientMount"),
                mount(pirana, "app-volumes-files", "Denied", "pirana mounts nothing", "elasticfilesystem:ClientMount"),
                { who: renderer, action: "logs:PutLogEvents", resource: stream("app-renderer-logs"), expect: "Denied", why: "its container logs are the execution role's" },
            ],
            [4, 5],
        );
    });

    it("why each client has its own statement: one statement for every role and access point would let the scheduler write themes, whatever its own policy says", async () => {
        const scheduler = iam.roleArn("app-scheduler-task");
        const aps = ["sideload-access-point", "app-volumes-keys", "app-volumes-themes"].map((a) => arn(T.ap, a));
        const merged: Document = JSON.parse(JSON.stringify(fileSystemPolicy(arn(T.fs, "sideload-fs"), [{ roleArns: [iam.roleArn("sideload-role"), iam.roleArn("app-dashboard-task"), scheduler], accessPointArns: aps }])));
        await expectMatrix([{ ...mount(scheduler, "app-volumes-themes", "Allowed", "the resource policy's Allow suffices in one account"), resourcePolicy: merged }], [1, 0]);
    });

    it("the sideload function still writes through its own access point only: never into keys or another volume's access point", async () => {
        const fn = iam.roleArn("sideload-role");
        await expectMatrix(
            [
                mount(fn, "sideload-access-point", "Allowed", "copies uploads below /content"),
                mount(fn, "app-volumes-keys", "Denied", "the bucket can never write keys"),
                mount(fn, "app-volumes-themes", "Denied", "only through its own access point"),
            ],
            [1, 2],
        );
    });

    it("rotation: the state machine may update only the dashboard and scheduler services; the rule may only start the state machine", async () => {
        const machineRole = iam.roleArn("app-rotation-redeploy-role");
        const events = iam.roleArn("app-rotation-events-role");
        const machine = arn(T.machine, "app-rotation-redeploy");
        const service = (role: string) => arn(T.service, `app-${role}-service`);
        await expectMatrix(
            [
                { who: machineRole, action: "ecs:UpdateService", resource: service("dashboard"), expect: "Allowed", why: "force a new deployment of the dashboard" },
                { who: machineRole, action: "ecs:UpdateService", resource: service("scheduler"), expect: "Allowed", why: "and of the scheduler" },
                { who: events, action: "states:StartExecution", resource: machine, expect: "Allowed", why: "the rule starts the redeploy" },
                assume(iam, "app-rotation-redeploy-role", "states.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": machine }, "Allowed", "Step Functions running this machine"),
                assume(iam, "app-rotation-events-role", "events.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": arn(T.rule, "app-rotation-rule") }, "Allowed", "the rotation rule"),

                { who: machineRole, action: "ecs:UpdateService", resource: service("renderer"), expect: "Denied", why: "the renderer reads no secret" },
                { who: machineRole, action: "ecs:UpdateService", resource: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:service/other-cluster/app`, expect: "Denied", why: "another cluster's service" },
                { who: machineRole, action: "ecs:DeleteService", resource: service("dashboard"), expect: "Denied", why: "nothing but an update" },
                { who: machineRole, action: "ecs:RegisterTaskDefinition", resource: "*", expect: "Denied", why: "no new task definition" },
                { who: machineRole, action: "iam:PassRole", resource: iam.roleArn("app-execution"), expect: "Denied", why: "passes no role" },
                { who: events, action: "states:StartExecution", resource: `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:other`, expect: "Denied", why: "another state machine" },
                { who: events, action: "ecs:UpdateService", resource: service("dashboard"), expect: "Denied", why: "the rule's role touches no service itself" },
                assume(iam, "app-rotation-redeploy-role", "states.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": `arn:aws:states:us-east-1:${OTHER_ACCOUNT}:stateMachine:x` }, "Denied", "another account's state machine"),
                assume(iam, "app-rotation-events-role", "events.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": arn(T.rule, "monitoring-ecs-events") }, "Denied", "another rule of the stack"),
            ],
            [5, 9],
        );
    });

    it("with an ECR pull-through cache and a licence: the token on *, pulls from exactly the services' repositories, the licence secret", async () => {
        const file = loadStackConfig("example-fargate");
        const app = JSON.parse(file.config["dashboard:app"]);
        app.containers.repository = `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr`;
        delete app.containers.registryCredentials;
        app.licenceKey = "LIC-1";
        const variant = await programRun({ ...file.config, "dashboard:app": JSON.stringify(app) }, [...file.secretKeys, "dashboard:app"]);
        iam = stackIam(variant.resources);
        const exec = iam.roleArn("app-execution");
        const repo = (name: string) => `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/ghcr/pi-cr/${name}`;
        const licence = iam.state(T.secret, "app-licence").arn;
        await expectMatrix(
            [
                { who: exec, action: "ecr:GetAuthorizationToken", resource: "*", expect: "Allowed", why: "ECR authorizes the token only on *" },
                ...["server", "scheduler", "renderer", "pirana"].map((r): AccessCase => ({ who: exec, action: "ecr:BatchGetImage", resource: repo(r), expect: "Allowed", why: `pulls ${r}` })),
                { who: exec, action: "ecr:BatchImportUpstreamImage", resource: repo("server"), expect: "Allowed", why: "the cache's first pull imports from ghcr" },
                { who: exec, action: "ecr:CreateRepository", resource: repo("renderer"), expect: "Allowed", why: "and creates the cached repository" },
                { who: exec, action: "secretsmanager:GetSecretValue", resource: licence, expect: "Allowed", why: "PI_LICENCE by valueFrom" },

                { who: exec, action: "ecr:BatchGetImage", resource: repo("excel-reader"), expect: "Denied", why: "a service that does not run" },
                { who: exec, action: "ecr:BatchGetImage", resource: `arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/other`, expect: "Denied", why: "any other repository" },
                { who: exec, action: "ecr:PutImage", resource: repo("server"), expect: "Denied", why: "pull only" },
                { who: exec, action: "secretsmanager:GetSecretValue", resource: REGISTRY, expect: "Denied", why: "no registry secret configured" },
            ],
            [8, 4],
        );
    });
});
