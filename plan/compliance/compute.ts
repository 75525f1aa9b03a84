/**
 * The compute rules: the app servers' launch template (IMDSv2, encrypted volumes, no public IP) and the
 * Lambda functions (in a VPC, an on-failure destination, no zero reservation).
 */
import { isTrue, label, of, T, type PlannedResource, type Rule } from "./rule";

/** Whether a launch template declares network interfaces and none of them gets a public address. */
function onlyPrivateInterfaces(nics: any[]): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
    return nics.length > 0 && nics.every((n) => n.associatePublicIpAddress === false || n.associatePublicIpAddress === "false");
}

/** Names by which a Lambda function can be referred to. */
function functionRefs(fn: PlannedResource): Set<string> {
    return new Set([fn.state.name, fn.state.arn, fn.inputs.name].filter(Boolean));
}

export const imdsV2Required: Rule = {
    id: "CKV_AWS_79 / EC2.8",
    title: "Instances require IMDSv2",
    check: (ctx) => of(ctx, T.launchTemplate).flatMap((t) => (t.inputs.metadataOptions?.httpTokens === "required" ? [] : [`${label(t)}: httpTokens is not required`])),
};

export const volumesEncrypted: Rule = {
    id: "CKV_AWS_8 / EC2.3",
    title: "Instance volumes are encrypted",
    check: (ctx) =>
        of(ctx, T.launchTemplate).flatMap((t) => {
            const mappings: any[] = t.inputs.blockDeviceMappings ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
            if (mappings.length === 0) return [`${label(t)}: no block device mapping, so the root volume follows the AMI`];
            return mappings.filter((m) => !isTrue(m.ebs?.encrypted)).map((m) => `${label(t)}: ${m.deviceName} not encrypted`);
        }),
};

export const noPublicIp: Rule = {
    id: "CKV_AWS_88 / EC2.9",
    title: "Instances get no public IP address",
    check: (ctx) =>
        of(ctx, T.launchTemplate)
            .filter((t) => !onlyPrivateInterfaces(t.inputs.networkInterfaces ?? []))
            .map((t) => `${label(t)}: associatePublicIpAddress is not false`),
};

export const lambdaInVpc: Rule = {
    id: "CKV_AWS_117 / Lambda.3",
    title: "Lambda functions run in a VPC",
    check: (ctx) => of(ctx, T.lambda).flatMap((f) => ((f.inputs.vpcConfig?.subnetIds ?? []).length > 0 ? [] : [`${label(f)}: not in a VPC`])),
};

export const lambdaOnFailureDestination: Rule = {
    id: "CKV_AWS_116",
    title: "Asynchronously invoked Lambda functions have an on-failure destination",
    check: (ctx) => {
        const asyncCallers = new Set(["s3.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com"]);
        return of(ctx, T.lambda).flatMap((f) => {
            const refs = functionRefs(f);
            const isAsync = of(ctx, T.permission).some((p) => refs.has(p.inputs.function) && asyncCallers.has(p.inputs.principal));
            if (!isAsync) return [];
            const hasDestination =
                Boolean(f.inputs.deadLetterConfig?.targetArn) ||
                of(ctx, T.invokeConfig).some((c) => refs.has(c.inputs.functionName) && Boolean(c.inputs.destinationConfig?.onFailure?.destination));
            return hasDestination ? [] : [`${label(f)}: invoked asynchronously without an on-failure destination`];
        });
    },
};

// Checkov's CKV_AWS_115 wants a reservation on every function; DESIGN.md decides otherwise:
// a new account (quota 10, of which 10 must stay unreserved) must accept the stack, so a
// reservation is opt-in. What must never happen is a reservation of 0, which throttles the
// function to nothing.
export const lambdaReservedConcurrencyNotZero: Rule = {
    id: "CKV_AWS_115 (opt-in)",
    title: "Lambda reserved concurrency is opt-in and never 0",
    check: (ctx) =>
        of(ctx, T.lambda).flatMap((f) => (Number(f.inputs.reservedConcurrentExecutions ?? -1) === 0 ? [`${label(f)}: reserved concurrency 0 throttles every invocation`] : [])),
};
