/**
 * The look-up stage: after `loadConfig()` and before anything is registered, the config is
 * checked against what exists (an existing VPC and its subnets, the snapshot or instance to
 * restore, the image), and the looked-up values are applied. Problems are config errors.
 */
import { existingNetworkProblems, restoreProblems, rootVolume, SUBNET_TIERS } from "./factChecks";
import type { Lookups, SubnetFacts } from "./lookups";
import { ConfigError, type Problem } from "./problems";
import type { AppConfig, DashboardConfig, DatabaseConfig, NetworkConfig } from "./types";
import { deepFreeze } from "./validate";

/** AMI ids the launch template takes as they are (an `ssm:` value names a parameter holding one). */
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

/** A look-up that failed for another reason than "not found", as a problem at `path`. */
function lookupFailed(path: string, what: string, error: unknown): Problem {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
    return { path, message: `${what} could not be looked up: ${message}`, fix: "check the AWS credentials and the stack's aws:region, then run again" };
}

/** Runs a look-up; a failure becomes a problem and the value undefined. */
async function attempt<T>(problems: Problem[], path: string, what: string, lookup: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
        return { ok: true, value: await lookup() };
    } catch (e) {
        problems.push(lookupFailed(path, what, e));
        return { ok: false };
    }
}

/** Problems of an existing network, from one VPC and one subnet look-up each. */
export async function resolveNetwork(network: NetworkConfig, lookups: Lookups): Promise<Problem[]> {
    if (network.mode !== "existing") return [];
    const problems: Problem[] = [];
    const vpc = attempt(problems, "network.vpcId", network.vpcId, () => lookups.getVpc(network.vpcId));
    const ids = SUBNET_TIERS.flatMap((tier) => network[tier].map((id) => [tier, id] as const));
    const subnets = ids.map(([tier, id]) => attempt(problems, `network.${tier}`, id, () => lookups.getSubnet(id)));
    const vpcFacts = await vpc;
    const facts = new Map<string, SubnetFacts | undefined>();
    const answers = await Promise.all(subnets);
    if (!vpcFacts.ok || answers.some((a) => !a.ok)) return problems;
    answers.forEach((a, i) => {
        if (a.ok) facts.set(ids[i][1], a.value);
    });
    return existingNetworkProblems(network, vpcFacts.value, facts);
}

/** The database config with a restore source looked up: its problems and the storage to allocate. */
export async function resolveDatabase(db: DatabaseConfig, lookups: Lookups): Promise<{ problems: Problem[]; storageGb: number }> {
    const problems: Problem[] = [];
    const snapshot = db.snapshotIdentifier;
    const instance = db.restoreToPointInTime?.sourceDbInstanceIdentifier;
    if (snapshot === undefined && instance === undefined) return { problems, storageGb: db.storageGb };
    const path = snapshot !== undefined ? "database.snapshotIdentifier" : "database.restoreToPointInTime.sourceDbInstanceIdentifier";
    const name = snapshot ?? instance ?? "";
    const source = await attempt(problems, path, name, () => (snapshot !== undefined ? lookups.getSnapshot(snapshot) : lookups.getDbInstance(name)));
    if (!source.ok) return { problems, storageGb: db.storageGb };
    if (source.value === undefined) {
        problems.push({
            path,
            message: `${snapshot !== undefined ? "snapshot" : "instance"} ${name} does not exist in the stack's region`,
            fix: `check the identifier and aws:region; if this stack's database was already created from it, remove ${path.replace(/\.sourceDbInstanceIdentifier$/, "")}: it is used only at creation`,
        });
        return { problems, storageGb: db.storageGb };
    }
    return restoreProblems(db, source.value);
}

/** The app config with its image looked up: problems, root device and root volume size. */
export async function resolveImage(app: AppConfig, lookups: Lookups): Promise<{ problems: Problem[]; rootDeviceName: string; volumeGb: number }> {
    const problems: Problem[] = [];
    const unchanged = { problems, rootDeviceName: app.rootDeviceName, volumeGb: app.volumeGb };
    let imageId = app.ami;
    if (app.ami.startsWith("ssm:")) {
        const name = app.ami.slice("ssm:".length);
        const value = await attempt(problems, "app.ami", `parameter ${name}`, () => lookups.getParameter(name));
        if (!value.ok) return unchanged;
        if (value.value === undefined) {
            problems.push({ path: "app.ami", message: `the SSM parameter ${name} does not exist in the stack's region`, fix: `create it (aws ssm put-parameter --name ${name} --type String --data-type aws:ec2:image --value ami-…) or check aws:region` });
            return unchanged;
        }
        if (!AMI_ID.test(value.value)) {
            problems.push({ path: "app.ami", message: `the SSM parameter ${name} holds "${value.value}", not an AMI id`, fix: `put an AMI id into it (aws ssm put-parameter --overwrite --name ${name} --type String --data-type aws:ec2:image --value ami-…)` });
            return unchanged;
        }
        imageId = value.value;
    }
    const image = await attempt(problems, "app.ami", imageId, () => lookups.getImage(imageId));
    if (!image.ok) return unchanged;
    if (image.value === undefined) {
        const from = imageId === app.ami ? "" : ` (from ${app.ami})`;
        problems.push({ path: "app.ami", message: `image ${imageId}${from} does not exist in the stack's region or is not shared with this account`, fix: "check the id, aws:region and the image's launch permissions" });
        return unchanged;
    }
    return rootVolume(app, image.value);
}

/**
 * Checks the validated config against what exists and returns it with the looked-up values
 * applied (restored storage, the image's root device and root volume size). Every look-up runs
 * at once; every problem is collected and thrown as one {@link ConfigError}, one line each.
 *
 * @param config the validated config from `loadConfig()` @default required
 * @param lookups where facts come from; `awsLookups(region)` in a real run @default required
 */
export async function resolveConfig(config: DashboardConfig, lookups: Lookups): Promise<DashboardConfig> {
    const [network, database, image] = await Promise.all([
        resolveNetwork(config.network, lookups),
        resolveDatabase(config.database, lookups),
        resolveImage(config.app, lookups),
    ]);
    const problems = [...network, ...database.problems, ...image.problems];
    if (problems.length > 0) throw new ConfigError(problems);
    return deepFreeze({
        ...config,
        database: { ...config.database, storageGb: database.storageGb },
        app: { ...config.app, rootDeviceName: image.rootDeviceName, volumeGb: image.volumeGb },
    });
}
