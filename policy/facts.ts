/**
 * What the pack learns about the stack from its config. The Pulumi CLI hands a policy pack the stack's
 * config (decrypted) in `PULUMI_CONFIG`, which `pulumi.runtime.allConfig()` reads; the offline plan
 * passes the stack file's config.
 */
import { ENVIRONMENTS, type Environment, type StackFacts } from "./rule";

/**
 * The environment the config names; without one (publishing the pack, a CLI that passes no config) production, the strictest.
 *
 * @param config Config key → value. @default required
 */
export function environmentOf(config: Readonly<Record<string, string>>): Environment {
    const value = config["dashboard:environment"];
    return ENVIRONMENTS.find((e) => e === value) ?? "production";
}

/**
 * The plain-text values of the secret config keys: the licence key of an object value (`dashboard:app`),
 * the whole value of any other key.
 *
 * @param config Config key → value, as `Pulumi.<stack>.yaml` or the CLI holds it. @default required
 * @param secretKeys The keys set with `--secret`. @default ["dashboard:app"], the contract's one secret (the licence key)
 */
export function configSecrets(config: Readonly<Record<string, string>>, secretKeys: readonly string[] = ["dashboard:app"]): string[] {
    const values: string[] = [];
    for (const key of secretKeys) {
        const raw = config[key];
        if (raw === undefined) continue;
        try {
            const parsed: unknown = JSON.parse(raw);
            if (parsed !== null && typeof parsed === "object") {
                const licence = (parsed as Record<string, unknown>).licenceKey;
                if (typeof licence === "string") values.push(licence);
                continue;
            }
        } catch {
            // a plain string value
        }
        values.push(raw);
    }
    return values;
}

/**
 * The facts a pack run knows from the stack config alone (no twin stack).
 *
 * @param config Config key → value, as `pulumi.runtime.allConfig()` returns it. @default required
 */
export function packFacts(config: Readonly<Record<string, string>>): StackFacts {
    return { environment: environmentOf(config), secrets: configSecrets(config) };
}
