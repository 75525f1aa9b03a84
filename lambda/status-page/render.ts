/**
 * HTML rendering of the status page. Everything interpolated goes through
 * {@link html}, which escapes every value unless it is an already-rendered
 * fragment: escaping is by construction, not by remembering.
 */
import { createHash } from "node:crypto";
import { type LatestCheck, type State, type Uptime, formatAge, formatTime, formatUptime } from "./uptime";

/** Escapes the five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** An HTML fragment that is already safe (produced by {@link html}). */
export class SafeHtml {
    constructor(readonly value: string) {}
    toString(): string {
        return this.value;
    }
}

/** Tagged template: escapes every substitution except {@link SafeHtml} (and arrays of it); null/undefined print nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
    let out = strings[0];
    for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
    return new SafeHtml(out);
}

function fragment(value: unknown): string {
    if (value === null || value === undefined) return "";
    if (value instanceof SafeHtml) return value.value;
    if (Array.isArray(value)) return value.map(fragment).join("");
    return escapeHtml(String(value));
}

/** The page's only style sheet, inline; the CSP admits exactly this text by its hash. */
export const STYLE = [
    "body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}",
    "main{max-width:40rem;margin:2rem auto;padding:0 1rem}",
    ".state{font-size:1.4rem;font-weight:600;padding:.8rem 1rem;border-radius:.4rem;color:#fff}",
    ".state-operational{background:#1a7f37}.state-down{background:#cf222e}.state-stale,.state-no-data{background:#6e7781}",
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #d0d7de}",
    ".updated{color:#57606a;font-size:.85rem}",
].join("");

/** Base64 SHA-256 of {@link STYLE}, as CSP's `style-src 'sha256-…'` wants it. */
export const STYLE_HASH = createHash("sha256").update(STYLE, "utf8").digest("base64");

/** Nothing but this page's own inline style: no scripts, images, frames, forms or base URL. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** Browser and proxy cache lifetime of the page, in seconds. */
export const CACHE_SECONDS = 30;

/** Response headers: cached briefly when `cacheable`, never cached otherwise (errors). */
export function pageHeaders(cacheable: boolean): Record<string, string> {
    return {
        "content-type": "text/html; charset=utf-8",
        "cache-control": cacheable ? `public, max-age=${CACHE_SECONDS}` : "no-store",
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    };
}

export interface PageModel {
    readonly title: string;
    /** Epoch ms when the page was rendered. */
    readonly now: number;
    readonly state: State;
    readonly latest?: LatestCheck;
    readonly windows: ReadonlyArray<{ readonly label: string; readonly uptime: Uptime }>;
}

const STATE_LABELS: Record<State, string> = {
    operational: "Operational",
    down: "Down",
    stale: "Unknown: no recent check",
    "no-data": "No data yet",
};

function document(title: string, body: SafeHtml): string {
    return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.value;
}

/** The whole status page. */
export function renderPage(model: PageModel): string {
    const latest = model.latest;
    const details =
        latest === undefined
            ? html``
            : html`<dl>
<dt>Last check</dt><dd>${formatTime(latest.checkedAt)} (${formatAge(model.now - latest.checkedAt)} ago)</dd>
<dt>Result</dt><dd>${latest.up ? "up" : "down"}</dd>
<dt>Response time</dt><dd>${Math.round(latest.latencyMs)} ms</dd>
<dt>HTTP status</dt><dd>${latest.status > 0 ? latest.status : "no response"}</dd>
${latest.error === undefined ? html`` : html`<dt>Error</dt><dd>${latest.error}</dd>
`}</dl>
`;
    const rows = model.windows.map(
        (w) => html`<tr><td>${w.label}</td><td>${formatUptime(w.uptime)}</td><td>${w.uptime.total}</td></tr>
`,
    );
    return document(
        model.title,
        html`<p class="state state-${model.state}">${STATE_LABELS[model.state]}</p>
${details}<table>
<caption>Uptime</caption>
<thead><tr><th scope="col">Period</th><th scope="col">Uptime</th><th scope="col">Checks</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
<p class="updated">Updated ${formatTime(model.now)}</p>`,
    );
}

/** The page shown when the checks cannot be read (served with no-store and a 503). */
export function renderUnavailable(title: string): string {
    return document(title, html`<p class="state state-no-data">Status temporarily unavailable</p>`);
}
