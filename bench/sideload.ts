/**
 * Sideload benchmark (not a test): `npx tsx bench/sideload.ts [--mib 512] [--runs 3]`
 * (npm script `bench:sideload`).
 *
 * Starts s3rver in a child process, uploads one object of `--mib` MiB
 * (default 512), then, each in its own fresh `node` process so peak RSS is
 * not shared, and alternating so neither mode profits from a warmer cache:
 * - handler: the sideload handler (transpiled exactly as `pulumi up` packages
 *   it) processing an ObjectCreated event into a temporary mount directory;
 * - plain: a plain SDK GetObject piped to a file;
 * - plain+fsync: the same followed by fsync (for information: the handler
 *   fsyncs before its rename, the plain copy does not).
 * Prints time, throughput (MB/s, 10^6 bytes) and peak RSS (MiB, from
 * `process.resourceUsage().maxRSS`) of each run, the medians, and the time
 * ratio handler/plain. Targets: handler peak RSS < 128 MiB, ratio ≤ 1.25;
 * exits 1 when one is missed. Temporary files are removed.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import * as ts from "typescript";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { transpileLambda } from "../common/lambdaPackage";
import { localClient, spawnS3rver, type LocalS3 } from "./s3rver";

const BUCKET = "sideload-bench";
const KEY = "images/bench/object.bin";
const RSS_TARGET_MIB = 128;
const RATIO_TARGET = 1.25;
type Mode = "handler" | "plain" | "plain-fsync";

interface Result {
    mode: Mode;
    ms: number;
    bytes: number;
    baselineRssMiB: number;
    peakRssMiB: number;
}

function arg(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(process.argv[i + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
    return n;
}

/** Writes the handler (as packaged for Lambda) and the child script as JavaScript into `dir`. */
function buildChild(dir: string): { child: string; lambda: string } {
    const lambdaDir = path.join(dir, "lambda");
    fs.mkdirSync(lambdaDir, { recursive: true });
    for (const [file, text] of Object.entries(transpileLambda("sideload"))) fs.writeFileSync(path.join(lambdaDir, file), text);
    const source = fs.readFileSync(path.join(__dirname, "sideload-child.ts"), "utf8");
    const js = ts.transpileModule(source, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
    }).outputText;
    const child = path.join(dir, "child.js");
    fs.writeFileSync(child, js);
    return { child, lambda: path.join(lambdaDir, "index.js") };
}

function runChild(script: string, args: string[]): Promise<Result> {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, ["--no-warnings", script, ...args], {
            env: { ...process.env, NODE_PATH: path.join(__dirname, "..", "node_modules") },
            stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        p.stdout.on("data", (d: Buffer) => (out += d.toString()));
        p.on("error", reject);
        p.on("exit", (code) => {
            if (code !== 0) reject(new Error(`${args[0]} child exited with ${code}`));
            else resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as Result);
        });
    });
}

async function upload(endpoint: string, mib: number): Promise<void> {
    const s3 = localClient(endpoint);
    const block = randomBytes(2 ** 20);
    const body = Readable.from(
        (function* () {
            for (let i = 0; i < mib; i++) yield block;
        })(),
    );
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: body, ContentLength: mib * 2 ** 20 }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
    s3.destroy();
    if (head.ContentLength !== mib * 2 ** 20) throw new Error(`stored ${head.ContentLength} bytes, wanted ${mib * 2 ** 20}`);
}

const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number, d = 1): string => n.toFixed(d);

async function main(): Promise<number> {
    const mib = arg("mib", 512);
    const runs = arg("runs", 3);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sideload-bench-"));
    let server: LocalS3 | undefined;
    const cleanup = (): void => fs.rmSync(work, { recursive: true, force: true });
    process.once("SIGINT", () => {
        cleanup();
        process.exit(130);
    });
    try {
        const { child, lambda } = buildChild(path.join(work, "js"));
        fs.mkdirSync(path.join(work, "s3"));
        server = await spawnS3rver(path.join(work, "s3"), [BUCKET]);
        const t0 = Date.now();
        await upload(server.endpoint, mib);
        console.log(`sideload bench: ${mib} MiB object uploaded to s3rver (child process) in ${fmt((Date.now() - t0) / 1000)} s; Node ${process.version}, ${os.cpus().length} CPUs`);
        console.log("run  mode          time s     MB/s   baseline RSS MiB   peak RSS MiB");
        const results: Result[] = [];
        for (let r = 1; r <= runs; r++) {
            const order: Mode[] = r % 2 === 1 ? ["plain", "handler", "plain-fsync"] : ["handler", "plain", "plain-fsync"];
            for (const mode of order) {
                const out = path.join(work, `out-${mode}-${r}`);
                const res = await runChild(child, [mode, lambda, server.endpoint, BUCKET, KEY, out]);
                fs.rmSync(out, { recursive: true, force: true });
                if (res.bytes !== mib * 2 ** 20) throw new Error(`${mode} wrote ${res.bytes} bytes`);
                results.push(res);
                console.log(
                    `${String(r).padEnd(4)} ${mode.padEnd(12)} ${fmt(res.ms / 1000, 2).padStart(7)} ${fmt(res.bytes / res.ms / 1000).padStart(8)} ${fmt(res.baselineRssMiB).padStart(18)} ${fmt(res.peakRssMiB).padStart(14)}`,
                );
            }
        }
        const of = (mode: Mode) => results.filter((x) => x.mode === mode);
        const summary = (mode: Mode) => {
            const xs = of(mode);
            const ms = median(xs.map((x) => x.ms));
            return { ms, mbps: (mib * 2 ** 20) / ms / 1000, peak: Math.max(...xs.map((x) => x.peakRssMiB)) };
        };
        const h = summary("handler");
        const p = summary("plain");
        const pf = summary("plain-fsync");
        const ratio = h.ms / p.ms;
        console.log(`median handler     ${fmt(h.ms / 1000, 2)} s, ${fmt(h.mbps)} MB/s, peak RSS ${fmt(h.peak)} MiB (max of ${runs} runs)`);
        console.log(`median plain       ${fmt(p.ms / 1000, 2)} s, ${fmt(p.mbps)} MB/s, peak RSS ${fmt(p.peak)} MiB`);
        console.log(`median plain+fsync ${fmt(pf.ms / 1000, 2)} s, ${fmt(pf.mbps)} MB/s, peak RSS ${fmt(pf.peak)} MiB (information)`);
        const rssOk = h.peak < RSS_TARGET_MIB;
        const ratioOk = ratio <= RATIO_TARGET;
        console.log(`time ratio handler/plain = ${fmt(ratio, 2)} (target ≤ ${RATIO_TARGET}) ${ratioOk ? "OK" : "MISSED"}; handler/plain+fsync = ${fmt(h.ms / pf.ms, 2)}`);
        console.log(`handler peak RSS ${fmt(h.peak)} MiB (target < ${RSS_TARGET_MIB}) ${rssOk ? "OK" : "MISSED"}`);
        return rssOk && ratioOk ? 0 : 1;
    } finally {
        await server?.close();
        cleanup();
    }
}

main().then(
    (code) => process.exit(code),
    (e: unknown) => {
        console.error(e);
        process.exit(1);
    },
);
