/**
 * The status checker and status page handlers, run for real: the checker
 * requests a local HTTP server on 127.0.0.1; both talk to dynalite (a local
 * DynamoDB, tests/lambda/localDynamo.ts) through the real AWS SDK v3 document
 * client. So marshalling, request building, DynamoDB's validation and errors,
 * and pagination (Limit, ExclusiveStartKey, LastEvaluatedKey, the 1 MB page)
 * are all exercised, not mocked away.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { checkRecord, checkUrl, describeError, isUp, RETENTION_DAYS } from "../../lambda/status-checker/check";
import { createChecker, settingsFromEnv as checkerSettingsFromEnv } from "../../lambda/status-checker/index";
import { createPage, settingsFromEnv as pageSettingsFromEnv } from "../../lambda/status-page/index";
import { CONTENT_SECURITY_POLICY, STYLE, escapeHtml, html, pageHeaders, renderPage } from "../../lambda/status-page/render";
import { DAY_MS, HOUR_MS, MINUTE_MS, currentState, formatAge, formatTime, formatUptime, uptime } from "../../lambda/status-page/uptime";
import { useLocalDynamo } from "./localDynamo";

// ---------------------------------------------------------------------------
// A local target for the checker.
// ---------------------------------------------------------------------------

const SLOW_MS = 300;

async function startTarget(): Promise<{ server: http.Server; base: string }> {
    const server = http.createServer((req, res) => {
        switch (req.url) {
            case "/ok":
                res.writeHead(200, { "content-type": "text/plain" }).end("ok");
                return;
            case "/redirect":
                res.writeHead(302, { location: "/login" }).end();
                return;
            case "/error":
                res.writeHead(500).end("boom");
                return;
            case "/slow":
                setTimeout(() => res.writeHead(200).end("slow"), SLOW_MS);
                return;
            case "/hang":
                return; // never answers
            default:
                res.writeHead(404).end();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function closedPort(): Promise<number> {
    const s = http.createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
}

const T0 = Date.UTC(2025, 0, 31, 12, 0, 0);

/** Captures console.log lines (the handlers log one JSON line per check) during a suite. */
function captureLogs(): string[] {
    const lines: string[] = [];
    const original = console.log;
    before(() => {
        console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    });
    after(() => {
        console.log = original;
    });
    return lines;
}

describe("status checker (against a local HTTP server)", () => {
    let target: { server: http.Server; base: string };
    const logs = captureLogs();
    const dynamo = useLocalDynamo();
    before(async () => {
        target = await startTarget();
    });
    after(() => {
        target.server.closeAllConnections();
        target.server.close();
    });

    async function runCheck(path: string, timeoutMs = 2000) {
        const table = await dynamo.table();
        const check = createChecker({ tableName: table.name, targetUrl: `${target.base}${path}`, service: "app", timeoutMs }, { db: table.db, now: () => T0 });
        const record = await check();
        return { table, record };
    }

    it("up: 200 is recorded as up, with the exact item written by PutItem, and one log line", async () => {
        const logged = logs.length;
        const { table, record } = await runCheck("/ok");
        assert.deepEqual(logs.slice(logged).map((l) => JSON.parse(l)), [{ service: "app", checkedAt: T0, up: true, status: 200, latencyMs: record.latencyMs }]);
        assert.equal(record.up, true);
        assert.equal(record.status, 200);
        assert.ok(record.latencyMs >= 0 && record.latencyMs < 1000, `latency ${record.latencyMs}`);
        assert.deepEqual(table.calls.map((c) => c.op), ["PutItem"]);
        assert.deepEqual(table.calls[0].input, {
            TableName: table.name,
            Item: {
                service: { S: "app" },
                checkedAt: { N: String(T0) },
                expiresAt: { N: String(T0 / 1000 + 90 * 86_400) },
                up: { BOOL: true },
                status: { N: "200" },
                latencyMs: { N: String(record.latencyMs) },
            },
        });
        assert.equal(await table.count(), 1);
    });

    it("redirect: 302 is up (redirects are not followed)", async () => {
        const { record } = await runCheck("/redirect");
        assert.deepEqual({ up: record.up, status: record.status, error: record.error }, { up: true, status: 302, error: undefined });
    });

    it("down: 500 is recorded as down with the reason", async () => {
        const { table, record } = await runCheck("/error");
        assert.deepEqual({ up: record.up, status: record.status, error: record.error }, { up: false, status: 500, error: "HTTP 500" });
        assert.deepEqual(table.calls[0].input.Item.error, { S: "HTTP 500" });
        assert.deepEqual(table.calls[0].input.Item.up, { BOOL: false });
    });

    it("slow: an answer after 300 ms within a 2 s timeout is up, with the latency measured", async () => {
        const { record } = await runCheck("/slow");
        assert.equal(record.up, true);
        assert.ok(record.latencyMs >= SLOW_MS - 5 && record.latencyMs < 1500, `latency ${record.latencyMs}`);
    });

    it("timeout: a server that never answers is down after the timeout", async () => {
        const started = Date.now();
        const { record } = await runCheck("/hang", 250);
        const took = Date.now() - started;
        assert.deepEqual({ up: record.up, status: record.status, error: record.error }, { up: false, status: 0, error: "timed out after 250 ms" });
        assert.ok(record.latencyMs >= 240 && took < 1500, `latency ${record.latencyMs}, took ${took}`);
    });

    it("connection refused: a closed port is down with the socket error", async () => {
        const port = await closedPort();
        const table = await dynamo.table();
        const record = await createChecker({ tableName: table.name, targetUrl: `http://127.0.0.1:${port}/`, service: "app", timeoutMs: 2000 }, { db: table.db, now: () => T0 })();
        assert.deepEqual({ up: record.up, status: record.status, error: record.error }, { up: false, status: 0, error: `connect ECONNREFUSED 127.0.0.1:${port}` });
        assert.equal(await table.count(), 1);
    });

    it("fails the invocation (for the on-failure queue) when the item cannot be written, and logs no check", async () => {
        // A real write failure: DynamoDB's answer for a table that is not there.
        const missing = dynamo.missingTable();
        const logged = logs.length;
        const check = createChecker({ tableName: missing.name, targetUrl: `${target.base}/ok`, service: "app", timeoutMs: 2000 }, { db: missing.db, now: () => T0 });
        await assert.rejects(check(), { name: "ResourceNotFoundException" });
        assert.deepEqual(missing.calls.map((c) => c.op), ["PutItem"]);
        assert.equal(logs.length, logged);
    });

    it("uses an injected fetch with redirect: manual and an abort signal", async () => {
        const seen: RequestInit[] = [];
        const result = await checkUrl("https://example.invalid/health", {
            timeoutMs: 1000,
            fetch: async (_url, init) => {
                seen.push(init);
                return new Response(null, { status: 204 });
            },
        });
        assert.deepEqual(result, { up: true, status: 204, latencyMs: result.latencyMs });
        assert.equal(seen[0].redirect, "manual");
        assert.ok(seen[0].signal instanceof AbortSignal);
    });

    it("isUp: 200–399 only", () => {
        const table: Array<[number, boolean]> = [[199, false], [200, true], [204, true], [301, true], [302, true], [399, true], [400, false], [404, false], [500, false], [503, false]];
        for (const [status, up] of table) assert.equal(isUp(status), up, String(status));
    });

    it("checkRecord: TTL 90 days in epoch seconds; error omitted when up and cut to 300 characters", () => {
        assert.equal(RETENTION_DAYS, 90);
        assert.deepEqual(checkRecord("app", 1_000_999, { up: true, status: 200, latencyMs: 12 }), {
            service: "app", checkedAt: 1_000_999, expiresAt: 1000 + 90 * 86_400, up: true, status: 200, latencyMs: 12,
        });
        const long = checkRecord("app", 0, { up: false, status: 0, latencyMs: 1, error: "x".repeat(1000) });
        assert.equal(long.error!.length, 300);
    });

    it("describeError: undici's cause, else the message", () => {
        assert.equal(describeError(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND nope.invalid") })), "getaddrinfo ENOTFOUND nope.invalid");
        assert.equal(describeError(new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET" } })), "fetch failed (UND_ERR_SOCKET)");
        assert.equal(describeError(new Error("plain")), "plain");
        assert.equal(describeError("text"), "text");
    });

    it("settingsFromEnv: reads the four variables and rejects bad ones", () => {
        assert.deepEqual(checkerSettingsFromEnv({ TABLE_NAME: "t", TARGET_URL: "https://a.example/health", SERVICE: "app", TIMEOUT_MS: "10000" }), {
            tableName: "t", targetUrl: "https://a.example/health", service: "app", timeoutMs: 10_000,
        });
        assert.throws(() => checkerSettingsFromEnv({ TARGET_URL: "https://a.example/", SERVICE: "app" }), /TABLE_NAME is not set/);
        assert.throws(() => checkerSettingsFromEnv({ TABLE_NAME: "t", TARGET_URL: "ftp://a.example/", SERVICE: "app" }), /must be http\(s\)/);
        assert.throws(() => checkerSettingsFromEnv({ TABLE_NAME: "t", TARGET_URL: "https://a.example/", SERVICE: "app", TIMEOUT_MS: "-1" }), /TIMEOUT_MS/);
    });
});

describe("status page: uptime arithmetic", () => {
    const now = T0;
    const at = (minutesAgo: number, up: boolean) => ({ checkedAt: now - minutesAgo * MINUTE_MS, up });

    it("uptime over (now - window, now]: table", () => {
        const table: Array<{ name: string; samples: Array<{ checkedAt: number; up: boolean }>; window: number; expect: { total: number; up: number; percent: number | null } }> = [
            { name: "empty window is no data, not 100 %", samples: [], window: DAY_MS, expect: { total: 0, up: 0, percent: null } },
            { name: "only older checks is no data", samples: [at(25 * 60, true)], window: DAY_MS, expect: { total: 0, up: 0, percent: null } },
            { name: "all up", samples: [at(1, true), at(2, true)], window: DAY_MS, expect: { total: 2, up: 2, percent: 100 } },
            { name: "all down", samples: [at(1, false), at(2, false)], window: DAY_MS, expect: { total: 2, up: 0, percent: 0 } },
            { name: "3 of 4", samples: [at(1, true), at(2, false), at(3, true), at(4, true)], window: DAY_MS, expect: { total: 4, up: 3, percent: 75 } },
            { name: "start of window excluded, now included", samples: [at(24 * 60, false), at(0, true)], window: DAY_MS, expect: { total: 1, up: 1, percent: 100 } },
            { name: "future checks (clock skew) ignored", samples: [at(-1, false), at(1, true)], window: DAY_MS, expect: { total: 1, up: 1, percent: 100 } },
            { name: "7-day window sees 2-day-old failure", samples: [at(2 * 24 * 60, false), at(1, true)], window: 7 * DAY_MS, expect: { total: 2, up: 1, percent: 50 } },
        ];
        for (const row of table) assert.deepEqual(uptime(row.samples, now, row.window), row.expect, row.name);
    });

    it("formatUptime rounds down, so any failure stays below 100 %: table", () => {
        const table: Array<[number, number, string]> = [
            [0, 0, "no data"],
            [10, 10, "100%"],
            [43_199, 43_200, "99.99%"],
            [43_196, 43_200, "99.99%"],
            [43_195, 43_200, "99.98%"],
            [9_999, 10_000, "99.99%"],
            [1, 3, "33.33%"],
            [2, 3, "66.66%"],
            [0, 5, "0.00%"],
            [1, 100_000, "0.00%"],
        ];
        for (const [up, total, text] of table) assert.equal(formatUptime({ up, total, percent: total === 0 ? null : (up * 100) / total }), text, `${up}/${total}`);
    });

    it("currentState: latest check, stale after the threshold, no data without checks", () => {
        const latest = (minutesAgo: number, up: boolean) => ({ ...at(minutesAgo, up), status: up ? 200 : 500, latencyMs: 5 });
        assert.equal(currentState(undefined, now, 180_000), "no-data");
        assert.equal(currentState(latest(1, true), now, 180_000), "operational");
        assert.equal(currentState(latest(1, false), now, 180_000), "down");
        assert.equal(currentState(latest(3, true), now, 180_000), "operational");
        assert.equal(currentState(latest(4, true), now, 180_000), "stale");
        assert.equal(currentState(latest(4, false), now, 180_000), "stale");
    });

    it("formatAge and formatTime", () => {
        const table: Array<[number, string]> = [[0, "0 s"], [59_999, "59 s"], [60_000, "1 min"], [HOUR_MS, "1 h"], [HOUR_MS + 5 * MINUTE_MS, "1 h 5 min"], [DAY_MS, "1 d"], [2 * DAY_MS + 4 * HOUR_MS, "2 d 4 h"], [-5, "0 s"]];
        for (const [ms, text] of table) assert.equal(formatAge(ms), text, String(ms));
        assert.equal(formatTime(T0), "2025-01-31 12:00:00 UTC");
    });
});

describe("status page: escaping", () => {
    it("escapeHtml escapes & < > \" ' and nothing else", () => {
        assert.equal(escapeHtml(`<script>alert(1)</script> "q" 'a' & b`), "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;a&#39; &amp; b");
        assert.equal(escapeHtml("&amp;"), "&amp;amp;");
        assert.equal(escapeHtml("plain ü 100%"), "plain ü 100%");
    });

    it("html`` escapes every substitution, keeps fragments, prints nothing for null/undefined", () => {
        const inner = html`<b>${"<i>"}</b>`;
        assert.equal(html`<p title="${`"x"`}">${inner}${[inner, "&"]}${undefined}${null}${42}</p>`.value, `<p title="&quot;x&quot;"><b>&lt;i&gt;</b><b>&lt;i&gt;</b>&amp;42</p>`);
    });
});

describe("status page handler (against dynalite)", () => {
    captureLogs();
    const dynamo = useLocalDynamo();
    const HOSTILE_TITLE = `<script>alert(1)</script> "Acme" & 'Co'`;
    const HOSTILE_ERROR = `<img src=x onerror="alert('x')"> & </dd><script>alert(2)</script>`;
    const settings = (table: { name: string }) => ({ tableName: table.name, service: "app", title: "Acme status", staleAfterMs: 180_000 });

    it("empty table: 200, 'No data yet' and 'no data' for every window (not 100 %), cache headers", async () => {
        const table = await dynamo.table();
        const res = await createPage(settings(table), { db: table.db, now: () => T0 })();
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.headers, {
            "content-type": "text/html; charset=utf-8",
            "cache-control": "public, max-age=30",
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
            "x-frame-options": "DENY",
        });
        assert.match(res.body, /<p class="state state-no-data">No data yet<\/p>/);
        assert.equal((res.body.match(/<td>no data<\/td><td>0<\/td>/g) ?? []).length, 3);
        assert.doesNotMatch(res.body, /<td>100%/);
    });

    it("the CSP admits exactly the page's inline style (its hash) and nothing else", async () => {
        const table = await dynamo.table();
        const res = await createPage(settings(table), { db: table.db, now: () => T0 })();
        const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1];
        assert.equal(style, STYLE);
        const hash = createHash("sha256").update(style).digest("base64");
        assert.equal(res.headers["content-security-policy"], `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
        assert.doesNotMatch(res.body, /<script/i);
    });

    it("escapes a hostile title and a hostile error text everywhere they are printed", async () => {
        const table = await dynamo.table();
        await table.seed([{ service: "app", checkedAt: T0 - 30_000, expiresAt: 1, up: false, status: 0, latencyMs: 10_000, error: HOSTILE_ERROR }]);
        const res = await createPage({ ...settings(table), title: HOSTILE_TITLE }, { db: table.db, now: () => T0 })();
        const escapedTitle = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Acme&quot; &amp; &#39;Co&#39;";
        assert.ok(res.body.includes(`<title>${escapedTitle}</title>`));
        assert.ok(res.body.includes(`<h1>${escapedTitle}</h1>`));
        assert.ok(res.body.includes(`<dt>Error</dt><dd>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; &lt;/dd&gt;&lt;script&gt;alert(2)&lt;/script&gt;</dd>`));
        assert.doesNotMatch(res.body, /<script|<img|onerror="/i);
        assert.match(res.body, /<p class="state state-down">Down<\/p>/);
        assert.ok(res.body.includes("<dt>HTTP status</dt><dd>no response</dd>"));
    });

    it("30 days of 1-minute checks: paginated Query, exact uptime per window, latest state and response time", async () => {
        const table = await dynamo.table();
        // 31 days of checks, one a minute, ending 30 s before now. Down: 10
        // minutes 2 hours ago, 60 minutes 3 days ago, 120 minutes 20 days ago;
        // and 30 minutes 30.5 days ago (outside every window).
        const downMinutesAgo = new Set<number>();
        const addDown = (fromMinutesAgo: number, count: number) => {
            for (let i = 0; i < count; i++) downMinutesAgo.add(fromMinutesAgo - i);
        };
        addDown(120, 10);
        addDown(3 * 24 * 60, 60);
        addDown(20 * 24 * 60, 120);
        addDown(30 * 24 * 60 + 12 * 60, 30);
        const items: Array<Record<string, string | number | boolean>> = [];
        for (let m = 31 * 24 * 60; m >= 0; m--) {
            const up = !downMinutesAgo.has(m);
            const item: Record<string, string | number | boolean> = { service: "app", checkedAt: T0 - 30_000 - m * MINUTE_MS, expiresAt: 0, up, status: up ? 200 : 503, latencyMs: m === 0 ? 87 : 40 };
            if (!up) item.error = "HTTP 503";
            items.push(item);
        }
        await table.bulkLoad(items);
        await table.seed([{ service: "other", checkedAt: T0 - 1000, expiresAt: 0, up: false, status: 500, latencyMs: 1 }]);

        const started = Date.now();
        const cpu = process.cpuUsage();
        const res = await createPage(settings(table), { db: table.db, now: () => T0 })();
        const used = process.cpuUsage(cpu);
        const cpuMs = Math.round((used.user + used.system) / 1000);
        const took = Date.now() - started;

        const queries = table.calls.filter((c) => c.op === "Query");
        const windowQueries = queries.filter((q) => q.input.ProjectionExpression === "#checkedAt, #up");
        assert.ok(windowQueries.length >= 2, `expected pagination, got ${windowQueries.length} page(s)`);
        for (const q of windowQueries.slice(1)) assert.ok(q.input.ExclusiveStartKey !== undefined);
        assert.deepEqual(windowQueries[0].input.ExpressionAttributeValues, { ":service": { S: "app" }, ":from": { N: String(T0 - 30 * DAY_MS + 1) }, ":to": { N: String(T0) } });

        // 24 h: 1440 checks, 10 down. 7 d: 10080, 70 down. 30 d: 43200, 190 down.
        assert.ok(res.body.includes(`<tr><td>24 hours</td><td>${formatUptime({ up: 1430, total: 1440, percent: 0 })}</td><td>1440</td></tr>`), res.body);
        assert.ok(res.body.includes(`<tr><td>7 days</td><td>${formatUptime({ up: 10_010, total: 10_080, percent: 0 })}</td><td>10080</td></tr>`));
        assert.ok(res.body.includes(`<tr><td>30 days</td><td>${formatUptime({ up: 43_010, total: 43_200, percent: 0 })}</td><td>43200</td></tr>`));
        assert.ok(res.body.includes("<td>99.30%</td>"));
        assert.ok(res.body.includes("<td>99.56%</td>"));
        assert.match(res.body, /<p class="state state-operational">Operational<\/p>/);
        assert.ok(res.body.includes("<dt>Response time</dt><dd>87 ms</dd>"));
        assert.ok(res.body.includes("<dt>Last check</dt><dd>2025-01-31 11:59:30 UTC (30 s ago)</dd>"));
        assert.ok(!res.body.includes("<dt>Error</dt>"));
        process.stdout.write(`      (${windowQueries.length} Query pages of the 1 MB limit for 43,200 items; rendered in ${took} ms, ~${cpuMs} ms CPU incl. dynalite)\n`);
    });

    it("honours Limit/ExclusiveStartKey: small pages give the same page as one big one", async () => {
        const table = await dynamo.table();
        const items = Array.from({ length: 25 }, (_, i) => ({ service: "app", checkedAt: T0 - i * MINUTE_MS, expiresAt: 0, up: i % 5 !== 0, status: 200, latencyMs: 3 }));
        await table.seed(items);
        const big = await createPage(settings(table), { db: table.db, now: () => T0 })();
        const callsBefore = table.calls.length;
        const small = await createPage(settings(table), { db: table.db, now: () => T0, pageLimit: 4 })();
        const pages = table.calls.slice(callsBefore).filter((c) => c.input.ProjectionExpression === "#checkedAt, #up");
        // 25 items at 4 a page: 7 pages (the 7th holds 1), then no LastEvaluatedKey.
        assert.equal(pages.length, 7);
        assert.deepEqual(pages.map((p) => p.input.Limit), [4, 4, 4, 4, 4, 4, 4]);
        assert.equal(small.body, big.body);
        assert.ok(small.body.includes("<tr><td>24 hours</td><td>80.00%</td><td>25</td></tr>"));
    });

    it("stale: a latest check older than the threshold is not shown as operational", async () => {
        const table = await dynamo.table();
        await table.seed([{ service: "app", checkedAt: T0 - 10 * MINUTE_MS, expiresAt: 0, up: true, status: 200, latencyMs: 3 }]);
        const res = await createPage(settings(table), { db: table.db, now: () => T0 })();
        assert.match(res.body, /<p class="state state-stale">Unknown: no recent check<\/p>/);
        assert.ok(res.body.includes("(10 min ago)"));
    });

    it("a failing read gives 503, no-store and no internal detail", async () => {
        // A real read failure: DynamoDB's answer for a table that is not there.
        const missing = dynamo.missingTable();
        const errors: unknown[] = [];
        const original = console.error;
        console.error = (...args: unknown[]) => errors.push(args);
        try {
            const res = await createPage(settings(missing), { db: missing.db, now: () => T0 })();
            assert.equal(res.statusCode, 503);
            assert.deepEqual(res.headers, pageHeaders(false));
            assert.equal(res.headers["cache-control"], "no-store");
            assert.match(res.body, /Status temporarily unavailable/);
            assert.doesNotMatch(res.body, new RegExp(`ResourceNotFound|Requested resource|${missing.name}`));
        } finally {
            console.error = original;
        }
        assert.equal(errors.length, 1);
        assert.equal(((errors[0] as unknown[])[1] as Error).name, "ResourceNotFoundException");
    });

    it("end to end: what the checker writes, the page shows", async () => {
        const target = await startTarget();
        try {
            const table = await dynamo.table();
            await createChecker({ tableName: table.name, targetUrl: `${target.base}/error`, service: "app", timeoutMs: 2000 }, { db: table.db, now: () => T0 - 2 * MINUTE_MS })();
            await createChecker({ tableName: table.name, targetUrl: `${target.base}/ok`, service: "app", timeoutMs: 2000 }, { db: table.db, now: () => T0 - MINUTE_MS })();
            const res = await createPage(settings(table), { db: table.db, now: () => T0 })();
            assert.match(res.body, /state-operational/);
            assert.ok(res.body.includes("<tr><td>24 hours</td><td>50.00%</td><td>2</td></tr>"));
            assert.ok(res.body.includes("<dt>HTTP status</dt><dd>200</dd>"));
        } finally {
            target.server.closeAllConnections();
            target.server.close();
        }
    });

    it("renderPage prints a numeric status and a down check's error", () => {
        const body = renderPage({
            title: "T",
            now: T0,
            state: "down",
            latest: { checkedAt: T0 - 1000, up: false, status: 500, latencyMs: 12.4, error: "HTTP 500" },
            windows: [{ label: "24 hours", uptime: { total: 1, up: 0, percent: 0 } }],
        });
        assert.ok(body.includes("<dt>HTTP status</dt><dd>500</dd>"));
        assert.ok(body.includes("<dt>Response time</dt><dd>12 ms</dd>"));
        assert.ok(body.includes("<dt>Error</dt><dd>HTTP 500</dd>"));
        assert.ok(body.includes("<tr><td>24 hours</td><td>0.00%</td><td>1</td></tr>"));
    });

    it("settingsFromEnv: reads the variables, defaults stale-after to 180 s, rejects bad ones", () => {
        assert.deepEqual(pageSettingsFromEnv({ TABLE_NAME: "t", SERVICE: "app", TITLE: "X", STALE_AFTER_SECONDS: "900" }), { tableName: "t", service: "app", title: "X", staleAfterMs: 900_000 });
        assert.deepEqual(pageSettingsFromEnv({ TABLE_NAME: "t", SERVICE: "app" }), { tableName: "t", service: "app", title: "Status", staleAfterMs: 180_000 });
        assert.throws(() => pageSettingsFromEnv({ SERVICE: "app" }), /TABLE_NAME is not set/);
        assert.throws(() => pageSettingsFromEnv({ TABLE_NAME: "t", SERVICE: "app", STALE_AFTER_SECONDS: "0" }), /STALE_AFTER_SECONDS/);
    });
});
