/**
 * Status checker: run by an EventBridge schedule, requests the stack's health
 * URL once and writes one item per check to the checks table (PutItem only).
 *
 * Environment (no secrets): TABLE_NAME, TARGET_URL, SERVICE, TIMEOUT_MS.
 * A down target is a successful invocation (the result is recorded); the
 * invocation fails only when the item cannot be written, and then goes to the
 * on-failure queue.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type CheckRecord, type FetchFn, checkRecord, checkUrl } from "./check";

export interface CheckerSettings {
    readonly tableName: string;
    readonly targetUrl: string;
    readonly service: string;
    readonly timeoutMs: number;
}

/** Only `send` is used: a DynamoDB document client (in tests, one pointed at a local dynalite). */
export type DocumentSender = Pick<DynamoDBDocumentClient, "send">;

export interface CheckerDeps {
    readonly db: DocumentSender;
    /** Epoch milliseconds. @default Date.now */
    readonly now?: () => number;
    /** @default globalThis.fetch */
    readonly fetch?: FetchFn;
}

/** Reads and validates the environment; throws on a missing or malformed value. */
export function settingsFromEnv(env: Record<string, string | undefined>): CheckerSettings {
    const required = (key: string): string => {
        const value = env[key];
        if (value === undefined || value === "") throw new Error(`environment variable ${key} is not set`);
        return value;
    };
    const targetUrl = required("TARGET_URL");
    const protocol = new URL(targetUrl).protocol;
    if (protocol !== "https:" && protocol !== "http:") throw new Error(`TARGET_URL must be http(s), got ${protocol}`);
    const timeoutMs = Number(env.TIMEOUT_MS ?? "10000");
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`TIMEOUT_MS must be a positive integer, got ${env.TIMEOUT_MS}`);
    return { tableName: required("TABLE_NAME"), targetUrl, service: required("SERVICE"), timeoutMs };
}

/** The checker with its dependencies injected: one call is one check, recorded. */
export function createChecker(settings: CheckerSettings, deps: CheckerDeps): () => Promise<CheckRecord> {
    const now = deps.now ?? Date.now;
    return async () => {
        const checkedAt = now();
        const result = await checkUrl(settings.targetUrl, { timeoutMs: settings.timeoutMs, fetch: deps.fetch });
        const item = checkRecord(settings.service, checkedAt, result);
        await deps.db.send(new PutCommand({ TableName: settings.tableName, Item: item }));
        console.log(JSON.stringify({ service: item.service, checkedAt: item.checkedAt, up: item.up, status: item.status, latencyMs: item.latencyMs, error: item.error }));
        return item;
    };
}

let defaultChecker: (() => Promise<CheckRecord>) | undefined;

/** Lambda entry point (EventBridge scheduled event; the event itself is not used). */
export async function handler(): Promise<CheckRecord> {
    defaultChecker ??= createChecker(settingsFromEnv(process.env), {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    });
    return defaultChecker();
}
