/**
 * One measurement of bench/sideload.ts, run in a fresh plain `node` process
 * (transpiled to JavaScript by the parent, so no TypeScript loader inflates
 * its memory) so that each mode's peak RSS is its own.
 *
 * argv: <mode: handler|plain|plain-fsync> <lambda index.js> <endpoint> <bucket> <key> <output dir>
 * Prints one JSON line: { mode, ms, bytes, baselineRssMiB, peakRssMiB }.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type * as Lambda from "../lambda/sideload/index";

async function main(): Promise<void> {
    const [mode, lambdaPath, endpoint, bucket, key, outDir] = process.argv.slice(2);
    const s3 = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });
    // Both modes load the handler module, so the baseline is the same.
    const lambda = createRequire(__filename)(lambdaPath) as typeof Lambda;
    const root = path.join(outDir, "mnt");
    fs.mkdirSync(root, { recursive: true });
    const handle = lambda.createHandler({ s3, root, bucket, folders: { images: "images" }, log: () => undefined });
    const baselineRss = process.memoryUsage.rss();

    const start = process.hrtime.bigint();
    let file: string;
    if (mode === "handler") {
        const summary = await handle({
            Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, "/") } } }],
        });
        if (summary.copied !== 1) throw new Error(`handler did not copy: ${JSON.stringify(summary)}`);
        file = path.join(root, ...key.split("/"));
    } else {
        file = path.join(outDir, "plain.bin");
        const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const fd = fs.openSync(file, "w");
        await pipeline(obj.Body as NodeJS.ReadableStream, fs.createWriteStream("", { fd, autoClose: false }));
        if (mode === "plain-fsync") fs.fsyncSync(fd);
        fs.closeSync(fd);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const bytes = fs.statSync(file).size;
    fs.rmSync(file);
    s3.destroy();
    const peakKiB = process.resourceUsage().maxRSS; // KiB on Linux
    process.stdout.write(
        JSON.stringify({ mode, ms, bytes, baselineRssMiB: baselineRss / 2 ** 20, peakRssMiB: peakKiB / 1024 }) + "\n",
    );
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
