import * as pulumi from "@pulumi/pulumi";
import type { RawObject } from "./kit";
import { ConfigError, NAMESPACE } from "./problems";
import type { DashboardConfig } from "./types";
import { validateConfig } from "./validate";

export * from "./types";
export { ConfigError, formatProblem, type Problem } from "./problems";
export { validateConfig, type ValidationResult } from "./validate";
export { awsLookups, type ImageFacts, type Lookups, type RestoreSourceFacts, type SubnetFacts, type VpcFacts } from "./lookups";
export { resolveConfig } from "./resolve";

/**
 * Reads the raw `dashboard:*` config from the Pulumi runtime: keys without the
 * namespace, JSON objects and lists parsed, scalars left as strings.
 */
export function readRawConfig(): { raw: RawObject; secretKeys: Set<string> } {
    const raw: RawObject = {};
    const secretKeys = new Set<string>();
    const prefix = `${NAMESPACE}:`;
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        raw[name] = /^\s*[[{]/.test(value) ? parseJson(value) : value;
        if (isConfigSecret(key)) secretKeys.add(name);
    }
    return { raw, secretKeys };
}

/**
 * Whether a key was set with `--secret`. The SDK's check is exported at run
 * time but marked internal in its typings; without it every key counts as plain,
 * which makes a secret licence key fail loudly rather than pass silently.
 */
function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(key) ?? false;
}

function parseJson(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/**
 * Loads, validates and defaults the stack config. Throws a {@link ConfigError}
 * listing every problem, one per line, before any resource is registered.
 * Production rules relaxed by `allowUnsafeProduction` are logged as warnings.
 */
export function loadConfig(): DashboardConfig {
    const { raw, secretKeys } = readRawConfig();
    const result = validateConfig(raw, secretKeys);
    for (const warning of result.warnings) void pulumi.log.warn(warning);
    if (result.config === undefined) throw new ConfigError(result.problems);
    return result.config;
}
