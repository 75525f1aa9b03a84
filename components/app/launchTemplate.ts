import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { launchTemplateImageId, metadataHopLimit } from "./appClusterPlan";
import type { ServerGroupArgs } from "./serverGroup";
import { renderUserData } from "./userData";

/** What the launch template refers to, made by the ServerGroup before it. */
export interface LaunchTemplateRefs {
    readonly region: pulumi.Input<string>;
    readonly securityGroupId: pulumi.Input<string>;
    readonly profileArn: pulumi.Input<string>;
    readonly logGroupName: pulumi.Input<string>;
    readonly licenceSecretArn?: pulumi.Input<string>;
}

/**
 * The launch template of the app servers: the image, IMDSv2 only, no public address, the encrypted
 * gp3 root volume, detailed monitoring, the boot script and the Name tag on instances and volumes.
 */
export function launchTemplateArgs(args: ServerGroupArgs, refs: LaunchTemplateRefs): aws.ec2.LaunchTemplateArgs {
    const app = args.app;
    const tags = { ...(args.instanceTags ?? {}), Name: `${pulumi.getStack()}-${args.prefix}` };
    return {
        description: "Dashboard app servers",
        imageId: launchTemplateImageId(app.ami),
        instanceType: app.instanceType,
        iamInstanceProfile: { arn: refs.profileArn },
        metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: metadataHopLimit(app),
            instanceMetadataTags: "enabled",
        },
        networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [refs.securityGroupId] }],
        blockDeviceMappings: [
            {
                deviceName: args.rootDeviceName ?? "/dev/xvda",
                ebs: { volumeType: "gp3", volumeSize: app.volumeGb, encrypted: "true", deleteOnTermination: "true" },
            },
        ],
        monitoring: { enabled: true },
        userData: userDataBase64(args, refs),
        updateDefaultVersion: true,
        tagSpecifications: [
            { resourceType: "instance", tags },
            { resourceType: "volume", tags },
        ],
    };
}

/** The boot script (renderUserData) with the resolved ids and ARNs, base64-encoded for the template. */
function userDataBase64(args: ServerGroupArgs, refs: LaunchTemplateRefs): pulumi.Output<string> {
    const { app, database, sideload } = args;
    return pulumi
        .output({
            region: refs.region,
            fileSystemId: sideload.fileSystemId,
            accessPointId: sideload.accessPointId,
            databaseSecretArn: database.secretArn,
            databaseHost: database.address,
            databasePort: database.port,
            databaseEngine: database.engine,
            databaseName: database.databaseName,
            licenceSecretArn: refs.licenceSecretArn,
            logGroupName: refs.logGroupName,
        })
        .apply((v) =>
            Buffer.from(
                renderUserData({
                    ...v,
                    mountPath: sideload.mountPath,
                    directories: sideload.directories,
                    linkInto: sideload.linkInto,
                    envFile: app.envFile,
                    services: app.services,
                    container: app.container === undefined ? undefined : { image: app.container.image, env: app.container.env, port: app.port },
                    logFiles: app.logFiles,
                }),
                "utf8",
            ).toString("base64"),
        );
}
