/**
 * Least privilege under a policy engine: every role the production example
 * creates, and every resource policy, evaluated by @cloud-copilot/iam-simulate
 * against a matrix of requests that must be allowed and must be denied. The
 * policies are the ones the real program registers (a full run under mocks).
 */
import * as assert from "node:assert/strict";
import { runProgram, type ProgramRun } from "../plan/run";
import { assume, checkMatrix, stackIam, type AccessCase, type StackIam } from "./iamSimulation";
import { ACCOUNT_ID, loadStackConfig } from "./mocks";

const OTHER_ACCOUNT = "210987654321";
const ELB_ACCOUNT = "arn:aws:iam::127311923021:root";
const T = {
    fs: "aws:efs/fileSystem:FileSystem",
    ap: "aws:efs/accessPoint:AccessPoint",
    bucket: "aws:s3/bucket:Bucket",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    table: "aws:dynamodb/table:Table",
    topic: "aws:sns/topic:Topic",
    rule: "aws:cloudwatch/eventRule:EventRule",
    asg: "aws:autoscaling/group:Group",
    db: "aws:rds/instance:Instance",
    key: "aws:kms/key:Key",
} as const;

describe("access matrices (iam-simulate) of the production example", function () {
    this.timeout(60000);
    let run: ProgramRun;
    let iam: StackIam;
    /** Shorthands for the ARNs of the run. */
    let arn: (type: string, name: string) => string;
    let fs: string, ap: string, content: string, appLogs: string, group: string;
    const efs = (accessPoint: string | undefined, extra: Record<string, string> = {}) => ({
        ...(accessPoint === undefined ? {} : { "elasticfilesystem:AccessPointArn": accessPoint }),
        "elasticfilesystem:AccessedViaMountTarget": "true",
        ...extra,
    });
    const expectMatrix = async (cases: AccessCase[], counts: [number, number]) => {
        const result = await checkMatrix(iam, cases);
        assert.deepEqual(result.wrong, []);
        assert.deepEqual([result.allowed, result.denied], counts, "allowed / denied rows");
    };

    before(async () => {
        const file = loadStackConfig("example-production");
        const r = await runProgram("example-production", file.region ?? "us-east-1", file.config, file.secretKeys);
        assert.ok(!("errors" in r), "errors" in r ? r.errors.join("\n") : "");
        run = r;
        iam = stackIam(run.resources);
        arn = (type, name) => iam.state(type, name).arn;
        fs = arn(T.fs, "sideload-fs");
        ap = arn(T.ap, "sideload-access-point");
        content = arn(T.bucket, "sideload-bucket");
        appLogs = arn(T.logGroup, "app-logs");
        group = iam.state(T.asg, "app-asg").name;
    });

    it("renders every role the stack creates, each with its policies", () => {
        assert.deepEqual(iam.roles.map((r) => [r.name, r.policies.map((p) => p.name)]).sort(), [
            ["app-automation-refresh-role", ["app-automation-refresh-policy"]],
            ["app-instance", ["app-instance", "AmazonSSMManagedInstanceCore"]],
            ["database-monitoring", ["AmazonRDSEnhancedMonitoringRole"]],
            ["network-flow-logs-role", ["network-flow-logs-policy"]],
            ["sideload-role", ["sideload-policy", "AWSLambdaENIManagementAccess"]],
            ["status-checker-role", ["status-checker-policy", "AWSLambdaENIManagementAccess"]],
            ["status-page-role", ["status-page-policy", "AWSLambdaENIManagementAccess"]],
        ]);
        assert.deepEqual(Object.keys(iam.resourcePolicies).sort(), ["app-alb-logs", "monitoring-alerts-key", "monitoring-alerts-policy", "sideload-bucket-policy", "sideload-fs-policy"]);
    });

    it("app servers: mount through the access point, their log group and the CWAgent namespace, their secret; nothing else", async () => {
        const app = iam.roleArn("app-instance");
        const secret = String(run.outputs.databaseSecretArn);
        const instance = `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:instance/i-0123456789abcdef0`;
        await expectMatrix(
            [
                { who: app, action: "elasticfilesystem:ClientMount", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), expect: "Allowed", why: "mount -o tls,iam,accesspoint" },
                { who: app, action: "elasticfilesystem:ClientWrite", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), expect: "Allowed", why: "the app writes content" },
                { who: app, action: "logs:CreateLogStream", resource: `${appLogs}:log-stream:i-1/boot`, expect: "Allowed", why: "the agent's stream per instance" },
                { who: app, action: "logs:PutLogEvents", resource: `${appLogs}:log-stream:i-1/boot`, expect: "Allowed", why: "the boot log reaches CloudWatch" },
                { who: app, action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "CWAgent" }, expect: "Allowed", why: "agent metrics" },
                { who: app, action: "secretsmanager:GetSecretValue", resource: secret, expect: "Allowed", why: "the refresh reads the database secret" },
                { who: app, action: "ssm:UpdateInstanceInformation", resource: instance, expect: "Allowed", why: "SSM agent registers (Session Manager, State Manager, Run Command)" },
                { who: app, action: "ssm:PutConfigurePackageResult", resource: "*", expect: "Allowed", why: "Distributor reports the efs-utils install" },

                { who: app, action: "elasticfilesystem:ClientMount", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(undefined), expect: "Denied", why: "never around the access point" },
                { who: app, action: "elasticfilesystem:ClientRootAccess", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), expect: "Denied", why: "never as root" },
                { who: app, action: "elasticfilesystem:ClientMount", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap, { "aws:SecureTransport": "false" }), expect: "Denied", why: "never without TLS" },
                { who: app, action: "logs:PutLogEvents", resource: `${arn(T.logGroup, "sideload-logs")}:log-stream:x`, expect: "Denied", why: "another log group of the stack" },
                { who: app, action: "logs:PutLogEvents", resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:other-app:log-stream:x`, expect: "Denied", why: "any other log group" },
                { who: app, action: "logs:CreateLogGroup", resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:new-group`, expect: "Denied", why: "no log group of its own making" },
                { who: app, action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "AWS/EC2" }, expect: "Denied", why: "no metrics outside CWAgent" },
                { who: app, action: "secretsmanager:GetSecretValue", resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:other-AbCdEf`, expect: "Denied", why: "only its own secrets" },
                { who: app, action: "s3:GetObject", resource: `${content}/keys/x`, resourcePolicy: "sideload-bucket-policy", expect: "Denied", why: "the servers read content from EFS, not the bucket" },
            ],
            [8, 9],
        );
    });

    it("sideload function: reads the upload folders only, writes EFS through the access point, its logs and its queue", async () => {
        const sideload = iam.roleArn("sideload-role");
        const bucketRow = (action: string, key: string, expect: "Allowed" | "Denied", why: string, context: Record<string, string> = {}): AccessCase => ({
            who: sideload, action, resource: key === "" ? content : `${content}/${key}`, resourcePolicy: "sideload-bucket-policy", context, expect, why,
        });
        await expectMatrix(
            [
                bucketRow("s3:GetObject", "themes/x.png", "Allowed", "an uploaded theme"),
                bucketRow("s3:GetObject", "images/a/b.png", "Allowed", "an uploaded image"),
                bucketRow("s3:GetObjectVersion", "excel-data/book.xlsx", "Allowed", "an Excel upload, by version"),
                bucketRow("s3:ListBucket", "", "Allowed", "resync lists each folder", { "s3:prefix": "themes/" }),
                { who: sideload, action: "elasticfilesystem:ClientWrite", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), expect: "Allowed", why: "copies onto the file system" },
                { who: sideload, action: "logs:PutLogEvents", resource: `${arn(T.logGroup, "sideload-logs")}:log-stream:x`, expect: "Allowed", why: "its own logs" },
                { who: sideload, action: "sqs:SendMessage", resource: arn(T.queue, "sideload-failures"), expect: "Allowed", why: "failed events to its queue" },

                bucketRow("s3:GetObject", "keys/x", "Denied", "keys/ is never read"),
                bucketRow("s3:GetObject", "logs/x", "Denied", "nor anything outside the upload folders"),
                bucketRow("s3:GetObject", "themesx/x.png", "Denied", "a folder that only starts like an upload folder"),
                bucketRow("s3:PutObject", "themes/x.png", "Denied", "read-only on the bucket"),
                bucketRow("s3:GetObject", "themes/x.png", "Denied", "no request without TLS", { "aws:SecureTransport": "false" }),
                { who: sideload, action: "elasticfilesystem:ClientWrite", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(undefined), expect: "Denied", why: "never around the access point" },
                { who: sideload, action: "elasticfilesystem:ClientRootAccess", resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), expect: "Denied", why: "never as root" },
                { who: sideload, action: "logs:PutLogEvents", resource: `${appLogs}:log-stream:x`, expect: "Denied", why: "not the app's log group" },
                { who: sideload, action: "sqs:SendMessage", resource: arn(T.queue, "status-checker-dlq"), expect: "Denied", why: "not another queue" },
            ],
            [7, 9],
        );
    });

    it("the file system policy: this stack's roles only, even against a broad identity policy", async () => {
        const other = `arn:aws:iam::${ACCOUNT_ID}:role/some-other-role`;
        const admin = `arn:aws:iam::${ACCOUNT_ID}:role/admin`;
        const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "elasticfilesystem:*", Resource: "*" }] };
        const row = (who: string, action: string, expect: "Allowed" | "Denied", why: string, identityPolicies?: typeof broad[]): AccessCase => ({
            who, action, resource: fs, resourcePolicy: "sideload-fs-policy", context: efs(ap), identityPolicies, expect, why,
        });
        await expectMatrix(
            [
                row(iam.roleArn("app-instance"), "elasticfilesystem:ClientMount", "Allowed", "the app servers"),
                row(iam.roleArn("sideload-role"), "elasticfilesystem:ClientMount", "Allowed", "the sideload function"),
                row(other, "elasticfilesystem:ClientMount", "Denied", "another role of the account, no grant of its own (AWS:* let it in)"),
                row(other, "elasticfilesystem:ClientWrite", "Denied", "nor write"),
                row(admin, "elasticfilesystem:ClientWrite", "Denied", "an account role with elasticfilesystem:* is still refused", [broad]),
                row(iam.roleArn("status-checker-role"), "elasticfilesystem:ClientMount", "Denied", "another role of this stack"),
                row(`arn:aws:iam::${OTHER_ACCOUNT}:role/app-instance`, "elasticfilesystem:ClientMount", "Denied", "a same-named role of another account", [broad]),
            ],
            [2, 5],
        );
    });

    it("the content bucket policy: TLS only, for everyone", async () => {
        const admin = `arn:aws:iam::${ACCOUNT_ID}:role/admin`;
        const s3All = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
        const row = (action: string, key: string, tls: boolean, expect: "Allowed" | "Denied", why: string): AccessCase => ({
            who: admin, action, resource: key === "" ? content : `${content}/${key}`, resourcePolicy: "sideload-bucket-policy", identityPolicies: [s3All], context: { "aws:SecureTransport": String(tls) }, expect, why,
        });
        await expectMatrix(
            [
                row("s3:PutObject", "themes/x.png", true, "Allowed", "an operator uploads over TLS"),
                row("s3:PutObject", "themes/x.png", false, "Denied", "not over plain HTTP"),
                row("s3:GetObject", "keys/x", false, "Denied", "no read without TLS"),
                row("s3:ListBucket", "", false, "Denied", "the bucket itself, too"),
            ],
            [1, 3],
        );
    });

    it("the access-log bucket: ELB delivers for this account only, under AWSLogs/<account>/, over TLS", async () => {
        const bucket = arn(T.bucket, "app-alb-logs");
        const logKey = `${bucket}/AWSLogs/${ACCOUNT_ID}/elasticloadbalancing/us-east-1/2025/01/01/x.log.gz`;
        const service = "logdelivery.elasticloadbalancing.amazonaws.com";
        const elbSide = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] };
        const row = (who: string, resource: string, context: Record<string, string>, expect: "Allowed" | "Denied", why: string): AccessCase => ({
            who, action: "s3:PutObject", resource, resourcePolicy: "app-alb-logs", context, identityPolicies: who === ELB_ACCOUNT ? [elbSide] : undefined, expect, why,
        });
        await expectMatrix(
            [
                row(service, logKey, { "aws:SourceAccount": ACCOUNT_ID }, "Allowed", "the log-delivery service for this account"),
                row(ELB_ACCOUNT, logKey, {}, "Allowed", "the region's ELB account (regions before August 2022), no source account on its requests"),
                row(service, logKey, { "aws:SourceAccount": OTHER_ACCOUNT }, "Denied", "the service on behalf of another account (confused deputy)"),
                row(service, logKey, {}, "Denied", "the service without a source account"),
                row(service, `${bucket}/AWSLogs/${OTHER_ACCOUNT}/x.log.gz`, { "aws:SourceAccount": ACCOUNT_ID }, "Denied", "outside this account's prefix"),
                row(service, logKey, { "aws:SourceAccount": ACCOUNT_ID, "aws:SecureTransport": "false" }, "Denied", "not without TLS"),
                row(ELB_ACCOUNT, `${bucket}/other/x`, {}, "Denied", "the ELB account outside AWSLogs/<account>/"),
            ],
            [2, 5],
        );
    });

    it("rotation trigger: EventBridge may send only AWS-RunShellScript, only to this group's instances", async () => {
        const events = iam.roleArn("app-automation-refresh-role");
        const rule = arn(T.rule, "app-automation-rotation");
        const instance = `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:instance/i-0123456789abcdef0`;
        const tag = "ssm:resourceTag/aws:autoscaling:groupName";
        // The engine wants an account in every ARN; the policy's `*` account also covers the AWS-owned form (no account).
        const doc = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT_ID}:document/${name}`;
        await expectMatrix(
            [
                { who: events, action: "ssm:SendCommand", resource: doc("AWS-RunShellScript"), expect: "Allowed", why: "the refresh document" },
                { who: events, action: "ssm:SendCommand", resource: instance, context: { [tag]: group }, expect: "Allowed", why: "an instance of this group" },
                assume(iam, "app-automation-refresh-role", "events.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": rule }, "Allowed", "the rotation rule assumes its role"),

                { who: events, action: "ssm:SendCommand", resource: instance, context: { [tag]: "another-group" }, expect: "Denied", why: "an instance of another group" },
                { who: events, action: "ssm:SendCommand", resource: instance, expect: "Denied", why: "an untagged instance" },
                { who: events, action: "ssm:SendCommand", resource: doc("AWS-RunPowerShellScript"), expect: "Denied", why: "another document" },
                { who: events, action: "ssm:SendCommand", resource: doc("AWS-RunRemoteScript"), expect: "Denied", why: "nor one that fetches scripts" },
                { who: events, action: "ssm:SendCommand", resource: `arn:aws:ssm:eu-west-1:${ACCOUNT_ID}:document/AWS-RunShellScript`, expect: "Denied", why: "the document in another region" },
                { who: events, action: "ssm:StartSession", resource: instance, context: { [tag]: group }, expect: "Denied", why: "no shell" },
                { who: events, action: "secretsmanager:GetSecretValue", resource: String(run.outputs.databaseSecretArn), expect: "Denied", why: "the role never sees the secret" },
                assume(iam, "app-automation-refresh-role", "events.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": arn(T.rule, "status-schedule") }, "Denied", "another rule of the account"),
                assume(iam, "app-automation-refresh-role", "events.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": `arn:aws:events:us-east-1:${OTHER_ACCOUNT}:rule/x` }, "Denied", "a rule of another account"),
            ],
            [3, 9],
        );
    });

    it("status page: the checker only writes checks, the page only reads them", async () => {
        const checker = iam.roleArn("status-checker-role");
        const page = iam.roleArn("status-page-role");
        const table = arn(T.table, "status-checks");
        await expectMatrix(
            [
                { who: checker, action: "dynamodb:PutItem", resource: table, expect: "Allowed", why: "writes a check" },
                { who: checker, action: "logs:PutLogEvents", resource: `${arn(T.logGroup, "status-checker-logs")}:log-stream:x`, expect: "Allowed", why: "its logs" },
                { who: checker, action: "sqs:SendMessage", resource: arn(T.queue, "status-checker-dlq"), expect: "Allowed", why: "failed invocations" },
                { who: page, action: "dynamodb:Query", resource: table, expect: "Allowed", why: "reads the checks" },
                { who: page, action: "logs:PutLogEvents", resource: `${arn(T.logGroup, "status-page-logs")}:log-stream:x`, expect: "Allowed", why: "its logs" },

                { who: checker, action: "dynamodb:Query", resource: table, expect: "Denied", why: "the checker does not read" },
                { who: checker, action: "dynamodb:DeleteItem", resource: table, expect: "Denied", why: "nor delete" },
                { who: checker, action: "dynamodb:PutItem", resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/other`, expect: "Denied", why: "another table" },
                { who: page, action: "dynamodb:PutItem", resource: table, expect: "Denied", why: "the page does not write" },
                { who: page, action: "dynamodb:Scan", resource: table, expect: "Denied", why: "nor scan" },
                { who: page, action: "logs:PutLogEvents", resource: `${arn(T.logGroup, "status-checker-logs")}:log-stream:x`, expect: "Denied", why: "not the checker's logs" },
                assume(iam, "status-checker-role", "lambda.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT }, "Denied", "Lambda for another account"),
            ],
            [5, 7],
        );
    });

    it("flow logs and RDS enhanced monitoring: their own log groups, for this account (and instance) only", async () => {
        const flow = iam.roleArn("network-flow-logs-role");
        const monitoring = iam.roleArn("database-monitoring");
        const flowLogs = arn(T.logGroup, "network-flow-logs");
        const db = arn(T.db, "database-instance");
        await expectMatrix(
            [
                { who: flow, action: "logs:PutLogEvents", resource: `${flowLogs}:log-stream:eni-1-all`, expect: "Allowed", why: "flow records" },
                assume(iam, "network-flow-logs-role", "vpc-flow-logs.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:vpc-flow-log/fl-1` }, "Allowed", "VPC Flow Logs of this account"),
                { who: monitoring, action: "logs:PutLogEvents", resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:RDSOSMetrics:log-stream:db-1`, expect: "Allowed", why: "OS metrics" },
                assume(iam, "database-monitoring", "monitoring.rds.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": db }, "Allowed", "RDS monitoring of this instance"),

                { who: flow, action: "logs:PutLogEvents", resource: `${appLogs}:log-stream:x`, expect: "Denied", why: "not the app's log group" },
                { who: flow, action: "logs:CreateLogGroup", resource: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:x`, expect: "Denied", why: "no new groups" },
                assume(iam, "network-flow-logs-role", "vpc-flow-logs.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": `arn:aws:ec2:us-east-1:${OTHER_ACCOUNT}:vpc-flow-log/fl-1` }, "Denied", "another account's flow log"),
                { who: monitoring, action: "logs:PutLogEvents", resource: `${appLogs}:log-stream:x`, expect: "Denied", why: "not the app's log group" },
                assume(iam, "database-monitoring", "monitoring.rds.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:other` }, "Denied", "another instance"),
            ],
            [4, 5],
        );
    });

    it("the S3 gateway endpoint restricts no bucket: SSM Agent, Distributor (AmazonEFSUtils) and the CloudWatch agent's regional buckets stay reachable", () => {
        // A policy on this endpoint would have to allow AWS's SSM buckets (aws-ssm-<region>, amazon-ssm-<region>,
        // amazon-ssm-packages-<region>, <region>-birdwatcher-prod, aws-ssm-distributor-file-<region>,
        // aws-ssm-document-attachments-<region>, …) and amazoncloudwatch-agent-<region>, or boots stop.
        const endpoints = run.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.deepEqual(endpoints.map((e) => [e.name, e.inputs.vpcEndpointType, e.inputs.policy]), [
            ["network-gateway-s3", "Gateway", undefined],
            ["network-gateway-dynamodb", "Gateway", undefined],
        ]);
    });

    it("alarm notifications: CloudWatch publishes and encrypts for this account's alarms only", async () => {
        const topic = arn(T.topic, "monitoring-alerts");
        const key = arn(T.key, "monitoring-alerts-key");
        const alarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:app-5xx-1`;
        const cw = "cloudwatch.amazonaws.com";
        await expectMatrix(
            [
                { who: cw, action: "sns:Publish", resource: topic, resourcePolicy: "monitoring-alerts-policy", context: { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": alarm }, expect: "Allowed", why: "an alarm of this account" },
                { who: cw, action: "kms:GenerateDataKey", resource: key, resourcePolicy: "monitoring-alerts-key", context: { "aws:SourceAccount": ACCOUNT_ID }, expect: "Allowed", why: "encrypts the notification" },
                { who: cw, action: "sns:Publish", resource: topic, resourcePolicy: "monitoring-alerts-policy", context: { "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${OTHER_ACCOUNT}:alarm:x` }, expect: "Denied", why: "another account's alarm" },
                { who: cw, action: "kms:GenerateDataKey", resource: key, resourcePolicy: "monitoring-alerts-key", context: { "aws:SourceAccount": OTHER_ACCOUNT }, expect: "Denied", why: "for another account" },
                { who: cw, action: "kms:Decrypt", resource: key, resourcePolicy: "monitoring-alerts-key", context: {}, expect: "Denied", why: "without a source account" },
                { who: iam.roleArn("app-instance"), action: "sns:Publish", resource: topic, resourcePolicy: "monitoring-alerts-policy", expect: "Denied", why: "the app servers do not page anyone" },
            ],
            [2, 4],
        );
    });
});
