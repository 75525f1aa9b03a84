/**
 * Pure helpers of the StatusPage component: the schedule, the checked URL, the
 * staleness and event-age windows, the functions' IAM policies, the API's
 * access log format and throttling. Plain values in, plain values out; tested
 * with tables in tests/components/statusPage/settings.test.ts.
 */
import type { PolicyDocument } from "../../common/policies";

/** A reserved concurrency for Lambda: undefined unless 1–1000 (0 would throttle the function to nothing). */
export function reservedConcurrency(value: number | undefined): number | undefined {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 1 || value > 1000) throw new Error(`StatusPage: pageReservedConcurrency is ${value}, expected an integer from 1 to 1000, or none`);
    return value;
}

/** The stable name of the checked target: the table's partition key value. */
export const SERVICE_NAME = "app";
/**
 * The checks table's keys, the checker's item contract: `service` (S, hash: {@link SERVICE_NAME}),
 * `checkedAt` (N, range: epoch ms), TTL on `expiresAt` (epoch seconds). Changing a key replaces the
 * table. tests/lambda/localDynamo.ts creates its local table from this, so the handlers are tested
 * against the deployed key schema.
 */
export const CHECKS_TABLE_KEYS = {
    hashKey: "service",
    rangeKey: "checkedAt",
    attributes: [
        { name: "service", type: "S" },
        { name: "checkedAt", type: "N" },
    ],
    ttlAttribute: "expiresAt",
} as const;
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

/** The arguments {@link checkStatusPageSettings} checks. */
export interface StatusPageSettings {
    intervalMinutes: number;
    healthCheckPath: string;
    /** Undefined: no reservation. */
    pageReservedConcurrency?: number;
}

/** Throws, before anything is created, on an interval, a path or a reservation AWS or the page would refuse. */
export function checkStatusPageSettings(s: StatusPageSettings): void {
    scheduleExpression(s.intervalMinutes);
    if (!s.healthCheckPath.startsWith("/")) throw new Error(`healthCheckPath must start with "/", got ${JSON.stringify(s.healthCheckPath)}`);
    reservedConcurrency(s.pageReservedConcurrency);
}
