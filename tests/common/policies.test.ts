import * as assert from "node:assert/strict";
import { denyInsecureTransport, lambdaTrustPolicy } from "../../common/policies";

describe("common/policies: shared IAM statements", () => {
    it("denyInsecureTransport: denies s3:* without TLS on the bucket and its objects, in any partition", () => {
        const table: Array<[string, string[]]> = [
            ["arn:aws:s3:::b", ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]],
            ["arn:aws-cn:s3:::logs-1", ["arn:aws-cn:s3:::logs-1", "arn:aws-cn:s3:::logs-1/*"]],
            ["arn:aws-us-gov:s3:::x.y", ["arn:aws-us-gov:s3:::x.y", "arn:aws-us-gov:s3:::x.y/*"]],
        ];
        for (const [bucketArn, resource] of table) {
            assert.deepEqual(denyInsecureTransport(bucketArn), {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: resource,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }, bucketArn);
        }
    });

    it("lambdaTrustPolicy: the Lambda service may assume the role for the given account only", () => {
        for (const accountId of ["111122223333", "123456789012"]) {
            assert.deepEqual(lambdaTrustPolicy(accountId), {
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
            }, accountId);
        }
    });
});
