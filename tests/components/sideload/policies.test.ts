import * as assert from "node:assert/strict";
import {
    bucketTlsPolicy,
    checkSideloadNumbers,
    fileSystemPolicy,
    notificationFilters,
    sideloadFolderMap,
    sideloadFoldersJson,
    sideloadRolePolicy,
    subnetAt,
    type SideloadNumbers,
} from "../../../components/sideload/policies";
import type { PolicyStatement } from "../../../common/policies";

const FOLDERS = ["images", "themes", "excel-data"];
const DIRECTORIES = { "excel-data": "excel", images: "images", themes: "themes" };

describe("components/sideload/policies: pure helpers", () => {
    const arns = {
        bucketArn: "arn:aws-cn:s3:::b",
        fileSystemArn: "arn:aws-cn:elasticfilesystem:cn-north-1:111122223333:file-system/fs-1",
        accessPointArn: "arn:aws-cn:elasticfilesystem:cn-north-1:111122223333:access-point/fsap-1",
        logGroupArn: "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/lambda/f",
        queueArn: "arn:aws-cn:sqs:cn-north-1:111122223333:q",
    };

    it("sideloadRolePolicy: each statement names only the ARNs it was given (any partition)", () => {
        assert.deepEqual(sideloadRolePolicy(arns, ["images", "excel-data"]).Statement, [
            { Sid: "ReadUploads", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: ["arn:aws-cn:s3:::b/images/*", "arn:aws-cn:s3:::b/excel-data/*"] },
            { Sid: "ListUploads", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws-cn:s3:::b" },
            {
                Sid: "WriteContentThroughAccessPoint",
                Effect: "Allow",
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: arns.fileSystemArn,
                Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": arns.accessPointArn } },
            },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arns.logGroupArn}:*` },
            { Sid: "SendFailedEvents", Effect: "Allow", Action: "sqs:SendMessage", Resource: arns.queueArn },
        ]);
        const text = JSON.stringify(sideloadRolePolicy(arns, ["images"]));
        assert.ok(!text.includes('"*"') && !text.includes("arn:aws:"), "no wildcard resource, no hard-coded partition");
        assert.ok(!text.includes("arn:aws-cn:s3:::b/*"), "no read of the whole bucket");
        assert.throws(() => sideloadRolePolicy(arns, []), /no upload folder/);
    });

    // lambdaTrustPolicy lives in common/policies (tests/common/policies.test.ts).
    it("bucketTlsPolicy and fileSystemPolicy", () => {
        // The helpers return plain statements; the provider's type admits Inputs, hence the casts.
        assert.deepEqual((bucketTlsPolicy("arn:aws-cn:s3:::b").Statement as PolicyStatement[])[0].Resource, ["arn:aws-cn:s3:::b", "arn:aws-cn:s3:::b/*"]);
        const roles = ["arn:aws-cn:iam::111122223333:role/f", "arn:aws-cn:iam::111122223333:role/app", "arn:aws-cn:iam::111122223333:role/f"];
        const fsPolicy = fileSystemPolicy(arns.fileSystemArn, [{ roleArns: roles, accessPointArns: [arns.accessPointArn] }]);
        const distinct = ["arn:aws-cn:iam::111122223333:role/f", "arn:aws-cn:iam::111122223333:role/app"];
        assert.deepEqual(
            (fsPolicy.Statement as PolicyStatement[]).map((s) => [s.Effect, s.Principal, s.Action, s.Condition]),
            [
                ["Allow", { AWS: distinct }, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" }, StringEquals: { "elasticfilesystem:AccessPointArn": arns.accessPointArn } }],
                ["Deny", { AWS: "*" }, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"], { ArnNotEquals: { "aws:PrincipalArn": distinct } }],
                ["Deny", { AWS: "*" }, "*", { Bool: { "aws:SecureTransport": "false" } }],
            ],
        );
        const allows = (fsPolicy.Statement as PolicyStatement[]).filter((x) => x.Effect === "Allow");
        assert.ok(!JSON.stringify(allows).includes("ClientRootAccess") && !JSON.stringify(fsPolicy).includes('"AWS":"*","Action":["elasticfilesystem:ClientMount"'));
        assert.throws(() => fileSystemPolicy(arns.fileSystemArn, [{ roleArns: [], accessPointArns: [arns.accessPointArn] }]), /at least one client role/);
    });

    it("fileSystemPolicy: one statement per grant, each role only through its grant's access points; one access point stays a string", () => {
        const ap = (n: string) => `arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-${n}`;
        const role = (n: string) => `arn:aws:iam::111122223333:role/${n}`;
        const fs = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1";
        const policy = fileSystemPolicy(fs, [
            { roleArns: [role("fn")], accessPointArns: [ap("content")] },
            { sid: "MountAppDashboard", roleArns: [role("dashboard")], accessPointArns: [ap("keys"), ap("themes"), ap("keys")] },
            { sid: "MountAppScheduler", roleArns: [role("scheduler")], accessPointArns: [ap("keys")] },
        ]);
        const statements = policy.Statement as PolicyStatement[];
        assert.deepEqual(
            statements.map((s) => [s.Sid, s.Effect, s.Principal, (s.Condition as any).StringEquals ?? (s.Condition as any).ArnNotEquals]),
            [
                ["MountThroughAccessPoint", "Allow", { AWS: [role("fn")] }, { "elasticfilesystem:AccessPointArn": ap("content") }],
                ["MountAppDashboard", "Allow", { AWS: [role("dashboard")] }, { "elasticfilesystem:AccessPointArn": [ap("keys"), ap("themes")] }],
                ["MountAppScheduler", "Allow", { AWS: [role("scheduler")] }, { "elasticfilesystem:AccessPointArn": ap("keys") }],
                ["DenyOtherPrincipals", "Deny", { AWS: "*" }, { "aws:PrincipalArn": [role("fn"), role("dashboard"), role("scheduler")] }],
                ["DenyInsecureTransport", "Deny", { AWS: "*" }, undefined],
            ],
        );
        assert.throws(() => fileSystemPolicy(fs, [{ roleArns: [role("a")], accessPointArns: [] }]), /needs a role and an access point/);
        assert.throws(() => fileSystemPolicy(fs, [{ roleArns: [role("a")], accessPointArns: [ap("x")] }, { sid: "MountThroughAccessPoint", roleArns: [role("b")], accessPointArns: [ap("y")] }]), /not unique/);
        assert.throws(() => fileSystemPolicy(fs, [{ sid: "Mount-x", roleArns: [role("a")], accessPointArns: [ap("x")] }]), /not letters and digits/);
    });

    const folderCases: Array<[string, string[], Record<string, string>, Record<string, string> | RegExp]> = [
        ["defaults, sorted", FOLDERS, DIRECTORIES, { "excel-data": "excel", images: "images", themes: "themes" }],
        ["extra mappings ignored", ["images"], { images: "img", themes: "themes" }, { images: "img" }],
        ["digit-only folder", ["2024", "a"], { "2024": "y2024", a: "a" }, { "2024": "y2024", a: "a" }],
        ["empty list", [], {}, /folders is empty/],
        ["duplicate", ["images", "images"], { images: "images" }, /listed twice/],
        ["missing directory", ["images"], {}, /has no directory/],
        ["inherited key is not a mapping", ["constructor"], {}, /has no directory/],
        ["slash in folder", ["images/raw"], { "images/raw": "raw" }, /not one path segment/],
        ["dot-dot directory", ["images"], { images: ".." }, /not one path segment/],
        ["upper case", ["Images"], { Images: "images" }, /not one path segment/],
        ["forbidden folder", ["logs"], { logs: "app-logs" }, /never writable/],
        ["forbidden directory", ["uploads"], { uploads: "keys" }, /never writable/],
        ["shared directory", ["a", "b"], { a: "x", b: "x" }, /both map to directory "x"/],
    ];
    for (const [label, folders, directories, expected] of folderCases) {
        it(`sideloadFolderMap: ${label}`, () => {
            if (expected instanceof RegExp) assert.throws(() => sideloadFolderMap(folders, directories), expected);
            else assert.deepEqual(sideloadFolderMap(folders, directories), expected);
        });
    }

    it("sideloadFoldersJson: keys sorted as strings, digit-only keys included", () => {
        for (const [map, text] of [
            [{ themes: "themes", "excel-data": "excel", images: "images" }, '{"excel-data":"excel","images":"images","themes":"themes"}'],
            [{ b: "b", "10": "ten", "9": "nine" }, '{"10":"ten","9":"nine","b":"b"}'],
            [{}, "{}"],
        ] as const) {
            assert.equal(sideloadFoldersJson(map), text);
            assert.deepEqual(JSON.parse(sideloadFoldersJson(map)), map);
        }
    });

    it("notificationFilters: one filter per folder, with a trailing slash", () => {
        assert.deepEqual(notificationFilters(["images", "excel-data"]), [
            { filterPrefix: "images/", events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] },
            { filterPrefix: "excel-data/", events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] },
        ]);
        assert.deepEqual(notificationFilters([]), []);
    });

    it("subnetAt: indexes the list and fails when the zone count does not match it", () => {
        assert.equal(subnetAt(["s-1", "s-2"], 1, 2), "s-2");
        assert.throws(() => subnetAt(["s-1", "s-2", "s-3"], 0, 2), /availabilityZoneCount is 2 but 3 subnet ids/);
        assert.throws(() => subnetAt(["s-1"], 0, 2), /availabilityZoneCount is 2 but 1 subnet ids/);
    });

    const ok: SideloadNumbers = { availabilityZoneCount: 2, uid: 1000, gid: 1000, reservedConcurrency: 5, logRetentionDays: 30 };
    for (const [change, expected] of [
        [{}, undefined],
        [{ availabilityZoneCount: 0 }, /availabilityZoneCount is 0/],
        [{ availabilityZoneCount: 1.5 }, /availabilityZoneCount is 1.5/],
        [{ uid: 0 }, /uid is 0/],
        [{ gid: 0 }, /gid is 0/],
        [{ reservedConcurrency: 0 }, /reservedConcurrency is 0/],
        [{ reservedConcurrency: undefined }, undefined],
        [{ logRetentionDays: 0, uid: -1 }, /uid is -1.*logRetentionDays is 0/],
    ] as const) {
        it(`checkSideloadNumbers(${JSON.stringify(change)})`, () => {
            const n = { ...ok, ...change };
            if (expected === undefined) assert.doesNotThrow(() => checkSideloadNumbers(n));
            else assert.throws(() => checkSideloadNumbers(n), expected);
        });
    }
});
