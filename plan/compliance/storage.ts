/**
 * The storage rules: the S3 bucket (public access, encryption, versioning, TLS) and the EFS file system
 * (encryption, backups).
 */
import { isTrue, label, of, T, type ComplianceContext, type PlannedResource, type Rule } from "./rule";

/** The resources of `type` attached to a bucket (by its id or name). */
function attached(ctx: ComplianceContext, type: string, bucket: PlannedResource): PlannedResource[] {
    const keys = new Set([bucket.state.id, bucket.state.bucket].filter(Boolean));
    return of(ctx, type).filter((r) => keys.has(r.inputs.bucket));
}

function parsePolicy(policy: unknown): { Statement?: any[] } { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof policy === "string") {
        try {
            return JSON.parse(policy);
        } catch {
            return {};
        }
    }
    return (policy ?? {}) as { Statement?: any[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Whether a policy denies every request made without TLS. */
function deniesInsecureTransport(policy: unknown): boolean {
    return (parsePolicy(policy).Statement ?? []).some(
        (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
    );
}

export const s3BlocksPublicAccess: Rule = {
    id: "CKV_AWS_53-56 / S3.8",
    title: "S3 buckets block all public access",
    check: (ctx) =>
        of(ctx, T.bucket).flatMap((b) => {
            const blocks = attached(ctx, T.publicAccessBlock, b);
            const ok = blocks.some((p) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => isTrue(p.inputs[k])));
            return ok ? [] : [`${label(b)}: not all four public-access blocks are on`];
        }),
};

export const s3Encrypted: Rule = {
    id: "CKV_AWS_145 / S3.17",
    title: "S3 buckets are encrypted at rest",
    check: (ctx) =>
        of(ctx, T.bucket).flatMap((b) => {
            const ok = attached(ctx, T.encryption, b).some((e) =>
                (e.inputs.rules ?? []).some((r: any) => ["AES256", "aws:kms", "aws:kms:dsse"].includes(r.applyServerSideEncryptionByDefault?.sseAlgorithm)), // eslint-disable-line @typescript-eslint/no-explicit-any
            );
            return ok ? [] : [`${label(b)}: no default encryption`];
        }),
};

export const s3Versioned: Rule = {
    id: "CKV_AWS_21 / S3.14",
    title: "S3 buckets are versioned",
    check: (ctx) =>
        of(ctx, T.bucket).flatMap((b) =>
            attached(ctx, T.versioning, b).some((v) => v.inputs.versioningConfiguration?.status === "Enabled") ? [] : [`${label(b)}: versioning is not enabled`],
        ),
};

export const s3RequiresTls: Rule = {
    id: "S3.5",
    title: "S3 buckets refuse requests without TLS",
    check: (ctx) =>
        of(ctx, T.bucket).flatMap((b) =>
            attached(ctx, T.bucketPolicy, b).some((p) => deniesInsecureTransport(p.inputs.policy)) ? [] : [`${label(b)}: no policy denying aws:SecureTransport false`],
        ),
};

export const efsEncrypted: Rule = {
    id: "CKV_AWS_42 / EFS.1",
    title: "EFS is encrypted",
    check: (ctx) => of(ctx, T.efs).flatMap((f) => (isTrue(f.inputs.encrypted) ? [] : [`${label(f)}: not encrypted`])),
};

export const efsBackedUp: Rule = {
    id: "EFS.2",
    title: "EFS is backed up",
    check: (ctx) =>
        of(ctx, T.efs).flatMap((f) =>
            of(ctx, T.efsBackup).some((b) => b.inputs.fileSystemId === f.state.id && b.inputs.backupPolicy?.status === "ENABLED") ? [] : [`${label(f)}: no enabled backup policy`],
        ),
};
