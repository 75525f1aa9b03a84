/**
 * Reads of the checks table (Query only): the latest check, and every check of
 * a window, page by page. Attribute names are the checker's item contract:
 * service (S, hash), checkedAt (N, range, epoch ms), up, status, latencyMs, error.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { CheckSample, LatestCheck } from "./uptime";

/** Only `send` is used: a DynamoDB document client (in tests, one pointed at a local dynalite). */
export type DocumentSender = Pick<DynamoDBDocumentClient, "send">;

/** The newest check of `service`, or undefined when there is none. */
export async function latestCheck(db: DocumentSender, tableName: string, service: string): Promise<LatestCheck | undefined> {
    const out: QueryCommandOutput = await db.send(
        new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "#service = :service",
            ExpressionAttributeNames: { "#service": "service", "#checkedAt": "checkedAt", "#up": "up", "#status": "status", "#latencyMs": "latencyMs", "#error": "error" },
            ExpressionAttributeValues: { ":service": service },
            ProjectionExpression: "#checkedAt, #up, #status, #latencyMs, #error",
            ScanIndexForward: false,
            Limit: 1,
        }),
    );
    const item = out.Items?.[0];
    if (item === undefined) return undefined;
    const latest = {
        checkedAt: Number(item.checkedAt),
        up: item.up === true,
        status: Number(item.status ?? 0),
        latencyMs: Number(item.latencyMs ?? 0),
    };
    return typeof item.error === "string" ? { ...latest, error: item.error } : latest;
}

export interface WindowQueryResult {
    readonly samples: CheckSample[];
    /** Query calls made (1 + the number of continuations). */
    readonly pages: number;
}

/**
 * Every check of `service` with `from < checkedAt <= to`, oldest first, with
 * only `checkedAt` and `up` projected (30 days of 1-minute checks is 43,200
 * items, several 1 MB pages). Follows LastEvaluatedKey to the end.
 * `pageLimit` sets Limit per call (tests use it to force pagination).
 */
export async function checksInWindow(
    db: DocumentSender,
    tableName: string,
    service: string,
    from: number,
    to: number,
    pageLimit?: number,
): Promise<WindowQueryResult> {
    const samples: CheckSample[] = [];
    let pages = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
        const out: QueryCommandOutput = await db.send(
            new QueryCommand({
                TableName: tableName,
                // BETWEEN is inclusive; `from + 1` makes the window (from, to].
                KeyConditionExpression: "#service = :service AND #checkedAt BETWEEN :from AND :to",
                ExpressionAttributeNames: { "#service": "service", "#checkedAt": "checkedAt", "#up": "up" },
                ExpressionAttributeValues: { ":service": service, ":from": from + 1, ":to": to },
                ProjectionExpression: "#checkedAt, #up",
                ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
                ...(pageLimit === undefined ? {} : { Limit: pageLimit }),
            }),
        );
        pages++;
        for (const item of out.Items ?? []) samples.push({ checkedAt: Number(item.checkedAt), up: item.up === true });
        startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { samples, pages };
}
