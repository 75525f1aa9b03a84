/**
 * Secrets not in a container's environment (FSBP ECS.8): ECS shows a task definition's `environment` to
 * anyone who may describe it, so a secret belongs in `secrets` (`valueFrom` a Secrets Manager secret or
 * parameter), injected when the task starts. FSBP looks for three fixed names; this rule also refuses any
 * variable whose name says it holds a secret, and any value, anywhere in a container definition, that
 * carries one of the stack config's secret values (the licence key).
 */
import { eachContainer } from "./containers";
import type { DashboardPolicy, Props, StackFacts } from "./rule";
import { strings } from "./secrets";

/** Name words that mean the value is a secret. */
const SECRET_WORDS = new Set(["PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "LICENCE", "LICENSE", "CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "PRIVATEKEY"]);
// A bare KEY is not among them: object, sort, partition and cache keys are not secrets (nor PI_KEYS_DIR).
// Only these kinds of key are; a secret value under any other name is still caught by its value.
const SECRET_PAIRS = new Set(["PRIVATE_KEY", "API_KEY", "ACCESS_KEY", "SECRET_KEY", "SIGNING_KEY", "ENCRYPTION_KEY", "MASTER_KEY", "AUTH_DATA"]);

/**
 * Whether an environment variable's name says it holds a secret: one of its words (split at `_`, `-`,
 * `.` and camelCase) is a secret word, or two adjacent words name a kind of key. `PI_DB_PASSWORD`,
 * `PI_LICENCE`, `AWS_SECRET_ACCESS_KEY`, `ECS_ENGINE_AUTH_DATA` do; `PI_DB_HOST`, `PI_TOMCAT_MAX_MEMORY`,
 * `PI_PROXY_IS_SECURE`, `CACHE_KEY` do not.
 *
 * @param name The variable's name. @default required
 */
export function looksSecret(name: string): boolean {
    const words = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((w) => w !== "");
    return words.some((w, i) => SECRET_WORDS.has(w) || SECRET_PAIRS.has(`${w}_${words[i + 1]}`));
}

/**
 * ECS.8. Reads the stack's secret values.
 *
 * @param facts The stack's facts (its secret values). @default required
 */
export const ecsSecretsNotInEnvironment = (facts: StackFacts): DashboardPolicy => ({
    id: "ECS.8",
    name: "ecs-8",
    description: "No secret in an ECS container's environment: secrets come from Secrets Manager",
    validateStack: (args, report) => {
        const secrets = facts.secrets.filter((s) => s.length > 0);
        const carries = (value: unknown) => strings(value).some((text) => secrets.some((s) => text.includes(s)));
        eachContainer(args, report, (c, say) => {
            const environment: Props[] = Array.isArray(c.def.environment) ? c.def.environment : [];
            for (const e of environment) {
                const name = String(e.name);
                if (looksSecret(name)) say(`environment ${name} looks like a secret: inject it through secrets (valueFrom)`);
                if (carries(e.value)) say(`environment ${name} carries a secret value of the stack`);
            }
            for (const [key, value] of Object.entries(c.def)) if (key !== "environment" && carries(value)) say(`${key} carries a secret value of the stack`);
        });
    },
});
