import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { lambdaFunctionName } from "../../common/lambdaPackage";
import { Checker } from "./checker";
import { Page } from "./page";
import { CHECKS_TABLE_KEYS, checkStatusPageSettings } from "./settings";
import type { FunctionNetwork } from "./statusFunction";

/**
 * Arguments of {@link StatusPage}. Nothing here replaces the checks table;
 * the functions, schedule and API update in place.
 */
export interface StatusPageArgs {
    /** The stack's URL, e.g. `https://dashboard.acme.example.com` (a trailing slash is ignored). @default required */
    url: pulumi.Input<string>;
    /** Path requested on `url`; must start with `/`. @default "/" */
    healthCheckPath?: string;
    /** Minutes between checks, a whole number ≥ 1. @default 1 */
    checkIntervalMinutes?: number;
    /** Page title (escaped when printed). @default "Status" */
    title?: string;
    /** Retention of the functions' and the API's log groups, in days (a CloudWatch Logs retention value). @default required */
    logRetentionDays: number;
    /** VPC of the functions' security group. Changing it replaces the security group. @default required */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets for both functions (Lambdas must run in a VPC). The
     * network needs a DynamoDB gateway endpoint (both functions) and NAT for
     * the checker's request to the stack's public URL; without NAT every check
     * times out and the page shows "Down". @default required
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Reserved concurrent executions of the page function, 1–1000. Opt-in: reservations come out of
     * the account's concurrency quota, which must keep 10 unreserved (new accounts may have only 10).
     * The API's stage throttling already caps what a scraper can cost. The checker never reserves:
     * its timeout (20 s) is shorter than the shortest interval (1 min), so runs cannot pile up.
     * Updated in place.
     * @default none (no reservation)
     */
    pageReservedConcurrency?: number;
}

/**
 * A public status page for one stack (the serverless status page pattern): a
 * {@link Checker} (`<name>-health-checker`), a Lambda run by an EventBridge schedule, requests the
 * stack's health URL and writes one item per check to a DynamoDB table; a {@link Page}
 * (`<name>-public-page`), a Lambda behind an HTTP API, renders the current state, the last
 * response time and uptime over 24 hours, 7 and 30 days. Every resource keeps the name it had
 * when it was the StatusPage's own child and answers to that URN through an alias.
 */
export class StatusPage extends pulumi.ComponentResource {
    /** The page's public address (the HTTP API's default endpoint). */
    public readonly statusPageUrl: pulumi.Output<string>;
    public readonly tableName: pulumi.Output<string>;
    public readonly checkerFunctionName: pulumi.Output<string>;
    public readonly pageFunctionName: pulumi.Output<string>;
    /** Failed checker invocations (the check could not be recorded) land here. */
    public readonly deadLetterQueueArn: pulumi.Output<string>;

    constructor(name: string, args: StatusPageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:status:StatusPage", name, {}, opts);
        const intervalMinutes = args.checkIntervalMinutes ?? 1;
        const healthCheckPath = args.healthCheckPath ?? "/";
        checkStatusPageSettings({ intervalMinutes, healthCheckPath, pageReservedConcurrency: args.pageReservedConcurrency });
        const parent = { parent: this };

        // Function names must be known before the functions exist: their log
        // groups (/aws/lambda/<name>) are created first, with retention, so
        // Lambda never creates them itself without one. A random suffix, kept
        // in the stack's state, makes them unique per stack (no fixed names).
        const suffix = new random.RandomString(`${name}-suffix`, { length: 8, special: false, upper: false }, parent).result;
        const table = this.checksTable(name);
        const network = this.functionNetwork(name, args);
        const { logRetentionDays } = args;
        const checker = new Checker(
            `${name}-health-checker`,
            { prefix: name, functionName: suffix.apply((s) => lambdaFunctionName(name, `checker-${s}`)), table, url: args.url, healthCheckPath, intervalMinutes, logRetentionDays, network },
            parent,
        );
        const page = new Page(
            `${name}-public-page`,
            {
                prefix: name,
                functionName: suffix.apply((s) => lambdaFunctionName(name, `page-${s}`)),
                suffix,
                table,
                title: args.title ?? "Status",
                intervalMinutes,
                reservedConcurrency: args.pageReservedConcurrency,
                logRetentionDays,
                network,
            },
            parent,
        );

        this.statusPageUrl = page.url;
        this.tableName = table.name;
        this.checkerFunctionName = checker.functionName;
        this.pageFunctionName = page.functionName;
        this.deadLetterQueueArn = checker.deadLetterQueueArn;
        this.registerOutputs({
            statusPageUrl: this.statusPageUrl,
            tableName: this.tableName,
            checkerFunctionName: this.checkerFunctionName,
            pageFunctionName: this.pageFunctionName,
            deadLetterQueueArn: this.deadLetterQueueArn,
        });
    }

    /**
     * One item per check, keyed by target and time, so uptime windows are range queries. Derived
     * data (rebuilt by the checker within a month), hence no deletion protection and no `protect`;
     * PITR still guards against a bad write.
     */
    private checksTable(name: string): aws.dynamodb.Table {
        return new aws.dynamodb.Table(
            `${name}-checks`,
            {
                billingMode: "PAY_PER_REQUEST",
                hashKey: CHECKS_TABLE_KEYS.hashKey,
                rangeKey: CHECKS_TABLE_KEYS.rangeKey,
                attributes: CHECKS_TABLE_KEYS.attributes.map((a) => ({ ...a })),
                ttl: { attributeName: CHECKS_TABLE_KEYS.ttlAttribute, enabled: true },
                serverSideEncryption: { enabled: true },
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: false,
            },
            { parent: this },
        );
    }

    /**
     * Both functions' security group: no ingress; HTTPS out (the stack's URL, DynamoDB via its
     * gateway endpoint) and HTTP out (a development stack's URL can be http).
     */
    private functionNetwork(name: string, args: StatusPageArgs): FunctionNetwork {
        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: "Status page Lambdas: no ingress, HTTP(S) egress" }, { parent: this });
        const egress = [443, 80].map(
            (port) =>
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-egress-${port}`,
                    {
                        securityGroupId: securityGroup.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        cidrIpv4: "0.0.0.0/0",
                        description: port === 443 ? "HTTPS: health check and AWS APIs" : "HTTP: health check of a plain-HTTP stack",
                    },
                    { parent: this },
                ),
        );
        return { subnetIds: args.subnetIds, securityGroupId: securityGroup.id, ready: egress };
    }
}
