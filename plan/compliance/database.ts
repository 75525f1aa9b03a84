/**
 * The database rules: RDS encryption, exposure, availability, deletion protection, backups, log exports,
 * and the rotation of its managed secret.
 */
import { isTrue, label, notTrue, of, T, type Rule } from "./rule";

export const rdsEncrypted: Rule = {
    id: "CKV_AWS_16 / RDS.3",
    title: "RDS storage is encrypted",
    check: (ctx) => notTrue(ctx, T.db, "storageEncrypted"),
};

export const rdsNotPublic: Rule = {
    id: "CKV_AWS_17 / RDS.2",
    title: "RDS is not publicly accessible",
    check: (ctx) => of(ctx, T.db).flatMap((d) => (isTrue(d.inputs.publiclyAccessible) ? [`${label(d)}: publicly accessible`] : [])),
};

export const rdsMultiAzInProduction: Rule = {
    id: "CKV_AWS_157 / RDS.5",
    title: "RDS is Multi-AZ in production",
    check: (ctx) =>
        ctx.environment !== "production"
            ? { notApplicable: `${ctx.environment} stack` }
            : notTrue(ctx, T.db, "multiAz"),
};

export const rdsDeletionProtection: Rule = {
    id: "CKV_AWS_293 / RDS.8",
    title: "RDS has deletion protection (staging and production)",
    check: (ctx) =>
        ctx.environment === "development"
            ? { notApplicable: "development stack: deletion protection off so it can be torn down" }
            : notTrue(ctx, T.db, "deletionProtection"),
};

export const rdsBackups: Rule = {
    id: "RDS.11",
    title: "RDS keeps automated backups for 7 days or more and a final snapshot",
    check: (ctx) =>
        of(ctx, T.db).flatMap((d) => [
            ...(Number(d.inputs.backupRetentionPeriod ?? 0) >= 7 ? [] : [`${label(d)}: backupRetentionPeriod ${d.inputs.backupRetentionPeriod ?? 0} < 7`]),
            ...(isTrue(d.inputs.skipFinalSnapshot) || !d.inputs.finalSnapshotIdentifier ? [`${label(d)}: no final snapshot`] : []),
        ]),
};

export const rdsLogExports: Rule = {
    id: "CKV_AWS_129 / RDS.9",
    title: "RDS exports its logs to CloudWatch",
    check: (ctx) => of(ctx, T.db).flatMap((d) => ((d.inputs.enabledCloudwatchLogsExports ?? []).length > 0 ? [] : [`${label(d)}: no log exports`])),
};

export const dbSecretRotation: Rule = {
    id: "SecretsManager.1 / SecretsManager.4",
    title: "The database secret rotates at least every 90 days",
    check: (ctx) =>
        of(ctx, T.db).flatMap((d) => {
            const arns = new Set((d.state.masterUserSecrets ?? []).map((s: { secretArn: string }) => s.secretArn));
            if (arns.size === 0) return [`${label(d)}: password not managed in Secrets Manager`];
            const rotation = of(ctx, T.secretRotation).find((r) => arns.has(r.inputs.secretId));
            const days = Number(rotation?.inputs.rotationRules?.automaticallyAfterDays ?? Infinity);
            return days <= 90 ? [] : [`${label(d)}: managed secret rotation ${rotation ? `every ${days} days` : "not set (RDS default is 7 days, unmanaged here)"}`];
        }),
};
