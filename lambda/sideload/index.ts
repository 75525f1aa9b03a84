/**
 * Sideload Lambda: S3 uploads under the allowed folders (`images/`, `themes/`,
 * `excel-data/` by default) reach the shared EFS file system that every app
 * server mounts; deletions propagate. See `sync.ts` for the safety rules,
 * `keys.ts` for which keys are accepted, `tree.ts` for the file-system walk
 * and `resync.ts` for a full resync.
 *
 * Invocations:
 * - S3 event notifications (ObjectCreated:*, ObjectRemoved:*), asynchronous:
 *   each record is handled in turn; refused keys are logged and skipped; S3 or
 *   file-system errors make the invocation fail so Lambda retries it and
 *   finally sends it to the on-failure queue.
 * - `{ "resync": true }`, synchronous, e.g.
 *   `aws lambda invoke --function-name <functionName> --cli-binary-format raw-in-base64-out --payload '{"resync":true}' out.json`:
 *   lists the bucket and makes the allowed folders on EFS match it. Use it
 *   after the first deploy into a bucket that already holds files, after
 *   restoring the file system from a backup, after messages landed in the
 *   on-failure queue, or whenever in doubt: it is idempotent, so if a very
 *   large bucket needs more than the 5-minute timeout, invoke it again and it
 *   continues where it stopped.
 *
 * Environment (set by components/sideload/):
 * - `SIDELOAD_ROOT`: where the access point is mounted (`/mnt/content`);
 * - `SIDELOAD_FOLDERS`: JSON upload folder → directory name
 *   (default `{"images":"images","themes":"themes","excel-data":"excel"}`);
 * - `BUCKET_NAME`: the bucket.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { checkFolders, parseFolders } from "./keys";
import { Sideload, type SideloadOptions, type Summary } from "./sync";

export type { LogEntry, Summary } from "./sync";

/** The handler's options: the engine's (see `sync.ts`); `folders` is checked and throws when unsafe. */
export type HandlerOptions = SideloadOptions;

/** Builds a handler from explicit options (used by the tests and the benchmark). */
export function createHandler(opts: HandlerOptions): (event: unknown) => Promise<Summary> {
    const sideload = new Sideload({ ...opts, folders: checkFolders(opts.folders) });
    return (event) => sideload.handle(event);
}

/** Reads the configuration from the environment; throws when something is missing or unsafe. */
export function optionsFromEnv(env: NodeJS.ProcessEnv, s3: S3Client): HandlerOptions {
    const root = env.SIDELOAD_ROOT;
    const bucket = env.BUCKET_NAME;
    if (root === undefined || root === "") throw new Error("SIDELOAD_ROOT is not set");
    if (bucket === undefined || bucket === "") throw new Error("BUCKET_NAME is not set");
    return { s3, root, bucket, folders: parseFolders(env.SIDELOAD_FOLDERS) };
}

let cached: ((event: unknown) => Promise<Summary>) | undefined;

/** The Lambda entry point (`index.handler`). */
export async function handler(event: unknown): Promise<Summary> {
    cached ??= createHandler(optionsFromEnv(process.env, new S3Client({})));
    return cached(event);
}
