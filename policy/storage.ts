/**
 * The storage rules: the S3 bucket (public access, encryption, versioning, TLS) and the EFS file system
 * (encryption, backups).
 */
import type { PolicyResource, StackValidation } from "@pulumi/policy";
import { isTrue, label, of, onType, refersTo, T, type DashboardPolicy } from "./rule";

/** The resources of `type` attached to `bucket` (by its id or name). */
function attached(resources: readonly PolicyResource[], type: string, bucket: PolicyResource): PolicyResource[] {
    return of(resources, type).filter((r) => refersTo(r, "bucket", bucket, ["id", "bucket"]));
}

/** Reports each bucket for which no attachment of `type` passes `ok`. */
function everyBucket(type: string, ok: (attachment: PolicyResource) => boolean, problem: string): StackValidation {
    return (args, report) => {
        for (const b of of(args.resources, T.bucket)) {
            if (!attached(args.resources, type, b).some(ok)) report(`${label(b)}: ${problem}`, b.urn);
        }
    };
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

const PUBLIC_ACCESS_BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export const s3BlocksPublicAccess: DashboardPolicy = {
    id: "CKV_AWS_53-56 / S3.8",
    name: "ckv-aws-53-56-s3-8",
    description: "S3 buckets block all public access",
    validateStack: everyBucket(T.publicAccessBlock, (p) => PUBLIC_ACCESS_BLOCKS.every((k) => isTrue(p.props[k])), "not all four public-access blocks are on"),
};

export const s3Encrypted: DashboardPolicy = {
    id: "CKV_AWS_145 / S3.17",
    name: "ckv-aws-145-s3-17",
    description: "S3 buckets are encrypted at rest",
    validateStack: everyBucket(
        T.encryption,
        (e) => (e.props.rules ?? []).some((r: any) => SSE_ALGORITHMS.includes(r.applyServerSideEncryptionByDefault?.sseAlgorithm)), // eslint-disable-line @typescript-eslint/no-explicit-any
        "no default encryption",
    ),
};

export const s3Versioned: DashboardPolicy = {
    id: "CKV_AWS_21 / S3.14",
    name: "ckv-aws-21-s3-14",
    description: "S3 buckets are versioned",
    validateStack: everyBucket(T.versioning, (v) => v.props.versioningConfiguration?.status === "Enabled", "versioning is not enabled"),
};

export const s3RequiresTls: DashboardPolicy = {
    id: "S3.5",
    name: "s3-5",
    description: "S3 buckets refuse requests without TLS",
    validateStack: everyBucket(T.bucketPolicy, (p) => deniesInsecureTransport(p.props.policy), "no policy denying aws:SecureTransport false"),
};

export const efsEncrypted: DashboardPolicy = {
    id: "CKV_AWS_42 / EFS.1",
    name: "ckv-aws-42-efs-1",
    description: "EFS is encrypted",
    validateResource: onType(T.efs, (props, args, report) => {
        if (!isTrue(props.encrypted)) report(`${label(args)}: not encrypted`);
    }),
};

export const efsBackedUp: DashboardPolicy = {
    id: "EFS.2",
    name: "efs-2",
    description: "EFS is backed up",
    validateStack: (args, report) => {
        for (const f of of(args.resources, T.efs)) {
            const backups = of(args.resources, T.efsBackup).filter((b) => refersTo(b, "fileSystemId", f, ["id"]));
            if (!backups.some((b) => b.props.backupPolicy?.status === "ENABLED")) report(`${label(f)}: no enabled backup policy`, f.urn);
        }
    },
};
