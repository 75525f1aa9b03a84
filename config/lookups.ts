/**
 * The look-ups the config stage makes before anything is registered: facts about things that
 * exist already (an existing VPC and its subnets, a snapshot or source instance to restore,
 * the image). {@link Lookups} is the seam tests replace; {@link awsLookups} asks AWS.
 */
import * as aws from "@pulumi/aws";

/** What a look-up says about an existing VPC. */
export interface VpcFacts {
    readonly id: string;
    readonly cidrBlock: string;
    readonly enableDnsSupport: boolean;
    readonly enableDnsHostnames: boolean;
}

/** What a look-up says about one subnet. */
export interface SubnetFacts {
    readonly id: string;
    readonly vpcId: string;
    readonly availabilityZone: string;
}

/** What a restore starts from: a DB snapshot or, for a point-in-time restore, the source instance. */
export interface RestoreSourceFacts {
    /** `mariadb`, `postgres`, `mysql` (or another RDS engine name). */
    readonly engine: string;
    /** Full version, e.g. `16.4`, `10.11.9`. */
    readonly engineVersion: string;
    readonly allocatedStorageGb: number;
    readonly encrypted: boolean;
}

/** What a look-up says about an image. */
export interface ImageFacts {
    readonly id: string;
    /** The image's root device, e.g. `/dev/sda1`. */
    readonly rootDeviceName: string;
    /** Size of the root device's snapshot in GB; undefined when the root is not an EBS snapshot. */
    readonly rootSnapshotGb?: number;
}

/**
 * Look-ups by id. Each answers undefined when the thing does not exist and rejects for any
 * other failure (credentials, throttling), which the stage reports as a failed look-up.
 */
export interface Lookups {
    getVpc(id: string): Promise<VpcFacts | undefined>;
    getSubnet(id: string): Promise<SubnetFacts | undefined>;
    getSnapshot(identifier: string): Promise<RestoreSourceFacts | undefined>;
    getDbInstance(identifier: string): Promise<RestoreSourceFacts | undefined>;
    /** The value of an SSM parameter (an `ssm:` image names one). */
    getParameter(name: string): Promise<string | undefined>;
    getImage(id: string): Promise<ImageFacts | undefined>;
}

/**
 * How the AWS provider words "there is no such thing" (its data sources fail instead of
 * answering empty): `no matching EC2 VPC found`, `Your query returned no results`,
 * `DBSnapshotNotFound`, `DBInstanceNotFound`, `couldn't find resource`, `ParameterNotFound`.
 */
export const NOT_FOUND = /no matching|returned no results|not ?found|couldn't find|does not exist|InvalidAMIID|InvalidVpcID|InvalidSubnetID/i;

/** The promise's value, or undefined when it failed with a not-found error. */
export async function unlessNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
    try {
        return await promise;
    } catch (e) {
        if (NOT_FOUND.test(e instanceof Error ? e.message : String(e))) return undefined;
        throw e;
    }
}

/** The size of an image's root snapshot in GB, from its block device mappings (`ebs.volume_size`). */
export function rootSnapshotGb(rootDeviceName: string, mappings: ReadonlyArray<{ deviceName: string; ebs: Readonly<Record<string, string>> }>): number | undefined {
    const size = mappings.find((m) => m.deviceName === rootDeviceName)?.ebs?.volume_size;
    const n = Number(size);
    return size === undefined || size === "" || !Number.isFinite(n) || n <= 0 ? undefined : n;
}

/**
 * Look-ups through the AWS provider's data sources (invokes), in the stack's region. They go
 * through the default provider: the stack's own provider is a resource, and nothing may be
 * registered before the config is known to be good.
 *
 * @param region the stack's `aws:region` @default the provider's (AWS_REGION)
 */
export function awsLookups(region?: string): Lookups {
    const r = region === undefined ? {} : { region };
    const instance = (i: { engine: string; engineVersion: string; allocatedStorage: number; storageEncrypted: boolean }): RestoreSourceFacts => ({
        engine: i.engine,
        engineVersion: i.engineVersion,
        allocatedStorageGb: i.allocatedStorage,
        encrypted: i.storageEncrypted,
    });
    return {
        getVpc: (id) =>
            unlessNotFound(aws.ec2.getVpc({ id, ...r })).then((v) =>
                v === undefined ? undefined : { id: v.id, cidrBlock: v.cidrBlock, enableDnsSupport: v.enableDnsSupport, enableDnsHostnames: v.enableDnsHostnames },
            ),
        getSubnet: (id) =>
            unlessNotFound(aws.ec2.getSubnet({ id, ...r })).then((s) => (s === undefined ? undefined : { id, vpcId: s.vpcId, availabilityZone: s.availabilityZone })),
        getSnapshot: (identifier) =>
            // An ARN names a snapshot shared from another account.
            unlessNotFound(aws.rds.getSnapshot({ dbSnapshotIdentifier: identifier, includeShared: identifier.startsWith("arn:"), ...r })).then((s) =>
                s === undefined ? undefined : { engine: s.engine, engineVersion: s.engineVersion, allocatedStorageGb: s.allocatedStorage, encrypted: s.encrypted },
            ),
        getDbInstance: (identifier) =>
            unlessNotFound(aws.rds.getInstance({ dbInstanceIdentifier: identifier, ...r })).then((i) => (i === undefined ? undefined : instance(i))),
        getParameter: (name) => unlessNotFound(aws.ssm.getParameter({ name, ...r })).then((p) => p?.value),
        getImage: (id) =>
            // Deprecated images (AWS deprecates public AMIs after two years) are hidden from a filtered
            // search unless asked for; a stack pinned to one must still find it.
            unlessNotFound(aws.ec2.getAmi({ filters: [{ name: "image-id", values: [id] }], includeDeprecated: true, ...r })).then((i) =>
                i === undefined ? undefined : { id: i.imageId, rootDeviceName: i.rootDeviceName, rootSnapshotGb: rootSnapshotGb(i.rootDeviceName, i.blockDeviceMappings) },
            ),
    };
}
