/**
 * The parts of dynalite (an in-memory DynamoDB server, no types of its own) that
 * tests/lambda/localDynamo.ts uses: the server, and for the bulk load its store
 * and its own item validation and key encoding (`dynalite/db`).
 */
declare module "dynalite" {
    import type { Server } from "node:http";

    interface DynaliteOptions {
        /** Milliseconds a new table stays CREATING. @default 500 */
        createTableMs?: number;
        deleteTableMs?: number;
        updateTableMs?: number;
        maxItemSizeKb?: number;
        /** A LevelDB directory; in memory when absent. */
        path?: string;
    }

    /** A plain Node HTTP server speaking the DynamoDB JSON protocol; `close` also closes its store. */
    function dynalite(options?: DynaliteOptions): Server;
    export = dynalite;
}

declare module "dynalite/db" {
    type AttributeValue = Record<string, unknown>;
    type Item = Record<string, AttributeValue>;
    /** A table's description as DescribeTable returns it (KeySchema, AttributeDefinitions, …). */
    type TableDescription = Record<string, unknown>;

    interface ItemDb {
        batch(operations: Array<{ type: "put"; key: string; value: Item }>, callback: (err?: Error | null) => void): void;
    }

    interface Store {
        getTable(name: string, callback: (err: Error | null, table: TableDescription) => void): void;
        getItemDb(name: string): ItemDb;
    }

    /** Builds the store; dynalite() calls it once per server with its options. */
    export function create(options: object): Store;
    /** PutItem's checks of an item against the table (keys present, types, size): an error or nothing. */
    export function validateItem(item: Item, table: TableDescription): Error | undefined | null;
    /** The store key of an item: how PutItem files it. */
    export function createKey(item: Item, table: TableDescription): string;
}
