/**
 * The status page's arithmetic: uptime over windows and the current state.
 * Pure functions, no AWS.
 */

/** What the page reads of one check for uptime (a projection of the checker's item). */
export interface CheckSample {
    /** Epoch milliseconds. */
    readonly checkedAt: number;
    readonly up: boolean;
}

/** The latest check, as shown at the top of the page. */
export interface LatestCheck extends CheckSample {
    /** HTTP status, 0 when no response arrived. */
    readonly status: number;
    readonly latencyMs: number;
    readonly error?: string;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The windows the page shows, longest last; the longest is what the page queries. */
export const WINDOWS: ReadonlyArray<{ readonly label: string; readonly ms: number }> = [
    { label: "24 hours", ms: DAY_MS },
    { label: "7 days", ms: 7 * DAY_MS },
    { label: "30 days", ms: 30 * DAY_MS },
];

export interface Uptime {
    readonly total: number;
    readonly up: number;
    /** Percentage of checks that were up, or null when the window holds no check ("no data", never 100 %). */
    readonly percent: number | null;
}

/**
 * Uptime over the window `(now - windowMs, now]`: the share of checks that
 * were up. Checks after `now` (clock skew) and at or before the window's start
 * are ignored.
 */
export function uptime(samples: readonly CheckSample[], now: number, windowMs: number): Uptime {
    const from = now - windowMs;
    let total = 0;
    let up = 0;
    for (const s of samples) {
        if (s.checkedAt <= from || s.checkedAt > now) continue;
        total++;
        if (s.up) up++;
    }
    return { total, up, percent: total === 0 ? null : (up * 100) / total };
}

/**
 * Uptime for display, rounded DOWN to two decimals so that any failure keeps
 * it below "100%" (43,199 of 43,200 is "99.99%", never "100.00%"). Integer
 * arithmetic, so no float rounding can push it up. An empty window is "no data".
 */
export function formatUptime(u: Uptime): string {
    if (u.total === 0) return "no data";
    if (u.up >= u.total) return "100%";
    const hundredths = Math.floor((u.up * 10_000) / u.total);
    return `${(hundredths / 100).toFixed(2)}%`;
}

export type State = "operational" | "down" | "stale" | "no-data";

/**
 * The current state from the latest check: no check at all is "no-data"; a
 * latest check older than `staleAfterMs` is "stale" (the checker has stopped:
 * the page must not keep saying "operational").
 */
export function currentState(latest: LatestCheck | undefined, now: number, staleAfterMs: number): State {
    if (latest === undefined) return "no-data";
    if (now - latest.checkedAt > staleAfterMs) return "stale";
    return latest.up ? "operational" : "down";
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": how long ago, for people. */
export function formatAge(ms: number): string {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return `${s} s`;
    const min = Math.floor(s / 60);
    if (min < 60) return `${min} min`;
    const h = Math.floor(min / 60);
    if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
    const d = Math.floor(h / 24);
    return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** Epoch ms as `2025-01-31 23:59:59 UTC`. */
export function formatTime(ms: number): string {
    return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
