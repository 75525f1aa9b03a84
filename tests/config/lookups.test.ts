import * as assert from "node:assert/strict";
import { ConfigError, resolveConfig, validateConfig, type DashboardConfig, type Lookups } from "../../config";
import { encryptedCopyCommand, majorVersion, rootVolume } from "../../config/factChecks";
import { rootSnapshotGb, unlessNotFound } from "../../config/lookups";
import type { RestoreSourceFact } from "../mocks";

const VPC = "vpc-0123456789abcdef0";
const OTHER_VPC = "vpc-0fedcba9876543210";
const NETWORK = {
    vpcId: VPC,
    publicSubnetIds: ["subnet-0aa0000000000000a", "subnet-0aa0000000000000b"],
    privateSubnetIds: ["subnet-0bb0000000000000a", "subnet-0bb0000000000000b"],
    isolatedSubnetIds: ["subnet-0cc0000000000000a", "subnet-0cc0000000000000b"],
};
const CONTAINER = { container: { image: "registry.example.com/dashboard:2026.11" } };

/** A validated config from a raw one (fails on validation problems). */
function validated(raw: Record<string, unknown>): DashboardConfig {
    const result = validateConfig({ customer: "acme", environment: "development", app: CONTAINER, ...raw }, new Set());
    assert.deepEqual(result.problems, []);
    return result.config!;
}

/** Lookups answering from tables: every subnet of NETWORK in VPC, zones by the id's last letter. */
function fakeLookups(overrides: Partial<Lookups> = {}): Lookups {
    return {
        getVpc: async (id) => ({ id, cidrBlock: "10.1.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }),
        getSubnet: async (id) => ({ id, vpcId: VPC, availabilityZone: `eu-west-1${id.slice(-1)}` }),
        getSnapshot: async () => undefined,
        getDbInstance: async () => undefined,
        getParameter: async () => "ami-0a1b2c3d4e5f60718",
        getImage: async (id) => ({ id, rootDeviceName: "/dev/xvda", rootSnapshotGb: 8 }),
        ...overrides,
    };
}

/** The contract lines of the ConfigError `resolveConfig` throws. */
async function problemLines(config: DashboardConfig, lookups: Lookups): Promise<string[]> {
    try {
        await resolveConfig(config, lookups);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        const lines = e.message.split("\n");
        assert.equal(lines[0], `The stack config has ${lines.length - 1} problem${lines.length === 2 ? "" : "s"}:`);
        return lines.slice(1);
    }
    return [];
}

describe("config look-up stage (resolveConfig)", () => {
    describe("existing network", () => {
        it("a subnet of another VPC is one line in the contract format", async () => {
            const lookups = fakeLookups({ getSubnet: async (id) => ({ id, vpcId: id === "subnet-0cc0000000000000b" ? OTHER_VPC : VPC, availabilityZone: `eu-west-1${id.slice(-1)}` }) });
            assert.deepEqual(await problemLines(validated({ network: NETWORK }), lookups), [
                `dashboard:network.isolatedSubnetIds: subnet-0cc0000000000000b belongs to ${OTHER_VPC}, not ${VPC} (list subnets of ${VPC} only)`,
            ]);
        });

        it("refuses a VPC without DNS support or DNS hostnames (EFS is mounted by name)", async () => {
            const lookups = fakeLookups({ getVpc: async (id) => ({ id, cidrBlock: "10.1.0.0/16", enableDnsSupport: false, enableDnsHostnames: false }) });
            assert.deepEqual(await problemLines(validated({ network: NETWORK }), lookups), [
                `dashboard:network.vpcId: ${VPC} has DNS support turned off, and the app servers mount EFS by its DNS name (turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC} --enable-dns-support '{"Value":true}')`,
                `dashboard:network.vpcId: ${VPC} has DNS hostnames turned off, and the app servers mount EFS by its DNS name (turn it on: aws ec2 modify-vpc-attribute --vpc-id ${VPC} --enable-dns-hostnames '{"Value":true}')`,
            ]);
        });

        it("reports a missing VPC and a missing subnet, and a tier left in one zone, all at once", async () => {
            const lookups = fakeLookups({
                getVpc: async () => undefined,
                getSubnet: async (id) => (id === "subnet-0aa0000000000000b" ? undefined : { id, vpcId: VPC, availabilityZone: id.startsWith("subnet-0bb") ? "eu-west-1a" : `eu-west-1${id.slice(-1)}` }),
            });
            assert.deepEqual(await problemLines(validated({ network: NETWORK }), lookups), [
                `dashboard:network.vpcId: ${VPC} does not exist in the stack's region (check the id and aws:region)`,
                "dashboard:network.publicSubnetIds: subnet-0aa0000000000000b does not exist in the stack's region (check the id and aws:region)",
                "dashboard:network.privateSubnetIds: subnets subnet-0bb0000000000000a, subnet-0bb0000000000000b are all in eu-west-1a; a tier must span two availability zones (add a subnet in another availability zone)",
            ]);
        });

        it("wants one public and one private subnet per zone; the database's tier may share a zone", async () => {
            const network = { ...NETWORK, privateSubnetIds: [...NETWORK.privateSubnetIds, "subnet-0bb0000000000001a"], isolatedSubnetIds: [...NETWORK.isolatedSubnetIds, "subnet-0cc0000000000001a"] };
            assert.deepEqual(await problemLines(validated({ network }), fakeLookups()), [
                "dashboard:network.privateSubnetIds: more than one subnet in eu-west-1a (list one subnet per availability zone)",
            ]);
        });

        it("reports a look-up that fails for another reason once per thing, not as 'not found'", async () => {
            const lookups = fakeLookups({ getVpc: async () => Promise.reject(new Error("operation error EC2: DescribeVpcs, AccessDenied\nmore detail")) });
            assert.deepEqual(await problemLines(validated({ network: NETWORK }), lookups), [
                `dashboard:network.vpcId: ${VPC} could not be looked up: operation error EC2: DescribeVpcs, AccessDenied (check the AWS credentials and the stack's aws:region, then run again)`,
            ]);
        });

        it("looks nothing up for a new network", async () => {
            const seen: string[] = [];
            const lookups = fakeLookups({ getVpc: async (id) => (seen.push(id), undefined), getSubnet: async (id) => (seen.push(id), undefined) });
            await resolveConfig(validated({}), lookups);
            assert.deepEqual(seen, []);
        });
    });

    describe("restore from a snapshot or a point in time", () => {
        const snapshot = (fact: Partial<RestoreSourceFact>) => async () => ({ engine: "postgres", engineVersion: "16.4", allocatedStorageGb: 20, encrypted: true, ...fact });
        const pg = (extra: Record<string, unknown> = {}) => validated({ database: { engine: "postgres", version: "16", snapshotIdentifier: "old-final", ...extra } });
        const rows: Array<[string, Partial<RestoreSourceFact>, string[]]> = [
            ["another engine", { engine: "mysql", engineVersion: "8.4.3" }, ["dashboard:database.snapshotIdentifier: snapshot old-final is mysql, not postgres (set database.engine to mysql, or restore from a postgres snapshot)"]],
            ["another major version", { engineVersion: "15.8" }, ["dashboard:database.version: snapshot old-final is postgres 15.8 (major version 15), not 16 (set database.version to 15 for the restore; to upgrade later, first remove the restore setting (it is used only at creation), then raise database.version)"]],
            [
                "an unencrypted snapshot",
                { encrypted: false },
                ["dashboard:database.snapshotIdentifier: snapshot old-final is not encrypted (copy it encrypted: aws rds copy-db-snapshot --source-db-snapshot-identifier old-final --target-db-snapshot-identifier old-final-encrypted --kms-key-id alias/aws/rds, then set database.snapshotIdentifier to the copy)"],
            ],
            ["a snapshot above maxStorageGb", { allocatedStorageGb: 150 }, ["dashboard:database.maxStorageGb: 100 GB is below the 150 GB of snapshot old-final (set it to 150 (no autoscaling) or 165 or more)"]],
            ["a snapshot less than 10 % below maxStorageGb", { allocatedStorageGb: 95 }, ["dashboard:database.maxStorageGb: 100 GB is less than 10 % above the 95 GB of snapshot old-final (set it to 95 (no autoscaling) or 105 or more)"]],
        ];
        for (const [what, fact, lines] of rows) {
            it(`refuses ${what}`, async () => {
                assert.deepEqual(await problemLines(pg(), fakeLookups({ getSnapshot: snapshot(fact) })), lines);
            });
        }

        it("allocates the larger of the snapshot's storage and storageGb", async () => {
            assert.equal((await resolveConfig(pg(), fakeLookups({ getSnapshot: snapshot({ allocatedStorageGb: 50 }) }))).database.storageGb, 50);
            assert.equal((await resolveConfig(pg({ storageGb: 80 }), fakeLookups({ getSnapshot: snapshot({ allocatedStorageGb: 50 }) }))).database.storageGb, 80);
        });

        it("says a missing snapshot may simply have served its purpose", async () => {
            assert.deepEqual(await problemLines(pg(), fakeLookups()), [
                "dashboard:database.snapshotIdentifier: snapshot old-final does not exist in the stack's region (check the identifier and aws:region; if this stack's database was already created from it, remove database.snapshotIdentifier: it is used only at creation)",
            ]);
        });

        it("checks the source instance of a point-in-time restore the same way", async () => {
            const config = validated({ database: { engine: "mariadb", version: "11.4", restoreToPointInTime: { sourceDbInstanceIdentifier: "old-db" } } });
            const lookups = fakeLookups({ getDbInstance: async () => ({ engine: "mariadb", engineVersion: "10.11.9", allocatedStorageGb: 30, encrypted: false }) });
            assert.deepEqual(await problemLines(config, lookups), [
                "dashboard:database.version: instance old-db is mariadb 10.11.9 (major version 10.11), not 11.4 (set database.version to 10.11 for the restore; to upgrade later, first remove the restore setting (it is used only at creation), then raise database.version)",
                "dashboard:database.restoreToPointInTime.sourceDbInstanceIdentifier: instance old-db is not encrypted, and a point-in-time copy of it cannot be (snapshot it, copy the snapshot encrypted (aws rds copy-db-snapshot --source-db-snapshot-identifier <snapshot> --target-db-snapshot-identifier <snapshot>-encrypted --kms-key-id alias/aws/rds), and restore from the copy with database.snapshotIdentifier)",
            ]);
        });

        it("majorVersion and the copy command", () => {
            assert.deepEqual(
                [["postgres", "16.4"], ["postgres", "16"], ["mariadb", "10.11.9"], ["mariadb", "11.4"], ["mysql", "8.0.39"]].map(([e, v]) => majorVersion(e, v)),
                ["16", "16", "10.11", "11.4", "8.0"],
            );
            assert.equal(
                encryptedCopyCommand("arn:aws:rds:eu-west-1:123456789012:snapshot:old"),
                "aws rds copy-db-snapshot --source-db-snapshot-identifier arn:aws:rds:eu-west-1:123456789012:snapshot:old --target-db-snapshot-identifier old-encrypted --kms-key-id alias/aws/rds",
            );
        });
    });

    describe("the image's root volume", () => {
        const ubuntu = { id: "ami-0123456789abcdef0", rootDeviceName: "/dev/sda1", rootSnapshotGb: 30 };
        const app = (extra: Record<string, unknown>) => validated({ app: { ami: "ami-0123456789abcdef0", ...extra } }).app;
        const rows: Array<[string, Record<string, unknown>, { rootDeviceName: string; volumeGb: number }, string[]]> = [
            ["defaults take the image's device and its snapshot size", {}, { rootDeviceName: "/dev/sda1", volumeGb: 30 }, []],
            ["a larger volumeGb is kept", { volumeGb: 40 }, { rootDeviceName: "/dev/sda1", volumeGb: 40 }, []],
            ["the image's own device may be named", { rootDeviceName: "/dev/sda1" }, { rootDeviceName: "/dev/sda1", volumeGb: 30 }, []],
            ["a smaller volumeGb is refused", { volumeGb: 20 }, { rootDeviceName: "/dev/sda1", volumeGb: 30 }, ["app.volumeGb: 20 GB is smaller than the 30 GB root snapshot of ami-0123456789abcdef0 (set it to 30 or more, or remove it to use 30 GB)"]],
            ["another device is refused", { rootDeviceName: "/dev/xvda" }, { rootDeviceName: "/dev/sda1", volumeGb: 30 }, ["app.rootDeviceName: /dev/xvda is not the root device of ami-0123456789abcdef0, which boots from /dev/sda1 (set it to /dev/sda1, or remove it to use the image's own)"]],
        ];
        for (const [what, extra, values, problems] of rows) {
            it(what, () => {
                const r = rootVolume(app(extra), ubuntu);
                assert.deepEqual({ rootDeviceName: r.rootDeviceName, volumeGb: r.volumeGb }, values);
                assert.deepEqual(r.problems.map((p) => `${p.path}: ${p.message} (${p.fix})`), problems);
            });
        }

        it("follows an ssm: parameter to the image, and says when the parameter is missing or holds no AMI", async () => {
            const config = validated({ app: { ami: "ssm:/dashboard/vendor-ami" } });
            const asked: string[] = [];
            const lookups = fakeLookups({ getParameter: async () => "ami-0123456789abcdef0", getImage: async (id) => (asked.push(id), ubuntu) });
            const resolved = await resolveConfig(config, lookups);
            assert.deepEqual([asked, resolved.app.rootDeviceName, resolved.app.volumeGb, resolved.app.ami], [["ami-0123456789abcdef0"], "/dev/sda1", 30, "ssm:/dashboard/vendor-ami"]);
            assert.deepEqual(await problemLines(config, fakeLookups({ getParameter: async () => undefined })), [
                "dashboard:app.ami: the SSM parameter /dashboard/vendor-ami does not exist in the stack's region (create it (aws ssm put-parameter --name /dashboard/vendor-ami --type String --data-type aws:ec2:image --value ami-…) or check aws:region)",
            ]);
            assert.deepEqual(await problemLines(config, fakeLookups({ getParameter: async () => "hello" })), [
                "dashboard:app.ami: the SSM parameter /dashboard/vendor-ami holds \"hello\", not an AMI id (put an AMI id into it (aws ssm put-parameter --overwrite --name /dashboard/vendor-ami --type String --data-type aws:ec2:image --value ami-…))",
            ]);
            assert.deepEqual(await problemLines(config, fakeLookups({ getImage: async () => undefined })), [
                "dashboard:app.ami: image ami-0a1b2c3d4e5f60718 (from ssm:/dashboard/vendor-ami) does not exist in the stack's region or is not shared with this account (check the id, aws:region and the image's launch permissions)",
            ]);
        });

        it("reads the root snapshot size from the image's block device mappings", () => {
            const mappings: Array<{ deviceName: string; ebs: Record<string, string> }> = [{ deviceName: "/dev/sdb", ebs: { volume_size: "100" } }, { deviceName: "/dev/sda1", ebs: { volume_size: "30", snapshot_id: "snap-1" } }];
            assert.equal(rootSnapshotGb("/dev/sda1", mappings), 30);
            assert.equal(rootSnapshotGb("/dev/xvda", mappings), undefined);
            assert.equal(rootSnapshotGb("/dev/sda1", [{ deviceName: "/dev/sda1", ebs: {} }]), undefined);
        });
    });

    it("reports every problem of every look-up at once, and returns a frozen config when there is none", async () => {
        const config = validated({ network: NETWORK, database: { snapshotIdentifier: "old" }, app: { ami: "ami-0123456789abcdef0", volumeGb: 9 } });
        const lines = await problemLines(config, fakeLookups({ getVpc: async () => undefined, getImage: async (id) => ({ id, rootDeviceName: "/dev/sda1", rootSnapshotGb: 30 }) }));
        assert.deepEqual(lines.map((l) => l.split(":").slice(0, 2).join(":")), ["dashboard:network.vpcId", "dashboard:database.snapshotIdentifier", "dashboard:app.volumeGb"]);
        const ok = await resolveConfig(validated({}), fakeLookups());
        assert.ok(Object.isFrozen(ok) && Object.isFrozen(ok.app) && Object.isFrozen(ok.database));
    });

    it("unlessNotFound: the provider's not-found errors mean undefined, other errors pass", async () => {
        for (const m of ["no matching EC2 VPC found", "Your query returned no results. Please change your search criteria and try again.", "DBSnapshotNotFound: x", "reading RDS DB Instance (x): couldn't find resource", "ParameterNotFound"]) {
            assert.equal(await unlessNotFound(Promise.reject(new Error(m))), undefined, m);
        }
        await assert.rejects(unlessNotFound(Promise.reject(new Error("AccessDenied"))), /AccessDenied/);
    });
});
