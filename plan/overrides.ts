/**
 * Config overrides of the plan (`--set`, `--set-a`, `--set-b`): `section.key=value` on top of a stack
 * file, so two variants of one stack can be compared without writing a second file, e.g.
 * `npm run plan -- --compare dev dev --set-a network.natGateways=single --set-b network.natGateways=instance`.
 */

/**
 * The stack config with each override applied. A path's first part is the `dashboard:` key; the rest
 * are keys inside its object. A value that parses as JSON is taken as that (`true`, `3`, `["ssm"]`),
 * anything else as a string. Throws on a malformed override.
 * @param config full keys to string values, objects JSON-encoded (tests/mocks.ts StackConfig) @default required
 * @param overrides `path=value` strings @default required
 */
export function applyOverrides(config: Readonly<Record<string, string>>, overrides: readonly string[]): Record<string, string> {
    const out: Record<string, string> = { ...config };
    for (const o of overrides) {
        const eq = o.indexOf("=");
        const path = eq > 0 ? o.slice(0, eq).split(".") : [];
        if (path.length === 0 || path.some((p) => !/^[A-Za-z][A-Za-z0-9]*$/.test(p))) throw new Error(`--set needs section.key=value, e.g. network.natGateways=single; got "${o}"`);
        const value = parseValue(o.slice(eq + 1));
        const key = `dashboard:${path[0]}`;
        if (path.length === 1) {
            out[key] = typeof value === "string" ? value : JSON.stringify(value);
            continue;
        }
        const root = out[key] === undefined ? {} : (JSON.parse(out[key]) as Record<string, unknown>);
        let node = root;
        for (const p of path.slice(1, -1)) node = (node[p] = typeof node[p] === "object" && node[p] !== null ? node[p] : {}) as Record<string, unknown>;
        node[path[path.length - 1]] = value;
        out[key] = JSON.stringify(root);
    }
    return out;
}

function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** How a plan with overrides is named in a comparison: `dev [network.natGateways=single]`. */
export function labelled(stack: string, overrides: readonly string[]): string {
    return overrides.length === 0 ? stack : `${stack} [${overrides.join(", ")}]`;
}
