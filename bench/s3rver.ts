/**
 * A local S3-compatible server (the `s3rver` package) on 127.0.0.1 with a
 * random free port, for tests/lambda/sideload/sideload-handler.test.ts and bench/sideload.ts.
 *
 * {@link spawnS3rver} runs it in a child process (this file as a script), for
 * two reasons: the server's memory is not counted with the measured process,
 * and the child gets `--openssl-legacy-provider`, because s3rver encrypts
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node ≥ 17)
 * only has in its legacy provider (without it every second page is a 500).
 */
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";

interface S3rverInstance {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
}
type S3rverCtor = new (opts: {
    address: string;
    port: number;
    silent: boolean;
    directory: string;
    configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface LocalS3 {
    port: number;
    endpoint: string;
    close(): Promise<void>;
}

/** Starts s3rver in this process, storing into `directory`, with `buckets` created. */
export async function startS3rver(directory: string, buckets: string[]): Promise<LocalS3> {
    const S3rver = createRequire(__filename)("s3rver") as S3rverCtor;
    const server = new S3rver({
        address: "127.0.0.1",
        port: 0,
        silent: true,
        directory,
        configureBuckets: buckets.map((name) => ({ name })),
    });
    const { port } = await server.run();
    return { port, endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Starts s3rver in a child process (see the file comment); `close()` stops it. */
export function spawnS3rver(directory: string, buckets: string[]): Promise<LocalS3> {
    const child = fork(__filename, [directory, ...buckets], {
        execArgv: ["--openssl-legacy-provider", "--no-warnings", "--require", require.resolve("tsx/cjs")],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`s3rver child exited with ${code}`)));
        child.once("message", (m: { port: number }) =>
            resolve({
                port: m.port,
                endpoint: `http://127.0.0.1:${m.port}`,
                close: async () => {
                    if (child.connected) child.disconnect();
                    await exited;
                },
            }),
        );
    });
}

/**
 * An SDK v3 client for the local server: path-style, any region and
 * credentials, and checksums only when required (otherwise uploads are sent
 * `aws-chunked` and s3rver stores the chunk framing verbatim).
 */
export function localClient(endpoint: string, maxAttempts?: number): S3Client {
    return new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts,
    });
}

if (require.main === module) {
    const [directory, ...buckets] = process.argv.slice(2);
    void startS3rver(directory, buckets).then((s) => {
        process.send?.({ port: s.port });
        process.on("disconnect", () => void s.close().then(() => process.exit(0)));
    });
}
