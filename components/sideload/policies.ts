/**
 * Pure helpers of the Sideload component: IAM and resource policy documents,
 * the folder map handed to the Lambda, the notification filters, the
 * subnet of each mount target and the numeric checks. Plain values in,
 * plain values out; tested with tables in
 * tests/components/sideload/policies.test.ts.
 */
import { FORBIDDEN_FOLDERS } from "../../config/profiles";
import { denyInsecureTransport, type PolicyDocument } from "../../common/policies";

/** The ARNs the Lambda's inline policy names. */
export interface SideloadPolicyArns {
    bucketArn: string;
    fileSystemArn: string;
    accessPointArn: string;
    /** The log group's ARN as the provider returns it: without the trailing `:*`. */
    logGroupArn: string;
    queueArn: string;
}

/** The events each allowed folder sends to the Lambda. */
export const SIDELOAD_EVENTS: readonly string[] = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"];

/** Where the access point is mounted inside the Lambda. */
export const LAMBDA_MOUNT_PATH = "/mnt/content";

/** The access point's root directory on the file system. */
export const CONTENT_ROOT = "/content";

/** NFS. */
export const NFS_PORT = 2049;

/** Upload folder and directory names: one path segment, no dots, nothing S3 or a shell would reinterpret. */
const SEGMENT = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The Lambda's inline policy: each statement names its resources. Objects are
 * read only under the upload folders (`<bucket>/<folder>/*`, in the order
 * given), never elsewhere in the bucket (`keys/`, say). Listing stays on the
 * whole bucket without a prefix condition: S3 answers a missing key with 404
 * only to a caller that may list the bucket, and the handler tells a deleted
 * upload from a failure by that 404. The file system grant holds only through
 * this component's access point.
 */
export function sideloadRolePolicy(arns: SideloadPolicyArns, folders: readonly string[]): PolicyDocument {
    if (folders.length === 0) throw new Error("sideloadRolePolicy: no upload folder to read from");
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadUploads", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: folders.map((f) => `${arns.bucketArn}/${f}/*`) },
            { Sid: "ListUploads", Effect: "Allow", Action: "s3:ListBucket", Resource: arns.bucketArn },
            {
                Sid: "WriteContentThroughAccessPoint",
                Effect: "Allow",
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: arns.fileSystemArn,
                Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": arns.accessPointArn } },
            },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arns.logGroupArn}:*` },
            { Sid: "SendFailedEvents", Effect: "Allow", Action: "sqs:SendMessage", Resource: arns.queueArn },
        ],
    };
}

/** The bucket policy: every request without TLS is denied, on the bucket and its objects. */
export function bucketTlsPolicy(bucketArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [denyInsecureTransport(bucketArn)] };
}

/** The NFS client actions an EFS file system policy governs. */
export const EFS_CLIENT_ACTIONS: readonly string[] = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];

/** Who may mount the file system, and through which of its access points: one Allow statement of {@link fileSystemPolicy}. */
export interface MountGrant {
    /** The statement's Sid (letters and digits, unique in the policy). @default "MountThroughAccessPoint" */
    readonly sid?: string;
    /** The roles that may mount and write (duplicates are dropped). @default none (required, at least one) */
    readonly roleArns: readonly string[];
    /** The access points they may mount through; one stays a string in the condition. @default none (required, at least one) */
    readonly accessPointArns: readonly string[];
}

/**
 * The file system policy: only the named roles (each grant's: the sideload function's and each
 * granted client's) may mount and write, only through a mount target and the grant's access points
 * (so always as an access point's non-root POSIX user, below its root directory); every other
 * principal, anonymous NFS clients included, is denied any client action even if its own identity
 * policy allows it; nothing at all without TLS. No ClientRootAccess for anyone. A grant's roles may
 * use only that grant's access points: in the same account an Allow of this policy suffices on its
 * own, whatever the role's identity policy says, so the scoping must be here.
 */
export function fileSystemPolicy(fileSystemArn: string, grants: readonly MountGrant[]): PolicyDocument {
    const roles = [...new Set(grants.flatMap((g) => g.roleArns))];
    if (roles.length === 0) throw new Error("fileSystemPolicy: name at least one client role");
    const sids = grants.map((g, i) => g.sid ?? (i === 0 ? "MountThroughAccessPoint" : `MountThroughAccessPoint${i + 1}`));
    for (const [i, g] of grants.entries()) {
        if (!/^[A-Za-z0-9]+$/.test(sids[i]) || sids.indexOf(sids[i]) !== i) throw new Error(`fileSystemPolicy: Sid "${sids[i]}" is not letters and digits, or not unique`);
        if (g.roleArns.length === 0 || g.accessPointArns.length === 0) throw new Error(`fileSystemPolicy: grant ${sids[i]} needs a role and an access point`);
    }
    const accessPoints = (aps: readonly string[]) => (aps.length === 1 ? aps[0] : [...new Set(aps)]);
    return {
        Version: "2012-10-17",
        Statement: [
            ...grants.map((g, i) => ({
                Sid: sids[i],
                Effect: "Allow" as const,
                Principal: { AWS: [...new Set(g.roleArns)] },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: fileSystemArn,
                Condition: {
                    Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" },
                    StringEquals: { "elasticfilesystem:AccessPointArn": accessPoints(g.accessPointArns) },
                },
            })),
            {
                Sid: "DenyOtherPrincipals",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: [...EFS_CLIENT_ACTIONS],
                Resource: fileSystemArn,
                Condition: { ArnNotEquals: { "aws:PrincipalArn": roles } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "*",
                Resource: fileSystemArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * Checks the upload folders and their directories and returns
 * folder → directory with the keys sorted (what `SIDELOAD_FOLDERS` carries).
 * Only listed folders are returned, even if `directories` maps more.
 * Throws on an empty list, a duplicate, a name that is not one safe path
 * segment, a missing mapping, two folders sharing a directory, or a folder or
 * directory the app keeps to itself (keys, logs, svg).
 */
export function sideloadFolderMap(folders: readonly string[], directories: Readonly<Record<string, string>>): Record<string, string> {
    if (folders.length === 0) throw new Error("Sideload: folders is empty; list at least one upload folder");
    const result: Record<string, string> = {};
    const seen = new Set<string>();
    const owners = new Map<string, string>();
    for (const folder of [...folders].sort()) {
        if (!SEGMENT.test(folder)) throw new Error(`Sideload: folder "${folder}" is not one path segment of [a-z0-9-]`);
        if (seen.has(folder)) throw new Error(`Sideload: folder "${folder}" is listed twice`);
        seen.add(folder);
        const dir = Object.prototype.hasOwnProperty.call(directories, folder) ? directories[folder] : undefined;
        if (dir === undefined) throw new Error(`Sideload: folder "${folder}" has no directory in directories`);
        if (!SEGMENT.test(dir)) throw new Error(`Sideload: directory "${dir}" of folder "${folder}" is not one path segment of [a-z0-9-]`);
        if (FORBIDDEN_FOLDERS.includes(folder) || FORBIDDEN_FOLDERS.includes(dir)) {
            throw new Error(`Sideload: folder "${folder}" → "${dir}": ${FORBIDDEN_FOLDERS.join(", ")} are never writable from the bucket`);
        }
        const other = owners.get(dir);
        if (other !== undefined) throw new Error(`Sideload: folders "${other}" and "${folder}" both map to directory "${dir}"`);
        owners.set(dir, folder);
        result[folder] = dir;
    }
    return result;
}

/** `SIDELOAD_FOLDERS`: the folder map as JSON, keys sorted. */
export function sideloadFoldersJson(folderMap: Readonly<Record<string, string>>): string {
    // Written by hand: an object would put digit-only keys first, whatever the sort.
    const entries = Object.keys(folderMap)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(folderMap[k])}`);
    return `{${entries.join(",")}}`;
}

/** One S3 notification filter per allowed folder, in the order given. */
export function notificationFilters(folders: readonly string[]): { filterPrefix: string; events: string[] }[] {
    return folders.map((folder) => ({ filterPrefix: `${folder}/`, events: [...SIDELOAD_EVENTS] }));
}

/**
 * The subnet of mount target `index`. The subnet list is an Output whose
 * length the program cannot see at construction, so the caller states the
 * count (`availabilityZoneCount`) and this checks it when the ids are known.
 */
export function subnetAt(subnetIds: readonly string[], index: number, expected: number): string {
    if (subnetIds.length !== expected) {
        throw new Error(`Sideload: availabilityZoneCount is ${expected} but ${subnetIds.length} subnet ids were given; pass one private subnet per zone`);
    }
    return subnetIds[index];
}

/** The numeric arguments of a Sideload, as {@link checkSideloadNumbers} sees them. */
export interface SideloadNumbers {
    availabilityZoneCount: number;
    uid: number;
    gid: number;
    /** Undefined: no reservation. */
    reservedConcurrency?: number;
    logRetentionDays: number;
}

/**
 * Throws on a numeric argument that AWS would reject or that would break the
 * guarantees: uid/gid 0 would make the access point write as root, a reserved
 * concurrency of 0 would throttle every upload.
 */
export function checkSideloadNumbers(n: SideloadNumbers): void {
    const problems: string[] = [];
    const int = (key: keyof SideloadNumbers, min: number, max: number) => {
        const v = n[key];
        if (v === undefined) return;
        if (!Number.isInteger(v) || v < min || v > max) problems.push(`${key} is ${v}, expected an integer from ${min} to ${max}`);
    };
    int("availabilityZoneCount", 1, 6);
    int("uid", 1, 4294967294);
    int("gid", 1, 4294967294);
    int("reservedConcurrency", 1, 1000);
    int("logRetentionDays", 1, 3653);
    if (problems.length > 0) throw new Error(`Sideload: ${problems.join("; ")}`);
}
