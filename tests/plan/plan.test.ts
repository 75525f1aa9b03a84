import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../plan/cli";
import type { PlannedResource } from "../../plan/compliance";
import { DEFAULT_ASSUMPTIONS, estimateCost, parseAssumptions } from "../../plan/cost";
import { comparePlans } from "../../plan/render";
import { programErrors } from "../../plan/run";
import { planOf, ROOT } from "../stackPlans";

const OUTPUTS = [
    "alarmTopicArn", "appLogGroup", "autoScalingGroupName", "clusterName", "contentBucket", "dashboardName", "databaseEndpoint",
    "databaseSecretArn", "fileSystemId", "licenceSecretArn", "loadBalancerDnsName", "resyncCommand", "serviceNames", "shellCommand",
    "statusPageUrl", "url", "vpcId",
];

/** Resource counts a reviewer checks first, per stack; every other type is asserted present by the compliance suite. */
const EXPECTED: Record<string, { counts: Record<string, number>; cost: [number, number]; url: RegExp }> = {
    dev: {
        counts: {
            "awsx:ec2:Vpc": 1, "aws:rds/instance:Instance": 1, "aws:lb/loadBalancer:LoadBalancer": 1, "aws:lb/listener:Listener": 1,
            // The app servers' group and the NAT instance's (natGateways: instance), with its interface and address.
            "aws:autoscaling/group:Group": 2, "aws:ec2/networkInterface:NetworkInterface": 1, "aws:ec2/eip:Eip": 1, "aws:ec2/route:Route": 2,
            "aws:efs/mountTarget:MountTarget": 2, "aws:ec2/vpcEndpoint:VpcEndpoint": 2, "aws:cloudwatch/dashboard:Dashboard": 0,
            // 12 of the stack's and 3 of the NAT instance's (in service, status check, CPU credits).
            "aws:s3/bucket:Bucket": 1, "aws:lambda/function:Function": 1, "aws:cloudwatch/metricAlarm:MetricAlarm": 15,
            "aws:cloudwatch/logGroup:LogGroup": 5, "aws:sns/topic:Topic": 0, "aws:acm/certificate:Certificate": 0,
            // The rotation trigger (rule, Run Command target, its role) and, for the vendor image, the efs-utils association.
            "aws:cloudwatch/eventRule:EventRule": 1, "aws:cloudwatch/eventTarget:EventTarget": 1, "aws:ssm/association:Association": 1,
            "aws:efs/fileSystemPolicy:FileSystemPolicy": 1, "aws:iam/role:Role": 5, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
        },
        // t3a.medium + db.t4g.micro single-AZ + one t4g.nano NAT instance + ALB, no dashboard: about $84 in us-east-1 (bench:cost holds it under $85).
        cost: [70, 85],
        url: /^http:\/\/app-alb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/,
    },
    "example-production": {
        counts: {
            "awsx:ec2:Vpc": 1, "aws:rds/instance:Instance": 1, "aws:lb/listener:Listener": 2, "aws:acm/certificate:Certificate": 1,
            "aws:route53/record:Record": 2, "aws:efs/mountTarget:MountTarget": 3, "aws:s3/bucket:Bucket": 2,
            "aws:lambda/function:Function": 3, "aws:cloudwatch/metricAlarm:MetricAlarm": 14, "aws:sns/topic:Topic": 1,
            "aws:autoscaling/group:Group": 1, "aws:ec2/networkInterface:NetworkInterface": 0, "aws:cloudwatch/dashboard:Dashboard": 1,
            "aws:sns/topicSubscription:TopicSubscription": 1, "aws:dynamodb/table:Table": 1, "aws:kms/key:Key": 1,
            // The status checker's schedule and the rotation trigger; the vendor image's efs-utils association.
            "aws:cloudwatch/eventRule:EventRule": 2, "aws:ssm/association:Association": 1, "aws:iam/role:Role": 7,
        },
        // 2 × t3a.medium, db.t4g.small Multi-AZ, three NAT gateways, six public IPv4 addresses.
        cost: [240, 310],
        url: /^https:\/\/dashboard\.acme\.example\.com$/,
    },
    "example-existing-vpc": {
        counts: {
            "awsx:ec2:Vpc": 0, "aws:ec2/flowLog:FlowLog": 0, "aws:ec2/vpcEndpoint:VpcEndpoint": 0, "aws:rds/instance:Instance": 1,
            "aws:acm/certificate:Certificate": 0, "aws:route53/record:Record": 1, "aws:efs/mountTarget:MountTarget": 2,
            "aws:lb/listener:Listener": 2, "aws:cloudwatch/eventRule:EventRule": 1, "aws:ssm/association:Association": 0,
        },
        // No NAT of its own; 2 × t3a.medium, PostgreSQL db.t4g.small Multi-AZ in eu-west-1.
        cost: [140, 190],
        url: /^https:\/\/dashboard\.globex\.example\.org$/,
    },
};

describe("npm run plan", () => {
    for (const [stack, expected] of Object.entries(EXPECTED)) {
        describe(stack, () => {
            it("counts the resources a reviewer expects", async () => {
                const plan = await planOf(stack);
                for (const [type, n] of Object.entries(expected.counts)) assert.equal(plan.counts[type] ?? 0, n, type);
            });
            it("has zero compliance findings", async () => {
                assert.deepEqual((await planOf(stack)).findings, []);
            });
            it("lists every stack output, none of them a secret value", async () => {
                const plan = await planOf(stack);
                assert.deepEqual(Object.keys(plan.outputs).sort(), OUTPUTS);
                assert.match(String(plan.outputs.url), expected.url);
                assert.match(String(plan.outputs.databaseSecretArn), /^arn:aws:secretsmanager:/);
            });
            it(`costs between $${expected.cost[0]} and $${expected.cost[1]} a month`, async () => {
                const cost = (await planOf(stack)).cost!;
                assert.ok(cost.total >= expected.cost[0] && cost.total <= expected.cost[1], `total ${cost.total}`);
                assert.equal(cost.total, Math.round(cost.items.reduce((n, i) => n + i.monthly, 0) * 100) / 100);
            });
            it("groups resources under their components", async () => {
                const components = (await planOf(stack)).components.map((c) => c.component);
                for (const c of ["dashboard:database:Database database", "dashboard:sideload:SharedFileSystem sideload-filesystem", "dashboard:app:LoadBalancer app-lb", "dashboard:app:ServerGroup app-servers", "dashboard:monitoring:Alarms monitoring-alarms"]) {
                    assert.ok(components.includes(c), c);
                }
                // The dashboard is off by default in development (monitoring.dashboard); the NAT instance is development's and staging's default.
                const environment = (await planOf(stack)).environment;
                assert.equal(components.includes("dashboard:monitoring:Dashboard monitoring-dashboard"), environment !== "development", "dashboard");
                assert.equal(components.includes("dashboard:network:NatInstance network-nat"), stack === "dev", "NAT instance");
            });
        });
    }

    it("shows the settings a reviewer cares about", async () => {
        const plan = await planOf("example-production");
        const db = plan.components.find((c) => c.component === "dashboard:database:Database database")!.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.deepEqual(
            [db.settings.instanceClass, db.settings.multiAz, db.settings.allocatedStorage, db.settings.maxAllocatedStorage, db.settings.backupRetentionPeriod, db.settings.deletionProtection, db.settings.protect],
            ["db.t4g.small", true, 50, 200, 14, true, true],
        );
        const vpc = plan.components.find((c) => c.component === "dashboard:network:Network network")!.resources.find((r) => r.type === "awsx:ec2:Vpc")!;
        assert.deepEqual(vpc.settings.availabilityZoneNames, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.equal(vpc.settings["natGateways.strategy"], "OnePerAz");
    });
});

describe("cost arithmetic", () => {
    const r = (type: string, inputs: Record<string, any>, state: Record<string, any> = {}): PlannedResource => ({ type, name: type.split(":").pop()!, inputs, state, custom: true });
    /** The smallest stack shape: one t3.medium with 15 GB, a micro database, one NAT in two zones, an ALB. */
    const small = [
        r("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "t3.medium", blockDeviceMappings: [{ ebs: { volumeSize: 15, volumeType: "gp3" } }] }, { id: "lt-1" }),
        r("aws:autoscaling/group:Group", { desiredCapacity: 1, launchTemplate: { id: "lt-1" } }),
        r("aws:rds/instance:Instance", { engine: "mariadb", instanceClass: "db.t4g.micro", multiAz: false, allocatedStorage: 20, manageMasterUserPassword: true }),
        r("awsx:ec2:Vpc", { availabilityZoneNames: ["us-east-1a", "us-east-1b"], natGateways: { strategy: "Single" } }),
        r("aws:lb/loadBalancer:LoadBalancer", { subnets: ["a", "b"] }),
    ];

    it("prices a small fixed config exactly (us-east-1)", () => {
        const cost = estimateCost(small, "us-east-1");
        assert.deepEqual(
            cost.items.map((i) => [i.item, i.monthly]),
            [
                ["EC2 t3.medium", 30.37], // 730 × 0.0416 = 30.368
                ["EBS gp3 root volumes", 1.2], // 15 × 0.08
                ["RDS mariadb db.t4g.micro", 11.68], // 730 × 0.016
                ["RDS storage", 2.3], // 20 × 0.115
                ["NAT gateways", 32.85], // 730 × 0.045
                ["NAT data processed", 0.9], // 20 GB × 0.045
                ["Application Load Balancer", 16.43], // 730 × 0.0225 = 16.425
                ["Load balancer capacity units", 5.84], // 1 × 730 × 0.008
                ["Public IPv4 addresses", 10.95], // 3 × 730 × 0.005
                ["Secrets Manager", 0.41], // 0.40 + 2920 reads × 0.05 / 10k = 0.4146
            ],
        );
        assert.equal(cost.total, 112.93);
        assert.equal(cost.priceRegion, "us-east-1");
    });

    it("uses eu-west-1 prices there, and Multi-AZ doubles instance and storage", () => {
        const multi = small.map((x) => (x.type === "aws:rds/instance:Instance" ? { ...x, inputs: { ...x.inputs, multiAz: true } } : x));
        const cost = estimateCost(multi, "eu-west-1");
        const item = (name: string) => cost.items.find((i) => i.item === name)?.monthly;
        assert.equal(item("EC2 t3.medium"), 33.29); // 730 × 0.0456 = 33.288
        assert.equal(item("RDS mariadb db.t4g.micro Multi-AZ"), 25.55); // 730 × 0.035
        assert.equal(item("RDS storage Multi-AZ"), 5.08); // 20 × 0.254
    });

    it("takes overridden assumptions and says what it does not price", () => {
        const cost = estimateCost(small, "ap-south-2", parseAssumptions(["natDataGb=1000", "albLcu=2"]));
        assert.equal(cost.items.find((i) => i.item === "NAT data processed")?.monthly, 45);
        assert.equal(cost.items.find((i) => i.item === "Load balancer capacity units")?.monthly, 11.68);
        assert.equal(cost.priceRegion, "us-east-1");
        assert.equal(cost.notPriced[0], "prices for ap-south-2: us-east-1 prices used instead");
        assert.ok(cost.notPriced.includes("data transfer out to the internet"));
        assert.deepEqual({ ...cost.assumptions, natDataGb: DEFAULT_ASSUMPTIONS.natDataGb, albLcu: DEFAULT_ASSUMPTIONS.albLcu }, DEFAULT_ASSUMPTIONS);
    });

    it("refuses an unknown assumption or a bad number", () => {
        assert.throws(() => parseAssumptions(["natGb=3"]), /unknown assumption "natGb"/);
        assert.throws(() => parseAssumptions(["natDataGb=-1"]), /needs a number ≥ 0/);
    });

    it("names an instance type it has no price for instead of guessing", () => {
        const odd = small.map((x) => (x.type === "aws:ec2/launchTemplate:LaunchTemplate" ? { ...x, inputs: { ...x.inputs, instanceType: "x2iedn.metal" } } : x));
        const cost = estimateCost(odd, "us-east-1");
        assert.ok(cost.notPriced.includes("EC2 x2iedn.metal (not in the price table)"));
        assert.equal(cost.items.find((i) => i.item.startsWith("EC2 ")), undefined);
    });
});

describe("plan command line", () => {
    const badDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    fs.writeFileSync(
        path.join(badDir, "Pulumi.bad.yaml"),
        ["config:", "  aws:region: us-east-1", "  dashboard:customer: Bad_Customer", "  dashboard:environment: production", "  dashboard:app:", "    instancetype: t3.large", "    port: 22"].join("\n"),
    );

    it("a bad stack file: exit 1 with the config errors, one per line, no stack trace", async () => {
        const { code, stdout, stderr } = await main(["bad", "--dir", badDir]);
        assert.equal(code, 1);
        assert.equal(stderr, "");
        assert.match(stdout, /Config errors \(\d+\):/);
        assert.match(stdout, /^ {2}dashboard:customer: "Bad_Customer" is not valid/m);
        assert.match(stdout, /^ {2}dashboard:app.instancetype: unknown key \(did you mean "instanceType"\?\)/m);
        assert.match(stdout, /^ {2}dashboard:domain: production needs a domain/m);
        assert.doesNotMatch(stdout + stderr, /\n\s+at .+:\d+:\d+/);
    });

    it("a problem a look-up finds is reported like a config error, before anything runs", async () => {
        const subnets = (p: string, n: number) => `[${Array.from({ length: n }, (_, i) => `subnet-0${p}00000000000000${i}`).join(", ")}]`;
        fs.writeFileSync(
            path.join(badDir, "Pulumi.seven.yaml"),
            ["config:", "  aws:region: us-east-1", "  dashboard:customer: seven", "  dashboard:environment: development", "  dashboard:app: { ami: ami-0123456789abcdef0 }",
                "  dashboard:network:", "    vpcId: vpc-0a1b2c3d4e5f60718", `    publicSubnetIds: ${subnets("a", 2)}`, `    privateSubnetIds: ${subnets("b", 7)}`, `    isolatedSubnetIds: ${subnets("c", 2)}`].join("\n"),
        );
        const { code, stdout, stderr } = await main(["seven", "--dir", badDir]);
        assert.equal(stderr, "");
        assert.equal(code, 1);
        // The offline plan spreads a tier over zones a to f: the seventh subnet shares us-east-1a.
        assert.match(stdout, /^ {2}dashboard:network\.privateSubnetIds: more than one subnet in us-east-1a \(list one subnet per availability zone\)$/m);
        assert.doesNotMatch(stdout, /Sideload:/);
        assert.doesNotMatch(stdout, /\n\s+at .+:\d+:\d+/);
    });

    it("reports a failure inside the running program by its message, without the runtime's wrapping", () => {
        const wrapped = new Error('error serializing property "vpcConfig": error serializing property "subnetIds": the existing network does not fit:\n  network.privateSubnetIds: more than one subnet in eu-west-1a; list one subnet per availability zone');
        assert.deepEqual(programErrors([wrapped, wrapped]), [
            "the existing network does not fit:",
            "dashboard:network.privateSubnetIds: more than one subnet in eu-west-1a; list one subnet per availability zone",
        ]);
    });

    it("as a process: exit code 1 and no stack trace", function () {
        this.timeout(60000);
        const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "plan", "cli.ts"), "--dir", badDir, "bad"], { encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stdout, /dashboard:app.port: 22 is the SSH port/);
        assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+/);
    });

    it("--json is one document with the documented shape", async () => {
        const { code, stdout } = await main(["dev", "--json"]);
        assert.equal(code, 0);
        const plan = JSON.parse(stdout);
        assert.deepEqual(Object.keys(plan), ["stack", "region", "environment", "customer", "errors", "warnings", "components", "counts", "outputs", "compliance", "findings", "cost"]);
        assert.deepEqual(Object.keys(plan.cost), ["region", "priceRegion", "currency", "taken", "items", "total", "assumptions", "notPriced"]);
        assert.equal(plan.outputs.licenceSecretArn, null);
    });

    it("--json is the same document on every run, so CI can diff it", async () => {
        const first = await main(["example-existing-vpc", "--json"]);
        const second = await main(["example-existing-vpc", "--json"]);
        assert.equal(first.stdout, second.stdout);
    });

    it("--markdown makes a pull-request comment", async () => {
        const { stdout } = await main(["example-production", "--markdown"]);
        assert.match(stdout, /^### Stack `example-production` — acme, production, us-east-1/);
        assert.match(stdout, /\*\*Compliance:\*\* all \d+ rules pass or do not apply/);
        assert.match(stdout, /\*\*Monthly cost: \$\d+\.\d\d\*\*/);
    });

    it("--compare shows what differs: resources, settings, cost", async () => {
        const [a, b] = [await planOf("dev"), await planOf("example-production")];
        const c = comparePlans(a, b);
        assert.deepEqual(c.counts["aws:efs/mountTarget:MountTarget"], [2, 3]);
        assert.deepEqual(c.settings["dashboard:database:Database database aws:rds/instance:Instance database-instance"].instanceClass, ["db.t4g.micro", "db.t4g.small"]);
        assert.deepEqual(c.cost["NAT gateways"], [0, 98.55]);
        assert.deepEqual(c.cost["NAT instances EC2 t4g.nano"], [3.07, 0]);
        assert.deepEqual(c.total, [a.cost!.total, b.cost!.total]);
        const { code, stdout } = await main(["--compare", "dev", "example-production"]);
        assert.equal(code, 0);
        assert.match(stdout, /^Comparing dev → example-production/);
        assert.match(stdout, /aws:efs\/mountTarget:MountTarget: 2 → 3/);
    });

    it("usage errors exit 2", async () => {
        assert.equal((await main([])).code, 2);
        assert.equal((await main(["no-such-stack"])).code, 2);
        assert.equal((await main(["--compare", "dev"])).code, 2);
        assert.match((await main(["dev", "--assume", "x=1"])).stderr, /unknown assumption "x"/);
    });
});
