/**
 * A local DynamoDB for the status-handler tests: dynalite (an in-memory
 * implementation of the DynamoDB JSON protocol, with its validation, error
 * messages and 1 MB query pages) on 127.0.0.1, random port, started in the
 * suite's `before` and closed in its `after`. The handlers get the real SDK v3
 * document client pointed at it; a middleware on the client records every
 * request as sent on the wire, so tests can assert operations, Limit and
 * ExclusiveStartKey.
 *
 * Tables have the program's key schema (CHECKS_TABLE_KEYS). dynalite has no
 * UpdateTimeToLive, so TTL is not enabled on them; nothing here depends on expiry.
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import type * as DynaliteDb from "dynalite/db";
import { CHECKS_TABLE_KEYS } from "../../components/statusPage/settings";

/** One request as the SDK sent it: the operation (X-Amz-Target) and the JSON body. */
export interface RecordedCall {
    readonly op: string;
    readonly input: Record<string, any>;
}

export interface LocalTable {
    readonly name: string;
    /** A document client for this server; every request it sends lands in {@link calls}. */
    readonly db: DynamoDBDocumentClient;
    readonly calls: RecordedCall[];
    /** Writes plain items with BatchWriteItem, 25 a request, in parallel, until nothing is unprocessed. */
    seed(items: ReadonlyArray<Record<string, unknown>>): Promise<void>;
    /** Many items at once, straight into dynalite's store (see {@link LocalDynamo.table}). */
    bulkLoad(items: ReadonlyArray<Record<string, string | number | boolean>>): Promise<void>;
    /** The number of items in the table (Scan, Select COUNT). */
    count(): Promise<number>;
}

export interface LocalDynamo {
    /**
     * A new, empty checks table with its own recording client. `bulkLoad` writes
     * through dynalite's store with dynalite's own item validation and key
     * encoding (what its PutItem does, minus the lock, the conditional check
     * and index updates, none of which a fresh table without indexes needs),
     * because 43,201 items through BatchWriteItem cost ~4 s and this ~0.4 s.
     * Reads still go over HTTP.
     */
    table(): Promise<LocalTable>;
    /** A recording client and the name of a table that does not exist: every call fails with ResourceNotFoundException. */
    missingTable(): LocalTable;
}

const CREDENTIALS = { accessKeyId: "dynalite", secretAccessKey: "dynalite" };

/** Registers `before`/`after` hooks on the current suite; use the result inside its tests. */
export function useLocalDynamo(): LocalDynamo {
    let server: ReturnType<typeof dynalite>;
    let store: DynaliteDb.Store;
    let endpoint: string;
    let admin: DynamoDBDocumentClient;
    const clients: DynamoDBClient[] = [];
    let tables = 0;

    before(async () => {
        ({ server, store } = startServer());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        admin = client(endpoint, []);
        clients.push(admin);
    });
    after(async () => {
        for (const c of clients) c.destroy();
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    });

    const localTable = (name: string): LocalTable => {
        const calls: RecordedCall[] = [];
        const db = client(endpoint, calls);
        clients.push(db);
        return {
            name,
            db,
            calls,
            seed: (items) => batchWrite(admin, name, items),
            bulkLoad: (items) => bulkLoad(store, name, items),
            count: () => count(admin, name),
        };
    };
    return {
        table: async () => {
            const name = `checks-${++tables}`;
            await createChecksTable(admin, name);
            return localTable(name);
        },
        missingTable: () => localTable("checks-missing"),
    };
}

/** dynalite's server, and the store it builds (captured from its one call of `db.create`). */
function startServer(): { server: ReturnType<typeof dynalite>; store: DynaliteDb.Store } {
    const db = createRequire(__filename)("dynalite/db") as { create: typeof DynaliteDb.create };
    const create = db.create;
    let store: DynaliteDb.Store | undefined;
    db.create = (options) => (store = create(options));
    try {
        const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        if (store === undefined) throw new Error("dynalite did not create its store through dynalite/db (has it changed?)");
        return { server, store };
    } finally {
        db.create = create;
    }
}

/** A document client for `endpoint` recording every request in `calls`; one attempt, so each call is one request. */
function client(endpoint: string, calls: RecordedCall[]): DynamoDBDocumentClient {
    const low = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: CREDENTIALS, maxAttempts: 1 });
    low.middlewareStack.add(
        (next) => async (args) => {
            const request = args.request as { headers: Record<string, string>; body?: unknown };
            const op = (request.headers["x-amz-target"] ?? "").replace("DynamoDB_20120810.", "");
            const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body as Uint8Array);
            calls.push({ op, input: JSON.parse(body) as Record<string, any> });
            return next(args);
        },
        { step: "build", name: "recordRequests" },
    );
    return DynamoDBDocumentClient.from(low);
}

async function createChecksTable(db: DynamoDBDocumentClient, name: string): Promise<void> {
    const { hashKey, rangeKey, attributes } = CHECKS_TABLE_KEYS;
    await db.send(
        new CreateTableCommand({
            TableName: name,
            KeySchema: [
                { AttributeName: hashKey, KeyType: "HASH" },
                { AttributeName: rangeKey, KeyType: "RANGE" },
            ],
            AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
            BillingMode: "PAY_PER_REQUEST",
        }),
    );
    // CREATING until dynalite's createTableMs timer (0 ms) has fired.
    while ((await db.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== "ACTIVE") await new Promise((r) => setImmediate(r));
}

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const batches: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
    await Promise.all(
        batches.map(async (batch) => {
            let requests: Record<string, any> | undefined = { [table]: batch };
            while (requests !== undefined && Object.keys(requests).length > 0) {
                requests = (await db.send(new BatchWriteCommand({ RequestItems: requests }))).UnprocessedItems;
            }
        }),
    );
}

async function bulkLoad(store: DynaliteDb.Store, name: string, items: ReadonlyArray<Record<string, string | number | boolean>>): Promise<void> {
    const db = createRequire(__filename)("dynalite/db") as typeof DynaliteDb;
    const table = await new Promise<Record<string, unknown>>((resolve, reject) => store.getTable(name, (err, t) => (err ? reject(err) : resolve(t))));
    const puts = items.map((plain) => {
        const item = Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, attributeValue(v)]));
        const invalid = db.validateItem(item, table);
        if (invalid !== undefined && invalid !== null) throw invalid;
        return { type: "put" as const, key: db.createKey(item, table), value: item };
    });
    await new Promise<void>((resolve, reject) => store.getItemDb(name).batch(puts, (err) => (err ? reject(err) : resolve())));
}

/** The wire form of the values a check item holds (the document client's marshalling for these types). */
function attributeValue(v: string | number | boolean): Record<string, unknown> {
    return typeof v === "string" ? { S: v } : typeof v === "number" ? { N: String(v) } : { BOOL: v };
}

async function count(db: DynamoDBDocumentClient, table: string): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
        const out = await db.send(new ScanCommand({ TableName: table, Select: "COUNT", ExclusiveStartKey: start }));
        total += out.Count ?? 0;
        start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return total;
}
