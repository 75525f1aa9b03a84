import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaArchive } from "../../common/lambdaPackage";
import { lambdaTrustPolicy } from "../../common/policies";

/** Where both status functions run: the private subnets, in the status page's security group. */
export interface FunctionNetwork {
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The group's egress rules: a function's first run needs them. */
    readonly ready: readonly pulumi.Resource[];
}

/** What the checker and the page both take. */
export interface StatusPartArgs {
    /**
     * The StatusPage's name: the part's resources keep their `<prefix>-checker…`, `<prefix>-page…`,
     * `<prefix>-api…` names from before the split (a new prefix replaces them).
     * @default none (required)
     */
    readonly prefix: string;
    /**
     * The function's physical name (`<prefix>-checker-<suffix>`, `<prefix>-page-<suffix>`). A change
     * replaces the function and its log group.
     * @default none (required)
     */
    readonly functionName: pulumi.Output<string>;
    /**
     * The checks table: its name goes to the function, its ARN to the role's policy. Updated in place.
     * @default none (required)
     */
    readonly table: aws.dynamodb.Table;
    /**
     * Minutes between checks, a whole number ≥ 1 (the schedule, the event age, the staleness). Updated in place.
     * @default none (required; StatusPage's default is 1)
     */
    readonly intervalMinutes: number;
    /**
     * Retention of the part's log groups, in days. Updated in place.
     * @default none (required)
     */
    readonly logRetentionDays: number;
    /**
     * Subnets and security group of the function. Updated in place.
     * @default none (required)
     */
    readonly network: FunctionNetwork;
}

/** One status function, as {@link statusFunction} builds it. */
export interface StatusFunctionArgs {
    /** The function's resource name (`<status page>-checker`), also the prefix of its log group, role and policies. */
    readonly resourceName: string;
    /** The function's physical name, known before it exists (its log group is created first). */
    readonly functionName: pulumi.Output<string>;
    readonly description: string;
    readonly roleDescription: string;
    /** The folder under lambda/ holding the handler. */
    readonly code: string;
    readonly timeout: number;
    readonly memorySize: number;
    /** Undefined: no reservation. */
    readonly reservedConcurrency?: number;
    readonly variables: Record<string, pulumi.Input<string>>;
    readonly logRetentionDays: number;
    /** The role's inline policy (JSON), given the function's log group ARN. */
    readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Output<string>;
    readonly network: FunctionNetwork;
}

/** The function and its inline policy (what an invocation's destination needs first). */
export interface StatusFunction {
    readonly fn: aws.lambda.Function;
    readonly rolePolicy: aws.iam.RolePolicy;
}

/**
 * A status function (Node.js 22, arm64, in the VPC) with its log group `<resourceName>-logs`
 * (retention, created before the function), role `<resourceName>-role` (Lambda of this account
 * only), ENI management `<resourceName>-vpc-access` and inline policy `<resourceName>-policy`.
 * `opts` carries the parent and the aliases every one of them gets.
 */
export function statusFunction(args: StatusFunctionArgs, opts: pulumi.CustomResourceOptions): StatusFunction {
    const n = args.resourceName;
    const lookups = { parent: opts.parent };
    const partition = aws.getPartitionOutput({}, lookups).partition;
    const accountId = aws.getCallerIdentityOutput({}, lookups).accountId;
    const logGroup = new aws.cloudwatch.LogGroup(`${n}-logs`, { name: pulumi.interpolate`/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays }, opts);
    // Lambda may assume the role on behalf of this account only.
    const role = new aws.iam.Role(`${n}-role`, { assumeRolePolicy: accountId.apply((id) => JSON.stringify(lambdaTrustPolicy(id))), description: args.roleDescription }, opts);
    // ENI permissions only: AWSLambdaVPCAccessExecutionRole would add logs:* on every group.
    const vpcAccess = new aws.iam.RolePolicyAttachment(
        `${n}-vpc-access`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess` },
        opts,
    );
    const rolePolicy = new aws.iam.RolePolicy(`${n}-policy`, { role: role.id, policy: args.policy(logGroup.arn) }, opts);
    // Lambda checks the role's VPC permissions when it creates the function,
    // and the first run must be able to write: depend on the policies.
    const fn = new aws.lambda.Function(
        n,
        {
            name: args.functionName,
            description: args.description,
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["arm64"],
            code: lambdaArchive(args.code),
            handler: "index.handler",
            role: role.arn,
            timeout: args.timeout,
            memorySize: args.memorySize,
            reservedConcurrentExecutions: args.reservedConcurrency,
            environment: { variables: args.variables },
            vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [args.network.securityGroupId] },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        },
        { ...opts, dependsOn: [vpcAccess, rolePolicy, ...args.network.ready] },
    );
    return { fn, rolePolicy };
}
