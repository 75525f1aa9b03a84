/**
 * The one shared Pulumi mocks module. It records every resource registered
 * (type, name, inputs, options), returns deterministic ids, ARNs and realistic
 * computed outputs, answers the invokes the program uses and throws
 * `unmocked invoke: <token>` for any other.
 *
 * Usage:
 *   const run = await startMocks({ config: loadStackConfig("dev").config });
 *   ... build components ...
 *   await settle();            // every registration has reached the mocks
 *   run.byType("aws:rds/instance:Instance")
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { ENGINE_INFO, isEngine, type Engine } from "../common/engines";

export const PROJECT = "dashboard";
export const ACCOUNT_ID = "123456789012";

/** One registered resource as the mocks saw it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** URN of the parent ("" for top-level resources). */
    readonly parent: string;
    readonly custom: boolean;
    readonly inputs: Record<string, any>;
    /** The state the mocks returned (inputs plus computed outputs). */
    readonly state: Record<string, any>;
    readonly id: string;
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly dependencies: readonly string[];
    /** Per input, the URNs of the resources its value was computed from (what a policy pack sees as `propertyDependencies`). */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly replaceOnChanges: readonly string[];
    readonly provider: string;
}

/** An invoke as the mocks saw it. */
export interface RecordedInvoke {
    readonly token: string;
    readonly inputs: Record<string, any>;
    /** Reference of the provider the invoke went through ("" = the default provider). */
    readonly provider: string;
}

/** Facts about subnets of an existing VPC, for `aws:ec2/getSubnet:getSubnet`. */
export interface SubnetFact {
    readonly vpcId: string;
    readonly availabilityZone: string;
    readonly cidrBlock: string;
}

/** Facts about an existing VPC, for `aws:ec2/getVpc:getVpc`. */
export interface VpcFact {
    /** @default "10.1.0.0/16" (or `vpcCidrs`) */
    readonly cidrBlock?: string;
    /** @default true */
    readonly enableDnsSupport?: boolean;
    /** @default true */
    readonly enableDnsHostnames?: boolean;
}

/** Facts about a DB snapshot (`getSnapshot`) or a source DB instance (`getInstance`). */
export interface RestoreSourceFact {
    readonly engine: string;
    /** Full version, e.g. `16.4`. */
    readonly engineVersion: string;
    readonly allocatedStorageGb: number;
    readonly encrypted: boolean;
}

/** Facts about an image, for `aws:ec2/getAmi:getAmi`. */
export interface ImageFact {
    readonly rootDeviceName: string;
    /** Size of the root snapshot; undefined = an instance-store root. */
    readonly rootSnapshotGb?: number;
    /** @default "mock-image" */
    readonly name?: string;
}

/** The AMI the mocks' Amazon Linux 2023 parameters hold: /dev/xvda, an 8 GB root snapshot. */
export const MOCK_AL2023_AMI = "ami-0a1b2c3d4e5f60718";
/** The AMI every other parameter holds, like the vendor's image (Ubuntu): /dev/sda1, an 8 GB root snapshot. */
export const MOCK_VENDOR_AMI = "ami-0123456789abcdef0";

export interface MockOptions {
    /** @default "test" */
    readonly stack?: string;
    /** @default "us-east-1" */
    readonly region?: string;
    /** Full config keys (`dashboard:customer`) to string values. */
    readonly config?: Record<string, string>;
    /** Config keys set with --secret. */
    readonly secretKeys?: readonly string[];
    /** Subnets of existing VPCs by id (null: does not exist); unknown ids get a deterministic zone in `vpc-0aaaaaaaaaaaaaaaa`. */
    readonly subnets?: Record<string, SubnetFact | null>;
    /** VPC CIDR blocks of existing VPCs by id. @default 10.1.0.0/16 for any id */
    readonly vpcCidrs?: Record<string, string>;
    /** Facts of existing VPCs by id (null: does not exist). @default every VPC exists, DNS support and hostnames on */
    readonly vpcs?: Record<string, VpcFact | null>;
    /** DB snapshots by identifier. @default none: every snapshot look-up answers "no results" */
    readonly snapshots?: Record<string, RestoreSourceFact>;
    /** Source DB instances by identifier. @default none: every instance look-up answers "not found" */
    readonly dbInstances?: Record<string, RestoreSourceFact>;
    /** Images by AMI id (null: does not exist). @default {@link MOCK_AL2023_AMI} is Amazon Linux, any other id vendor-like */
    readonly images?: Record<string, ImageFact | null>;
    /** SSM parameter values by name (null: does not exist). @default Amazon Linux parameters hold {@link MOCK_AL2023_AMI}, others {@link MOCK_VENDOR_AMI} */
    readonly parameters?: Record<string, string | null>;
    /** Extra or overriding invoke answers by token. */
    readonly invokes?: Record<string, (inputs: Record<string, any>) => Record<string, any>>;
    /** Run as a preview (unknown computed values). @default false */
    readonly preview?: boolean;
}

/** What one mocked program run registered. */
export class MockRun {
    readonly resources: RecordedResource[] = [];
    readonly invokes: RecordedInvoke[] = [];
    constructor(readonly options: MockOptions) {}

    get region(): string {
        return this.options.region ?? "us-east-1";
    }

    /** Every resource of a type token, e.g. `aws:s3/bucket:Bucket`. */
    byType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type and logical name; fails when missing. */
    get(type: string, name: string): RecordedResource {
        const found = this.resources.filter((r) => r.type === type && r.name === name);
        assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}; have: ${this.byType(type).map((r) => r.name).join(", ")}`);
        return found[0];
    }

    /** The resource whose logical name is `name`, of any type; fails when missing or ambiguous. */
    named(name: string): RecordedResource {
        const found = this.resources.filter((r) => r.name === name);
        assert.equal(found.length, 1, `expected one resource named ${name}, found ${found.length}`);
        return found[0];
    }

    /** The direct children of a resource. */
    childrenOf(parent: RecordedResource): RecordedResource[] {
        return this.resources.filter((r) => r.parent === parent.urn);
    }

    /** Fails on two resources with the same (type, name): Pulumi would reject the program. */
    assertNoDuplicates(): void {
        const seen = new Set<string>();
        const dupes: string[] = [];
        for (const r of this.resources) {
            const key = `${r.type}::${r.name}`;
            if (seen.has(key)) dupes.push(key);
            seen.add(key);
        }
        assert.deepEqual(dupes, [], `duplicate (type, name) pairs: ${dupes.join(", ")}`);
    }
}

let current: MockRun | undefined;

/** The run started by the last {@link startMocks}. */
export function currentRun(): MockRun {
    if (current === undefined) throw new Error("startMocks() has not been called");
    return current;
}

/**
 * Installs fresh mocks and config, and returns the run that records what the
 * program registers. Call before constructing any resource.
 */
export async function startMocks(options: MockOptions = {}): Promise<MockRun> {
    const run = new MockRun(options);
    current = run;
    const region = run.region;
    const config: Record<string, string> = { "aws:region": region, ...(options.config ?? {}) };
    pulumi.runtime.setAllConfig(config, [...(options.secretKeys ?? [])]);
    const mocks: pulumi.runtime.Mocks = {
        newResource: (args) => {
            const computed = computedOutputs(args.type, args.name, args.inputs ?? {}, region, mockId(args.type, args.name), options);
            // A bucket's id is its name, as in AWS.
            const id: string = args.type === "aws:s3/bucket:Bucket" ? computed.bucket : computed.id;
            return { id, state: { ...args.inputs, ...computed, id } };
        },
        call: (args) => {
            run.invokes.push({ token: args.token, inputs: args.inputs, provider: args.provider ?? "" });
            const custom = options.invokes?.[args.token];
            if (custom !== undefined) return custom(args.inputs);
            return answerInvoke(args.token, args.inputs ?? {}, region, options);
        },
    };
    await pulumi.runtime.setMocks(mocks, PROJECT, options.stack ?? "test", options.preview ?? false);
    recordRegistrations(run);
    return run;
}

/** Wraps the mock monitor so each registration's options (parent, protect, …) are recorded. */
function recordRegistrations(run: MockRun): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: any, cb: (err: any, res: any) => void): Promise<void>;
        resources: Map<string, { urn: string; id: string | null; state: any }>;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: (err: any, res: any) => void) =>
        original(req, (err: any, res: any) => {
            if (!err && res) {
                const urn: string = res.getUrn();
                const stateStruct = res.getObject();
                const state = stateStruct ? pulumi.runtime.deserializeProperties(stateStruct) : {};
                run.resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn,
                    parent: req.getParent() ?? "",
                    custom: req.getCustom(),
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                    state,
                    id: res.getId(),
                    protect: req.getProtect() === true,
                    ignoreChanges: req.getIgnorechangesList(),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: propertyDependenciesOf(req),
                    retainOnDelete: req.getRetainondelete() === true,
                    deleteBeforeReplace: req.getDeletebeforereplace() === true,
                    replaceOnChanges: req.getReplaceonchangesList(),
                    provider: req.getProvider() ?? "",
                });
            }
            cb(err, res);
        });
}

/** The request's property dependencies, input name → URNs (inputs that depend on nothing are left out). */
function propertyDependenciesOf(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        const urns: string[] = deps.getUrnsList();
        if (urns.length > 0) out[key] = urns;
    });
    return out;
}

/** Waits until every resource registration and invoke under way has reached the mocks. */
export async function settle(): Promise<void> {
    // waitForRPCs is exported at run time but internal in the typings.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    for (let i = 0; i < 3; i++) {
        await settings.waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/**
 * The value of an Output (or plain value), awaited; rejects when the Output
 * fails (an apply would never call back, and the test would time out instead).
 * Never use inside an un-awaited apply.
 */
export function valueOf<T>(value: pulumi.Input<T>): Promise<T> {
    // `promise()` is on every Output at run time but internal in the typings.
    return (pulumi.output(value) as unknown as { promise(): Promise<T> }).promise();
}

/** Whether an Output is marked secret. */
export async function isSecretOutput(value: pulumi.Output<unknown>): Promise<boolean> {
    return (value as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** A deterministic short hash. */
export function shortHash(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function mockId(type: string, name: string): string {
    const h = shortHash(`${type}/${name}`, 17);
    const prefixes: Record<string, string> = {
        "aws:ec2/securityGroup:SecurityGroup": "sg-",
        "aws:ec2/vpc:Vpc": "vpc-",
        "aws:ec2/subnet:Subnet": "subnet-",
        "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
        "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
        "aws:ec2/networkInterface:NetworkInterface": "eni-",
        "aws:ec2/eip:Eip": "eipalloc-",
        "aws:ec2/flowLog:FlowLog": "fl-",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
        "aws:efs/fileSystem:FileSystem": "fs-",
        "aws:efs/accessPoint:AccessPoint": "fsap-",
        "aws:efs/mountTarget:MountTarget": "fsmt-",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
    };
    const prefix = prefixes[type];
    if (prefix !== undefined) return `${prefix}${h}`;
    return `${name}-id`;
}

/** The AWS service and ARN resource path of a type token, for ARNs. */
function arnFor(type: string, name: string, inputs: Record<string, any>, region: string, physical: string): string {
    const [pkg, mod] = type.split(":");
    if (pkg !== "aws") return `arn:aws:${pkg}:${region}:${ACCOUNT_ID}:${name}`;
    const service = mod.split("/")[0];
    const a = (svc: string, resource: string, r = region) => `arn:aws:${svc}:${r}:${ACCOUNT_ID}:${resource}`;
    switch (type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return `arn:aws:s3:::${physical}`;
        case "aws:iam/role:Role":
            return `arn:aws:iam::${ACCOUNT_ID}:role/${physical}`;
        case "aws:iam/policy:Policy":
            return `arn:aws:iam::${ACCOUNT_ID}:policy/${physical}`;
        case "aws:iam/instanceProfile:InstanceProfile":
            return `arn:aws:iam::${ACCOUNT_ID}:instance-profile/${physical}`;
        case "aws:cloudwatch/logGroup:LogGroup":
            return a("logs", `log-group:${physical}`);
        case "aws:lambda/function:Function":
            return a("lambda", `function:${physical}`);
        case "aws:sqs/queue:Queue":
            return a("sqs", physical);
        case "aws:sns/topic:Topic":
            return a("sns", physical);
        case "aws:secretsmanager/secret:Secret":
            return a("secretsmanager", `secret:${physical}-AbCdEf`);
        case "aws:rds/instance:Instance":
            return a("rds", `db:${physical}`);
        case "aws:efs/fileSystem:FileSystem":
            return a("elasticfilesystem", `file-system/${physical}`);
        case "aws:efs/accessPoint:AccessPoint":
            return a("elasticfilesystem", `access-point/${physical}`);
        case "aws:lb/loadBalancer:LoadBalancer":
            return a("elasticloadbalancing", `loadbalancer/app/${physical}/${shortHash(name, 16)}`);
        case "aws:lb/targetGroup:TargetGroup":
            return a("elasticloadbalancing", `targetgroup/${physical}/${shortHash(name, 16)}`);
        case "aws:lb/listener:Listener":
            return a("elasticloadbalancing", `listener/app/${physical}/${shortHash(name, 16)}`);
        case "aws:acm/certificate:Certificate":
            return a("acm", `certificate/${shortHash(name, 8)}-0000-4000-8000-${shortHash(name, 12)}`);
        case "aws:autoscaling/group:Group":
            return a("autoscaling", `autoScalingGroup:${shortHash(name, 8)}:autoScalingGroupName/${physical}`);
        case "aws:dynamodb/table:Table":
            return a("dynamodb", `table/${physical}`);
        case "aws:kms/key:Key":
            return a("kms", `key/${shortHash(name, 8)}-0000-4000-8000-${shortHash(name, 12)}`);
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return a("cloudwatch", `alarm:${physical}`);
        case "aws:cloudwatch/eventRule:EventRule":
            return a("events", `rule/${physical}`);
        case "aws:apigatewayv2/api:Api":
            return a("apigateway", `/apis/${physical}`);
        case "aws:ecs/cluster:Cluster":
            return a("ecs", `cluster/${physical}`);
        case "aws:ecs/service:Service":
            // The long ARN format: the cluster's name in the service's ARN.
            return a("ecs", `service/${String(inputs.cluster ?? "default").split("/").pop()}/${physical}`);
        case "aws:ecs/taskDefinition:TaskDefinition":
            return a("ecs", `task-definition/${inputs.family}:1`);
        case "aws:sfn/stateMachine:StateMachine":
            return a("states", `stateMachine:${physical}`);
        case "aws:servicediscovery/httpNamespace:HttpNamespace":
            return a("servicediscovery", `namespace/ns-${shortHash(name, 16)}`);
        default:
            return a(service, `${mod.split("/")[1] ?? mod}/${physical}`);
    }
    void inputs;
}

/** Realistic computed outputs by resource type, on top of the inputs. */
function computedOutputs(
    type: string,
    name: string,
    inputs: Record<string, any>,
    region: string,
    id: string,
    options: MockOptions,
): Record<string, any> {
    // Auto-naming: Pulumi gives `<name>-<7 random hex>` when no physical name is set.
    const auto = `${name}-${shortHash(`${options.stack ?? "test"}/${name}`, 7)}`;
    const physical: string = inputs.name ?? inputs.bucket ?? inputs.identifier ?? inputs.functionName ?? auto;
    const arn = arnFor(type, name, inputs, region, physical);
    const base: Record<string, any> = { arn, id };
    switch (type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return { ...base, bucket: physical, bucketDomainName: `${physical}.s3.amazonaws.com`, bucketRegionalDomainName: `${physical}.s3.${region}.amazonaws.com`, region };
        case "aws:rds/instance:Instance": {
            const port = inputs.port ?? (String(inputs.engine ?? "").startsWith("postgres") ? 5432 : 3306);
            const address = `${physical}.c0mock0abcd.${region}.rds.amazonaws.com`;
            return {
                ...base,
                identifier: physical,
                address,
                endpoint: `${address}:${port}`,
                port,
                resourceId: `db-${shortHash(name, 26).toUpperCase()}`,
                hostedZoneId: "Z2R2ITUGPM61AM",
                masterUserSecrets: inputs.manageMasterUserPassword
                    ? [{ secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:rds!db-${shortHash(name, 8)}-0000-4000-8000-${shortHash(name, 12)}-AbCdEf`, kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/aws-rds`, secretStatus: "active" }]
                    : [],
            };
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return { ...base, name: physical, dnsName: `${physical}-1234567890.${region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K", arnSuffix: arn.split(":loadbalancer/")[1] };
        case "aws:lb/targetGroup:TargetGroup":
            return { ...base, name: physical, arnSuffix: arn.split(":")[5] };
        case "aws:acm/certificate:Certificate": {
            const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].filter(Boolean);
            return {
                ...base,
                domainValidationOptions: names.map((d) => ({
                    domainName: d,
                    resourceRecordName: `_${shortHash(d, 32)}.${d}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${shortHash(`v${d}`, 32)}.acm-validations.aws.`,
                })),
            };
        }
        case "aws:efs/fileSystem:FileSystem":
            return { ...base, dnsName: `${id}.efs.${region}.amazonaws.com`, sizeInBytes: [{ value: 6144 }] };
        case "aws:efs/accessPoint:AccessPoint":
            return { ...base, fileSystemArn: `arn:aws:elasticfilesystem:${region}:${ACCOUNT_ID}:file-system/${inputs.fileSystemId}` };
        case "aws:lambda/function:Function":
            return { ...base, name: physical, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST" };
        case "aws:sqs/queue:Queue":
            return { ...base, name: physical, url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}` };
        case "aws:apigatewayv2/api:Api":
            return { ...base, apiEndpoint: `https://${shortHash(name, 10)}.execute-api.${region}.amazonaws.com`, executionArn: `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${shortHash(name, 10)}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { ...base, latestVersion: 1, defaultVersion: 1 };
        case "aws:ec2/eip:Eip":
            return { ...base, allocationId: id, publicIp: `198.51.100.${parseInt(shortHash(name, 2), 16) % 250}` };
        case "aws:ec2/networkInterface:NetworkInterface":
            return { ...base, privateIp: `10.0.96.${parseInt(shortHash(name, 2), 16) % 250}` };
        case "aws:ec2/vpc:Vpc":
            return { ...base, defaultSecurityGroupId: `sg-${shortHash(`${name}/default`, 17)}` };
        case "awsx:ec2:Vpc":
            return { ...base, ...awsxVpcOutputs(name, inputs, region) };
        case "aws:route53/record:Record":
            return { ...base, fqdn: inputs.name };
        case "aws:ecs/taskDefinition:TaskDefinition":
            return { ...base, revision: 1, arnWithoutRevision: arn.replace(/:\d+$/, "") };
        case "aws:servicediscovery/httpNamespace:HttpNamespace":
            return { ...base, id: arn.split("/").pop(), name: physical };
        case "aws:secretsmanager/secretVersion:SecretVersion": {
            // A new value is a new version, as in Secrets Manager.
            const versionId = `${shortHash(`${name}/${JSON.stringify(inputs.secretString ?? "")}`, 8)}-0000-4000-8000-${shortHash(JSON.stringify(inputs.secretString ?? ""), 12)}`;
            return { ...base, versionId, id: `${inputs.secretId}|${versionId}` };
        }
        case "random:index/randomString:RandomString":
            return { id, result: randomString(`${options.stack ?? "test"}/${name}`, inputs) };
        case "random:index/randomId:RandomId": {
            const hex = shortHash(`${options.stack ?? "test"}/${name}`, 2 * (inputs.byteLength ?? 8));
            return { id: hex, hex, dec: BigInt(`0x${hex}`).toString(), b64Url: Buffer.from(hex, "hex").toString("base64url"), b64Std: Buffer.from(hex, "hex").toString("base64") };
        }
        default:
            return inputs.name === undefined && needsName(type) ? { ...base, name: physical } : base;
    }
    void options;
}

/**
 * What @pulumi/random would return: different per stack (the real one is
 * random, so two stacks never share it), deterministic per stack and name.
 */
function randomString(seed: string, inputs: Record<string, any>): string {
    let alphabet = "";
    if (inputs.lower !== false) alphabet += "abcdefghijklmnopqrstuvwxyz";
    if (inputs.upper !== false) alphabet += "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if (inputs.numeric !== false && inputs.number !== false) alphabet += "0123456789";
    if (inputs.special !== false) alphabet += inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?";
    const bytes = createHash("sha512").update(seed).digest();
    return Array.from({ length: inputs.length ?? 16 }, (_, i) => alphabet[bytes[i % bytes.length] % alphabet.length]).join("");
}

/** Types whose `name` output is the auto-generated physical name. */
function needsName(type: string): boolean {
    return [
        "aws:iam/role:Role",
        "aws:iam/policy:Policy",
        "aws:iam/instanceProfile:InstanceProfile",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:autoscaling/group:Group",
        "aws:sns/topic:Topic",
        "aws:secretsmanager/secret:Secret",
        "aws:dynamodb/table:Table",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/dashboard:Dashboard",
        "aws:ecs/cluster:Cluster",
        "aws:ecs/service:Service",
        "aws:sfn/stateMachine:StateMachine",
        "aws:appautoscaling/policy:Policy",
    ].includes(type);
}

/**
 * What awsx's `ec2.Vpc` (one remote component under mocks: its children are
 * not built) returns: subnets per tier and zone, route tables, NAT gateways.
 */
function awsxVpcOutputs(name: string, inputs: Record<string, any>, region: string): Record<string, any> {
    const zones: string[] = inputs.availabilityZoneNames ?? [`${region}a`, `${region}b`].slice(0, inputs.numberOfAvailabilityZones ?? 2);
    const vpcId = `vpc-${shortHash(`${name}/vpc`, 17)}`;
    const specs: Array<{ type: string; name?: string }> = inputs.subnetSpecs ?? [{ type: "Public" }, { type: "Private" }];
    const tierIds = (tier: string) => zones.map((z) => `subnet-${shortHash(`${name}/${tier}/${z}`, 17)}`);
    const natCount = inputs.natGateways?.strategy === "OnePerAz" ? zones.length : inputs.natGateways?.strategy === "Single" ? 1 : 0;
    const routeTableIds = (tier: string) => zones.map((z) => `rtb-${shortHash(`${name}/${tier}/${z}/rt`, 17)}`);
    const has = (tier: string) => specs.some((s) => s.type === tier);
    return {
        vpcId,
        vpc: { id: vpcId, cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16", defaultSecurityGroupId: `sg-${shortHash(`${name}/default-sg`, 17)}` },
        publicSubnetIds: has("Public") ? tierIds("public") : [],
        privateSubnetIds: has("Private") ? tierIds("private") : [],
        isolatedSubnetIds: has("Isolated") ? tierIds("isolated") : [],
        // Each route table carries the tags awsx gives it (Name, SubnetType), as the real component's do.
        routeTables: [
            ...(has("Public") ? routeTableIds("public").map((id, i) => ({ id, tags: { Name: `${name}-public-${i + 1}`, SubnetType: "Public" } })) : []),
            ...(has("Private") ? routeTableIds("private").map((id, i) => ({ id, tags: { Name: `${name}-private-${i + 1}`, SubnetType: "Private" } })) : []),
            ...(has("Isolated") ? routeTableIds("isolated").map((id, i) => ({ id, tags: { Name: `${name}-isolated-${i + 1}`, SubnetType: "Isolated" } })) : []),
        ],
        natGateways: Array.from({ length: natCount }, (_, i) => ({ id: `nat-${shortHash(`${name}/nat/${i}`, 17)}` })),
        eips: Array.from({ length: natCount }, (_, i) => ({ id: `eipalloc-${shortHash(`${name}/eip/${i}`, 17)}` })),
    };
}

function answerInvoke(token: string, inputs: Record<string, any>, region: string, options: MockOptions): Record<string, any> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const letters = ["a", "b", "c", "d", "e", "f"];
            return {
                id: region,
                names: letters.map((l) => `${region}${l}`),
                zoneIds: letters.map((_, i) => `use1-az${i + 1}`),
                groupNames: letters.map(() => region),
                state: inputs.state,
            };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "AIDAMOCK", id: ACCOUNT_ID };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:ssm/getParameter:getParameter": {
            const name = String(inputs.name);
            const given = options.parameters?.[name];
            if (given === null) throw mockError(`reading SSM Parameter (${name}): ParameterNotFound`);
            const value = given ?? (name.startsWith("/aws/service/ami-amazon-linux-latest/") ? MOCK_AL2023_AMI : MOCK_VENDOR_AMI);
            return { name, value, type: "String", version: 1, arn: `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${name}`, id: name, insecureValue: value };
        }
        case "aws:ec2/getAmi:getAmi": {
            const wanted: string | undefined = (inputs.filters ?? []).find((f: { name: string }) => f.name === "image-id")?.values?.[0];
            const id = wanted ?? MOCK_AL2023_AMI;
            const fact = imageFact(id, options);
            if (fact === undefined) throw mockError("Your query returned no results. Please change your search criteria and try again.");
            const mappings = fact.rootSnapshotGb === undefined ? [] : [{ deviceName: fact.rootDeviceName, ebs: { volume_size: String(fact.rootSnapshotGb), volume_type: "gp3", encrypted: "false", delete_on_termination: "true", snapshot_id: `snap-${shortHash(id, 17)}` }, noDevice: "", virtualName: "" }];
            return { id, imageId: id, architecture: "x86_64", name: fact.name ?? "mock-image", rootDeviceName: fact.rootDeviceName, rootDeviceType: "ebs", blockDeviceMappings: mappings };
        }
        case "aws:ec2/getVpc:getVpc": {
            const fact = options.vpcs?.[inputs.id];
            if (fact === null) throw mockError("no matching EC2 VPC found");
            const cidrBlock = fact?.cidrBlock ?? options.vpcCidrs?.[inputs.id] ?? "10.1.0.0/16";
            return { id: inputs.id, cidrBlock, enableDnsSupport: fact?.enableDnsSupport ?? true, enableDnsHostnames: fact?.enableDnsHostnames ?? true, arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:vpc/${inputs.id}` };
        }
        case "aws:ec2/getSubnet:getSubnet": {
            const given = options.subnets?.[inputs.id];
            if (given === null) throw mockError("no matching EC2 Subnet found");
            const fact = given ?? defaultSubnet(inputs.id, region);
            return { id: inputs.id, ...fact, arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:subnet/${inputs.id}` };
        }
        case "aws:rds/getSnapshot:getSnapshot": {
            const fact = options.snapshots?.[inputs.dbSnapshotIdentifier];
            if (fact === undefined) throw mockError("Your query returned no results. Please change your search criteria and try again.");
            return { id: inputs.dbSnapshotIdentifier, dbSnapshotIdentifier: inputs.dbSnapshotIdentifier, engine: fact.engine, engineVersion: fact.engineVersion, allocatedStorage: fact.allocatedStorageGb, encrypted: fact.encrypted, status: "available", snapshotType: "manual" };
        }
        case "aws:rds/getInstance:getInstance": {
            const fact = options.dbInstances?.[inputs.dbInstanceIdentifier];
            if (fact === undefined) throw mockError(`reading RDS DB Instance (${inputs.dbInstanceIdentifier}): couldn't find resource`);
            return { id: inputs.dbInstanceIdentifier, dbInstanceIdentifier: inputs.dbInstanceIdentifier, engine: fact.engine, engineVersion: fact.engineVersion, allocatedStorage: fact.allocatedStorageGb, storageEncrypted: fact.encrypted };
        }
        case "aws:route53/getZone:getZone": {
            const zoneName = String(inputs.name ?? "example.com").replace(/\.$/, "");
            return { id: inputs.zoneId ?? `Z${shortHash(zoneName, 12).toUpperCase()}`, zoneId: inputs.zoneId ?? `Z${shortHash(zoneName, 12).toUpperCase()}`, name: inputs.zoneId ? "example.com" : zoneName, privateZone: false };
        }
        case "aws:kms/getKey:getKey": {
            const keyId = String(inputs.keyId);
            const arn = /^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\//.test(keyId) ? keyId : `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${shortHash(keyId, 8)}-0000-4000-8000-${shortHash(keyId, 12)}`;
            return { id: arn.split("/").pop(), arn, keyId, enabled: true, keyState: "Enabled" };
        }
        case "aws:elb/getServiceAccount:getServiceAccount":
            return { id: "127311923021", arn: "arn:aws:iam::127311923021:root" };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
            // AWS-managed lists, e.g. com.amazonaws.<region>.s3; ids are pl- and 8 hex digits.
            const listName = String(inputs.name ?? inputs.id ?? "");
            const id = inputs.id ?? `pl-${shortHash(listName, 8)}`;
            return { id, name: listName, arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`, addressFamily: "IPv4", maxEntries: 0, ownerId: "AWS", entries: [], tags: {}, version: 1 };
        }
        default:
            throw mockError(`unmocked invoke: ${token}`);
    }
}

/** An image's facts: the test's, else Amazon Linux for {@link MOCK_AL2023_AMI} and vendor-like (Ubuntu) for any other id. */
function imageFact(id: string, options: MockOptions): ImageFact | undefined {
    const given = options.images?.[id];
    if (given === null) return undefined;
    if (given !== undefined) return given;
    return id === MOCK_AL2023_AMI
        ? { rootDeviceName: "/dev/xvda", rootSnapshotGb: 8, name: "al2023-ami-mock" }
        : { rootDeviceName: "/dev/sda1", rootSnapshotGb: 8, name: "vendor-dashboard-ubuntu-20.04-mock" };
}

/** The runtime reports a monitor error by its gRPC `details`, so set them to the message. */
function mockError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/** A subnet id's zone, derived deterministically from the id: its last hex digit mod 3. */
function defaultSubnet(id: string, region: string): SubnetFact {
    const digit = parseInt(id.slice(-1), 16);
    const zone = ["a", "b", "c"][Number.isNaN(digit) ? 0 : digit % 3];
    return { vpcId: "vpc-0aaaaaaaaaaaaaaaa", availabilityZone: `${region}${zone}`, cidrBlock: `10.1.${Number.isNaN(digit) ? 0 : digit}.0/24` };
}

/** A stack file's config as the Pulumi CLI would hand it to the program. */
export interface StackConfig {
    /** Full keys (`dashboard:customer`) to string values; objects JSON-encoded. */
    readonly config: Record<string, string>;
    /** Keys whose value (or part of it) is encrypted in the stack file. */
    readonly secretKeys: string[];
    /** The `aws:region` of the stack, if it sets one. */
    readonly region?: string;
}

/**
 * Subnet facts for an existing network named in a stack's config, as the
 * offline plan assumes them: every subnet in the configured VPC, the subnets of
 * a tier spread over zones a to f in list order. A real `pulumi preview`
 * checks the real facts.
 */
export function subnetFactsFor(config: Record<string, string>, region: string): Record<string, SubnetFact> {
    const raw = config["dashboard:network"];
    if (raw === undefined) return {};
    let network: Record<string, unknown>;
    try {
        network = JSON.parse(raw) as Record<string, unknown>;
    } catch {
        return {};
    }
    const facts: Record<string, SubnetFact> = {};
    if (typeof network.vpcId !== "string") return facts;
    ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"].forEach((tier, t) => {
        const ids = Array.isArray(network[tier]) ? (network[tier] as unknown[]) : [];
        ids.forEach((id, i) => {
            if (typeof id === "string") facts[id] = { vpcId: network.vpcId as string, availabilityZone: `${region}${"abcdef"[i % 6]}`, cidrBlock: `10.1.${t * 16 + i}.0/24` };
        });
    });
    return facts;
}

/**
 * The restore source named in a stack's config (`database.snapshotIdentifier`, or the
 * point-in-time source instance), as the offline plan assumes it: the configured engine and
 * major version, encrypted, with the configured storage. A real `pulumi preview` checks the real one.
 */
export function restoreFactsFor(config: Record<string, string>): Record<string, RestoreSourceFact> {
    let database: Record<string, any>;
    try {
        database = JSON.parse(config["dashboard:database"] ?? "{}") as Record<string, any>;
    } catch {
        return {};
    }
    const engine: string = typeof database.engine === "string" && isEngine(database.engine) ? database.engine : "mariadb";
    const version = String(database.version ?? ENGINE_INFO[engine as Engine].defaultVersion);
    const fact = { engine, engineVersion: `${version}.1`, allocatedStorageGb: Number(database.storageGb ?? 20), encrypted: true };
    const ids = [database.snapshotIdentifier, database.restoreToPointInTime?.sourceDbInstanceIdentifier].filter((id): id is string => typeof id === "string");
    return Object.fromEntries(ids.map((id) => [id, fact]));
}

/** Value given to encrypted (`secure:`) values, which are never decrypted here. */
export const SECRET_PLACEHOLDER = "encrypted-in-stack-file";

/** Loads `Pulumi.<stack>.yaml` from the repository root (or `dir`). */
export function loadStackConfig(stack: string, dir = path.join(__dirname, "..")): StackConfig {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    return stackConfigFromYaml(fs.readFileSync(file, "utf8"));
}

/** Turns the text of a stack file into config as the CLI hands it over. */
export function stackConfigFromYaml(text: string): StackConfig {
    const doc = (parseYaml(text) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        let secret = false;
        const decrypted = replaceSecure(value, () => (secret = true));
        if (secret) secretKeys.push(key);
        config[key] = typeof decrypted === "string" ? decrypted : JSON.stringify(decrypted);
    }
    return { config, secretKeys, region: config["aws:region"] };
}

function replaceSecure(value: unknown, onSecret: () => void): unknown {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => replaceSecure(v, onSecret));
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && typeof obj.secure === "string") {
        onSecret();
        return SECRET_PLACEHOLDER;
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, replaceSecure(v, onSecret)]));
}
