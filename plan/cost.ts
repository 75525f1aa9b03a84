/**
 * Monthly cost estimate of a planned stack: hourly items × 730, storage by
 * configured size, usage-based items from stated assumptions. Pure: the same
 * resources, prices and assumptions give the same figures.
 */
import prices from "./prices.json";
import type { PlannedResource } from "./compliance";
import { priceFargate, type FargatePrices } from "./fargateCost";
import { isNatInstancePart, money, priceNetwork } from "./networkCost";

/** A region's prices; Fargate's only where the table has them. */
export type RegionPrices = Omit<(typeof prices.regions)["us-east-1"], keyof FargatePrices> & Partial<FargatePrices>;

/** Usage the estimate cannot read from the program; each can be overridden (`--assume key=value`). */
export interface Assumptions {
    /** GB per month through the NAT gateways (licence checks, package and image downloads). */
    natDataGb: number;
    /** Average load-balancer capacity units. */
    albLcu: number;
    /** GB per month through each interface endpoint. */
    endpointDataGb: number;
    /** GB stored on EFS (Standard). */
    efsGb: number;
    /** GB read from / written to EFS per month (elastic throughput). */
    efsReadGb: number;
    efsWriteGb: number;
    /** GB stored in the content bucket, and requests per month. */
    s3Gb: number;
    s3Puts: number;
    s3Gets: number;
    /** Sideload invocations per month and their average duration, seconds. */
    sideloadInvocations: number;
    sideloadSeconds: number;
    /** GB of logs ingested per month (app, flow logs, Lambda, RDS exports). */
    logsGb: number;
    /** Status-page views per month (when enabled). */
    statusPageViews: number;
}

export const DEFAULT_ASSUMPTIONS: Readonly<Assumptions> = {
    natDataGb: 20,
    albLcu: 1,
    endpointDataGb: 5,
    efsGb: 2,
    efsReadGb: 10,
    efsWriteGb: 1,
    s3Gb: 2,
    s3Puts: 1000,
    s3Gets: 10000,
    sideloadInvocations: 1000,
    sideloadSeconds: 2,
    logsGb: 3,
    statusPageViews: 10000,
};

export interface CostItem {
    readonly item: string;
    /** How the figure was reached, e.g. `2 × t3.medium × 730 h × $0.0416`. */
    readonly basis: string;
    readonly monthly: number;
    readonly source: string;
}

export interface CostEstimate {
    readonly region: string;
    /** The region whose prices were used (us-east-1 when the stack's region is not in the table). */
    readonly priceRegion: string;
    readonly currency: string;
    readonly taken: string;
    readonly items: readonly CostItem[];
    readonly total: number;
    readonly assumptions: Readonly<Assumptions>;
    /** What the estimate leaves out. */
    readonly notPriced: readonly string[];
}

const HOURS = prices.hoursPerMonth;

/** Rounds to cents. */
export function cents(x: number): number {
    return Math.round(x * 100) / 100;
}


/** What each pricing step reads and writes: the stack's resources, the prices, the assumptions, the items so far. */
interface Pricing {
    readonly a: Assumptions;
    readonly p: RegionPrices;
    readonly items: CostItem[];
    readonly notPriced: string[];
    /** The planned resources of one type. */
    of(type: string): PlannedResource[];
    /** Adds an item, its figure rounded to cents. */
    add(item: string, basis: string, monthly: number, source: string): void;
}

const NOT_PRICED: readonly string[] = [
    "data transfer out to the internet",
    "VPC flow-log delivery beyond the logs assumption",
    "RDS backup storage beyond 100 % of provisioned storage (free up to that)",
    "Performance Insights beyond the free 7 days, enhanced-monitoring log ingestion",
    "Route 53 hosted zone (exists before the stack) and DNS queries (alias queries are free)",
    "SNS email beyond 1,000 a month, SQS beyond 1M requests (free tiers)",
];

/** Estimates the monthly cost of the resources of one stack. */
export function estimateCost(
    resources: readonly PlannedResource[],
    region: string,
    overrides: Partial<Assumptions> = {},
): CostEstimate {
    const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, ...overrides };
    const regions = prices.regions as unknown as Record<string, RegionPrices>;
    const priceRegion = regions[region] !== undefined ? region : "us-east-1";
    const items: CostItem[] = [];
    const notPriced: string[] = [...NOT_PRICED];
    if (priceRegion !== region) notPriced.unshift(`prices for ${region}: us-east-1 prices used instead`);
    const ctx: Pricing = {
        a,
        p: regions[priceRegion],
        items,
        notPriced,
        of: (type) => resources.filter((r) => r.type === type),
        add: (item, basis, monthly, source) => items.push({ item, basis, monthly: cents(monthly), source }),
    };
    priceServers(ctx);
    priceFargate(ctx, HOURS);
    priceDatabase(ctx);
    const { natIps } = priceNetwork(ctx, HOURS);
    priceLoadBalancer(ctx, natIps);
    priceFileSystemAndBucket(ctx);
    priceLambda(ctx);
    priceMonitoring(ctx);
    priceSecrets(ctx);
    priceStatusPage(ctx);
    const total = cents(items.reduce((n, i) => n + i.monthly, 0));
    return { region, priceRegion, currency: prices.currency, taken: prices.taken, items, total, assumptions: a, notPriced };
}

/** App servers: desired capacity × instance hours, and their root volumes (NAT instances are the network's). */
function priceServers({ p, of, add, notPriced }: Pricing): void {
    const templates = of("aws:ec2/launchTemplate:LaunchTemplate").filter((t) => !isNatInstancePart(t));
    for (const asg of of("aws:autoscaling/group:Group").filter((g) => !isNatInstancePart(g))) {
        const count = Number(asg.inputs.desiredCapacity ?? asg.inputs.minSize ?? 0);
        const lt = templates.find((t) => t.state.id === asg.inputs.launchTemplate?.id) ?? templates[0];
        if (lt === undefined) continue;
        const type = String(lt.inputs.instanceType);
        const hourly = (p.ec2Hourly as Record<string, number>)[type];
        if (hourly === undefined) notPriced.push(`EC2 ${type} (not in the price table)`);
        else add(`EC2 ${type}`, `${count} × 730 h × ${money(hourly)}`, count * HOURS * hourly, p.ec2Source);
        for (const m of lt.inputs.blockDeviceMappings ?? []) {
            const gb = Number(m.ebs?.volumeSize ?? 0);
            const vt = String(m.ebs?.volumeType ?? "gp3");
            const price = (p.ebsGbMonth as Record<string, number>)[vt];
            if (price === undefined) notPriced.push(`EBS ${vt}`);
            else add(`EBS ${vt} root volumes`, `${count} × ${gb} GB × ${money(price)}`, count * gb * price, p.ebsSource);
        }
    }
}

/** Database: instance hours (single or Multi-AZ) and storage. */
function priceDatabase({ p, of, add, notPriced }: Pricing): void {
    for (const db of of("aws:rds/instance:Instance")) {
        const engine = String(db.inputs.engine) === "postgres" ? "postgres" : "mysql";
        const cls = String(db.inputs.instanceClass);
        const multi = db.inputs.multiAz === true ? 1 : 0;
        const pair = (p.rdsHourly[engine] as Record<string, number[]>)[cls];
        const label = `RDS ${db.inputs.engine} ${cls}${multi ? " Multi-AZ" : ""}`;
        if (pair === undefined) notPriced.push(`${label} (not in the price table)`);
        else add(label, `730 h × ${money(pair[multi])}`, HOURS * pair[multi], p.rdsSource);
        const gb = Number(db.inputs.allocatedStorage ?? 20);
        add(`RDS storage${multi ? " Multi-AZ" : ""}`, `${gb} GB × ${money(p.rdsStorageGbMonth[multi])}`, gb * p.rdsStorageGbMonth[multi], p.rdsStorageSource);
    }
}

/** Load balancer: hours, capacity units, and the public IPv4 addresses (one per zone node, one per NAT gateway or NAT instance). */
function priceLoadBalancer({ a, p, of, add }: Pricing, natCount: number): void {
    let albIps = 0;
    for (const alb of of("aws:lb/loadBalancer:LoadBalancer")) {
        add("Application Load Balancer", `730 h × ${money(p.albHourly)}`, HOURS * p.albHourly, p.albSource);
        add("Load balancer capacity units", `${a.albLcu} LCU × 730 h × ${money(p.albLcuHourly)} (assumption albLcu)`, a.albLcu * HOURS * p.albLcuHourly, p.albSource);
        albIps += (alb.inputs.subnets ?? []).length;
    }
    const ips = natCount + albIps;
    if (ips > 0) add("Public IPv4 addresses", `${ips} (${natCount} NAT, ${albIps} load-balancer nodes) × 730 h × ${money(p.publicIpv4Hourly)}`, ips * HOURS * p.publicIpv4Hourly, p.publicIpv4Source);
}

/** Shared file system and content bucket, by assumption. */
function priceFileSystemAndBucket({ a, p, of, add }: Pricing): void {
    if (of("aws:efs/fileSystem:FileSystem").length > 0) {
        add("EFS storage", `${a.efsGb} GB × ${money(p.efsGbMonth)} (assumption efsGb)`, a.efsGb * p.efsGbMonth, p.efsSource);
        add("EFS elastic throughput", `${a.efsReadGb} GB read × ${money(p.efsReadPerGb)} + ${a.efsWriteGb} GB written × ${money(p.efsWritePerGb)} (assumptions)`, a.efsReadGb * p.efsReadPerGb + a.efsWriteGb * p.efsWritePerGb, p.efsSource);
    }
    const buckets = of("aws:s3/bucket:Bucket").length;
    if (buckets > 0) {
        add("S3 content", `${a.s3Gb} GB × ${money(p.s3GbMonth)} + ${a.s3Puts} PUT + ${a.s3Gets} GET (assumptions)`, a.s3Gb * p.s3GbMonth + (a.s3Puts / 1000) * p.s3PutPer1k + (a.s3Gets / 1000) * p.s3GetPer1k, p.s3Source);
    }
}

/** Lambda: the sideload function by assumption, a scheduled checker by its schedule, the status page by views. */
function priceLambda({ a, p, of, add }: Pricing): void {
    let lambdaCost = 0;
    const lambdaBasis: string[] = [];
    for (const fn of of("aws:lambda/function:Function")) {
        const gb = Number(fn.inputs.memorySize ?? 128) / 1024;
        const arm = (fn.inputs.architectures ?? []).includes("arm64");
        const perGbS = arm ? p.lambdaArmGbSecond : p.lambdaX86GbSecond;
        const schedule = of("aws:cloudwatch/eventRule:EventRule").find((r) => /rate\(/.test(String(r.inputs.scheduleExpression)));
        const { invocations, seconds } = lambdaUsage(fn, a, schedule);
        lambdaCost += invocations * seconds * gb * perGbS + (invocations / 1e6) * p.lambdaPer1M;
        lambdaBasis.push(`${Math.round(invocations)} × ${seconds} s × ${gb} GB`);
    }
    if (lambdaBasis.length > 0) add("Lambda", `${lambdaBasis.join(" + ")} (assumptions)`, lambdaCost, p.lambdaSource);
}

/** A function's invocations a month and their average duration: by assumption, or by its schedule. */
function lambdaUsage(fn: PlannedResource, a: Assumptions, schedule: PlannedResource | undefined): { invocations: number; seconds: number } {
    if (fn.inputs.fileSystemConfig !== undefined) return { invocations: a.sideloadInvocations, seconds: a.sideloadSeconds };
    if (String(fn.inputs.environment?.variables?.TARGET_URL ?? "") !== "" && schedule !== undefined) {
        const minutes = Number(/rate\((\d+)/.exec(String(schedule.inputs.scheduleExpression))?.[1] ?? 1);
        return { invocations: (HOURS * 60) / minutes, seconds: 1 };
    }
    return { invocations: a.statusPageViews, seconds: 0.3 };
}

/** Logs, alarms, dashboards. */
function priceMonitoring({ a, p, of, add }: Pricing): void {
    const logGroups = of("aws:cloudwatch/logGroup:LogGroup").length;
    if (logGroups > 0) add("CloudWatch Logs", `${a.logsGb} GB ingested × ${money(p.logsIngestPerGb)} + storage (assumption logsGb, ${logGroups} groups)`, a.logsGb * p.logsIngestPerGb + a.logsGb * p.logsStorageGbMonth, p.logsSource);
    const alarms = of("aws:cloudwatch/metricAlarm:MetricAlarm").length;
    if (alarms > 0) add("CloudWatch alarms", `${alarms} × ${money(p.alarmMonth)}`, alarms * p.alarmMonth, p.cloudwatchSource);
    const dashboards = of("aws:cloudwatch/dashboard:Dashboard").length;
    if (dashboards > 0) add("CloudWatch dashboard", `${dashboards} × ${money(p.dashboardMonth)} (the first 3 per account are free)`, dashboards * p.dashboardMonth, p.cloudwatchSource);
}

/** Secrets: the RDS-managed secret plus created ones, which app servers read two of every 15 minutes; KMS keys. */
function priceSecrets({ p, of, add }: Pricing): void {
    const managed = of("aws:rds/instance:Instance").filter((d) => d.inputs.manageMasterUserPassword === true).length;
    const secrets = managed + of("aws:secretsmanager/secret:Secret").length;
    if (secrets > 0) {
        const servers = of("aws:autoscaling/group:Group").filter((g) => !isNatInstancePart(g)).reduce((n, g) => n + Number(g.inputs.desiredCapacity ?? 0), 0);
        const calls = servers * secrets * 4 * HOURS;
        add("Secrets Manager", `${secrets} secrets × ${money(p.secretMonth)} + ${calls} reads (${servers} servers every 15 min) × ${money(p.secretPer10kCalls)}/10k`, secrets * p.secretMonth + (calls / 10000) * p.secretPer10kCalls, p.secretSource);
    }
    const keys = of("aws:kms/key:Key").length;
    if (keys > 0) add("KMS customer keys", `${keys} × ${money(p.kmsKeyMonth)}`, keys * p.kmsKeyMonth, p.kmsSource);
}

/** Status page: table writes by schedule, reads by views, HTTP API requests. */
function priceStatusPage({ a, p, of, add }: Pricing): void {
    for (const table of of("aws:dynamodb/table:Table")) {
        const rule = of("aws:cloudwatch/eventRule:EventRule").find((r) => /rate\(/.test(String(r.inputs.scheduleExpression)));
        const minutes = Number(/rate\((\d+)/.exec(String(rule?.inputs.scheduleExpression))?.[1] ?? 1);
        const writes = (HOURS * 60) / minutes;
        add(`DynamoDB ${table.name}`, `${Math.round(writes)} writes + ${a.statusPageViews} queries (assumption statusPageViews)`, (writes / 1e6) * p.dynamoWritePer1M + (a.statusPageViews * 10 / 1e6) * p.dynamoReadPer1M + 0.05 * p.dynamoGbMonth, p.dynamoSource);
    }
    const apis = of("aws:apigatewayv2/api:Api").length;
    if (apis > 0) add("HTTP API", `${apis} × ${a.statusPageViews} requests × ${money(p.httpApiPer1M)}/1M`, apis * (a.statusPageViews / 1e6) * p.httpApiPer1M, p.httpApiSource);
}

/** Parses `key=value` overrides of the assumptions; throws on an unknown key or a bad number. */
export function parseAssumptions(pairs: readonly string[]): Partial<Assumptions> {
    const out: Partial<Assumptions> = {};
    for (const pair of pairs) {
        const [key, value] = pair.split("=");
        if (!(key in DEFAULT_ASSUMPTIONS)) throw new Error(`unknown assumption "${key}"; known: ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`);
        const n = Number(value);
        if (value === undefined || value === "" || !Number.isFinite(n) || n < 0) throw new Error(`assumption ${key} needs a number ≥ 0, got "${value ?? ""}"`);
        out[key as keyof Assumptions] = n;
    }
    return out;
}
