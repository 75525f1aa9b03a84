/**
 * What the sideload engine reports: its structured log lines, the summary of an
 * invocation, the outcome of one key, and the refusal of a key.
 */

/** One structured log line. */
export interface LogEntry {
    level: "info" | "warn" | "error";
    /** What happened: `copied`, `deleted`, `rejected`, `error`, `resync`, ... */
    action: string;
    reason?: string;
    /** The key (as received in the event, or as listed on resync). */
    key?: string;
    eventName?: string;
    bytes?: number;
    [field: string]: unknown;
}

/** What an invocation did. Directory placeholders count as copied when created. */
export interface Summary {
    copied: number;
    deleted: number;
    unchanged: number;
    rejected: number;
}

/** An empty summary, its fields in the order they are logged. */
export function emptySummary(): Summary {
    return { copied: 0, deleted: 0, unchanged: 0, rejected: 0 };
}

/** What one key's reconciliation did. */
export type Outcome = "copied" | "deleted" | "unchanged";

/** A refusal: logged and counted, never retried. */
export class Rejected extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}
