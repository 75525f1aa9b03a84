/**
 * IAM policy types and the statements several components share. Plain values
 * in, plain values out; tested with tables in tests/policies.test.ts.
 */
import type * as aws from "@pulumi/aws";

/** An IAM policy document, as the AWS provider types it. */
export type PolicyDocument = aws.iam.PolicyDocument;

/** One statement of a {@link PolicyDocument}. */
export type PolicyStatement = aws.iam.PolicyStatement;

/**
 * The bucket policy statement that denies every request without TLS, on the
 * bucket (`bucketArn`, any partition) and on its objects.
 */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * A Lambda execution role's trust policy: the Lambda service may assume the
 * role, on behalf of this account (`aws:SourceAccount`) only.
 */
export function lambdaTrustPolicy(accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "LambdaInThisAccount",
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}
