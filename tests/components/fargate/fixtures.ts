/** Shared fixtures of the Fargate platform's tests: a defaulted `app.containers` block and ARNs of the stack's account. */
import * as assert from "node:assert/strict";
import type { RawObject } from "../../../config/kit";
import { validateConfig } from "../../../config/validate";
import type { ContainersConfig } from "../../../components/fargate/services";
import { ACCOUNT_ID } from "../../mocks";

export const REGISTRY_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:ghcr-pi-cr-AbCdEf`;
export const DB_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:rds!db-0f1e2d3c-0000-4000-8000-abcdefabcdef-AbCdEf`;
export const LICENCE_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:app-licence-1234567-AbCdEf`;

/** `app.containers` exactly as the config module defaults it, for a development stack. */
export function containersConfig(containers: RawObject = {}, environment = "development"): ContainersConfig {
    const raw = {
        customer: "acme",
        environment,
        app: { platform: "fargate", containers: { tag: "2025_10.1", registryCredentials: REGISTRY_SECRET, ...containers } },
        ...(environment === "production" ? { domain: { name: "dashboard.acme.example.com", hostedZone: "acme.example.com" }, alerts: { emails: ["ops@acme.example.com"] } } : {}),
    };
    const result = validateConfig(raw, new Set());
    assert.deepEqual(result.problems, []);
    return result.config!.app.containers!;
}
