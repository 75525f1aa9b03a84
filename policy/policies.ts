/**
 * Every policy of the pack, in the order results are reported, each with its enforcement level for the
 * stack's environment: mandatory where the rule applies (advisory for an accepted gap), disabled
 * elsewhere. `policy/index.ts` serves this list to the Pulumi CLI; the offline plan
 * (`plan/compliance.ts`) runs the same list over the resources its mock run recorded.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { dbSecretRotation, rdsBackups, rdsDeletionProtection, rdsEncrypted, rdsLogExports, rdsMultiAzInProduction, rdsNotPublic } from "./database";
import { ecsSecretsNotInEnvironment } from "./containerSecrets";
import { ecsEfsInTransit, ecsLogging, ecsNotPrivileged, ecsReadOnlyRoot, ecsSeparateRoles } from "./containers";
import { ecsContainerInsightsInProduction, ecsNoPublicIp } from "./ecsServices";
import { imdsV2Required, lambdaInVpc, lambdaOnFailureDestination, lambdaReservedConcurrencyNotZero, noPublicIp, volumesEncrypted } from "./compute";
import { logGroupRetention, vpcFlowLogs } from "./logging";
import { noFixedPhysicalNames } from "./names";
import { albDropsInvalidHeaders, httpRedirectsToHttps, httpsTls12Only, noInternetIngress } from "./network";
import type { DashboardPolicy, Environment, StackFacts } from "./rule";
import { noSecretLeaks } from "./secrets";
import { efsBackedUp, efsEncrypted, s3BlocksPublicAccess, s3Encrypted, s3RequiresTls, s3Versioned } from "./storage";
import { multiAzInProduction } from "./zones";

/**
 * A policy's enforcement level in an environment: mandatory where it applies (advisory for an advisory
 * policy), disabled elsewhere.
 *
 * @param p The policy. @default required
 * @param environment The stack's environment. @default required
 */
export function enforcementIn(p: DashboardPolicy, environment: Environment): EnforcementLevel {
    if (p.only !== undefined && !p.only.includes(environment)) return "disabled";
    return p.advisory === true ? "advisory" : "mandatory";
}

/**
 * Every policy, with its enforcement level for `facts.environment`.
 *
 * @param facts The stack's environment and secret values; the twin stack's resources for the offline plan. @default required
 */
export function policies(facts: StackFacts): DashboardPolicy[] {
    const all: DashboardPolicy[] = [
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
        httpRedirectsToHttps(facts),
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
        noSecretLeaks(facts),
        ecsEfsInTransit,
        ecsNotPrivileged,
        ecsLogging,
        ecsNoPublicIp,
        ecsSecretsNotInEnvironment(facts),
        ecsSeparateRoles,
        ecsReadOnlyRoot,
        ecsContainerInsightsInProduction,
        multiAzInProduction,
        noFixedPhysicalNames(facts),
    ];
    return all.map((p) => ({ ...p, enforcementLevel: enforcementIn(p, facts.environment) }));
}
