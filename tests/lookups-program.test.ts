/** The look-up stage inside the real program under mocks, as index.ts and the offline plan run it. */
import * as assert from "node:assert/strict";
import { runProgram, type FailedRun, type ProgramRun } from "../plan/run";
import { MOCK_VENDOR_AMI, type MockOptions, type RestoreSourceFact } from "./mocks";

const VPC = "vpc-0123456789abcdef0";
const OTHER_VPC = "vpc-0fedcba9876543210";
const NETWORK = {
    vpcId: VPC,
    publicSubnetIds: ["subnet-0aa0000000000000a", "subnet-0aa0000000000000b"],
    privateSubnetIds: ["subnet-0bb0000000000000a", "subnet-0bb0000000000000b"],
    isolatedSubnetIds: ["subnet-0cc0000000000000a", "subnet-0cc0000000000000b"],
};
const CONTAINER = { container: { image: "registry.example.com/dashboard:2026.11" } };

describe("the look-up stage in the program (mocks, as index.ts runs it)", () => {
    const file = (raw: Record<string, unknown>): Record<string, string> =>
        Object.fromEntries(Object.entries({ customer: "acme", environment: "development", ...raw }).map(([k, v]) => [`dashboard:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    const run = (raw: Record<string, unknown>, options: Partial<MockOptions> = {}) => runProgram("lookups", "eu-west-1", file(raw), [], options);
    const ok = async (raw: Record<string, unknown>, options: Partial<MockOptions> = {}): Promise<ProgramRun> => {
        const r = await run(raw, options);
        assert.ok(!("errors" in r), "errors" in r ? r.errors.join("\n") : "");
        return r;
    };
    const failed = async (raw: Record<string, unknown>, options: Partial<MockOptions> = {}): Promise<FailedRun> => {
        const r = await run(raw, options);
        assert.ok("errors" in r, "expected errors");
        return r;
    };
    const subnets = (vpcOf: (id: string) => string) =>
        Object.fromEntries([...NETWORK.publicSubnetIds, ...NETWORK.privateSubnetIds, ...NETWORK.isolatedSubnetIds].map((id) => [id, { vpcId: vpcOf(id), availabilityZone: `eu-west-1${id.slice(-1)}`, cidrBlock: "10.1.0.0/24" }]));

    it("a subnet of another VPC: exactly one line in the contract format, zero registered resources", async () => {
        const r = await failed({ network: NETWORK, app: CONTAINER }, { subnets: subnets((id) => (id === "subnet-0bb0000000000000a" ? OTHER_VPC : VPC)) });
        assert.deepEqual(r.errors, [`dashboard:network.privateSubnetIds: subnet-0bb0000000000000a belongs to ${OTHER_VPC}, not ${VPC} (list subnets of ${VPC} only)`]);
        assert.deepEqual(r.resources, []);
    });

    it("a VPC without DNS hostnames: one line, nothing registered", async () => {
        const r = await failed({ network: NETWORK, app: CONTAINER }, { subnets: subnets(() => VPC), vpcs: { [VPC]: { enableDnsHostnames: false } } });
        assert.deepEqual(r.errors, [`dashboard:network.vpcId: ${VPC} has DNS hostnames turned off, and the app servers mount EFS by its DNS name (turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC} --enable-dns-hostnames '{"Value":true}')`]);
        assert.deepEqual(r.resources, []);
    });

    it("looks things up in the stack's region, before the stack's provider exists", async () => {
        const r = await ok({ network: NETWORK, app: { ami: "ssm:/dashboard/vendor-ami" } }, { subnets: subnets(() => VPC) });
        assert.deepEqual(
            r.lookups.map((i) => `${i.token} ${i.inputs.id ?? i.inputs.name ?? i.inputs.filters?.[0]?.values?.[0]} ${i.inputs.region} ${i.provider === "" ? "default" : i.provider}`).sort(),
            [
                "aws:ec2/getAmi:getAmi ami-0123456789abcdef0 eu-west-1 default",
                ...[...NETWORK.isolatedSubnetIds, ...NETWORK.privateSubnetIds, ...NETWORK.publicSubnetIds].map((id) => `aws:ec2/getSubnet:getSubnet ${id} eu-west-1 default`),
                `aws:ec2/getVpc:getVpc ${VPC} eu-west-1 default`,
                "aws:ssm/getParameter:getParameter /dashboard/vendor-ami eu-west-1 default",
            ].sort(),
        );
        // A filtered image search hides deprecated images (public AMIs are deprecated after two years).
        assert.equal(r.lookups.find((i) => i.token === "aws:ec2/getAmi:getAmi")?.inputs.includeDeprecated, true);
    });

    const snapshotDb = { engine: "postgres", version: "16", snapshotIdentifier: "globex-v1-final" };
    const snapshots = (fact: Partial<RestoreSourceFact>) => ({ snapshots: { "globex-v1-final": { engine: "postgres", engineVersion: "16.4", allocatedStorageGb: 20, encrypted: true, ...fact } } });
    const instance = (r: ProgramRun) => r.resources.find((x) => x.type === "aws:rds/instance:Instance")!;
    const freeStorage = (r: ProgramRun) => r.resources.find((x) => x.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && x.name === "monitoring-db-free-storage")!.inputs.threshold;

    it("restores a snapshot larger than storageGb with the snapshot's storage", async () => {
        const r = await ok({ database: snapshotDb, app: CONTAINER }, snapshots({ allocatedStorageGb: 50 }));
        assert.deepEqual([instance(r).inputs.allocatedStorage, instance(r).inputs.maxAllocatedStorage, instance(r).inputs.snapshotIdentifier], [50, 100, "globex-v1-final"]);
    });

    it("restores a smaller snapshot with storageGb", async () => {
        const r = await ok({ database: { ...snapshotDb, storageGb: 40 }, app: CONTAINER }, snapshots({ allocatedStorageGb: 20 }));
        assert.equal(instance(r).inputs.allocatedStorage, 40);
    });

    for (const [what, fact, line] of [
        ["of another engine", { engine: "mariadb", engineVersion: "11.4.3" }, "dashboard:database.snapshotIdentifier: snapshot globex-v1-final is mariadb, not postgres (set database.engine to mariadb, or restore from a postgres snapshot)"],
        ["of another major version", { engineVersion: "15.8" }, "dashboard:database.version: snapshot globex-v1-final is postgres 15.8 (major version 15), not 16 (set database.version to 15 for the restore; to upgrade later, first remove the restore setting (it is used only at creation), then raise database.version)"],
        ["that is unencrypted", { encrypted: false }, "dashboard:database.snapshotIdentifier: snapshot globex-v1-final is not encrypted (copy it encrypted: aws rds copy-db-snapshot --source-db-snapshot-identifier globex-v1-final --target-db-snapshot-identifier globex-v1-final-encrypted --kms-key-id alias/aws/rds, then set database.snapshotIdentifier to the copy)"],
    ] as const) {
        it(`refuses a snapshot ${what}, registering nothing`, async () => {
            const r = await failed({ database: snapshotDb, app: CONTAINER }, snapshots(fact));
            assert.deepEqual(r.errors, [line]);
            assert.deepEqual(r.resources, []);
        });
    }

    it("restores a point in time with the source instance's larger storage", async () => {
        const r = await ok(
            { database: { restoreToPointInTime: { sourceDbInstanceIdentifier: "old-db" } }, app: CONTAINER },
            { dbInstances: { "old-db": { engine: "mariadb", engineVersion: "11.4.5", allocatedStorageGb: 60, encrypted: true } } },
        );
        assert.deepEqual([instance(r).inputs.allocatedStorage, instance(r).inputs.maxAllocatedStorage], [60, 100]);
    });

    it("free-storage alarm: 10 % of the autoscaling ceiling (100 GiB → 10 GiB)", async () => {
        assert.equal(freeStorage(await ok({ app: CONTAINER })), 10_737_418_240);
    });

    it("free-storage alarm: 10 % of the restored storage when autoscaling is off (60 GiB → 6 GiB)", async () => {
        const r = await ok({ database: { ...snapshotDb, storageGb: 20, maxStorageGb: 60 }, app: CONTAINER }, snapshots({ allocatedStorageGb: 60 }));
        assert.deepEqual([instance(r).inputs.allocatedStorage, instance(r).inputs.maxAllocatedStorage, freeStorage(r)], [60, 0, 6_442_450_944]);
    });

    const rootMapping = (r: ProgramRun) => r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.name === "app-lt")!.inputs.blockDeviceMappings;
    const ubuntu30 = { images: { [MOCK_VENDOR_AMI]: { rootDeviceName: "/dev/sda1", rootSnapshotGb: 30 } } };

    it("an Ubuntu-like image with a 30 GB root snapshot gets /dev/sda1 and 30 GB, not /dev/xvda and 15", async () => {
        const r = await ok({ app: { ami: "ssm:/dashboard/vendor-ami" } }, ubuntu30);
        assert.deepEqual(rootMapping(r), [{ deviceName: "/dev/sda1", ebs: { volumeType: "gp3", volumeSize: 30, encrypted: "true", deleteOnTermination: "true" } }]);
    });

    it("refuses a root volume smaller than the image's snapshot and another root device, registering nothing", async () => {
        const r = await failed({ app: { ami: MOCK_VENDOR_AMI, volumeGb: 20, rootDeviceName: "/dev/xvda" } }, ubuntu30);
        assert.deepEqual(r.errors, [
            `dashboard:app.rootDeviceName: /dev/xvda is not the root device of ${MOCK_VENDOR_AMI}, which boots from /dev/sda1 (set it to /dev/sda1, or remove it to use the image's own)`,
            `dashboard:app.volumeGb: 20 GB is smaller than the 30 GB root snapshot of ${MOCK_VENDOR_AMI} (set it to 30 or more, or remove it to use 30 GB)`,
        ]);
        assert.deepEqual(r.resources, []);
    });

    it("the stock Amazon Linux image keeps /dev/xvda and app.volumeGb", async () => {
        const r = await ok({ app: { ...CONTAINER, volumeGb: 25 } });
        assert.deepEqual(rootMapping(r), [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 25, encrypted: "true", deleteOnTermination: "true" } }]);
    });
});
