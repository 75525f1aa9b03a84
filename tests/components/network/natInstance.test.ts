import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { Network, type NetworkArgs, privateTablesInZoneOrder } from "../../../components/network";
import { NAT_AMI_PARAMETER, NAT_ENI_TAG, natAlarmSpecs, natPlacements, renderNatUserData } from "../../../components/network/natInstancePlan";
import { checkMatrix, stackIam } from "../../iamSimulation";
import { ACCOUNT_ID, type MockRun, settle, shortHash, startMocks } from "../../mocks";

const SHELLCHECK = "/usr/bin/shellcheck";
const T = {
    vpc: "awsx:ec2:Vpc",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    eni: "aws:ec2/networkInterface:NetworkInterface",
    eip: "aws:ec2/eip:Eip",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    route: "aws:ec2/route:Route",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    policy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    profile: "aws:iam/instanceProfile:InstanceProfile",
};

function natArgs(natInstance: { instanceType: string; perZone: boolean }, zones = 3): NetworkArgs {
    return { mode: "new", cidr: "10.0.0.0/16", availabilityZones: zones, natGateways: "instance", natInstance, interfaceEndpoints: [], flowLogs: false, logRetentionDays: 14, instanceTags: { customer: "acme" } };
}

async function build(args: NetworkArgs): Promise<MockRun> {
    const run = await startMocks({ region: "us-east-1" });
    new Network("net", args);
    await settle();
    return run;
}

/** The awsx mock's ids (tests/mocks.ts awsxVpcOutputs) of one tier per zone. */
const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
const publicSubnet = (i: number) => `subnet-${shortHash(`net-vpc/public/${zones[i]}`, 17)}`;
const privateTable = (i: number) => `rtb-${shortHash(`net-vpc/private/${zones[i]}/rt`, 17)}`;

const userDataOf = (run: MockRun, name: string) => Buffer.from(run.get(T.lt, name).inputs.userData, "base64").toString("utf8");

function shellcheck(script: string): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        const child = execFile(SHELLCHECK, ["-s", "bash", "-S", "warning", "-"], (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
        child.stdin?.end(script);
    });
}

describe("components/network NAT instance", () => {
    describe("pure parts", () => {
        it("places one NAT for every zone, or one per zone serving its own route table", () => {
            assert.deepEqual(natPlacements(3), [{ zone: 0, routeTables: [0, 1, 2] }]);
            assert.deepEqual(natPlacements(2, true), [{ zone: 0, routeTables: [0] }, { zone: 1, routeTables: [1] }]);
        });

        it("orders the private route tables by zone (awsx's Name tag), leaving out public and isolated ones", () => {
            const tables: Array<[string, Record<string, string>]> = [
                ["rtb-c", { Name: "v-private-3", SubnetType: "Private" }],
                ["rtb-p", { Name: "v-public-1", SubnetType: "Public" }],
                ["rtb-a", { Name: "v-private-1", SubnetType: "Private" }],
                ["rtb-i", { Name: "v-isolated-1", SubnetType: "Isolated" }],
                ["rtb-b", { Name: "v-private-2", SubnetType: "Private" }],
            ];
            assert.deepEqual(privateTablesInZoneOrder(tables), ["rtb-a", "rtb-b", "rtb-c"]);
        });

        it("watches the group, the status checks and, on a burstable type, the CPU credits", () => {
            assert.deepEqual(natAlarmSpecs(true).map((s) => s.metricName), ["GroupInServiceInstances", "StatusCheckFailed", "CPUCreditBalance"]);
            assert.deepEqual(natAlarmSpecs(false).map((s) => s.metricName), ["GroupInServiceInstances", "StatusCheckFailed"]);
        });

        const script = renderNatUserData({ eniId: "eni-0123456789abcdef0", allocationId: "eipalloc-0123456789abcdef0", vpcCidr: "10.0.0.0/16" });
        it("boot script: forwarding on, IMDSv2, source/destination check off, the fixed interface attached, the address moved, nftables masquerade", () => {
            for (const line of [
                "set -euo pipefail",
                "trap 'echo \"NAT boot failed at line $LINENO\" >&2; shutdown -h +1' ERR",
                "net.ipv4.ip_forward = 1",
                "net.ipv4.conf.all.rp_filter = 2",
                "    token=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)",
                'aws ec2 modify-network-interface-attribute --network-interface-id "$PRIMARY_ENI" --no-source-dest-check',
                "ENI_ID='eni-0123456789abcdef0'",
                '    if aws ec2 attach-network-interface --network-interface-id "$ENI_ID" --instance-id "$INSTANCE_ID" --device-index 1 >/dev/null; then',
                "ALLOCATION_ID='eipalloc-0123456789abcdef0'",
                'aws ec2 associate-address --allocation-id "$ALLOCATION_ID" --network-interface-id "$PRIMARY_ENI" --allow-reassociation >/dev/null',
                "command -v nft >/dev/null || dnf install -y nftables",
                '        ip saddr $VPC_CIDR ip daddr != $VPC_CIDR oifname "$OUT_DEV" masquerade',
                "systemctl enable nftables",
            ]) {
                assert.ok(script.split("\n").includes(line), line);
            }
            assert.doesNotMatch(script, /iptables/, "AL2023 does not install iptables: nft only");
            // The attach comes before the address is moved, and both before masquerading.
            assert.ok(script.indexOf("attach-network-interface") < script.indexOf("associate-address"));
            assert.ok(script.indexOf("associate-address") < script.indexOf("masquerade"));
        });

        it("boot script passes shellcheck -S warning", async function () {
            if (!fs.existsSync(SHELLCHECK)) assert.fail(`${SHELLCHECK} is missing: install shellcheck (apt-get install -y shellcheck); CI installs it`);
            const { code, out } = await shellcheck(script);
            assert.equal(code, 0, out);
        });
    });

    describe("one NAT instance for three zones", () => {
        let run: MockRun;
        before(async () => {
            run = await build(natArgs({ instanceType: "t4g.nano", perZone: false }));
        });

        it("builds no NAT gateway: awsx gets strategy None", () => {
            assert.deepEqual(run.get(T.vpc, "net-vpc").inputs.natGateways, { strategy: "None" });
        });

        it("nests everything in dashboard:network:NatInstance under the network", () => {
            const nat = run.resources.find((r) => r.type === "dashboard:network:NatInstance")!;
            assert.equal(nat.name, "net-nat");
            assert.match(nat.parent, /dashboard:network:Network::net$/);
            for (const type of [T.eni, T.eip, T.lt, T.asg, T.route, T.alarm, T.policy]) {
                for (const r of run.byType(type)) assert.equal(r.parent, nat.urn, `${type} ${r.name}`);
            }
        });

        it("security group: everything from the VPC CIDR, nothing from the internet; anything out", () => {
            const sg = run.get(T.sg, "net-nat-sg");
            const ingress = run.byType(T.ingress).filter((r) => r.inputs.securityGroupId === sg.id);
            assert.deepEqual(ingress.map((r) => [r.inputs.ipProtocol, r.inputs.cidrIpv4]), [["-1", "10.0.0.0/16"]]);
            assert.equal(sg.inputs.ingress, undefined);
            const egress = run.byType(T.egress).filter((r) => r.inputs.securityGroupId === sg.id);
            assert.deepEqual(egress.map((r) => [r.inputs.ipProtocol, r.inputs.cidrIpv4]), [["-1", "0.0.0.0/0"]]);
        });

        it("the fixed interface: in the first public subnet, source/destination check off, the NAT's group; an Elastic IP in the VPC", () => {
            const eni = run.get(T.eni, "net-nat-1-eni");
            assert.deepEqual([eni.inputs.subnetId, eni.inputs.sourceDestCheck, eni.inputs.securityGroups], [publicSubnet(0), false, [run.get(T.sg, "net-nat-sg").id]]);
            assert.equal(run.get(T.eip, "net-nat-1-eip").inputs.domain, "vpc");
        });

        it("every private route table's default route points at the fixed interface", () => {
            const eni = run.get(T.eni, "net-nat-1-eni");
            const routes = run.byType(T.route).map((r) => [r.name, r.inputs.routeTableId, r.inputs.destinationCidrBlock, r.inputs.networkInterfaceId]);
            assert.deepEqual(routes, [0, 1, 2].map((i) => [`net-nat-1-route-${i + 1}`, privateTable(i), "0.0.0.0/0", eni.id]));
        });

        it("launch template: AL2023 arm64 from SSM, t4g.nano on standard credits, IMDSv2 hop 1, encrypted 8 GB gp3, the profile, tags", () => {
            const lt = run.get(T.lt, "net-nat-1-lt").inputs;
            assert.equal(lt.imageId, `resolve:ssm:${NAT_AMI_PARAMETER}`);
            assert.equal(NAT_AMI_PARAMETER, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
            assert.equal(lt.instanceType, "t4g.nano");
            assert.deepEqual(lt.creditSpecification, { cpuCredits: "standard" });
            assert.deepEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            assert.deepEqual(lt.blockDeviceMappings, [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 8, encrypted: "true", deleteOnTermination: "true" } }]);
            assert.deepEqual(lt.iamInstanceProfile, { arn: run.get(T.profile, "net-nat-1-profile").state.arn });
            // A launch-time address lets the boot script reach the EC2 API; it then takes the Elastic IP instead.
            assert.deepEqual(lt.networkInterfaces, [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [run.get(T.sg, "net-nat-sg").id] }]);
            const eniTags = lt.tagSpecifications.find((t: any) => t.resourceType === "network-interface").tags;
            assert.deepEqual(eniTags, { customer: "acme", Name: "net-nat-1", [NAT_ENI_TAG]: run.get(T.eni, "net-nat-1-eni").id });
        });

        it("user data names this NAT's interface, address and the VPC CIDR", () => {
            const script = userDataOf(run, "net-nat-1-lt");
            assert.ok(script.includes(`ENI_ID='${run.get(T.eni, "net-nat-1-eni").id}'`));
            assert.ok(script.includes(`ALLOCATION_ID='${run.get(T.eip, "net-nat-1-eip").state.allocationId}'`));
            assert.ok(script.includes("VPC_CIDR='10.0.0.0/16'"));
        });

        it("an Auto Scaling group of exactly one in the NAT's zone, on the template's version, after the role can act", () => {
            const asg = run.get(T.asg, "net-nat-1-asg");
            const lt = run.get(T.lt, "net-nat-1-lt");
            assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity], [1, 1, 1]);
            assert.deepEqual(asg.inputs.vpcZoneIdentifiers, [publicSubnet(0)]);
            assert.deepEqual(asg.inputs.launchTemplate, { id: lt.id, version: "1" });
            assert.deepEqual(asg.inputs.enabledMetrics, ["GroupInServiceInstances"]);
            assert.ok(asg.dependencies.includes(run.get(T.policy, "net-nat-1-boot").urn));
        });

        it("alarms on the group: in service, status check, CPU credits", () => {
            const asg = run.get(T.asg, "net-nat-1-asg");
            const alarms = run.byType(T.alarm);
            assert.deepEqual(alarms.map((a) => a.name), ["net-nat-1-in-service", "net-nat-1-status-check", "net-nat-1-cpu-credits"]);
            assert.ok(typeof asg.state.name === "string" && asg.state.name !== "");
            for (const a of alarms) assert.deepEqual(a.inputs.dimensions, { AutoScalingGroupName: asg.state.name });
            assert.equal(run.get(T.alarm, "net-nat-1-in-service").inputs.treatMissingData, "breaching");
        });

        it("Session Manager for access: AmazonSSMManagedInstanceCore on the NAT's role", () => {
            assert.deepEqual(run.byType(T.attachment).map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        });

        it("role policy (IAM engine): this NAT's interface and address only, to an instance of its own profile", async () => {
            const iam = stackIam(run.resources);
            const role = iam.roleArn("net-nat-1-role");
            const eniId = run.get(T.eni, "net-nat-1-eni").id;
            const allocationId = run.get(T.eip, "net-nat-1-eip").state.allocationId;
            const profile = run.get(T.profile, "net-nat-1-profile").state.arn;
            const ec2 = (resource: string) => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:${resource}`;
            const ownTag = { [`aws:ResourceTag/${NAT_ENI_TAG}`]: eniId };
            const result = await checkMatrix(iam, [
                { who: role, action: "ec2:AttachNetworkInterface", resource: ec2(`network-interface/${eniId}`), expect: "Allowed", why: "the fixed interface" },
                { who: role, action: "ec2:AttachNetworkInterface", resource: ec2("network-interface/eni-0ffffffffffffffff"), expect: "Denied", why: "any other interface" },
                { who: role, action: "ec2:AttachNetworkInterface", resource: ec2("instance/i-0123456789abcdef0"), context: { "ec2:InstanceProfile": profile }, expect: "Allowed", why: "to an instance of its profile" },
                { who: role, action: "ec2:AttachNetworkInterface", resource: ec2("instance/i-0123456789abcdef0"), context: { "ec2:InstanceProfile": `arn:aws:iam::${ACCOUNT_ID}:instance-profile/other` }, expect: "Denied", why: "to someone else's instance" },
                { who: role, action: "ec2:AssociateAddress", resource: ec2(`elastic-ip/${allocationId}`), expect: "Allowed", why: "its own address" },
                { who: role, action: "ec2:AssociateAddress", resource: ec2("elastic-ip/eipalloc-0ffffffffffffffff"), expect: "Denied", why: "another address" },
                { who: role, action: "ec2:AssociateAddress", resource: ec2("network-interface/eni-0aaaaaaaaaaaaaaaa"), context: ownTag, expect: "Allowed", why: "onto its own primary interface" },
                { who: role, action: "ec2:ModifyNetworkInterfaceAttribute", resource: ec2("network-interface/eni-0aaaaaaaaaaaaaaaa"), context: ownTag, expect: "Allowed", why: "source/destination check of its own interface" },
                { who: role, action: "ec2:ModifyNetworkInterfaceAttribute", resource: ec2("network-interface/eni-0bbbbbbbbbbbbbbbb"), context: { [`aws:ResourceTag/${NAT_ENI_TAG}`]: "eni-0ffffffffffffffff" }, expect: "Denied", why: "another NAT's interface" },
                { who: role, action: "ec2:DetachNetworkInterface", resource: ec2(`network-interface/${eniId}`), expect: "Denied", why: "nothing else" },
                { who: role, action: "ec2:ReplaceRoute", resource: ec2("route-table/rtb-0123456789abcdef0"), expect: "Denied", why: "routes are Pulumi's" },
            ]);
            assert.deepEqual(result.wrong, []);
        });
    });

    describe("one NAT instance per zone", () => {
        it("each zone's route table through its own NAT in its own public subnet", async () => {
            const run = await build(natArgs({ instanceType: "t4g.nano", perZone: true }, 2));
            assert.deepEqual(run.byType(T.eni).map((e) => e.inputs.subnetId), [publicSubnet(0), publicSubnet(1)]);
            assert.deepEqual(run.byType(T.asg).map((g) => g.inputs.vpcZoneIdentifiers), [[publicSubnet(0)], [publicSubnet(1)]]);
            const eniOf = (i: number) => run.get(T.eni, `net-nat-${i}-eni`).id;
            assert.deepEqual(run.byType(T.route).map((r) => [r.inputs.routeTableId, r.inputs.networkInterfaceId]), [[privateTable(0), eniOf(1)], [privateTable(1), eniOf(2)]]);
            // Each NAT's role names its own interface only.
            const policy = JSON.parse(run.get(T.policy, "net-nat-2-boot").inputs.policy);
            assert.equal(policy.Statement[0].Resource, `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:network-interface/${eniOf(2)}`);
        });

        it("a network-optimised type earns no credits: no credit specification, no credit alarm", async () => {
            const run = await build(natArgs({ instanceType: "c7gn.medium", perZone: false }, 2));
            assert.equal(run.get(T.lt, "net-nat-1-lt").inputs.creditSpecification, undefined);
            assert.deepEqual(run.byType(T.alarm).map((a) => a.name), ["net-nat-1-in-service", "net-nat-1-status-check"]);
        });
    });
});
