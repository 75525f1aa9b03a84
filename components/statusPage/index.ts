import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { lambdaArchive, lambdaFunctionName } from "../../common/lambdaPackage";
import { lambdaTrustPolicy, type PolicyDocument } from "../../common/policies";

/**
 * Arguments of {@link StatusPage}. Nothing here replaces the checks table;
 * the functions, schedule and API update in place.
 */
export interface StatusPageArgs {
    /** The stack's URL, e.g. `https://dashboard.acme.example.com` (a trailing slash is ignored). @default required */
    url: pulumi.Input<string>;
    /** Path requested on `url`; must start with `/`. @default "/" */
    healthCheckPath?: string;
    /** Minutes between checks, a whole number ≥ 1. @default 1 */
    checkIntervalMinutes?: number;
    /** Page title (escaped when printed). @default "Status" */
    title?: string;
    /** Retention of the functions' and the API's log groups, in days (a CloudWatch Logs retention value). @default required */
    logRetentionDays: number;
    /** VPC of the functions' security group. Changing it replaces the security group. @default required */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets for both functions (Lambdas must run in a VPC). The
     * network needs a DynamoDB gateway endpoint (both functions) and NAT for
     * the checker's request to the stack's public URL; without NAT every check
     * times out and the page shows "Down". @default required
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Reserved concurrent executions of the page function, 1–1000. Opt-in: reservations come out of
     * the account's concurrency quota, which must keep 10 unreserved (new accounts may have only 10).
     * The API's stage throttling already caps what a scraper can cost. The checker never reserves:
     * its timeout (20 s) is shorter than the shortest interval (1 min), so runs cannot pile up.
     * Updated in place.
     * @default none (no reservation)
     */
    pageReservedConcurrency?: number;
}

/** A reserved concurrency for Lambda: undefined unless 1–1000 (0 would throttle the function to nothing). */
export function reservedConcurrency(value: number | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error(`StatusPage: pageReservedConcurrency is ${value}, expected an integer from 1 to 1000, or none`);
    return value;
}

/** The stable name of the checked target: the table's partition key value. */
export const SERVICE_NAME = "app";
/** The checker's request timeout; the function's timeout leaves room for the write. */
export const CHECK_TIMEOUT_MS = 10_000;
export const CHECKER_TIMEOUT_SECONDS = 20;
export const PAGE_TIMEOUT_SECONDS = 10;
/** The on-failure queue keeps a failed invocation for the SQS maximum, 14 days. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;
/**
 * HTTP API stage throttling: plenty for people, and a cap on cost. Every
 * uncached view queries 30 days of checks (~3 MB, ~360 read request units at
 * 1-minute checks), so 5 requests/s sustained is the worst case a scraper can cause.
 */
export const API_THROTTLING = { throttlingBurstLimit: 10, throttlingRateLimit: 5 };

/** The EventBridge schedule for a whole number of minutes: `rate(1 minute)`, `rate(5 minutes)`. */
export function scheduleExpression(minutes: number): string {
    if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`checkIntervalMinutes must be a whole number ≥ 1, got ${minutes}`);
    return minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`;
}

/** The URL the checker requests: `url` without trailing slashes, then `path`. */
export function healthCheckUrl(url: string, path: string): string {
    if (!path.startsWith("/")) throw new Error(`healthCheckPath must start with "/", got ${JSON.stringify(path)}`);
    return `${url.replace(/\/+$/, "")}${path}`;
}

/**
 * After how long without a check the page says "Unknown: no recent check":
 * three intervals, so one missed or slow run is not reported.
 */
export function staleAfterSeconds(intervalMinutes: number): number {
    return 3 * intervalMinutes * 60;
}

/**
 * How long an undelivered scheduled event stays worth running: one interval
 * (at least Lambda's minimum of 60 s); after that the next check supersedes it.
 */
export function maximumEventAgeSeconds(intervalMinutes: number): number {
    return Math.min(Math.max(60, intervalMinutes * 60), 21_600);
}

/** The checker may write checks, write its own logs and send failed invocations to its queue. Nothing else. */
export function checkerPolicy(arns: { tableArn: string; logGroupArn: string; queueArn: string }): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "WriteChecks", Effect: "Allow", Action: "dynamodb:PutItem", Resource: arns.tableArn },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arns.logGroupArn}:*` },
            { Sid: "SendFailedInvocations", Effect: "Allow", Action: "sqs:SendMessage", Resource: arns.queueArn },
        ],
    };
}

/** The page may query checks and write its own logs. Nothing else. */
export function pagePolicy(arns: { tableArn: string; logGroupArn: string }): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadChecks", Effect: "Allow", Action: "dynamodb:Query", Resource: arns.tableArn },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arns.logGroupArn}:*` },
        ],
    };
}

/** Access log line of the HTTP API (JSON, one object per request). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
});

/**
 * A public status page for one stack (the serverless status page pattern): a
 * checker Lambda, run by an EventBridge schedule, requests the stack's health
 * URL and writes one item per check to a DynamoDB table; a page Lambda behind
 * an HTTP API renders the current state, the last response time and uptime
 * over 24 hours, 7 and 30 days.
 */
export class StatusPage extends pulumi.ComponentResource {
    /** The page's public address (the HTTP API's default endpoint). */
    public readonly statusPageUrl: pulumi.Output<string>;
    public readonly tableName: pulumi.Output<string>;
    public readonly checkerFunctionName: pulumi.Output<string>;
    public readonly pageFunctionName: pulumi.Output<string>;
    /** Failed checker invocations (the check could not be recorded) land here. */
    public readonly deadLetterQueueArn: pulumi.Output<string>;

    constructor(name: string, args: StatusPageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:status:StatusPage", name, {}, opts);
        const interval = args.checkIntervalMinutes ?? 1;
        const schedule = scheduleExpression(interval);
        const path = args.healthCheckPath ?? "/";
        if (!path.startsWith("/")) throw new Error(`healthCheckPath must start with "/", got ${JSON.stringify(path)}`);
        const title = args.title ?? "Status";
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // Function names must be known before the functions exist: their log
        // groups (/aws/lambda/<name>) are created first, with retention, so
        // Lambda never creates them itself without one. A random suffix, kept
        // in the stack's state, makes them unique per stack (no fixed names).
        const suffix = new random.RandomString(`${name}-suffix`, { length: 8, special: false, upper: false }, { parent: this });
        const checkerName = suffix.result.apply((s) => lambdaFunctionName(name, `checker-${s}`));
        const pageName = suffix.result.apply((s) => lambdaFunctionName(name, `page-${s}`));

        // One item per check, keyed by target and time, so uptime windows are
        // range queries. Derived data (rebuilt by the checker within a month),
        // hence no deletion protection and no `protect`; PITR still guards
        // against a bad write.
        const table = new aws.dynamodb.Table(
            `${name}-checks`,
            {
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
            },
            { parent: this },
        );

        const deadLetterQueue = new aws.sqs.Queue(
            `${name}-checker-dlq`,
            { messageRetentionSeconds: DLQ_RETENTION_SECONDS, sqsManagedSseEnabled: true },
            { parent: this },
        );

        // Both functions: no ingress; HTTPS out (the stack's URL, DynamoDB via
        // its gateway endpoint) and HTTP out (a development stack's URL can be http).
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "Status page Lambdas: no ingress, HTTP(S) egress" },
            { parent: this },
        );
        const egress = [443, 80].map(
            (port) =>
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-egress-${port}`,
                    {
                        securityGroupId: securityGroup.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        cidrIpv4: "0.0.0.0/0",
                        description: port === 443 ? "HTTPS: health check and AWS APIs" : "HTTP: health check of a plain-HTTP stack",
                    },
                    { parent: this },
                ),
        );

        const checkerLogs = new aws.cloudwatch.LogGroup(
            `${name}-checker-logs`,
            { name: pulumi.interpolate`/aws/lambda/${checkerName}`, retentionInDays: args.logRetentionDays },
            { parent: this },
        );
        const pageLogs = new aws.cloudwatch.LogGroup(
            `${name}-page-logs`,
            { name: pulumi.interpolate`/aws/lambda/${pageName}`, retentionInDays: args.logRetentionDays },
            { parent: this },
        );

        // ENI permissions only: AWSLambdaVPCAccessExecutionRole would add logs:* on every group.
        const vpcAccessPolicyArn = pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess`;

        // Both roles: Lambda may assume them on behalf of this account only.
        const lambdaTrust = accountId.apply((id) => JSON.stringify(lambdaTrustPolicy(id)));
        const checkerRole = new aws.iam.Role(
            `${name}-checker-role`,
            { assumeRolePolicy: lambdaTrust, description: "Status checker: write checks only" },
            { parent: this },
        );
        const checkerVpcAccess = new aws.iam.RolePolicyAttachment(
            `${name}-checker-vpc-access`,
            { role: checkerRole.name, policyArn: vpcAccessPolicyArn },
            { parent: this },
        );
        const checkerRolePolicy = new aws.iam.RolePolicy(
            `${name}-checker-policy`,
            {
                role: checkerRole.id,
                policy: pulumi
                    .all([table.arn, checkerLogs.arn, deadLetterQueue.arn])
                    .apply(([tableArn, logGroupArn, queueArn]) => JSON.stringify(checkerPolicy({ tableArn, logGroupArn, queueArn }))),
            },
            { parent: this },
        );

        const pageRole = new aws.iam.Role(
            `${name}-page-role`,
            { assumeRolePolicy: lambdaTrust, description: "Status page: read checks only" },
            { parent: this },
        );
        const pageVpcAccess = new aws.iam.RolePolicyAttachment(
            `${name}-page-vpc-access`,
            { role: pageRole.name, policyArn: vpcAccessPolicyArn },
            { parent: this },
        );
        const pageRolePolicy = new aws.iam.RolePolicy(
            `${name}-page-policy`,
            {
                role: pageRole.id,
                policy: pulumi.all([table.arn, pageLogs.arn]).apply(([tableArn, logGroupArn]) => JSON.stringify(pagePolicy({ tableArn, logGroupArn }))),
            },
            { parent: this },
        );

        const vpcConfig = { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] };

        // Lambda checks the role's VPC permissions when it creates the function,
        // and the first run must be able to write: depend on the policies.
        const checker = new aws.lambda.Function(
            `${name}-checker`,
            {
                name: checkerName,
                description: "Requests the stack's health URL and records the result",
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                code: lambdaArchive("status-checker"),
                handler: "index.handler",
                role: checkerRole.arn,
                timeout: CHECKER_TIMEOUT_SECONDS,
                memorySize: 128,
                environment: {
                    variables: {
                        TABLE_NAME: table.name,
                        TARGET_URL: pulumi.output(args.url).apply((u) => healthCheckUrl(u, path)),
                        SERVICE: SERVICE_NAME,
                        TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
                    },
                },
                vpcConfig,
                loggingConfig: { logFormat: "Text", logGroup: checkerLogs.name },
            },
            { parent: this, dependsOn: [checkerVpcAccess, checkerRolePolicy, ...egress] },
        );

        // Scheduled invocations are asynchronous. A failed one (the item could
        // not be written, or the function timed out) is not retried: the next
        // scheduled check supersedes it, and a retry would record a check at
        // the wrong time. It goes to the queue instead, for alarms and diagnosis.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-checker-async`,
            {
                functionName: checker.name,
                maximumRetryAttempts: 0,
                maximumEventAgeInSeconds: maximumEventAgeSeconds(interval),
                destinationConfig: { onFailure: { destination: deadLetterQueue.arn } },
            },
            { parent: this, dependsOn: [checkerRolePolicy] },
        );

        const rule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            { description: "Runs the status checker", scheduleExpression: schedule },
            { parent: this },
        );
        new aws.lambda.Permission(
            `${name}-schedule-permission`,
            { action: "lambda:InvokeFunction", function: checker.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(`${name}-schedule-target`, { rule: rule.name, arn: checker.arn }, { parent: this });

        const page = new aws.lambda.Function(
            `${name}-page`,
            {
                name: pageName,
                description: "Renders the status page",
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                code: lambdaArchive("status-page"),
                handler: "index.handler",
                role: pageRole.arn,
                timeout: PAGE_TIMEOUT_SECONDS,
                // 30 days of 1-minute checks are ~43,200 items (~0.4 s of CPU on one
                // full core through the SDK, measured in tests/status-handlers.test.ts).
                // CPU scales with memory, so 512 MB (~0.3 vCPU) costs about what
                // 256 MB would while answering in half the time.
                memorySize: 512,
                reservedConcurrentExecutions: reservedConcurrency(args.pageReservedConcurrency),
                environment: {
                    variables: {
                        TABLE_NAME: table.name,
                        SERVICE: SERVICE_NAME,
                        TITLE: title,
                        STALE_AFTER_SECONDS: String(staleAfterSeconds(interval)),
                    },
                },
                vpcConfig,
                loggingConfig: { logFormat: "Text", logGroup: pageLogs.name },
            },
            { parent: this, dependsOn: [pageVpcAccess, pageRolePolicy, ...egress] },
        );

        const api = new aws.apigatewayv2.Api(
            `${name}-api`,
            { protocolType: "HTTP", description: "Public status page" },
            { parent: this },
        );
        const integration = new aws.apigatewayv2.Integration(
            `${name}-integration`,
            { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: page.arn, integrationMethod: "POST", payloadFormatVersion: "2.0" },
            { parent: this },
        );
        const route = new aws.apigatewayv2.Route(
            `${name}-route`,
            { apiId: api.id, routeKey: "GET /", target: pulumi.interpolate`integrations/${integration.id}` },
            { parent: this },
        );
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-api-logs`,
            { name: pulumi.interpolate`/aws/apigateway/${name}-${suffix.result}`, retentionInDays: args.logRetentionDays },
            { parent: this },
        );
        new aws.apigatewayv2.Stage(
            `${name}-stage`,
            {
                apiId: api.id,
                name: "$default",
                autoDeploy: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
                defaultRouteSettings: API_THROTTLING,
            },
            { parent: this, dependsOn: [route] },
        );
        new aws.lambda.Permission(
            `${name}-api-permission`,
            { action: "lambda:InvokeFunction", function: page.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
            { parent: this },
        );

        this.statusPageUrl = pulumi.interpolate`${api.apiEndpoint}/`;
        this.tableName = table.name;
        this.checkerFunctionName = checker.name;
        this.pageFunctionName = page.name;
        this.deadLetterQueueArn = deadLetterQueue.arn;
        this.registerOutputs({
            statusPageUrl: this.statusPageUrl,
            tableName: this.tableName,
            checkerFunctionName: this.checkerFunctionName,
            pageFunctionName: this.pageFunctionName,
            deadLetterQueueArn: this.deadLetterQueueArn,
        });
    }
}
