import * as assert from "node:assert/strict";
import type { NatGateways } from "../../../config/types";
import { Network, type NetworkArgs, pickZones } from "../../../components/network";
import { ACCOUNT_ID, type MockRun, settle, startMocks, valueOf } from "../../mocks";

const AWSX_VPC = "awsx:ec2:Vpc";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/** The /16 layout in three zones, written out (the split has its own table tests). */
const LAYOUT_16 = {
    public: ["10.0.96.0/20", "10.0.112.0/20", "10.0.128.0/20"],
    private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
    isolated: ["10.0.144.0/20", "10.0.160.0/20", "10.0.176.0/20"],
};

function newArgs(overrides: Partial<Extract<NetworkArgs, { mode: "new" }>> = {}): NetworkArgs {
    return {
        mode: "new",
        cidr: "10.0.0.0/16",
        availabilityZones: 3,
        natGateways: "single",
        natInstance: { instanceType: "t4g.nano", perZone: false },
        interfaceEndpoints: [],
        flowLogs: true,
        logRetentionDays: 14,
        ...overrides,
    };
}

/** Builds one Network under fresh mocks and waits for every registration. */
async function build(args: NetworkArgs, options: Parameters<typeof startMocks>[0] = {}): Promise<{ run: MockRun; network: Network }> {
    const run = await startMocks(options);
    const network = new Network("net", args);
    await settle();
    return { run, network };
}

/** Every ingress source in a run: rule resources and any inline rules. */
function ingressSources(run: MockRun): string[] {
    const inline = [...run.byType(SG), ...run.byType(DEFAULT_SG)].flatMap((sg) =>
        (sg.inputs.ingress ?? []).flatMap((r: any) => [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])]),
    );
    const rules = run.byType(INGRESS).flatMap((r) => [r.inputs.cidrIpv4, r.inputs.cidrIpv6].filter((c) => c !== undefined));
    return [...inline, ...rules];
}

describe("components/network", () => {
    describe("new network", () => {
        const expectedNat: Record<NatGateways, string> = { none: "None", single: "Single", onePerAz: "OnePerAz", instance: "None" };
        for (const nat of ["none", "single", "onePerAz"] as const) {
            it(`hands awsx the exact VPC args with natGateways ${nat}`, async () => {
                const { run } = await build(newArgs({ natGateways: nat, interfaceEndpoints: nat === "none" ? ["ssm"] : [] }), { region: "eu-west-1" });
                assert.deepEqual(run.get(AWSX_VPC, "net-vpc").inputs, {
                    cidrBlock: "10.0.0.0/16",
                    availabilityZoneNames: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                    enableDnsSupport: true,
                    enableDnsHostnames: true,
                    subnetStrategy: "Auto",
                    subnetSpecs: [
                        { type: "Public", cidrBlocks: LAYOUT_16.public },
                        { type: "Private", cidrBlocks: LAYOUT_16.private },
                        { type: "Isolated", cidrBlocks: LAYOUT_16.isolated },
                    ],
                    natGateways: { strategy: expectedNat[nat] },
                });
                assert.equal(run.get(AWSX_VPC, "net-vpc").parent, run.get("dashboard:network:Network", "net").urn);
            });
        }

        it("looks the zones up once, only those needing no opt-in, and takes the first N", async () => {
            const { run, network } = await build(newArgs({ availabilityZones: 2, cidr: "10.20.0.0/20" }));
            const lookups = run.invokes.filter((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones");
            assert.deepEqual(lookups.map((l) => l.inputs), [{ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }]);
            assert.deepEqual(await valueOf(network.availabilityZones), ["us-east-1a", "us-east-1b"]);
            const vpc = run.get(AWSX_VPC, "net-vpc").inputs;
            assert.deepEqual(vpc.availabilityZoneNames, ["us-east-1a", "us-east-1b"]);
            assert.deepEqual(vpc.subnetSpecs.map((s: any) => s.cidrBlocks), [
                ["10.20.6.0/24", "10.20.7.0/24"],
                ["10.20.0.0/23", "10.20.2.0/23"],
                ["10.20.9.0/24", "10.20.10.0/24"],
            ]);
        });

        it("fails clearly, creating no VPC, when the region has too few zones", async () => {
            const run = await startMocks({
                invokes: { "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ id: "r", names: ["r-1a", "r-1b"], zoneIds: ["z1", "z2"], groupNames: ["r", "r"] }) },
            });
            const network = new Network("net", newArgs({ availabilityZones: 3 }));
            await assert.rejects(valueOf(network.vpcId), /network\.availabilityZones: the region has 2 available zone\(s\) that need no opt-in \(r-1a, r-1b\), fewer than the 3 asked for/);
            await settle();
            assert.equal(run.byType(AWSX_VPC).length, 0);
            assert.throws(() => pickZones(["a"], 2), /has 1 available zone\(s\)/);
            assert.deepEqual(pickZones(["a", "b", "c", "d"], 3), ["a", "b", "c"]);
        });

        it("declares the VPC in preview too (the zone lookup answers in preview)", async () => {
            const { run } = await build(newArgs(), { preview: true });
            assert.deepEqual(run.get(AWSX_VPC, "net-vpc").inputs.availabilityZoneNames, ["us-east-1a", "us-east-1b", "us-east-1c"]);
            assert.equal(run.byType(ENDPOINT).length, 2);
        });

        it("outputs the VPC, its CIDR, zones and the three subnet tiers from awsx", async () => {
            const { run, network } = await build(newArgs());
            const state = run.get(AWSX_VPC, "net-vpc").state;
            assert.equal(await valueOf(network.vpcId), state.vpcId);
            assert.equal(await valueOf(network.vpcCidr), "10.0.0.0/16");
            assert.deepEqual(await valueOf(network.availabilityZones), ["us-east-1a", "us-east-1b", "us-east-1c"]);
            assert.deepEqual(await valueOf(network.publicSubnetIds), state.publicSubnetIds);
            assert.deepEqual(await valueOf(network.privateSubnetIds), state.privateSubnetIds);
            assert.deepEqual(await valueOf(network.isolatedSubnetIds), state.isolatedSubnetIds);
            for (const ids of [state.publicSubnetIds, state.privateSubnetIds, state.isolatedSubnetIds]) assert.equal(ids.length, 3);
        });

        it("puts S3 and DynamoDB gateway endpoints on the private and isolated route tables only", async () => {
            const { run } = await build(newArgs(), { region: "eu-central-1" });
            const vpc = run.get(AWSX_VPC, "net-vpc");
            // The mock lists the route tables by tier: 3 public, 3 private, 3 isolated.
            const tables: Array<{ id: string; tags: { SubnetType: string } }> = vpc.state.routeTables;
            assert.deepEqual(tables.map((t) => t.tags.SubnetType), ["Public", "Public", "Public", "Private", "Private", "Private", "Isolated", "Isolated", "Isolated"]);
            const privateAndIsolated = tables.slice(3).map((t) => t.id);
            for (const service of ["s3", "dynamodb"]) {
                const endpoint = run.get(ENDPOINT, `net-gateway-${service}`);
                assert.deepEqual(endpoint.inputs, {
                    vpcId: vpc.state.vpcId,
                    serviceName: `com.amazonaws.eu-central-1.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: privateAndIsolated,
                });
                // Depends on the VPC, so it is deleted before it.
                assert.ok(endpoint.dependencies.includes(vpc.urn));
            }
            assert.equal(run.byType(ENDPOINT).length, 2, "no interface endpoint unless configured");
            assert.equal(run.byType(SG).length, 0, "no endpoint security group unless configured");
        });

        it("creates each interface endpoint in the private subnets behind one group admitting 443 from each private subnet", async () => {
            const { run } = await build(newArgs({ interfaceEndpoints: ["secretsmanager", "ssm", "logs", "ssm"] }), { region: "eu-west-1" });
            const vpc = run.get(AWSX_VPC, "net-vpc").state;
            const sg = run.get(SG, "net-endpoints-sg");
            assert.deepEqual(sg.inputs, { vpcId: vpc.vpcId, description: "Interface endpoints: HTTPS from the private subnets only" });
            const endpoints = run.byType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
            assert.deepEqual(endpoints.map((e) => e.name), ["net-endpoint-secretsmanager", "net-endpoint-ssm", "net-endpoint-logs"]);
            for (const service of ["secretsmanager", "ssm", "logs"]) {
                assert.deepEqual(run.get(ENDPOINT, `net-endpoint-${service}`).inputs, {
                    vpcId: vpc.vpcId,
                    serviceName: `com.amazonaws.eu-west-1.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: vpc.privateSubnetIds,
                    securityGroupIds: [sg.id],
                });
            }
            assert.deepEqual(
                run.byType(INGRESS).map((r) => [r.name, r.inputs]),
                LAYOUT_16.private.map((cidr, i) => [
                    `net-endpoints-https-${i + 1}`,
                    { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr, description: `HTTPS from private subnet ${cidr}` },
                ]),
            );
            assert.equal(run.byType(EGRESS).length, 0);
        });

        it("takes over the default security group and leaves it without rules", async () => {
            const { run } = await build(newArgs());
            const vpc = run.get(AWSX_VPC, "net-vpc");
            const sg = run.get(DEFAULT_SG, "net-default-sg");
            assert.deepEqual(sg.inputs, { vpcId: vpc.state.vpcId });
            assert.ok(sg.dependencies.includes(vpc.urn));
        });

        it("logs all traffic to a retained log group through a role that may write only there", async () => {
            const { run } = await build(newArgs({ logRetentionDays: 30 }), { region: "eu-west-1" });
            const vpc = run.get(AWSX_VPC, "net-vpc").state;
            const group = run.get(LOG_GROUP, "net-flow-logs");
            assert.deepEqual(group.inputs, { retentionInDays: 30 });
            const role = run.get(ROLE, "net-flow-logs-role");
            assert.deepEqual(Object.keys(role.inputs).sort(), ["assumeRolePolicy", "description"]);
            assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                            ArnLike: { "aws:SourceArn": `arn:aws:ec2:eu-west-1:${ACCOUNT_ID}:vpc-flow-log/*` },
                        },
                    },
                ],
            });
            const policy = run.get(ROLE_POLICY, "net-flow-logs-policy");
            assert.equal(policy.inputs.role, role.state.id);
            assert.deepEqual(JSON.parse(policy.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [group.state.arn, `${group.state.arn}:*`],
                    },
                ],
            });
            assert.match(group.state.arn, /^arn:aws:logs:eu-west-1:123456789012:log-group:net-flow-logs-[0-9a-f]{7}$/);
            const flowLog = run.get(FLOW_LOG, "net-flow-log");
            assert.deepEqual(flowLog.inputs, {
                vpcId: vpc.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.state.arn,
                iamRoleArn: role.state.arn,
            });
            // Delivery starts only once the role may write.
            assert.ok(flowLog.dependencies.includes(policy.urn));
        });

        it("creates no flow log, role or group when flowLogs is false", async () => {
            const { run } = await build(newArgs({ flowLogs: false }));
            for (const type of [LOG_GROUP, ROLE, ROLE_POLICY, FLOW_LOG]) assert.equal(run.byType(type).length, 0, type);
        });

        it("parents every child to the component", async () => {
            const { run } = await build(newArgs({ interfaceEndpoints: ["ssm"] }));
            const component = run.get("dashboard:network:Network", "net");
            const others = run.resources.filter((r) => r !== component);
            assert.equal(others.length, 13);
            for (const r of others) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
        });
    });

    it("two Networks in one program do not collide and set no physical names", async () => {
        const run = await startMocks();
        new Network("blue", newArgs({ interfaceEndpoints: ["ssm", "logs"] }));
        new Network("green", newArgs({ interfaceEndpoints: ["ssm", "logs"], natGateways: "onePerAz" }));
        await settle();
        run.assertNoDuplicates();
        assert.equal(run.byType(AWSX_VPC).length, 2);
        assert.equal(run.byType(ENDPOINT).length, 8);
        const named = run.resources.filter((r) => ["name", "namePrefix", "groupName"].some((k) => r.inputs[k] !== undefined));
        assert.deepEqual(named.map((r) => `${r.type} ${r.name}`), []);
        for (const r of run.resources) assert.match(r.name, /^(blue|green)(-|$)/, `${r.type} ${r.name}`);
    });

    it("no security group admits 0.0.0.0/0 or ::/0; every source is a private subnet", async () => {
        const { run } = await build(newArgs({ interfaceEndpoints: ["secretsmanager", "ssm", "ssmmessages", "ec2messages", "logs"], natGateways: "none" }));
        const sources = ingressSources(run);
        assert.equal(sources.length, 3);
        for (const source of sources) {
            assert.notEqual(source, "0.0.0.0/0");
            assert.notEqual(source, "::/0");
            assert.ok(LAYOUT_16.private.includes(source), source);
        }
        for (const sg of [...run.byType(SG), ...run.byType(DEFAULT_SG)]) {
            assert.equal(sg.inputs.ingress, undefined, `${sg.name} has inline ingress`);
            assert.equal(sg.inputs.egress, undefined, `${sg.name} has inline egress`);
        }
    });

    describe("existing network", () => {
        const subnets = {
            "subnet-0pub0000000000001": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1a", cidrBlock: "172.31.0.0/24" },
            "subnet-0pub0000000000002": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1b", cidrBlock: "172.31.1.0/24" },
            "subnet-0prv0000000000001": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1c", cidrBlock: "172.31.2.0/24" },
            "subnet-0prv0000000000002": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1a", cidrBlock: "172.31.3.0/24" },
            "subnet-0prv0000000000003": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1b", cidrBlock: "172.31.4.0/24" },
            "subnet-0iso0000000000001": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1a", cidrBlock: "172.31.5.0/24" },
            "subnet-0iso0000000000002": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1b", cidrBlock: "172.31.6.0/24" },
            "subnet-0iso0000000000003": { vpcId: "vpc-0fedcba9876543210", availabilityZone: "eu-west-1c", cidrBlock: "10.9.0.0/24" },
            "subnet-0one0000000000001": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1b", cidrBlock: "172.31.7.0/24" },
            "subnet-0one0000000000002": { vpcId: "vpc-0123456789abcdef0", availabilityZone: "eu-west-1b", cidrBlock: "172.31.8.0/24" },
        };
        const existing = (overrides: Partial<Extract<NetworkArgs, { mode: "existing" }>> = {}): NetworkArgs => ({
            mode: "existing",
            vpcId: "vpc-0123456789abcdef0",
            publicSubnetIds: ["subnet-0pub0000000000001", "subnet-0pub0000000000002"],
            privateSubnetIds: ["subnet-0prv0000000000001", "subnet-0prv0000000000002", "subnet-0prv0000000000003"],
            isolatedSubnetIds: ["subnet-0iso0000000000001", "subnet-0iso0000000000002"],
            logRetentionDays: 14,
            ...overrides,
        });
        const options = { region: "eu-west-1", subnets, vpcCidrs: { "vpc-0123456789abcdef0": "172.31.0.0/16" } };

        it("creates nothing and outputs the given ids, the VPC CIDR and the private subnets' zones", async () => {
            const { run, network } = await build(existing(), options);
            assert.deepEqual(run.resources.map((r) => r.type), ["dashboard:network:Network"]);
            assert.equal(await valueOf(network.vpcId), "vpc-0123456789abcdef0");
            assert.equal(await valueOf(network.vpcCidr), "172.31.0.0/16");
            assert.deepEqual(await valueOf(network.availabilityZones), ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
            assert.deepEqual(await valueOf(network.publicSubnetIds), ["subnet-0pub0000000000001", "subnet-0pub0000000000002"]);
            assert.deepEqual(await valueOf(network.privateSubnetIds), ["subnet-0prv0000000000001", "subnet-0prv0000000000002", "subnet-0prv0000000000003"]);
            assert.deepEqual(await valueOf(network.isolatedSubnetIds), ["subnet-0iso0000000000001", "subnet-0iso0000000000002"]);
        });

        it("looks up the VPC once and each private subnet once, for the outputs only", async () => {
            const { run, network } = await build(existing(), options);
            await valueOf(network.availabilityZones);
            const count = (token: string) => run.invokes.filter((i) => i.token === token).map((i) => i.inputs.id).sort();
            assert.deepEqual(count("aws:ec2/getVpc:getVpc"), ["vpc-0123456789abcdef0"]);
            assert.deepEqual(count("aws:ec2/getSubnet:getSubnet"), ["subnet-0prv0000000000001", "subnet-0prv0000000000002", "subnet-0prv0000000000003"]);
            assert.equal(run.invokes.filter((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones").length, 0);
        });

        it("never fails inside an apply: a subnet of another VPC is the look-up stage's to report (tests/lookups.test.ts)", async () => {
            const { run, network } = await build(existing({ isolatedSubnetIds: ["subnet-0iso0000000000001", "subnet-0iso0000000000003"] }), options);
            assert.deepEqual(await valueOf(network.isolatedSubnetIds), ["subnet-0iso0000000000001", "subnet-0iso0000000000003"]);
            assert.equal(await valueOf(network.vpcId), "vpc-0123456789abcdef0");
            assert.deepEqual(run.resources.map((r) => r.type), ["dashboard:network:Network"]);
        });
    });
});
