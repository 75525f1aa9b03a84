import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_FORMAT, API_THROTTLING, PAGE_TIMEOUT_SECONDS, SERVICE_NAME, pagePolicy, reservedConcurrency, staleAfterSeconds } from "./settings";
import { type StatusPartArgs, statusFunction } from "./statusFunction";

/** Arguments of {@link Page}. */
export interface PageArgs extends StatusPartArgs {
    /**
     * The StatusPage's random suffix: names the API's access log group. A change replaces that group.
     * @default none (required)
     */
    readonly suffix: pulumi.Output<string>;
    /**
     * Page title (escaped when printed). Updated in place.
     * @default none (required; StatusPage's default is "Status")
     */
    readonly title: string;
    /**
     * Reserved concurrent executions of the function, 1–1000. Updated in place.
     * @default none (no reservation)
     */
    readonly reservedConcurrency?: number;
}

/**
 * The public page of a StatusPage: a Lambda that renders the current state, the last response
 * time and uptime over 24 hours, 7 and 30 days, behind an HTTP API (one route, `$default` stage
 * with access logs and throttling). Its resources were the StatusPage's own children: each keeps
 * its name and answers to its old URN through an alias to the StatusPage.
 */
export class Page extends pulumi.ComponentResource {
    /** The page's public address (the HTTP API's default endpoint). */
    public readonly url: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;

    constructor(name: string, args: PageArgs, opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource }) {
        super("dashboard:statusPage:Page", name, {}, opts);
        const moved = { parent: this, aliases: [{ parent: opts.parent }] };
        const page = statusFunction(
            {
                resourceName: `${args.prefix}-page`,
                functionName: args.functionName,
                description: "Renders the status page",
                roleDescription: "Status page: read checks only",
                code: "status-page",
                timeout: PAGE_TIMEOUT_SECONDS,
                // 30 days of 1-minute checks are ~43,200 items (~0.4 s of CPU on one
                // full core through the SDK, measured in tests/lambda/status-handlers.test.ts).
                // CPU scales with memory, so 512 MB (~0.3 vCPU) costs about what
                // 256 MB would while answering in half the time.
                memorySize: 512,
                reservedConcurrency: reservedConcurrency(args.reservedConcurrency),
                variables: {
                    TABLE_NAME: args.table.name,
                    SERVICE: SERVICE_NAME,
                    TITLE: args.title,
                    STALE_AFTER_SECONDS: String(staleAfterSeconds(args.intervalMinutes)),
                },
                logRetentionDays: args.logRetentionDays,
                policy: (logGroupArn) => pulumi.all([args.table.arn, logGroupArn]).apply(([tableArn, logGroupArn]) => JSON.stringify(pagePolicy({ tableArn, logGroupArn }))),
                network: args.network,
            },
            moved,
        );
        const api = this.api(args, page.fn, moved);
        this.url = pulumi.interpolate`${api.apiEndpoint}/`;
        this.functionName = page.fn.name;
        this.registerOutputs({ url: this.url, functionName: this.functionName });
    }

    /** The HTTP API: `GET /` proxied to the page, a `$default` stage with access logs and throttling. */
    private api(args: PageArgs, page: aws.lambda.Function, moved: pulumi.CustomResourceOptions): aws.apigatewayv2.Api {
        const p = args.prefix;
        const api = new aws.apigatewayv2.Api(`${p}-api`, { protocolType: "HTTP", description: "Public status page" }, moved);
        const integration = new aws.apigatewayv2.Integration(
            `${p}-integration`,
            { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: page.arn, integrationMethod: "POST", payloadFormatVersion: "2.0" },
            moved,
        );
        const route = new aws.apigatewayv2.Route(`${p}-route`, { apiId: api.id, routeKey: "GET /", target: pulumi.interpolate`integrations/${integration.id}` }, moved);
        const accessLogs = new aws.cloudwatch.LogGroup(
            `${p}-api-logs`,
            { name: pulumi.interpolate`/aws/apigateway/${p}-${args.suffix}`, retentionInDays: args.logRetentionDays },
            moved,
        );
        new aws.apigatewayv2.Stage(
            `${p}-stage`,
            {
                apiId: api.id,
                name: "$default",
                autoDeploy: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
                defaultRouteSettings: API_THROTTLING,
            },
            { ...moved, dependsOn: [route] },
        );
        new aws.lambda.Permission(
            `${p}-api-permission`,
            { action: "lambda:InvokeFunction", function: page.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
            moved,
        );
        return api;
    }
}
