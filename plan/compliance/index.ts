/**
 * The compliance rules, checked against what a program run registered. One
 * implementation serves the compliance test suite and `npm run plan`.
 * Each rule carries its Checkov and/or AWS Foundational Security Best Practices id.
 */
import { imdsV2Required, lambdaInVpc, lambdaOnFailureDestination, lambdaReservedConcurrencyNotZero, noPublicIp, volumesEncrypted } from "./compute";
import { dbSecretRotation, rdsBackups, rdsDeletionProtection, rdsEncrypted, rdsLogExports, rdsMultiAzInProduction, rdsNotPublic } from "./database";
import { logGroupRetention, vpcFlowLogs } from "./logging";
import { albDropsInvalidHeaders, httpRedirectsToHttps, httpsTls12Only, noInternetIngress } from "./network";
import { multiAzInProduction, noFixedPhysicalNames, noSecretLeaks } from "./stack";
import { efsBackedUp, efsEncrypted, s3BlocksPublicAccess, s3Encrypted, s3RequiresTls, s3Versioned } from "./storage";
import type { ComplianceContext, Rule, RuleResult } from "./rule";

export { TLS12_POLICIES } from "./network";
export type { ComplianceContext, PlannedResource, Rule, RuleResult, Verdict } from "./rule";

/** Every rule, in the order the results are reported. */
export const RULES: readonly Rule[] = [
    s3BlocksPublicAccess,
    s3Encrypted,
    s3Versioned,
    s3RequiresTls,
    rdsEncrypted,
    rdsNotPublic,
    rdsMultiAzInProduction,
    rdsDeletionProtection,
    rdsBackups,
    rdsLogExports,
    httpRedirectsToHttps,
    httpsTls12Only,
    albDropsInvalidHeaders,
    imdsV2Required,
    volumesEncrypted,
    noPublicIp,
    noInternetIngress,
    lambdaInVpc,
    lambdaOnFailureDestination,
    lambdaReservedConcurrencyNotZero,
    efsEncrypted,
    efsBackedUp,
    vpcFlowLogs,
    logGroupRetention,
    dbSecretRotation,
    noSecretLeaks,
    multiAzInProduction,
    noFixedPhysicalNames,
];

/** Runs every rule. */
export function checkCompliance(ctx: ComplianceContext): RuleResult[] {
    return RULES.map((rule) => {
        const result = rule.check(ctx);
        if (!Array.isArray(result)) return { id: rule.id, title: rule.title, verdict: "not applicable", details: [result.notApplicable] };
        return { id: rule.id, title: rule.title, verdict: result.length === 0 ? "pass" : "fail", details: result };
    });
}

/** The failed rules' lines, `<id>: <detail>`. */
export function findings(results: readonly RuleResult[]): string[] {
    return results.filter((r) => r.verdict === "fail").flatMap((r) => r.details.map((d) => `${r.id}: ${d}`));
}
