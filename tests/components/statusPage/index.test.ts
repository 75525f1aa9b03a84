import * as assert from "node:assert/strict";
import { StatusPage, type StatusPageArgs } from "../../../components/statusPage";
import { ACCESS_LOG_FORMAT } from "../../../components/statusPage/settings";
import type { PolicyStatement } from "../../../common/policies";
import { ACCOUNT_ID, type MockRun, type MockOptions, PROJECT, type RecordedResource, settle, startMocks, valueOf } from "../../mocks";
import { resetUrnRecording, urnCandidates } from "../../urns";

const T = {
    component: "dashboard:status:StatusPage",
    checkerComponent: "dashboard:statusPage:Checker",
    pageComponent: "dashboard:statusPage:Page",
    random: "random:index/randomString:RandomString",
    table: "aws:dynamodb/table:Table",
    queue: "aws:sqs/queue:Queue",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    permission: "aws:lambda/permission:Permission",
    api: "aws:apigatewayv2/api:Api",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    stage: "aws:apigatewayv2/stage:Stage",
};

const ARGS: StatusPageArgs = {
    url: "https://dashboard.acme.example.com",
    healthCheckPath: "/health",
    checkIntervalMinutes: 1,
    title: "Acme <status>",
    logRetentionDays: 30,
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
};

const REGION = "eu-west-1";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;

async function build(args: Partial<StatusPageArgs> = {}, options: MockOptions = {}): Promise<{ run: MockRun; page: StatusPage }> {
    const run = await startMocks({ stack: "acme-prod", region: REGION, ...options });
    const page = new StatusPage("status", { ...ARGS, ...args });
    await settle();
    return { run, page };
}

/** Names the component derives from the random suffix. */
function names(run: MockRun) {
    const suffix: string = run.get(T.random, "status-suffix").state.result;
    return {
        suffix,
        checker: `status-checker-${suffix}`,
        page: `status-page-${suffix}`,
        table: run.get(T.table, "status-checks").state.name as string,
        queueArn: run.get(T.queue, "status-checker-dlq").state.arn as string,
        sgId: run.get(T.sg, "status-sg").id,
    };
}

function withoutCode(r: RecordedResource): Record<string, unknown> {
    return Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "code"));
}

describe("StatusPage (mocks)", () => {
    // One program run with the default arguments, shared by the tests that only read it.
    let shared: { run: MockRun; page: StatusPage };
    before(async () => {
        shared = await build();
    });

    it("creates exactly these resources: the shared ones as its children, the rest under the checker and the page, no duplicates", async () => {
        const { run } = shared;
        run.assertNoDuplicates();
        const children = (parent: RecordedResource) => run.childrenOf(parent).map((r) => `${r.type} ${r.name}`).sort();
        assert.deepEqual(children(run.get(T.component, "status")), [
            `${T.egress} status-egress-443`,
            `${T.egress} status-egress-80`,
            `${T.sg} status-sg`,
            `${T.table} status-checks`,
            `${T.random} status-suffix`,
            `${T.checkerComponent} status-health-checker`,
            `${T.pageComponent} status-public-page`,
        ].sort());
        assert.deepEqual(children(run.get(T.checkerComponent, "status-health-checker")), [
            `${T.logGroup} status-checker-logs`,
            `${T.rule} status-schedule`,
            `${T.target} status-schedule-target`,
            `${T.role} status-checker-role`,
            `${T.rolePolicy} status-checker-policy`,
            `${T.attachment} status-checker-vpc-access`,
            `${T.fn} status-checker`,
            `${T.invokeConfig} status-checker-async`,
            `${T.permission} status-schedule-permission`,
            `${T.queue} status-checker-dlq`,
        ].sort());
        assert.deepEqual(children(run.get(T.pageComponent, "status-public-page")), [
            `${T.api} status-api`,
            `${T.integration} status-integration`,
            `${T.route} status-route`,
            `${T.stage} status-stage`,
            `${T.logGroup} status-api-logs`,
            `${T.logGroup} status-page-logs`,
            `${T.role} status-page-role`,
            `${T.rolePolicy} status-page-policy`,
            `${T.attachment} status-page-vpc-access`,
            `${T.fn} status-page`,
            `${T.permission} status-api-permission`,
        ].sort());
        assert.equal(run.resources.length, 1 + 7 + 10 + 11);
        assert.deepEqual(run.byType(T.ingress), []);
    });

    it("answers to every URN it had when all its resources were the StatusPage's own children (aliases)", async () => {
        resetUrnRecording();
        const { run } = await build();
        const answered = new Set([...urnCandidates("acme-prod", PROJECT).values()].flatMap((all) => [...all]));
        const before = run.resources.filter((r) => r.custom).map((r) => `urn:pulumi:acme-prod::${PROJECT}::dashboard:status:StatusPage$${r.type}::${r.name}`);
        assert.equal(before.length, 26);
        assert.deepEqual(before.filter((urn) => !answered.has(urn)), []);
    });

    it("table: on-demand, service/checkedAt keys, encrypted, PITR, TTL on expiresAt, no deletion protection, not protected", async () => {
        const { run } = shared;
        const table = run.get(T.table, "status-checks");
        assert.deepEqual(table.inputs, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "service",
            rangeKey: "checkedAt",
            attributes: [
                { name: "service", type: "S" },
                { name: "checkedAt", type: "N" },
            ],
            ttl: { attributeName: "expiresAt", enabled: true },
            serverSideEncryption: { enabled: true },
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: false,
        });
        assert.equal(table.protect, false);
    });

    it("random suffix, on-failure queue, security group and egress rules", async () => {
        const { run } = shared;
        const n = names(run);
        assert.deepEqual(run.get(T.random, "status-suffix").inputs, { length: 8, special: false, upper: false });
        assert.match(n.suffix, /^[a-z0-9]{8}$/);
        assert.deepEqual(run.get(T.queue, "status-checker-dlq").inputs, { messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true });
        assert.deepEqual(run.get(T.sg, "status-sg").inputs, { vpcId: ARGS.vpcId, description: "Status page Lambdas: no ingress, HTTP(S) egress" });
        assert.deepEqual(run.get(T.egress, "status-egress-443").inputs, {
            securityGroupId: n.sgId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS: health check and AWS APIs",
        });
        assert.deepEqual(run.get(T.egress, "status-egress-80").inputs, {
            securityGroupId: n.sgId, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0", description: "HTTP: health check of a plain-HTTP stack",
        });
    });

    it("log groups: /aws/lambda/<function name> with retention, and the API's access log group", async () => {
        const { run } = shared;
        const n = names(run);
        assert.deepEqual(run.get(T.logGroup, "status-checker-logs").inputs, { name: `/aws/lambda/${n.checker}`, retentionInDays: 30 });
        assert.deepEqual(run.get(T.logGroup, "status-page-logs").inputs, { name: `/aws/lambda/${n.page}`, retentionInDays: 30 });
        assert.deepEqual(run.get(T.logGroup, "status-api-logs").inputs, { name: `/aws/apigateway/status-${n.suffix}`, retentionInDays: 30 });
    });

    it("IAM: the checker may only PutItem, write its logs and send to its queue; the page may only Query and write its logs", async () => {
        const { run } = shared;
        const n = names(run);
        const tableArn = arn("dynamodb", `table/${n.table}`);
        const checkerRole = run.get(T.role, "status-checker-role");
        const pageRole = run.get(T.role, "status-page-role");
        const condition = { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } };
        const assume = { Version: "2012-10-17", Statement: [{ Sid: "LambdaInThisAccount", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: condition }] };
        assert.deepEqual({ ...checkerRole.inputs, assumeRolePolicy: JSON.parse(checkerRole.inputs.assumeRolePolicy) }, { assumeRolePolicy: assume, description: "Status checker: write checks only" });
        assert.deepEqual({ ...pageRole.inputs, assumeRolePolicy: JSON.parse(pageRole.inputs.assumeRolePolicy) }, { assumeRolePolicy: assume, description: "Status page: read checks only" });

        const checkerPolicyRes = run.get(T.rolePolicy, "status-checker-policy");
        assert.equal(checkerPolicyRes.inputs.role, checkerRole.id);
        assert.deepEqual(JSON.parse(checkerPolicyRes.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "WriteChecks", Effect: "Allow", Action: "dynamodb:PutItem", Resource: tableArn },
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arn("logs", `log-group:/aws/lambda/${n.checker}:*`) },
                { Sid: "SendFailedInvocations", Effect: "Allow", Action: "sqs:SendMessage", Resource: n.queueArn },
            ],
        });
        const pagePolicyRes = run.get(T.rolePolicy, "status-page-policy");
        assert.equal(pagePolicyRes.inputs.role, pageRole.id);
        assert.deepEqual(JSON.parse(pagePolicyRes.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadChecks", Effect: "Allow", Action: "dynamodb:Query", Resource: tableArn },
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arn("logs", `log-group:/aws/lambda/${n.page}:*`) },
            ],
        });
        const vpcPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess";
        assert.deepEqual(run.get(T.attachment, "status-checker-vpc-access").inputs, { role: checkerRole.state.name, policyArn: vpcPolicy });
        assert.deepEqual(run.get(T.attachment, "status-page-vpc-access").inputs, { role: pageRole.state.name, policyArn: vpcPolicy });
        assert.equal(run.byType(T.attachment).length, 2);
        assert.equal(run.byType(T.rolePolicy).length, 2);
    });

    it("the managed VPC policy ARN takes the partition from aws.getPartition", async () => {
        const { run } = await build({}, {
            invokes: { "aws:index/getPartition:getPartition": () => ({ partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws-us-gov" }) },
        });
        assert.equal(run.get(T.attachment, "status-checker-vpc-access").inputs.policyArn, "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaENIManagementAccess");
    });

    it("both roles trust Lambda only for the account aws.getCallerIdentity reports", async () => {
        const { run } = await build({}, {
            invokes: { "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/t", userId: "AIDAX", id: "111122223333" }) },
        });
        for (const role of ["status-checker-role", "status-page-role"]) {
            const statements = JSON.parse(run.get(T.role, role).inputs.assumeRolePolicy).Statement;
            assert.deepEqual(statements.map((s: PolicyStatement) => s.Condition), [{ StringEquals: { "aws:SourceAccount": "111122223333" } }], role);
        }
    });

    it("checker function: exact inputs, env without secrets, depends on its policies", async () => {
        const { run } = shared;
        const n = names(run);
        const fn = run.get(T.fn, "status-checker");
        assert.deepEqual(withoutCode(fn), {
            name: n.checker,
            description: "Requests the stack's health URL and records the result",
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            role: run.get(T.role, "status-checker-role").state.arn,
            timeout: 20,
            memorySize: 128,
            environment: { variables: { TABLE_NAME: n.table, TARGET_URL: "https://dashboard.acme.example.com/health", SERVICE: "app", TIMEOUT_MS: "10000" } },
            vpcConfig: { subnetIds: ARGS.subnetIds, securityGroupIds: [n.sgId] },
            loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${n.checker}` },
        });
        for (const dep of ["status-checker-vpc-access", "status-checker-policy", "status-egress-443", "status-egress-80"]) {
            assert.ok(fn.dependencies.includes(run.named(dep).urn), `checker depends on ${dep}`);
        }
    });

    it("reserves no concurrency by default (a new account's quota is 10, all of it unreserved)", async () => {
        const { run } = shared;
        for (const name of ["status-checker", "status-page"]) assert.equal("reservedConcurrentExecutions" in run.get(T.fn, name).inputs, false, name);
    });

    it("reserves concurrency for the page only when asked, never for the checker", async () => {
        const { run } = await build({ pageReservedConcurrency: 10 });
        assert.equal(run.get(T.fn, "status-page").inputs.reservedConcurrentExecutions, 10);
        assert.equal("reservedConcurrentExecutions" in run.get(T.fn, "status-checker").inputs, false);
    });

    it("page function: exact inputs, env without secrets, depends on its policies", async () => {
        const { run } = shared;
        const n = names(run);
        const fn = run.get(T.fn, "status-page");
        assert.deepEqual(withoutCode(fn), {
            name: n.page,
            description: "Renders the status page",
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            role: run.get(T.role, "status-page-role").state.arn,
            timeout: 10,
            memorySize: 512,
            environment: { variables: { TABLE_NAME: n.table, SERVICE: "app", TITLE: "Acme <status>", STALE_AFTER_SECONDS: "180" } },
            vpcConfig: { subnetIds: ARGS.subnetIds, securityGroupIds: [n.sgId] },
            loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${n.page}` },
        });
        for (const dep of ["status-page-vpc-access", "status-page-policy"]) assert.ok(fn.dependencies.includes(run.named(dep).urn), `page depends on ${dep}`);
    });

    it("no Lambda environment holds a secret-looking key or value", async () => {
        const { run } = shared;
        for (const fn of run.byType(T.fn)) {
            const vars: Record<string, string> = fn.inputs.environment.variables;
            for (const [key, value] of Object.entries(vars)) {
                assert.doesNotMatch(key, /secret|password|passwd|token|key|credential|licen[cs]e/i, `${fn.name}: ${key}`);
                assert.doesNotMatch(value, /secret|password|AKIA|encrypted-in-stack-file/i, `${fn.name}: ${key}`);
            }
        }
    });

    it("packages each function from its own folder (no test files)", async () => {
        const { run } = shared;
        const files = async (r: RecordedResource) => Object.keys(await r.inputs.code.assets).sort();
        assert.deepEqual(await files(run.get(T.fn, "status-checker")), ["check.js", "index.js"]);
        assert.deepEqual(await files(run.get(T.fn, "status-page")), ["index.js", "render.js", "store.js", "uptime.js"]);
    });

    it("schedule: rule every minute, target and permission scoped to the rule; async failures to the queue, no retries", async () => {
        const { run } = shared;
        const n = names(run);
        const rule = run.get(T.rule, "status-schedule");
        const checker = run.get(T.fn, "status-checker");
        assert.deepEqual(rule.inputs, { description: "Runs the status checker", scheduleExpression: "rate(1 minute)" });
        assert.deepEqual(run.get(T.target, "status-schedule-target").inputs, { rule: rule.state.name, arn: checker.state.arn });
        assert.deepEqual(run.get(T.permission, "status-schedule-permission").inputs, {
            action: "lambda:InvokeFunction", function: n.checker, principal: "events.amazonaws.com", sourceArn: rule.state.arn,
        });
        const invokeConfig = run.get(T.invokeConfig, "status-checker-async");
        assert.deepEqual(invokeConfig.inputs, {
            functionName: n.checker,
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: 60,
            destinationConfig: { onFailure: { destination: n.queueArn } },
        });
        assert.ok(invokeConfig.dependencies.includes(run.named("status-checker-policy").urn));
    });

    it("every 5 minutes: rate(5 minutes), stale after 15 minutes, events older than 5 minutes dropped", async () => {
        const { run } = await build({ checkIntervalMinutes: 5 });
        assert.equal(run.get(T.rule, "status-schedule").inputs.scheduleExpression, "rate(5 minutes)");
        assert.equal(run.get(T.fn, "status-page").inputs.environment.variables.STALE_AFTER_SECONDS, "900");
        assert.equal(run.get(T.invokeConfig, "status-checker-async").inputs.maximumEventAgeInSeconds, 300);
    });

    it("HTTP API: proxy integration 2.0, GET /, $default stage with access logs and throttling, invoke permission", async () => {
        const { run } = shared;
        const n = names(run);
        const api = run.get(T.api, "status-api");
        const page = run.get(T.fn, "status-page");
        assert.deepEqual(api.inputs, { protocolType: "HTTP", description: "Public status page" });
        const integration = run.get(T.integration, "status-integration");
        assert.deepEqual(integration.inputs, { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: page.state.arn, integrationMethod: "POST", payloadFormatVersion: "2.0" });
        assert.deepEqual(run.get(T.route, "status-route").inputs, { apiId: api.id, routeKey: "GET /", target: `integrations/${integration.id}` });
        const stage = run.get(T.stage, "status-stage");
        assert.deepEqual(stage.inputs, {
            apiId: api.id,
            name: "$default",
            autoDeploy: true,
            accessLogSettings: { destinationArn: arn("logs", `log-group:/aws/apigateway/status-${n.suffix}`), format: ACCESS_LOG_FORMAT },
            defaultRouteSettings: { throttlingBurstLimit: 10, throttlingRateLimit: 5 },
        });
        assert.ok(stage.dependencies.includes(run.named("status-route").urn));
        assert.deepEqual(Object.keys(JSON.parse(ACCESS_LOG_FORMAT)), [
            "requestId", "ip", "requestTime", "httpMethod", "path", "routeKey", "status", "protocol", "responseLength", "responseLatency", "integrationLatency", "integrationError",
        ]);
        assert.deepEqual(run.get(T.permission, "status-api-permission").inputs, {
            action: "lambda:InvokeFunction", function: n.page, principal: "apigateway.amazonaws.com", sourceArn: `${api.state.executionArn}/*/*`,
        });
    });

    it("outputs: URL with a trailing slash, table, function names, queue ARN", async () => {
        const { run, page } = shared;
        const n = names(run);
        assert.equal(await valueOf(page.statusPageUrl), `${run.get(T.api, "status-api").state.apiEndpoint}/`);
        assert.equal(await valueOf(page.tableName), n.table);
        assert.equal(await valueOf(page.checkerFunctionName), n.checker);
        assert.equal(await valueOf(page.pageFunctionName), n.page);
        assert.equal(await valueOf(page.deadLetterQueueArn), n.queueArn);
    });

    it("defaults: path /, every minute, title Status; a URL with a trailing slash gives no double slash", async () => {
        const { run } = await build({ url: "http://dev.example.com/", healthCheckPath: undefined, checkIntervalMinutes: undefined, title: undefined });
        assert.equal(run.get(T.fn, "status-checker").inputs.environment.variables.TARGET_URL, "http://dev.example.com/");
        assert.equal(run.get(T.fn, "status-page").inputs.environment.variables.TITLE, "Status");
        assert.equal(run.get(T.rule, "status-schedule").inputs.scheduleExpression, "rate(1 minute)");
    });

    it("two stacks get different function and log group names", async () => {
        const a = names((await build({}, { stack: "acme-prod" })).run);
        const b = names((await build({}, { stack: "acme-staging" })).run);
        assert.notEqual(a.checker, b.checker);
        assert.notEqual(a.page, b.page);
    });

    it("rejects a bad interval or path before creating anything", async () => {
        await startMocks({ region: REGION });
        assert.throws(() => new StatusPage("bad", { ...ARGS, checkIntervalMinutes: 0 }), /checkIntervalMinutes must be a whole number ≥ 1, got 0/);
        assert.throws(() => new StatusPage("bad2", { ...ARGS, healthCheckPath: "health" }), /healthCheckPath must start with "\/"/);
    });
});
