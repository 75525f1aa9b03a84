/**
 * One health check: request a URL once, with a timeout, without following
 * redirects, and describe the outcome. No AWS here; the caller stores it.
 */

/** What one request told us. */
export interface CheckResult {
    /** 200–399 counts as up (the app answers its health path with 200 or 302). */
    readonly up: boolean;
    /** HTTP status, or 0 when no response arrived (timeout, refused, DNS, TLS). */
    readonly status: number;
    /** Milliseconds until the response headers arrived (or until the failure). */
    readonly latencyMs: number;
    /** Why the check failed; absent when up. Public: it is shown on the status page. */
    readonly error?: string;
}

/** One item of the checks table. Attribute names are the contract with the page Lambda. */
export interface CheckRecord {
    /** Partition key: the checked target's stable name. */
    readonly service: string;
    /** Sort key: epoch milliseconds when the check started. */
    readonly checkedAt: number;
    /** TTL attribute: epoch seconds, {@link RETENTION_DAYS} after the check. */
    readonly expiresAt: number;
    readonly up: boolean;
    readonly status: number;
    readonly latencyMs: number;
    readonly error?: string;
}

/** Items expire (DynamoDB TTL) this many days after the check; the page shows at most 30. */
export const RETENTION_DAYS = 90;

/** Error texts are cut to this many characters before they are stored. */
export const MAX_ERROR_LENGTH = 300;

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

export interface CheckOptions {
    readonly timeoutMs: number;
    /** @default globalThis.fetch */
    readonly fetch?: FetchFn;
    /** Monotonic milliseconds, for latency. @default performance.now */
    readonly clock?: () => number;
}

/** Whether an HTTP status means "up": 2xx and 3xx (redirects are not followed). */
export function isUp(status: number): boolean {
    return status >= 200 && status <= 399;
}

/**
 * Requests `url` once. Never throws: every failure (HTTP status, timeout,
 * connection refused, DNS, TLS) becomes a down result with an error text.
 * The timeout covers the time to response headers; the body is discarded.
 */
export async function checkUrl(url: string, options: CheckOptions): Promise<CheckResult> {
    const doFetch: FetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    const clock = options.clock ?? (() => performance.now());
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
    }, options.timeoutMs);
    const started = clock();
    try {
        const response = await doFetch(url, {
            method: "GET",
            redirect: "manual",
            signal: controller.signal,
            headers: { "user-agent": "dashboard-status-checker/1", accept: "*/*" },
        });
        const latencyMs = Math.round(clock() - started);
        // Free the connection: only the status matters.
        await response.body?.cancel().catch(() => undefined);
        const up = isUp(response.status);
        return up ? { up, status: response.status, latencyMs } : { up, status: response.status, latencyMs, error: `HTTP ${response.status}` };
    } catch (err) {
        const latencyMs = Math.round(clock() - started);
        const error = timedOut ? `timed out after ${options.timeoutMs} ms` : describeError(err);
        return { up: false, status: 0, latencyMs, error: truncate(error) };
    } finally {
        clearTimeout(timer);
    }
}

/** A short, human-readable reason from a fetch failure (undici puts the real one in `cause`). */
export function describeError(err: unknown): string {
    if (err instanceof Error) {
        const cause = (err as Error & { cause?: unknown }).cause;
        if (cause instanceof Error && cause.message !== "") return cause.message;
        if (cause !== null && typeof cause === "object" && "code" in cause) return `${err.message} (${String((cause as { code: unknown }).code)})`;
        return err.message;
    }
    return String(err);
}

function truncate(text: string): string {
    return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

/** The table item for a check that started at `checkedAt` (epoch ms). Omits `error` when up. */
export function checkRecord(service: string, checkedAt: number, result: CheckResult): CheckRecord {
    const base = {
        service,
        checkedAt,
        expiresAt: Math.floor(checkedAt / 1000) + RETENTION_DAYS * 86_400,
        up: result.up,
        status: result.status,
        latencyMs: result.latencyMs,
    };
    return result.error === undefined ? base : { ...base, error: truncate(result.error) };
}
