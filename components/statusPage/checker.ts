import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CHECKER_TIMEOUT_SECONDS, CHECK_TIMEOUT_MS, DLQ_RETENTION_SECONDS, SERVICE_NAME, checkerPolicy, healthCheckUrl, maximumEventAgeSeconds, scheduleExpression } from "./settings";
import { type StatusPartArgs, statusFunction } from "./statusFunction";

/** Arguments of {@link Checker}. */
export interface CheckerArgs extends StatusPartArgs {
    /**
     * The stack's URL (a trailing slash is ignored). Updated in place.
     * @default none (required)
     */
    readonly url: pulumi.Input<string>;
    /**
     * Path requested on `url`, starting with `/`. Updated in place.
     * @default none (required; StatusPage's default is "/")
     */
    readonly healthCheckPath: string;
}

/**
 * The health checker of a StatusPage: a Lambda run by an EventBridge schedule that requests the
 * stack's health URL and writes one item per check, and the queue its failed runs go to. Its
 * resources were the StatusPage's own children: each keeps its name and answers to its old URN
 * through an alias to the StatusPage.
 */
export class Checker extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;
    /** Failed checker invocations (the check could not be recorded) land here. */
    public readonly deadLetterQueueArn: pulumi.Output<string>;

    constructor(name: string, args: CheckerArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
        super("dashboard:statusPage:Checker", name, {}, opts);
        const moved = { parent: this, aliases: [{ parent: opts.parent }] };
        const p = args.prefix;
        const deadLetterQueue = new aws.sqs.Queue(`${p}-checker-dlq`, { messageRetentionSeconds: DLQ_RETENTION_SECONDS, sqsManagedSseEnabled: true }, moved);
        const checker = statusFunction(
            {
                resourceName: `${p}-checker`,
                functionName: args.functionName,
                description: "Requests the stack's health URL and records the result",
                roleDescription: "Status checker: write checks only",
                code: "status-checker",
                timeout: CHECKER_TIMEOUT_SECONDS,
                memorySize: 128,
                variables: {
                    TABLE_NAME: args.table.name,
                    TARGET_URL: pulumi.output(args.url).apply((u) => healthCheckUrl(u, args.healthCheckPath)),
                    SERVICE: SERVICE_NAME,
                    TIMEOUT_MS: String(CHECK_TIMEOUT_MS),
                },
                logRetentionDays: args.logRetentionDays,
                policy: (logGroupArn) =>
                    pulumi
                        .all([args.table.arn, logGroupArn, deadLetterQueue.arn])
                        .apply(([tableArn, logGroupArn, queueArn]) => JSON.stringify(checkerPolicy({ tableArn, logGroupArn, queueArn }))),
                network: args.network,
            },
            moved,
        );
        // Scheduled invocations are asynchronous. A failed one (the item could
        // not be written, or the function timed out) is not retried: the next
        // scheduled check supersedes it, and a retry would record a check at
        // the wrong time. It goes to the queue instead, for alarms and diagnosis.
        new aws.lambda.FunctionEventInvokeConfig(
            `${p}-checker-async`,
            {
                functionName: checker.fn.name,
                maximumRetryAttempts: 0,
                maximumEventAgeInSeconds: maximumEventAgeSeconds(args.intervalMinutes),
                destinationConfig: { onFailure: { destination: deadLetterQueue.arn } },
            },
            { ...moved, dependsOn: [checker.rolePolicy] },
        );
        this.schedule(p, args.intervalMinutes, checker.fn, moved);
        this.functionName = checker.fn.name;
        this.deadLetterQueueArn = deadLetterQueue.arn;
        this.registerOutputs({ functionName: this.functionName, deadLetterQueueArn: this.deadLetterQueueArn });
    }

    /** The EventBridge rule that runs the checker every interval, its target and its invoke permission. */
    private schedule(p: string, intervalMinutes: number, checker: aws.lambda.Function, moved: pulumi.CustomResourceOptions): void {
        const rule = new aws.cloudwatch.EventRule(`${p}-schedule`, { description: "Runs the status checker", scheduleExpression: scheduleExpression(intervalMinutes) }, moved);
        new aws.lambda.Permission(
            `${p}-schedule-permission`,
            { action: "lambda:InvokeFunction", function: checker.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
            moved,
        );
        new aws.cloudwatch.EventTarget(`${p}-schedule-target`, { rule: rule.name, arn: checker.arn }, moved);
    }
}
