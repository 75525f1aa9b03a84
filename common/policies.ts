/**
 * IAM policy types and the statements several components share. Plain values
 * in, plain values out; tested with tables in tests/common/policies.test.ts.
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

/** What an AWS service principal may do, and under which conditions, as one Allow statement. */
export interface ServiceGrant {
    readonly sid: string;
    /** The service principal, e.g. `lambda.amazonaws.com`. */
    readonly service: string;
    /** @default "sts:AssumeRole" (a trust policy) */
    readonly action?: string;
    /** @default none (a trust policy names no resource) */
    readonly resource?: string;
    readonly condition: NonNullable<PolicyStatement["Condition"]>;
}

/** A policy document of one statement: `grant.service` may perform `grant.action` under `grant.condition`. */
export function servicePolicy(grant: ServiceGrant): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: grant.sid,
                Effect: "Allow",
                Principal: { Service: grant.service },
                Action: grant.action ?? "sts:AssumeRole",
                ...(grant.resource === undefined ? {} : { Resource: grant.resource }),
                Condition: grant.condition,
            },
        ],
    };
}

/**
 * A Lambda execution role's trust policy: the Lambda service may assume the
 * role, on behalf of this account (`aws:SourceAccount`) only.
 */
export function lambdaTrustPolicy(accountId: string): PolicyDocument {
    return servicePolicy({ sid: "LambdaInThisAccount", service: "lambda.amazonaws.com", condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}
