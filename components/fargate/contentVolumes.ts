import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FargateSideloadArgs } from "./args";
import { VOLUMES, accessPointRoot } from "./volumes";

/** Arguments of {@link ContentVolumes}: the file system and the sideload's layout. */
export type ContentVolumesArgs = Pick<FargateSideloadArgs, "fileSystemId" | "uid" | "gid" | "contentRoot" | "folders" | "directories">;

/** One volume's access point. */
export interface VolumeAccessPoint {
    readonly id: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
}

/**
 * The access points of the dashboard's seven volumes on the shared file system
 * (`dashboard:fargate:ContentVolumes`, one `<name>-<volume>` each): every operation as the sideload's
 * non-root user, each root created on first use with that owner (`keys` 0700, the others 0755).
 * themes, images and files root where the sideload writes those folders (`/content/<directory>`);
 * keys, custom_jdbc, svg, locale (and a content volume whose folder is not configured) root under
 * `/app`, which the sideload's access point cannot reach. A changed root replaces its access point.
 */
export class ContentVolumes extends pulumi.ComponentResource {
    /** Volume name → its access point. */
    public readonly accessPoints: Readonly<Record<string, VolumeAccessPoint>>;

    constructor(name: string, args: ContentVolumesArgs, opts: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:ContentVolumes", name, {}, opts);
        const owner = { uid: args.uid, gid: args.gid };
        const points: Record<string, VolumeAccessPoint> = {};
        for (const volume of VOLUMES) {
            const ap = new aws.efs.AccessPoint(
                `${name}-${volume.name}`,
                {
                    fileSystemId: args.fileSystemId,
                    posixUser: owner,
                    rootDirectory: { path: accessPointRoot(volume, args), creationInfo: { ownerUid: args.uid, ownerGid: args.gid, permissions: volume.permissions } },
                    tags: { Name: `${name}-${volume.name}` },
                },
                { parent: this },
            );
            points[volume.name] = { id: ap.id, arn: ap.arn };
        }
        this.accessPoints = points;
        this.registerOutputs({ accessPointIds: Object.fromEntries(Object.entries(points).map(([k, v]) => [k, v.id])) });
    }
}
