import * as assert from "node:assert/strict";
import { VOLUMES, accessPointRoot, mountPoints, taskVolumes } from "../../../components/fargate/volumes";

const RES = "/var/panintelligence/Dashboard/tomcat/webapps/panMISDashboardResources";
const DEFAULT_LAYOUT = { contentRoot: "/content", folders: ["images", "themes", "excel-data"], directories: { "excel-data": "excel", images: "images", themes: "themes" } };

describe("components/fargate/volumes: where each volume is mounted and rooted", () => {
    it("roots themes, images and files where the sideload writes their folders; everything else outside /content", () => {
        assert.deepEqual(Object.fromEntries(VOLUMES.map((v) => [v.name, accessPointRoot(v, DEFAULT_LAYOUT)])), {
            keys: "/app/keys",
            custom_jdbc: "/app/custom_jdbc",
            themes: "/content/themes",
            images: "/content/images",
            files: "/content/excel",
            svg: "/app/svg",
            locale: "/app/locale",
        });
    });

    it("follows a folder's directory, and roots a content volume whose folder is not configured outside /content", () => {
        const layout = { contentRoot: "/content", folders: ["themes"], directories: { themes: "brand" } };
        assert.deepEqual(Object.fromEntries(VOLUMES.map((v) => [v.name, accessPointRoot(v, layout)])), {
            keys: "/app/keys",
            custom_jdbc: "/app/custom_jdbc",
            themes: "/content/brand",
            images: "/app/images",
            files: "/app/files",
            svg: "/app/svg",
            locale: "/app/locale",
        });
    });

    it("keys is 0700 and shared by the dashboard and scheduler; the others are the dashboard's, 0755", () => {
        assert.deepEqual(VOLUMES.map((v) => [v.name, v.permissions, v.services]), [
            ["keys", "0700", ["dashboard", "scheduler"]],
            ["custom_jdbc", "0755", ["dashboard"]],
            ["themes", "0755", ["dashboard"]],
            ["images", "0755", ["dashboard"]],
            ["files", "0755", ["dashboard"]],
            ["svg", "0755", ["dashboard"]],
            ["locale", "0755", ["dashboard"]],
        ]);
    });

    it("mounts the vendor's paths: seven on the dashboard, keys on the scheduler, none elsewhere", () => {
        assert.deepEqual(mountPoints("dashboard"), [
            { sourceVolume: "keys", containerPath: "/var/panintelligence/Dashboard/keys", readOnly: false },
            { sourceVolume: "custom_jdbc", containerPath: "/var/panintelligence/Dashboard/custom_jdbc", readOnly: false },
            { sourceVolume: "themes", containerPath: `${RES}/themes`, readOnly: false },
            { sourceVolume: "images", containerPath: `${RES}/images`, readOnly: false },
            { sourceVolume: "files", containerPath: `${RES}/files`, readOnly: false },
            { sourceVolume: "svg", containerPath: `${RES}/svg`, readOnly: false },
            { sourceVolume: "locale", containerPath: `${RES}/locale`, readOnly: false },
        ]);
        assert.deepEqual(mountPoints("scheduler"), [{ sourceVolume: "keys", containerPath: "/var/panintelligence/Dashboard/keys", readOnly: false }]);
        for (const s of ["renderer", "pirana", "excelReader"] as const) assert.deepEqual(mountPoints(s), []);
    });

    it("task volumes: each through its access point, TLS and IAM, no rootDirectory", () => {
        const ids = Object.fromEntries(VOLUMES.map((v) => [v.name, `fsap-${v.name}`]));
        assert.deepEqual(taskVolumes("scheduler", "fs-1", ids), [
            { name: "keys", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-keys", iam: "ENABLED" } } },
        ]);
        assert.deepEqual(taskVolumes("dashboard", "fs-1", ids).map((v) => v.efsVolumeConfiguration.authorizationConfig.accessPointId), VOLUMES.map((v) => `fsap-${v.name}`));
        assert.deepEqual(taskVolumes("renderer", "fs-1", ids), []);
        assert.throws(() => taskVolumes("scheduler", "fs-1", {}), /no access point for volume keys/);
    });
});
