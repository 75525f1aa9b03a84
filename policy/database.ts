/**
 * The database rules: RDS encryption, exposure, availability, deletion protection, backups, log exports,
 * and the rotation of its managed secret.
 */
import { isSet, isTrue, known, label, mustBeTrue, of, onType, refersTo, T, type DashboardPolicy } from "./rule";

export const rdsEncrypted: DashboardPolicy = {
    id: "CKV_AWS_16 / RDS.3",
    name: "ckv-aws-16-rds-3",
    description: "RDS storage is encrypted",
    validateResource: mustBeTrue(T.db, "storageEncrypted"),
};

export const rdsNotPublic: DashboardPolicy = {
    id: "CKV_AWS_17 / RDS.2",
    name: "ckv-aws-17-rds-2",
    description: "RDS is not publicly accessible",
    validateResource: onType(T.db, (props, args, report) => {
        if (isTrue(props.publiclyAccessible)) report(`${label(args)}: publicly accessible`);
    }),
};

export const rdsMultiAzInProduction: DashboardPolicy = {
    id: "CKV_AWS_157 / RDS.5",
    name: "ckv-aws-157-rds-5",
    description: "RDS is Multi-AZ in production",
    only: ["production"],
    validateResource: mustBeTrue(T.db, "multiAz"),
};

export const rdsDeletionProtection: DashboardPolicy = {
    id: "CKV_AWS_293 / RDS.8",
    name: "ckv-aws-293-rds-8",
    description: "RDS has deletion protection (staging and production)",
    only: ["staging", "production"],
    elsewhere: "development stack: deletion protection off so it can be torn down",
    validateResource: mustBeTrue(T.db, "deletionProtection"),
};

export const rdsBackups: DashboardPolicy = {
    id: "RDS.11",
    name: "rds-11",
    description: "RDS keeps automated backups for 7 days or more and a final snapshot",
    validateResource: onType(T.db, (props, args, report) => {
        if (Number(props.backupRetentionPeriod ?? 0) < 7) report(`${label(args)}: backupRetentionPeriod ${props.backupRetentionPeriod ?? 0} < 7`);
        if (isTrue(props.skipFinalSnapshot) || !isSet(() => props.finalSnapshotIdentifier)) report(`${label(args)}: no final snapshot`);
    }),
};

export const rdsLogExports: DashboardPolicy = {
    id: "CKV_AWS_129 / RDS.9",
    name: "ckv-aws-129-rds-9",
    description: "RDS exports its logs to CloudWatch",
    validateResource: onType(T.db, (props, args, report) => {
        if ((props.enabledCloudwatchLogsExports ?? []).length === 0) report(`${label(args)}: no log exports`);
    }),
};

export const dbSecretRotation: DashboardPolicy = {
    id: "SecretsManager.1 / SecretsManager.4",
    name: "secretsmanager-1-secretsmanager-4",
    description: "The database secret rotates at least every 90 days",
    validateStack: (args, report) => {
        for (const d of of(args.resources, T.db)) {
            // The managed secret's ARN is an output: unknown while the instance is yet to be created.
            const secrets: Array<{ secretArn?: string }> | undefined = known(() => d.props.masterUserSecrets ?? []);
            const managed = secrets === undefined ? isTrue(d.props.manageMasterUserPassword) : secrets.length > 0;
            if (!managed) {
                report(`${label(d)}: password not managed in Secrets Manager`, d.urn);
                continue;
            }
            const arns = new Set((secrets ?? []).map((s) => s.secretArn));
            const rotation = of(args.resources, T.secretRotation).find((r) =>
                secrets === undefined ? refersTo(r, "secretId", d, []) : arns.has(known(() => r.props.secretId)),
            );
            const days = Number(rotation?.props.rotationRules?.automaticallyAfterDays ?? Infinity);
            if (days > 90) report(`${label(d)}: managed secret rotation ${rotation ? `every ${days} days` : "not set (RDS default is 7 days, unmanaged here)"}`, d.urn);
        }
    },
};
