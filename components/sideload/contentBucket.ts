import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SideloadArgs, SideloadPartArgs } from ".";
import { bucketTlsPolicy } from "./policies";

/** Arguments of {@link ContentBucket}: `protect` as the Sideload's. */
export interface ContentBucketArgs extends SideloadPartArgs, Pick<SideloadArgs, "protect"> {}

/**
 * The upload bucket of a Sideload: auto-named, SSE-S3 (SSE-C refused), versioned, all public
 * access blocked, ACLs off, TLS-only policy, lifecycle for old versions, delete markers and
 * multipart uploads. Its resources were the Sideload's own children: each keeps its name and
 * answers to its old URN through an alias to the Sideload.
 */
export class ContentBucket extends pulumi.ComponentResource {
    public readonly bucketId: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: ContentBucketArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
        super("dashboard:sideload:ContentBucket", name, {}, opts);
        const moved = { parent: this, aliases: [{ parent: opts.parent }] };
        const p = args.prefix;
        const bucket = new aws.s3.Bucket(`${p}-bucket`, { forceDestroy: false }, { ...moved, protect: args.protect });
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${p}-bucket-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            moved,
        );
        new aws.s3.BucketOwnershipControls(`${p}-bucket-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, moved);
        // SSE-S3 (AES256): readers need no KMS grant and no key policy, there is no per-request KMS
        // cost, and at-rest encryption is what is asked; SSE-C uploads are refused because the
        // Lambda could never read them.
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${p}-bucket-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }] },
            moved,
        );
        const versioning = new aws.s3.BucketVersioning(`${p}-bucket-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, moved);
        new aws.s3.BucketLifecycleConfiguration(
            `${p}-bucket-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                    { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            },
            { ...moved, dependsOn: [versioning] },
        );
        // After the public-access block: S3 rejects a policy while that block is still being applied.
        new aws.s3.BucketPolicy(
            `${p}-bucket-policy`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(bucketTlsPolicy(arn))) },
            { ...moved, dependsOn: [publicAccess] },
        );
        this.bucketId = bucket.id;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketId: this.bucketId, bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
