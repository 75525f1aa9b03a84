/**
 * The offline plan's adapter hands the validators what the policy server hands them: it is typed as the
 * SDK's `ResourceValidationArgs` / `StackValidationArgs` (tsc checks it), the SDK's own typed helpers run
 * through it, secrets arrive unwrapped, and a value unknown in a preview behaves as under the server.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import {
    validateResourceOfType,
    validateStackResourcesOfType,
    type ReportViolation,
    type ResourceValidation,
    type ResourceValidationArgs,
    type StackValidation,
    type StackValidationArgs,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { checkCompliance, type PlannedResource } from "../../plan/compliance";
import { plain, resourceArgs, stackArgs, stackResources } from "../../plan/policyArgs";
import { s3BlocksPublicAccess } from "../../policy/storage";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the SDK's unknown string sentinel
const urn = (type: string, name: string) => `urn:pulumi:test::dashboard::${type}::${name}`;
const r = (type: string, name: string, inputs: Record<string, any>, extra: Partial<PlannedResource> = {}): PlannedResource => ({
    type, name, inputs, state: { ...inputs, ...(extra.state ?? {}) }, custom: true, urn: urn(type, name), ...extra,
});

/** Runs one validation as the plan does and returns what it reported. */
function reported(run: (report: ReportViolation) => unknown): string[] {
    const out: string[] = [];
    run((m) => void out.push(m));
    return out;
}

describe("the plan's policy adapter", () => {
    const db = r("aws:rds/instance:Instance", "db", { multiAz: false, masterPassword: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "pw" } });
    const bucket = r("aws:s3/bucket:Bucket", "b", {}, { state: { id: "b-1", bucket: "b-1" } });

    it("builds arguments of the SDK's types", () => {
        const linked = stackResources([db, bucket], { url: "https://x" });
        const resArgs: ResourceValidationArgs[] = resourceArgs([db, bucket], linked);
        const stack: StackValidationArgs = stackArgs(linked);
        assert.deepEqual(resArgs.map((a) => [a.type, a.name, a.urn]), [["aws:rds/instance:Instance", "db", urn("aws:rds/instance:Instance", "db")], ["aws:s3/bucket:Bucket", "b", urn("aws:s3/bucket:Bucket", "b")]]);
        assert.deepEqual(stack.resources.map((x) => x.type), ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "pulumi:pulumi:Stack"]);
        assert.equal(stack.resources[2].props.url, "https://x");
        assert.throws(() => stack.notApplicable("why"), /why/);
    });

    it("runs the SDK's typed helpers: isType, asType, validateResourceOfType, validateStackResourcesOfType", () => {
        const linked = stackResources([db, bucket]);
        const [dbArgs, bucketArgs] = resourceArgs([db, bucket], linked);
        assert.ok(dbArgs.isType(aws.rds.Instance) && !bucketArgs.isType(aws.rds.Instance));
        assert.equal(dbArgs.asType(aws.rds.Instance)?.multiAz, false);
        assert.equal(bucketArgs.asType(aws.rds.Instance), undefined);
        const singleAz: ResourceValidation = validateResourceOfType(aws.rds.Instance, (instance, _args, report) => {
            if (!instance.multiAz) report("single-AZ");
        });
        assert.deepEqual(reported((report) => singleAz(dbArgs, report)), ["single-AZ"]);
        const buckets: StackValidation = validateStackResourcesOfType(aws.s3.Bucket, (found, _args, report) => report(`${found.length} bucket(s)`));
        assert.deepEqual(reported((report) => buckets(stackArgs(linked), report)), ["1 bucket(s)"]);
        assert.equal(linked[1].asType(aws.s3.Bucket)?.bucket, "b-1");
    });

    it("unwraps secrets, links parents, dependencies and property dependencies", () => {
        assert.deepEqual(plain({ a: [{ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "s" }] }), { a: ["s"] });
        const child = r("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: "b-1" }, { parent: bucket.urn, dependencies: [bucket.urn!], propertyDependencies: { bucket: [bucket.urn!] } });
        const [dbRes, b, v] = stackResources([db, bucket, child]);
        assert.equal(dbRes.props.masterPassword, "pw");
        assert.equal(v.parent, b);
        assert.deepEqual(v.dependencies, [b]);
        assert.deepEqual(v.propertyDependencies.bucket, [b]);
    });

    it("in a preview, an attachment whose bucket id is unknown matches its bucket by property dependency", () => {
        const fresh = r("aws:s3/bucket:Bucket", "b", {}, { state: { id: UNKNOWN, bucket: "b-0a1b2c3" } });
        const blocks = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        const pab = r("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: UNKNOWN, ...blocks }, { propertyDependencies: { bucket: [fresh.urn!] } });
        const linked = stackResources([fresh, pab]);
        assert.deepEqual(reported((report) => (s3BlocksPublicAccess as { validateStack: StackValidation }).validateStack(stackArgs(linked), report)), []);
        const orphan = r("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: UNKNOWN, ...blocks });
        assert.deepEqual(reported((report) => (s3BlocksPublicAccess as { validateStack: StackValidation }).validateStack(stackArgs(stackResources([fresh, orphan])), report)), [
            "Bucket b: not all four public-access blocks are on",
        ]);
    });

    it("in a preview, subnet ids not known yet count as distinct subnets, not as a rule that can't run", () => {
        const zones = (subnets: string[]) => {
            const alb = r("aws:lb/loadBalancer:LoadBalancer", "alb", { subnets, dropInvalidHeaderFields: true });
            return checkCompliance({ resources: [alb], outputs: {}, environment: "production", secrets: [] }).find((x) => x.id === "AutoScaling.2 / ELB.13");
        };
        assert.equal(zones([UNKNOWN, UNKNOWN])?.verdict, "pass");
        assert.deepEqual(zones([UNKNOWN])?.details, ["LoadBalancer alb: 1 subnet(s)"]);
    });

    it("a rule that must read a value unknown in a preview does not apply, as the server's 'can't run during preview'", () => {
        const lt = r("aws:ec2/launchTemplate:LaunchTemplate", "lt", { metadataOptions: UNKNOWN });
        const result = checkCompliance({ resources: [lt], outputs: {}, environment: "production", secrets: [] }).find((x) => x.id === "CKV_AWS_79 / EC2.8");
        assert.equal(result?.verdict, "not applicable");
        assert.match(result!.details[0], /^can't run during preview: .*metadataOptions/);
    });
});
