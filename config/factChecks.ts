/**
 * Pure checks of looked-up facts against the validated config: every problem as a contract
 * {@link Problem}, and the values the facts imply (restored storage, root volume).
 */
import type { ImageFacts, RestoreSourceFacts, SubnetFacts, VpcFacts } from "./lookups";
import type { Problem } from "./problems";
import { COMMON_DEFAULTS } from "./profiles";
import type { AppConfig, DatabaseConfig, ExistingNetworkConfig } from "./types";

/** The subnet tiers of an existing network, by config key. */
export const SUBNET_TIERS = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;

/**
 * Everything wrong with an existing network: a VPC that does not exist or has DNS support or
 * DNS hostnames off (EFS is mounted by name), subnets that do not exist or belong to another VPC,
 * tiers that do not span two zones, and more than one public or private subnet in a zone (the
 * load balancer and the EFS mount targets take one per zone; the database's subnet group does not mind).
 *
 * @param network the validated existing network @default required
 * @param vpc the VPC's facts; undefined when it does not exist @default required
 * @param subnets each listed subnet's facts by id; undefined when it does not exist @default required
 */
export function existingNetworkProblems(
    network: ExistingNetworkConfig,
    vpc: VpcFacts | undefined,
    subnets: ReadonlyMap<string, SubnetFacts | undefined>,
): Problem[] {
    const problems: Problem[] = [];
    const vpcId = network.vpcId;
    if (vpc === undefined) {
        problems.push({ path: "network.vpcId", message: `${vpcId} does not exist in the stack's region`, fix: "check the id and aws:region" });
    } else {
        const attribute = (on: boolean, what: string, flag: string) => {
            if (!on) {
                problems.push({
                    path: "network.vpcId",
                    message: `${vpcId} has ${what} turned off, and the app servers mount EFS by its DNS name`,
                    fix: `turn it on: aws ec2 modify-vpc-attribute --vpc-id ${vpcId} --${flag} '{"Value":true}'`,
                });
            }
        };
        attribute(vpc.enableDnsSupport, "DNS support", "enable-dns-support");
        attribute(vpc.enableDnsHostnames, "DNS hostnames", "enable-dns-hostnames");
    }
    for (const tier of SUBNET_TIERS) {
        const path = `network.${tier}`;
        const found: SubnetFacts[] = [];
        for (const id of network[tier]) {
            const s = subnets.get(id);
            if (s === undefined) problems.push({ path, message: `${id} does not exist in the stack's region`, fix: "check the id and aws:region" });
            else if (s.vpcId !== vpcId) problems.push({ path, message: `${id} belongs to ${s.vpcId}, not ${vpcId}`, fix: `list subnets of ${vpcId} only` });
            else found.push(s);
        }
        const zones = [...new Set(found.map((s) => s.availabilityZone))].sort();
        if (found.length > 1 && zones.length < 2) {
            problems.push({ path, message: `subnets ${found.map((s) => s.id).join(", ")} are all in ${zones[0]}; a tier must span two availability zones`, fix: "add a subnet in another availability zone" });
        } else if (tier !== "isolatedSubnetIds" && zones.length < found.length) {
            const shared = zones.filter((z) => found.filter((s) => s.availabilityZone === z).length > 1);
            problems.push({ path, message: `more than one subnet in ${shared.join(", ")}`, fix: "list one subnet per availability zone" });
        }
    }
    return problems;
}

/** The major version of an engine version: `16.4` → `16` for PostgreSQL, `10.11.9` → `10.11` for MariaDB and MySQL. */
export function majorVersion(engine: string, version: string): string {
    const parts = version.split(".");
    return (engine === "postgres" ? parts.slice(0, 1) : parts.slice(0, 2)).join(".");
}

/** The command that makes an encrypted copy of a snapshot with the AWS-managed RDS key. */
export function encryptedCopyCommand(snapshot: string): string {
    const target = `${snapshot.split(":").pop() ?? snapshot}-encrypted`;
    return `aws rds copy-db-snapshot --source-db-snapshot-identifier ${snapshot} --target-db-snapshot-identifier ${target} --kms-key-id alias/aws/rds`;
}

/** What a restore source means for the database: its problems and the storage to allocate. */
export interface RestoreCheck {
    readonly problems: Problem[];
    /** The larger of the source's allocated storage and `storageGb`. */
    readonly storageGb: number;
}

/**
 * Checks a restore source against the database config: same engine, same major version
 * (RDS restores with the configured parameter group, whose family follows `version`), encrypted
 * (an unencrypted source would plan a replacement at every `up`), and storage: RDS cannot restore
 * into less than the source's storage, so the larger one is allocated and `maxStorageGb` must stay
 * equal to it or at least 10 % above it.
 *
 * @param db the validated database config with `snapshotIdentifier` or `restoreToPointInTime` @default required
 * @param source the snapshot's (or source instance's) facts @default required
 */
export function restoreProblems(db: DatabaseConfig, source: RestoreSourceFacts): RestoreCheck {
    const problems: Problem[] = [];
    const snapshot = db.snapshotIdentifier;
    const path = snapshot !== undefined ? "database.snapshotIdentifier" : "database.restoreToPointInTime.sourceDbInstanceIdentifier";
    const name = snapshot !== undefined ? `snapshot ${snapshot}` : `instance ${db.restoreToPointInTime?.sourceDbInstanceIdentifier ?? ""}`;
    if (source.engine !== db.engine) {
        problems.push({ path, message: `${name} is ${source.engine}, not ${db.engine}`, fix: `set database.engine to ${source.engine}, or restore from a ${db.engine} ${snapshot !== undefined ? "snapshot" : "instance"}` });
    } else {
        const major = majorVersion(source.engine, source.engineVersion);
        if (major !== db.version) {
            problems.push({
                path: "database.version",
                message: `${name} is ${source.engine} ${source.engineVersion} (major version ${major}), not ${db.version}`,
                fix: `set database.version to ${major} for the restore; to upgrade later, first remove the restore setting (it is used only at creation), then raise database.version`,
            });
        }
    }
    if (!source.encrypted) {
        problems.push(
            snapshot !== undefined
                ? { path, message: `${name} is not encrypted`, fix: `copy it encrypted: ${encryptedCopyCommand(snapshot)}, then set database.snapshotIdentifier to the copy` }
                : { path, message: `${name} is not encrypted, and a point-in-time copy of it cannot be`, fix: `snapshot it, copy the snapshot encrypted (${encryptedCopyCommand("<snapshot>")}), and restore from the copy with database.snapshotIdentifier` },
        );
    }
    const storageGb = Math.max(source.allocatedStorageGb, db.storageGb);
    if (storageGb > db.storageGb) {
        const least = Math.ceil((storageGb * 11) / 10);
        if (db.maxStorageGb < storageGb) {
            problems.push({ path: "database.maxStorageGb", message: `${db.maxStorageGb} GB is below the ${storageGb} GB of ${name}`, fix: `set it to ${storageGb} (no autoscaling) or ${least} or more` });
        } else if (db.maxStorageGb !== storageGb && db.maxStorageGb * 10 < storageGb * 11) {
            problems.push({ path: "database.maxStorageGb", message: `${db.maxStorageGb} GB is less than 10 % above the ${storageGb} GB of ${name}`, fix: `set it to ${storageGb} (no autoscaling) or ${least} or more` });
        }
    }
    return { problems, storageGb };
}

/** What an image means for the root volume: its problems, the device name and the size to use. */
export interface RootVolumeCheck {
    readonly problems: Problem[];
    readonly rootDeviceName: string;
    readonly volumeGb: number;
}

/**
 * The launch template's root volume for an image: the image's own root device, and the larger of
 * its root snapshot and `app.volumeGb`. Refuses a configured `app.rootDeviceName` the image does not
 * boot from (the volume would be an extra, empty disk and the root keep the snapshot's size), and a
 * configured `app.volumeGb` smaller than the snapshot (EC2 refuses to launch).
 *
 * @param app the validated app config @default required
 * @param image the image's facts @default required
 */
export function rootVolume(app: Pick<AppConfig, "ami" | "volumeGb" | "requested">, image: ImageFacts): RootVolumeCheck {
    const problems: Problem[] = [];
    const of = app.ami.startsWith("ssm:") ? `${image.id} (from ${app.ami})` : image.id;
    const wanted = app.requested.rootDeviceName;
    if (wanted !== undefined && wanted !== image.rootDeviceName) {
        problems.push({
            path: "app.rootDeviceName",
            message: `${wanted} is not the root device of ${of}, which boots from ${image.rootDeviceName}`,
            fix: `set it to ${image.rootDeviceName}, or remove it to use the image's own`,
        });
    }
    const snapshotGb = image.rootSnapshotGb ?? 0;
    const requestedGb = app.requested.volumeGb;
    if (requestedGb !== undefined && requestedGb < snapshotGb) {
        problems.push({
            path: "app.volumeGb",
            message: `${requestedGb} GB is smaller than the ${snapshotGb} GB root snapshot of ${of}`,
            fix: `set it to ${snapshotGb} or more, or remove it to use ${Math.max(snapshotGb, COMMON_DEFAULTS.app.volumeGb)} GB`,
        });
    }
    return { problems, rootDeviceName: image.rootDeviceName, volumeGb: Math.max(snapshotGb, app.volumeGb) };
}
