import * as assert from "node:assert/strict";
import { Sideload, type SideloadArgs } from "../../../components/sideload";
import { lambdaTrustPolicy } from "../../../common/policies";
import { ACCOUNT_ID, type MockRun, PROJECT, type RecordedResource, settle, shortHash, startMocks, valueOf } from "../../mocks";
import { resetUrnRecording, urnCandidates } from "../../urns";

const T = {
    component: "dashboard:sideload:Sideload",
    bucketComponent: "dashboard:sideload:ContentBucket",
    fileSystemComponent: "dashboard:sideload:SharedFileSystem",
    syncComponent: "dashboard:sideload:SyncFunction",
    bucket: "aws:s3/bucket:Bucket",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    notification: "aws:s3/bucketNotification:BucketNotification",
    fileSystem: "aws:efs/fileSystem:FileSystem",
    backup: "aws:efs/backupPolicy:BackupPolicy",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    accessPoint: "aws:efs/accessPoint:AccessPoint",
    fsPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    random: "random:index/randomString:RandomString",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    permission: "aws:lambda/permission:Permission",
} as const;

const REGION = "eu-west-1";
const FOLDERS = ["images", "themes", "excel-data"];
const DIRECTORIES = { "excel-data": "excel", images: "images", themes: "themes" };
/** The marker Pulumi puts on serialized secrets. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function args(overrides: Partial<SideloadArgs> = {}): SideloadArgs {
    return {
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        availabilityZoneCount: 2,
        folders: FOLDERS,
        directories: DIRECTORIES,
        uid: 1000,
        gid: 1000,
        reservedConcurrency: 5,
        logRetentionDays: 30,
        protect: true,
        ...overrides,
    };
}

async function build(overrides: Partial<SideloadArgs> = {}, name = "sideload"): Promise<{ run: MockRun; sideload: Sideload }> {
    const run = await startMocks({ region: REGION });
    const sideload = new Sideload(name, args(overrides));
    await settle();
    return { run, sideload };
}

const json = (r: RecordedResource, key = "policy") => JSON.parse(r.inputs[key] as string);

describe("components/sideload: Sideload (mocks)", () => {
    it("hardens the bucket: auto-named, protected, versioned, SSE-S3, private, TLS only, lifecycle", async () => {
        const { run } = await build();
        const bucket = run.get(T.bucket, "sideload-bucket");
        const name: string = bucket.state.bucket;
        assert.deepEqual(bucket.inputs, { forceDestroy: false });
        assert.equal(bucket.protect, true);
        assert.deepEqual(run.get(T.publicAccess, "sideload-bucket-public-access").inputs, {
            bucket: name,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(run.get(T.ownership, "sideload-bucket-ownership").inputs, { bucket: name, rule: { objectOwnership: "BucketOwnerEnforced" } });
        assert.deepEqual(run.get(T.encryption, "sideload-bucket-encryption").inputs, {
            bucket: name,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
        });
        const versioning = run.get(T.versioning, "sideload-bucket-versioning");
        assert.deepEqual(versioning.inputs, { bucket: name, versioningConfiguration: { status: "Enabled" } });
        const lifecycle = run.get(T.lifecycle, "sideload-bucket-lifecycle");
        assert.deepEqual(lifecycle.inputs, {
            bucket: name,
            rules: [
                { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 }, expiration: { expiredObjectDeleteMarker: true } },
                { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            ],
        });
        assert.ok(lifecycle.dependencies.includes(versioning.urn), "lifecycle after versioning");
        const policy = run.get(T.bucketPolicy, "sideload-bucket-policy");
        assert.equal(policy.inputs.bucket, name);
        assert.deepEqual(json(policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        });
        assert.ok(policy.dependencies.includes(run.get(T.publicAccess, "sideload-bucket-public-access").urn), "policy after the public-access block");
    });

    it("hardens the file system: encrypted, elastic, IA after 30 days and back, backups, protected", async () => {
        const { run } = await build();
        const fs = run.get(T.fileSystem, "sideload-fs");
        assert.deepEqual(fs.inputs, {
            encrypted: true,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            tags: { Name: "sideload-content" },
        });
        assert.equal(fs.protect, true);
        assert.deepEqual(run.get(T.backup, "sideload-fs-backup").inputs, { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } });
    });

    it("takes protect from its args: off leaves the bucket and the file system unprotected", async () => {
        const { run } = await build({ protect: false });
        assert.equal(run.get(T.bucket, "sideload-bucket").protect, false);
        assert.equal(run.get(T.fileSystem, "sideload-fs").protect, false);
        assert.deepEqual(run.resources.filter((r) => r.protect).map((r) => r.name), []);
    });

    it("creates a non-root access point rooted at /content (0755); allowClients adds the one file system policy: named roles only, through the access point, TLS only", async () => {
        const { run, sideload } = await build({ uid: 1001, gid: 1002 });
        // No policy until the clients are known (their roles are created after this component).
        assert.deepEqual(run.byType(T.fsPolicy), []);
        const appRole = "arn:aws:iam::123456789012:role/app-instance-1234567";
        sideload.allowClients([{ name: "app", securityGroupId: "sg-0app0000000000000", roleArn: appRole }]);
        await settle();
        const fs = run.get(T.fileSystem, "sideload-fs");
        const ap = run.get(T.accessPoint, "sideload-access-point");
        assert.deepEqual(ap.inputs, {
            fileSystemId: fs.id,
            posixUser: { uid: 1001, gid: 1002 },
            rootDirectory: { path: "/content", creationInfo: { ownerUid: 1001, ownerGid: 1002, permissions: "0755" } },
            tags: { Name: "sideload-content" },
        });
        const policy = run.get(T.fsPolicy, "sideload-fs-policy");
        assert.equal(policy.inputs.fileSystemId, fs.id);
        assert.equal(policy.inputs.bypassPolicyLockoutSafetyCheck, undefined);
        // Its URN as before (a child of the Sideload) is kept by the alias: see "answers to every URN it had".
        assert.equal(policy.parent, run.get(T.fileSystemComponent, "sideload-filesystem").urn);
        assert.ok(policy.dependencies.includes(run.get(T.ingress, "sideload-mount-from-app").urn));
        const roles = [run.get(T.role, "sideload-role").state.arn, appRole];
        assert.deepEqual(json(policy).Statement, [
            {
                Sid: "MountThroughAccessPoint",
                Effect: "Allow",
                Principal: { AWS: roles },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: fs.state.arn,
                Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" }, StringEquals: { "elasticfilesystem:AccessPointArn": ap.state.arn } },
            },
            {
                Sid: "DenyOtherPrincipals",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
                Resource: fs.state.arn,
                Condition: { ArnNotEquals: { "aws:PrincipalArn": roles } },
            },
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Resource: fs.state.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ]);
    });

    it("allowClients: a client with access points of its own gets a statement of its own, naming only those", async () => {
        const { run, sideload } = await build();
        const role = (n: string) => `arn:aws:iam::123456789012:role/${n}`;
        const ap = (n: string) => `arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-${n}`;
        sideload.allowClients([
            { name: "app-dashboard", securityGroupId: "sg-0dash000000000000", roleArn: role("dashboard"), accessPointArns: [ap("keys"), ap("themes")] },
            { name: "app-scheduler", securityGroupId: "sg-0sched00000000000", roleArn: role("scheduler"), accessPointArns: [ap("keys")] },
        ]);
        await settle();
        const fnRole = run.get(T.role, "sideload-role").state.arn;
        const mainAp = run.get(T.accessPoint, "sideload-access-point").state.arn;
        const statements = json(run.get(T.fsPolicy, "sideload-fs-policy")).Statement;
        assert.deepEqual(
            statements.map((s: any) => [s.Sid, s.Principal, s.Condition.StringEquals ?? s.Condition.ArnNotEquals ?? s.Condition.Bool]),
            [
                ["MountThroughAccessPoint", { AWS: [fnRole] }, { "elasticfilesystem:AccessPointArn": mainAp }],
                ["MountAppDashboard", { AWS: [role("dashboard")] }, { "elasticfilesystem:AccessPointArn": [ap("keys"), ap("themes")] }],
                ["MountAppScheduler", { AWS: [role("scheduler")] }, { "elasticfilesystem:AccessPointArn": ap("keys") }],
                ["DenyOtherPrincipals", { AWS: "*" }, { "aws:PrincipalArn": [fnRole, role("dashboard"), role("scheduler")] }],
                ["DenyInsecureTransport", { AWS: "*" }, { "aws:SecureTransport": "false" }],
            ],
        );
        assert.deepEqual(run.byType(T.ingress).map((r) => r.name).sort(), ["sideload-mount-from-app-dashboard", "sideload-mount-from-app-scheduler", "sideload-mount-from-lambda"]);
    });

    for (const subnets of [["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], ["subnet-01", "subnet-02", "subnet-03"]]) {
        it(`creates one mount target per subnet (${subnets.length}), in the file system's group`, async () => {
            const { run } = await build({ subnetIds: subnets, availabilityZoneCount: subnets.length });
            const fs = run.get(T.fileSystem, "sideload-fs");
            const efsSg = run.get(T.sg, "sideload-efs-sg");
            assert.deepEqual(
                run.byType(T.mountTarget).map((m) => [m.name, m.inputs]),
                subnets.map((s, i) => [`sideload-mount-${i}`, { fileSystemId: fs.id, subnetId: s, securityGroups: [efsSg.id] }]),
            );
        });
    }

    it("gives the file system's group no ingress of its own; allowMountFrom adds one NFS rule per source, as its child", async () => {
        const { run, sideload } = await build();
        const efsSg = run.get(T.sg, "sideload-efs-sg");
        const lambdaSg = run.get(T.sg, "sideload-lambda-sg");
        assert.deepEqual(efsSg.inputs, { vpcId: "vpc-0123456789abcdef0", description: "Sideload file system mount targets: NFS from granted groups only", tags: { Name: "sideload-efs" } });
        assert.deepEqual(lambdaSg.inputs, { vpcId: "vpc-0123456789abcdef0", description: "Sideload Lambda: NFS to its file system and HTTPS to S3; no ingress", tags: { Name: "sideload-lambda" } });
        // Only the component's own Lambda is admitted until the program grants more.
        assert.deepEqual(run.byType(T.ingress).map((r) => r.name), ["sideload-mount-from-lambda"]);
        assert.deepEqual(run.get(T.ingress, "sideload-mount-from-lambda").inputs, {
            securityGroupId: efsSg.id,
            referencedSecurityGroupId: lambdaSg.id,
            ipProtocol: "tcp",
            fromPort: 2049,
            toPort: 2049,
            description: "NFS from lambda",
        });

        const rule = sideload.allowMountFrom("app", "sg-0app0000000000000");
        await settle();
        const recorded = run.get(T.ingress, "sideload-mount-from-app");
        assert.deepEqual(recorded.inputs, {
            securityGroupId: efsSg.id,
            referencedSecurityGroupId: "sg-0app0000000000000",
            ipProtocol: "tcp",
            fromPort: 2049,
            toPort: 2049,
            description: "NFS from app",
        });
        assert.equal(recorded.parent, run.get(T.fileSystemComponent, "sideload-filesystem").urn);
        assert.equal(await valueOf(rule.securityGroupId), efsSg.id);
    });

    it("allowClients: one call with every client, never two policies", async () => {
        const { sideload } = await build();
        assert.throws(() => sideload.allowClients([]), /at least one client/);
        sideload.allowClients([{ name: "app", securityGroupId: "sg-0app0000000000000", roleArn: "arn:aws:iam::123456789012:role/app" }]);
        assert.throws(() => sideload.allowClients([{ name: "other", securityGroupId: "sg-0", roleArn: "arn:aws:iam::123456789012:role/other" }]), /already called/);
        await settle();
    });

    it("lets the Lambda's group out only to NFS on the file system's group and HTTPS to the region's S3 prefix list", async () => {
        const { run } = await build();
        const efsSg = run.get(T.sg, "sideload-efs-sg");
        const lambdaSg = run.get(T.sg, "sideload-lambda-sg");
        const lookups = run.invokes.filter((i) => i.token === "aws:ec2/getManagedPrefixList:getManagedPrefixList");
        assert.deepEqual(lookups.map((i) => i.inputs), [{ name: "com.amazonaws.eu-west-1.s3" }]);
        const s3List = shortHash("com.amazonaws.eu-west-1.s3", 8);
        assert.deepEqual(
            run
                .byType(T.egress)
                .map((r) => [r.name, r.inputs])
                .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
            [
                ["sideload-lambda-to-efs", { securityGroupId: lambdaSg.id, referencedSecurityGroupId: efsSg.id, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, description: "NFS to the sideload file system" }],
                ["sideload-lambda-to-s3", { securityGroupId: lambdaSg.id, prefixListId: `pl-${s3List}`, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to S3" }],
            ],
        );
    });

    it("runs the handler as the contract says: Node.js 22 on arm64, 256 MB, 5 min, reserved concurrency, access point at /mnt/content, private subnets", async () => {
        const { run } = await build({ reservedConcurrency: 7 });
        const fn = run.get(T.fn, "sideload-function");
        const { environment, code, name, role, description, ...rest } = fn.inputs;
        assert.deepEqual(rest, {
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            handler: "index.handler",
            memorySize: 256,
            timeout: 300,
            reservedConcurrentExecutions: 7,
            vpcConfig: { subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], securityGroupIds: [run.get(T.sg, "sideload-lambda-sg").id] },
            fileSystemConfig: { arn: run.get(T.accessPoint, "sideload-access-point").state.arn, localMountPath: "/mnt/content" },
            loggingConfig: { logFormat: "Text", logGroup: run.get(T.logGroup, "sideload-logs").state.name },
        });
        assert.match(name, /^sideload-[a-z0-9]{8}$/);
        assert.equal(role, run.get(T.role, "sideload-role").state.arn);
        assert.equal(typeof description, "string");
        assert.equal(code.__pulumiArchive, true);
        assert.ok(environment !== undefined);
        // The function waits for every mount target (Lambda refuses a file system without one) and its permissions.
        const required = [
            ...run.byType(T.mountTarget),
            run.get(T.rolePolicy, "sideload-policy"),
            run.get(T.attachment, "sideload-vpc-access"),
            run.get(T.ingress, "sideload-mount-from-lambda"),
            ...run.byType(T.egress),
        ].map((r) => r.urn);
        assert.equal(required.length, 7);
        for (const urn of required) assert.ok(fn.dependencies.includes(urn), `function depends on ${urn}`);
    });

    it("passes exactly SIDELOAD_ROOT, SIDELOAD_FOLDERS (sorted JSON) and BUCKET_NAME, nothing secret", async () => {
        const { run } = await build({ folders: ["themes", "images", "excel-data"] });
        const fn = run.get(T.fn, "sideload-function");
        assert.deepEqual(fn.inputs.environment, {
            variables: {
                SIDELOAD_ROOT: "/mnt/content",
                SIDELOAD_FOLDERS: '{"excel-data":"excel","images":"images","themes":"themes"}',
                BUCKET_NAME: run.get(T.bucket, "sideload-bucket").state.bucket,
            },
        });
        assert.ok(!JSON.stringify(fn.inputs).includes(SECRET_SIG), "no secret anywhere in the function's inputs");
    });

    it("names the function from a random suffix and creates its log group first, with retention", async () => {
        const { run, sideload } = await build({ logRetentionDays: 14 });
        const suffix = run.get(T.random, "sideload-function-suffix");
        assert.deepEqual(suffix.inputs, { length: 8, lower: true, upper: false, numeric: true, special: false });
        const fnName = `sideload-${suffix.state.result}`;
        assert.match(fnName, /^sideload-[a-z0-9]{8}$/);
        const fn = run.get(T.fn, "sideload-function");
        assert.equal(fn.inputs.name, fnName);
        const logGroup = run.get(T.logGroup, "sideload-logs");
        assert.deepEqual(logGroup.inputs, { name: `/aws/lambda/${fnName}`, retentionInDays: 14 });
        assert.ok(fn.dependencies.includes(logGroup.urn), "function after its log group");
        assert.equal(await valueOf(sideload.functionName), fnName);
    });

    it("trusts Lambda for this account only and grants exactly the five scoped statements plus the VPC-access managed policy", async () => {
        const { run } = await build();
        const role = run.get(T.role, "sideload-role");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), lambdaTrustPolicy(ACCOUNT_ID));
        assert.equal(role.inputs.inlinePolicies, undefined);
        assert.deepEqual(run.get(T.attachment, "sideload-vpc-access").inputs, {
            role: role.state.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess",
        });
        assert.equal(run.byType(T.rolePolicy).length, 1);
        const policy = run.get(T.rolePolicy, "sideload-policy");
        assert.equal(policy.inputs.role, role.state.name);
        const bucketArn = run.get(T.bucket, "sideload-bucket").state.arn;
        const fsArn = run.get(T.fileSystem, "sideload-fs").state.arn;
        const apArn = run.get(T.accessPoint, "sideload-access-point").state.arn;
        const logArn = run.get(T.logGroup, "sideload-logs").state.arn;
        const queueArn = run.get(T.queue, "sideload-failures").state.arn;
        assert.deepEqual(json(policy), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadUploads",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:GetObjectVersion"],
                    Resource: [`${bucketArn}/excel-data/*`, `${bucketArn}/images/*`, `${bucketArn}/themes/*`],
                },
                { Sid: "ListUploads", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
                {
                    Sid: "WriteContentThroughAccessPoint",
                    Effect: "Allow",
                    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    Resource: fsArn,
                    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": apArn } },
                },
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logArn}:*` },
                { Sid: "SendFailedEvents", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
            ],
        });
        assert.match(logArn, /^arn:aws:logs:eu-west-1:123456789012:log-group:\/aws\/lambda\/sideload-[a-z0-9]{8}$/);
    });

    it("retries asynchronous invocations twice, then sends them to an encrypted queue kept 14 days (no queue policy)", async () => {
        const { run } = await build();
        const queue = run.get(T.queue, "sideload-failures");
        assert.deepEqual(queue.inputs, { sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
        const config = run.get(T.invokeConfig, "sideload-async");
        assert.deepEqual(config.inputs, {
            functionName: run.get(T.fn, "sideload-function").state.name,
            maximumRetryAttempts: 2,
            maximumEventAgeInSeconds: 21600,
            destinationConfig: { onFailure: { destination: queue.state.arn } },
        });
        assert.ok(config.dependencies.includes(run.get(T.rolePolicy, "sideload-policy").urn), "after sqs:SendMessage is granted");
        assert.equal(run.byType(T.queuePolicy).length, 0);
    });

    for (const [label, folders, directories] of [
        ["default folders", FOLDERS, DIRECTORIES],
        ["a custom folder list", ["logos", "data"], { logos: "logos", data: "excel", images: "images" }],
    ] as const) {
        it(`notifies the function for each folder prefix only (${label}), after a permission scoped to the bucket and account`, async () => {
            const { run } = await build({ folders, directories });
            const bucket = run.get(T.bucket, "sideload-bucket");
            const fn = run.get(T.fn, "sideload-function");
            const permission = run.get(T.permission, "sideload-s3-invoke");
            assert.deepEqual(permission.inputs, {
                action: "lambda:InvokeFunction",
                function: fn.state.name,
                principal: "s3.amazonaws.com",
                sourceArn: bucket.state.arn,
                sourceAccount: ACCOUNT_ID,
            });
            const notification = run.get(T.notification, "sideload-notifications");
            assert.deepEqual(notification.inputs, {
                bucket: bucket.state.bucket,
                lambdaFunctions: [...folders].sort().map((f) => ({
                    id: `sideload-${f}`,
                    lambdaFunctionArn: fn.state.arn,
                    events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
                    filterPrefix: `${f}/`,
                })),
            });
            assert.ok(notification.dependencies.includes(permission.urn), "notification after the permission");
            // Only listed folders reach the handler, even when directories maps more.
            const expected = Object.fromEntries([...folders].sort().map((f) => [f, (directories as Record<string, string>)[f]]));
            assert.deepEqual(JSON.parse(fn.inputs.environment.variables.SIDELOAD_FOLDERS), expected);
        });
    }

    it("exports every output", async () => {
        const { run, sideload } = await build();
        const bucket = run.get(T.bucket, "sideload-bucket");
        const fs = run.get(T.fileSystem, "sideload-fs");
        const ap = run.get(T.accessPoint, "sideload-access-point");
        const fn = run.get(T.fn, "sideload-function");
        const queue = run.get(T.queue, "sideload-failures");
        assert.deepEqual(
            {
                bucketName: await valueOf(sideload.bucketName),
                bucketArn: await valueOf(sideload.bucketArn),
                fileSystemId: await valueOf(sideload.fileSystemId),
                fileSystemArn: await valueOf(sideload.fileSystemArn),
                accessPointId: await valueOf(sideload.accessPointId),
                accessPointArn: await valueOf(sideload.accessPointArn),
                functionName: await valueOf(sideload.functionName),
                functionArn: await valueOf(sideload.functionArn),
                deadLetterQueueUrl: await valueOf(sideload.deadLetterQueueUrl),
                deadLetterQueueArn: await valueOf(sideload.deadLetterQueueArn),
                deadLetterQueueName: await valueOf(sideload.deadLetterQueueName),
                securityGroupId: await valueOf(sideload.securityGroupId),
                lambdaSecurityGroupId: await valueOf(sideload.lambdaSecurityGroupId),
            },
            {
                bucketName: bucket.state.bucket,
                bucketArn: bucket.state.arn,
                fileSystemId: fs.id,
                fileSystemArn: fs.state.arn,
                accessPointId: ap.id,
                accessPointArn: ap.state.arn,
                functionName: fn.state.name,
                functionArn: fn.state.arn,
                deadLetterQueueUrl: queue.state.url,
                deadLetterQueueArn: queue.state.arn,
                deadLetterQueueName: queue.state.name,
                securityGroupId: run.get(T.sg, "sideload-efs-sg").id,
                lambdaSecurityGroupId: run.get(T.sg, "sideload-lambda-sg").id,
            },
        );
        assert.equal(sideload.mountTargets.length, 2);
    });

    it("nests the bucket, the file system and the function, and names every resource <name>-<role>", async () => {
        const { run, sideload } = await build();
        sideload.allowClients([{ name: "app", securityGroupId: "sg-0app0000000000000", roleArn: "arn:aws:iam::123456789012:role/app" }]);
        await settle();
        const component = run.get(T.component, "sideload");
        const names = (parent: RecordedResource) => run.childrenOf(parent).map((r) => r.name).sort();
        assert.deepEqual(
            run.childrenOf(component).map((r) => `${r.type} ${r.name}`),
            [`${T.bucketComponent} sideload-content`, `${T.fileSystemComponent} sideload-filesystem`, `${T.syncComponent} sideload-sync`],
        );
        assert.deepEqual(names(run.get(T.bucketComponent, "sideload-content")), [
            "sideload-bucket",
            "sideload-bucket-encryption",
            "sideload-bucket-lifecycle",
            "sideload-bucket-ownership",
            "sideload-bucket-policy",
            "sideload-bucket-public-access",
            "sideload-bucket-versioning",
        ]);
        assert.deepEqual(names(run.get(T.fileSystemComponent, "sideload-filesystem")), [
            "sideload-access-point",
            "sideload-efs-sg",
            "sideload-fs",
            "sideload-fs-backup",
            "sideload-fs-policy",
            "sideload-mount-0",
            "sideload-mount-1",
            "sideload-mount-from-app",
            "sideload-mount-from-lambda",
        ]);
        assert.deepEqual(names(run.get(T.syncComponent, "sideload-sync")), [
            "sideload-async",
            "sideload-failures",
            "sideload-function",
            "sideload-function-suffix",
            "sideload-lambda-sg",
            "sideload-lambda-to-efs",
            "sideload-lambda-to-s3",
            "sideload-logs",
            "sideload-notifications",
            "sideload-policy",
            "sideload-role",
            "sideload-s3-invoke",
            "sideload-vpc-access",
        ]);
        assert.equal(run.resources.length, 1 + 3 + 7 + 9 + 13);
    });

    it("answers to every URN it had when all its resources were the Sideload's own children (aliases)", async () => {
        resetUrnRecording();
        const { run, sideload } = await build();
        sideload.allowClients([{ name: "app", securityGroupId: "sg-0app0000000000000", roleArn: "arn:aws:iam::123456789012:role/app" }]);
        await settle();
        const answered = new Set([...urnCandidates("test", PROJECT).values()].flatMap((all) => [...all]));
        const before = run.resources
            .filter((r) => r.custom)
            .map((r) => `urn:pulumi:test::${PROJECT}::dashboard:sideload:Sideload$${r.type}::${r.name}`);
        assert.equal(before.length, 29);
        assert.deepEqual(before.filter((urn) => !answered.has(urn)), []);
    });

    it("lets two Sideloads live in one program without colliding", async () => {
        const run = await startMocks({ region: REGION });
        const a = new Sideload("content-a", args());
        const b = new Sideload("content-b", args({ folders: ["images"], directories: { images: "images" } }));
        a.allowMountFrom("app", "sg-0app0000000000000");
        b.allowMountFrom("app", "sg-0app0000000000000");
        await settle();
        run.assertNoDuplicates();
        const physical = (type: string, key: string) => run.byType(type).map((r) => r.state[key]);
        for (const [type, key] of [[T.fn, "name"], [T.logGroup, "name"], [T.bucket, "bucket"], [T.queue, "name"], [T.role, "name"]] as const) {
            const names = physical(type, key);
            assert.equal(names.length, 2, type);
            assert.equal(new Set(names).size, 2, `${type} physical names differ: ${names.join(", ")}`);
        }
        assert.notEqual(await valueOf(a.functionName), await valueOf(b.functionName));
        assert.deepEqual(run.byType(T.ingress).map((r) => r.name).sort(), ["content-a-mount-from-app", "content-a-mount-from-lambda", "content-b-mount-from-app", "content-b-mount-from-lambda"]);
    });

    it("registers the same resources in a preview, when ids and ARNs are unknown (nothing created inside apply)", async () => {
        const names = async (preview: boolean) => {
            const run = await startMocks({ region: REGION, preview });
            new Sideload("sideload", args({ subnetIds: ["subnet-01", "subnet-02", "subnet-03"], availabilityZoneCount: 3 }));
            await settle();
            return run.resources.map((r) => `${r.type}::${r.name}`).sort();
        };
        const preview = await names(true);
        assert.equal(preview.length, 32); // the component, its 3 parts and 28 resources (three mount targets; the file system policy comes with allowClients)
        assert.deepEqual(preview, await names(false));
    });

    it("refuses bad arguments at construction", async () => {
        await startMocks({ region: REGION });
        assert.throws(() => new Sideload("s1", args({ uid: 0 })), /uid is 0/);
        assert.throws(() => new Sideload("s2", args({ folders: ["images", "keys"], directories: { images: "images", keys: "keys" } })), /never writable/);
        assert.throws(() => new Sideload("s3", args({ folders: ["images", "themes"], directories: { images: "images" } })), /"themes" has no directory/);
    });

    it("reserves no concurrency unless asked (a new account's quota is 10, all of it unreserved)", async () => {
        const { run } = await build({ reservedConcurrency: undefined });
        assert.equal("reservedConcurrentExecutions" in run.get(T.fn, "sideload-function").inputs, false);
    });
});
