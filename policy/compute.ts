/**
 * The compute rules: the app servers' launch template (IMDSv2, encrypted volumes, no public IP) and the
 * Lambda functions (in a VPC, an on-failure destination, no zero reservation).
 */
import { distinctCount, isSet, isTrue, label, of, onType, refersTo, T, type DashboardPolicy } from "./rule";

/** Whether a launch template declares network interfaces and none of them gets a public address. */
function onlyPrivateInterfaces(nics: any[]): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
    return nics.length > 0 && nics.every((n) => n.associatePublicIpAddress === false || n.associatePublicIpAddress === "false");
}

/** Properties by which a Lambda function can be referred to. */
const FUNCTION_REFS = ["name", "arn"];
/** Who invokes a function asynchronously. */
const ASYNC_CALLERS = new Set(["s3.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com"]);

export const imdsV2Required: DashboardPolicy = {
    id: "CKV_AWS_79 / EC2.8",
    name: "ckv-aws-79-ec2-8",
    description: "Instances require IMDSv2",
    validateResource: onType(T.launchTemplate, (props, args, report) => {
        if (props.metadataOptions?.httpTokens !== "required") report(`${label(args)}: httpTokens is not required`);
    }),
};

export const volumesEncrypted: DashboardPolicy = {
    id: "CKV_AWS_8 / EC2.3",
    name: "ckv-aws-8-ec2-3",
    description: "Instance volumes are encrypted",
    validateResource: onType(T.launchTemplate, (props, args, report) => {
        const mappings: any[] = props.blockDeviceMappings ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (mappings.length === 0) report(`${label(args)}: no block device mapping, so the root volume follows the AMI`);
        for (const m of mappings.filter((x) => !isTrue(x.ebs?.encrypted))) report(`${label(args)}: ${m.deviceName} not encrypted`);
    }),
};

export const noPublicIp: DashboardPolicy = {
    id: "CKV_AWS_88 / EC2.9",
    name: "ckv-aws-88-ec2-9",
    description: "Instances get no public IP address (except a NAT instance, whose job it is)",
    validateResource: onType(T.launchTemplate, (props, args, report) => {
        // A NAT instance (components/network/natInstance.ts) sits in a public subnet: its address is the private subnets' way out.
        if (args.urn.includes("dashboard:network:NatInstance$")) return;
        if (!onlyPrivateInterfaces(props.networkInterfaces ?? [])) report(`${label(args)}: associatePublicIpAddress is not false`);
    }),
};

export const lambdaInVpc: DashboardPolicy = {
    id: "CKV_AWS_117 / Lambda.3",
    name: "ckv-aws-117-lambda-3",
    description: "Lambda functions run in a VPC",
    validateResource: onType(T.lambda, (props, args, report) => {
        if (distinctCount(() => props.vpcConfig?.subnetIds) === 0) report(`${label(args)}: not in a VPC`);
    }),
};

export const lambdaOnFailureDestination: DashboardPolicy = {
    id: "CKV_AWS_116",
    name: "ckv-aws-116",
    description: "Asynchronously invoked Lambda functions have an on-failure destination",
    validateStack: (args, report) => {
        for (const f of of(args.resources, T.lambda)) {
            const isAsync = of(args.resources, T.permission).some((p) => ASYNC_CALLERS.has(p.props.principal) && refersTo(p, "function", f, FUNCTION_REFS));
            if (!isAsync) continue;
            const hasDestination =
                isSet(() => f.props.deadLetterConfig?.targetArn) ||
                of(args.resources, T.invokeConfig).some((c) => refersTo(c, "functionName", f, FUNCTION_REFS) && isSet(() => c.props.destinationConfig?.onFailure?.destination));
            if (!hasDestination) report(`${label(f)}: invoked asynchronously without an on-failure destination`, f.urn);
        }
    },
};

// Checkov's CKV_AWS_115 wants a reservation on every function; DESIGN.md decides otherwise:
// a new account (quota 10, of which 10 must stay unreserved) must accept the stack, so a
// reservation is opt-in. What must never happen is a reservation of 0, which throttles the
// function to nothing.
export const lambdaReservedConcurrencyNotZero: DashboardPolicy = {
    id: "CKV_AWS_115 (opt-in)",
    name: "ckv-aws-115-opt-in",
    description: "Lambda reserved concurrency is opt-in and never 0",
    validateResource: onType(T.lambda, (props, args, report) => {
        if (Number(props.reservedConcurrentExecutions ?? -1) === 0) report(`${label(args)}: reserved concurrency 0 throttles every invocation`);
    }),
};
