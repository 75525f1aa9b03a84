/**
 * Status page: behind an HTTP API (payload format 2.0, route GET /), reads the
 * checks table (Query only) and renders the current state, the last response
 * time and uptime over 24 hours, 7 and 30 days.
 *
 * Environment (no secrets): TABLE_NAME, SERVICE, TITLE, STALE_AFTER_SECONDS.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { pageHeaders, renderPage, renderUnavailable } from "./render";
import { type DocumentSender, checksInWindow, latestCheck } from "./store";
import { WINDOWS, currentState, uptime } from "./uptime";

export interface PageSettings {
    readonly tableName: string;
    readonly service: string;
    readonly title: string;
    /** A latest check older than this shows "Unknown: no recent check". */
    readonly staleAfterMs: number;
}

export interface PageDeps {
    readonly db: DocumentSender;
    /** Epoch milliseconds. @default Date.now */
    readonly now?: () => number;
    /** Limit per Query call; unset in production (DynamoDB pages at 1 MB). */
    readonly pageLimit?: number;
}

/** The HTTP API (payload format 2.0) response. */
export interface PageResponse {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    readonly body: string;
}

/** Reads and validates the environment; throws on a missing or malformed value. */
export function settingsFromEnv(env: Record<string, string | undefined>): PageSettings {
    const required = (key: string): string => {
        const value = env[key];
        if (value === undefined || value === "") throw new Error(`environment variable ${key} is not set`);
        return value;
    };
    const staleAfterSeconds = Number(env.STALE_AFTER_SECONDS ?? "180");
    if (!Number.isInteger(staleAfterSeconds) || staleAfterSeconds <= 0) {
        throw new Error(`STALE_AFTER_SECONDS must be a positive integer, got ${env.STALE_AFTER_SECONDS}`);
    }
    return { tableName: required("TABLE_NAME"), service: required("SERVICE"), title: env.TITLE ?? "Status", staleAfterMs: staleAfterSeconds * 1000 };
}

/** The page with its dependencies injected: one call renders one response. */
export function createPage(settings: PageSettings, deps: PageDeps): () => Promise<PageResponse> {
    const now = deps.now ?? Date.now;
    const longest = Math.max(...WINDOWS.map((w) => w.ms));
    return async () => {
        const at = now();
        try {
            const [latest, window] = await Promise.all([
                latestCheck(deps.db, settings.tableName, settings.service),
                checksInWindow(deps.db, settings.tableName, settings.service, at - longest, at, deps.pageLimit),
            ]);
            const body = renderPage({
                title: settings.title,
                now: at,
                state: currentState(latest, at, settings.staleAfterMs),
                latest,
                windows: WINDOWS.map((w) => ({ label: w.label, uptime: uptime(window.samples, at, w.ms) })),
            });
            return { statusCode: 200, headers: pageHeaders(true), body };
        } catch (err) {
            // Logged for operators; the public page says only that it is unavailable.
            console.error("status page: reading the checks failed", err);
            return { statusCode: 503, headers: pageHeaders(false), body: renderUnavailable(settings.title) };
        }
    };
}

let defaultPage: (() => Promise<PageResponse>) | undefined;

/** Lambda entry point (HTTP API event; only GET / is routed here, so the event is not used). */
export async function handler(): Promise<PageResponse> {
    defaultPage ??= createPage(settingsFromEnv(process.env), {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    });
    return defaultPage();
}
