/**
 * The dashboard's seven EFS volumes: where each is mounted, who mounts it, and where its access point
 * roots on the shared file system. The sideload's folders land where the containers read them; the
 * rest lies outside the sideload's `/content`, so the bucket can never write it.
 * Plain values; table-tested in tests/components/fargate/volumes.test.ts.
 */
import type { ServiceName } from "../../config/containers";

const DASHBOARD = "/var/panintelligence/Dashboard";
const RESOURCES = `${DASHBOARD}/tomcat/webapps/panMISDashboardResources`;

/** One volume of the tasks. */
export interface VolumeSpec {
    /** The task volume's name (the vendor's) and the last part of its access point's logical name. */
    readonly name: string;
    /** Where the containers mount it. */
    readonly containerPath: string;
    /** The services that mount it. */
    readonly services: readonly ServiceName[];
    /** The sideload upload folder whose files land in it, when that folder is configured. @default none (never written from the bucket) */
    readonly folder?: string;
    /** The mode EFS creates its root directory with. */
    readonly permissions: string;
}

/** The vendor's volumes. `keys` (the dashboard's and scheduler's shared keys) is 0700; no folder ever reaches keys, svg, locale or custom_jdbc. */
export const VOLUMES: readonly VolumeSpec[] = [
    { name: "keys", containerPath: `${DASHBOARD}/keys`, services: ["dashboard", "scheduler"], permissions: "0700" },
    { name: "custom_jdbc", containerPath: `${DASHBOARD}/custom_jdbc`, services: ["dashboard"], permissions: "0755" },
    { name: "themes", containerPath: `${RESOURCES}/themes`, services: ["dashboard"], folder: "themes", permissions: "0755" },
    { name: "images", containerPath: `${RESOURCES}/images`, services: ["dashboard"], folder: "images", permissions: "0755" },
    { name: "files", containerPath: `${RESOURCES}/files`, services: ["dashboard"], folder: "excel-data", permissions: "0755" },
    { name: "svg", containerPath: `${RESOURCES}/svg`, services: ["dashboard"], permissions: "0755" },
    { name: "locale", containerPath: `${RESOURCES}/locale`, services: ["dashboard"], permissions: "0755" },
];

/** Where the volumes that no upload folder feeds are rooted: beside the sideload's `/content`, never under it. */
export const APP_ROOT = "/app";

/** The sideload's layout as the access points see it. */
export interface ContentLayout {
    /** The sideload access point's root (`/content`). @default required */
    readonly contentRoot: string;
    /** The upload folders. @default required */
    readonly folders: readonly string[];
    /** Upload folder → directory under the content root. @default required */
    readonly directories: Readonly<Record<string, string>>;
}

/**
 * The root directory of a volume's access point: `<contentRoot>/<directory of its folder>` when that
 * upload folder is configured (the sideload writes there), else `/app/<volume>`. Adding or removing
 * the folder later moves the root, which replaces the access point: the directory it leaves stays on
 * the file system but is no longer mounted.
 */
export function accessPointRoot(volume: VolumeSpec, layout: ContentLayout): string {
    const dir = volume.folder !== undefined && layout.folders.includes(volume.folder) ? layout.directories[volume.folder] : undefined;
    return dir === undefined ? `${APP_ROOT}/${volume.name}` : `${layout.contentRoot}/${dir}`;
}

/** The volumes a service mounts, in {@link VOLUMES} order. */
export function volumesOf(service: ServiceName): VolumeSpec[] {
    return VOLUMES.filter((v) => v.services.includes(service));
}

/** A container's mount point. */
export interface MountPoint {
    readonly sourceVolume: string;
    readonly containerPath: string;
    readonly readOnly: boolean;
}

/** The container's mount points of a service. */
export function mountPoints(service: ServiceName): MountPoint[] {
    return volumesOf(service).map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false }));
}

/** A task volume on EFS, as the provider takes it. */
export interface EfsTaskVolume {
    readonly name: string;
    readonly efsVolumeConfiguration: {
        readonly fileSystemId: string;
        readonly transitEncryption: "ENABLED";
        readonly authorizationConfig: { readonly accessPointId: string; readonly iam: "ENABLED" };
    };
}

/**
 * A service's task volumes: each through its own access point, TLS in transit and IAM authorization
 * (the task role must be allowed to mount). No `rootDirectory`: with an access point ECS requires it
 * unset (the access point's root applies).
 * @param service the service @default required
 * @param fileSystemId the file system @default required
 * @param accessPointIds volume name → access point id @default required
 */
export function taskVolumes(service: ServiceName, fileSystemId: string, accessPointIds: Readonly<Record<string, string>>): EfsTaskVolume[] {
    return volumesOf(service).map((v) => {
        const accessPointId = accessPointIds[v.name];
        if (accessPointId === undefined) throw new Error(`taskVolumes: no access point for volume ${v.name}`);
        return { name: v.name, efsVolumeConfiguration: { fileSystemId, transitEncryption: "ENABLED", authorizationConfig: { accessPointId, iam: "ENABLED" } } };
    });
}
