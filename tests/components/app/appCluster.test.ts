import * as assert from "node:assert/strict";
import { AppCluster, TLS_POLICY, type AppClusterArgs } from "../../../components/app";
import {
    ENABLED_METRICS,
    LOG_DELIVERY_PRINCIPAL,
    accessLogBucketPolicy,
    ec2TrustPolicy,
    ingressRules,
    instanceRefreshPlan,
    instanceRolePolicy,
    isHostedZoneId,
    launchTemplateImageId,
    listenerPorts,
    metadataHopLimit,
    scalingPlan,
} from "../../../components/app/appClusterPlan";
import type { AppConfig } from "../../../config/types";
import { validateConfig } from "../../../config/validate";
import { ACCOUNT_ID, isSecretOutput, settle, startMocks, valueOf, type MockOptions, type MockRun } from "../../mocks";

// ---------- fixtures ----------

const T = {
    alb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    cert: "aws:acm/certificate:Certificate",
    certValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    policy: "aws:autoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

/** Pulumi's wire markers for a secret value (how the mocks record a secret input). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const DB_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:rds!db-0f1e2d3c-0000-4000-8000-abcdefabcdef-AbCdEf`;
const FS_ID = "fs-0a1b2c3d4e5f60718";
const FS_ARN = `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT_ID}:file-system/${FS_ID}`;
const AP_ID = "fsap-0f9e8d7c6b5a40312";
const AP_ARN = `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT_ID}:access-point/${AP_ID}`;
const DB_SG = "sg-0db0db0db0db0db00";
const EFS_SG = "sg-0ef5ef5ef5ef5ef50";
const GIVEN_CERT = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/11111111-2222-4333-8444-555555555555`;
const LICENCE = "LIC-Распознай-8f2c";

/** The vendor image behind an SSM parameter (config requires an image or a container). */
const VENDOR_AMI_PARAMETER = "ssm:/acme/dashboard/ami";

/** An AppConfig exactly as the config module defaults it (AMI mode from {@link VENDOR_AMI_PARAMETER} unless overridden). */
function appConfig(app: Record<string, unknown> = {}): AppConfig {
    const result = validateConfig({ customer: "acme", environment: "development", app: { ami: VENDOR_AMI_PARAMETER, ...app } }, new Set(["app"]));
    assert.deepEqual(result.problems, []);
    return result.config!.app;
}

function args(over: Partial<AppClusterArgs> = {}): AppClusterArgs {
    return {
        app: appConfig(),
        allowedCidrs: ["0.0.0.0/0"],
        environment: "development",
        vpcId: "vpc-0123456789abcdef0",
        publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
        database: { address: "db.c0mock.us-east-1.rds.amazonaws.com", port: 3306, engine: "mariadb", databaseName: "dashboard", secretArn: DB_SECRET_ARN, securityGroupId: DB_SG },
        sideload: {
            fileSystemId: FS_ID,
            fileSystemArn: FS_ARN,
            accessPointId: AP_ID,
            accessPointArn: AP_ARN,
            mountPath: "/var/dashboard/content",
            directories: { images: "images", themes: "themes", "excel-data": "excel" },
            linkInto: "/var/panintelligence",
            securityGroupId: EFS_SG,
        },
        logRetentionDays: 14,
        protect: false,
        ...over,
    };
}

const DOMAIN = { name: "dash.acme.example.com", hostedZone: "acme.example.com" };

interface Built {
    readonly run: MockRun;
    readonly cluster: AppCluster;
}

async function build(a: AppClusterArgs, options: MockOptions = {}): Promise<Built> {
    const run = await startMocks(options);
    const cluster = new AppCluster("app", a);
    await settle();
    run.assertNoDuplicates();
    return { run, cluster };
}

/** Each scenario is built once (on first use) and its recording shared by the tests that read it. */
const built = new Map<string, Promise<Built>>();
function scenario(key: keyof typeof SCENARIOS): Promise<Built> {
    let b = built.get(key);
    if (b === undefined) {
        const [make, options] = SCENARIOS[key];
        b = build(make(), options);
        built.set(key, b);
    }
    return b;
}

const CIDRS = ["203.0.113.0/24", "198.51.100.7/32"];
const CONTAINER = { image: "registry.example.com/dashboard:2026.11", env: { TZ: "UTC" } };

const SCENARIOS: Record<string, [() => AppClusterArgs, MockOptions]> = {
    /** Development defaults; database and file system given without security groups (VPC CIDR egress). */
    dev: [
        () => {
            const a = args({ instanceTags: { customer: "acme" } });
            return { ...a, database: { ...a.database, port: 5432, securityGroupId: undefined }, sideload: { ...a.sideload, securityGroupId: undefined } };
        },
        { vpcCidrs: { "vpc-0123456789abcdef0": "10.20.0.0/16" } },
    ],
    /** Domain with an ACM certificate, AMI id, container, licence, custom sizes, two allowed CIDR blocks. */
    domain: [
        () =>
            args({
                app: appConfig({
                    ami: "ami-0123456789abcdef0",
                    instanceType: "t3a.large",
                    port: 9000,
                    healthCheckPath: "/health",
                    stickinessSeconds: 3600,
                    minSize: 2,
                    desiredSize: 3,
                    maxSize: 6,
                    scaleOutCpuPercent: 65,
                    scaleInCpuPercent: 25,
                    volumeGb: 40,
                    container: CONTAINER,
                    licenceKey: LICENCE,
                }),
                domain: DOMAIN,
                allowedCidrs: CIDRS,
                rootDeviceName: "/dev/sda1",
                instanceTags: { customer: "acme" },
            }),
        {},
    ],
    /** Production in a region with a regional ELB account. */
    production: [() => args({ app: appConfig({ licenceKey: LICENCE }), environment: "production", domain: DOMAIN, protect: true }), { region: "eu-west-1" }],
    /** Production in a region opened after the ELB accounts (service principal only). */
    productionNewRegion: [() => args({ app: appConfig({ ami: undefined, container: CONTAINER }), environment: "production", domain: DOMAIN }), { region: "eu-central-2" }],
    /** A given certificate and a hosted-zone id. */
    givenCertificate: [() => args({ domain: { name: "dash.acme.example.com", hostedZone: "Z0123456789ABCDEFGHIJ", certificateArn: GIVEN_CERT } }), {}],
};

const userDataOf = (run: MockRun) => Buffer.from(run.get(T.lt, "app-lt").inputs.userData as string, "base64").toString("utf8");
const sgId = (run: MockRun, name: string) => run.get(T.sg, name).id;

// ---------- pure helpers ----------

describe("components/app/appClusterPlan", () => {
    it("tells hosted-zone ids from zone names", () => {
        const table: Array<[string, boolean]> = [
            ["Z0123456789ABCDEFGHIJ", true],
            ["Z2FDTNDATAQYW2", true],
            ["example.com", false],
            ["Zexample.com", false],
            ["z0123456789", false],
            ["acme.example.com.", false],
        ];
        for (const [zone, id] of table) assert.equal(isHostedZoneId(zone), id, zone);
    });

    it("turns an ssm: AMI into resolve:ssm: and keeps an AMI id", () => {
        const table: Array<[string, string]> = [
            ["ami-0123456789abcdef0", "ami-0123456789abcdef0"],
            ["ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"],
            ["ssm:/acme/dashboard/ami", "resolve:ssm:/acme/dashboard/ami"],
        ];
        for (const [ami, imageId] of table) assert.equal(launchTemplateImageId(ami), imageId, ami);
    });

    it("uses metadata hop limit 1 on the host and 2 for a container", () => {
        assert.equal(metadataHopLimit({ container: undefined }), 1);
        assert.equal(metadataHopLimit({ container: { image: "registry/dashboard:1", env: {} } }), 2);
    });

    it("rolls instances launch-before-terminate, auto-rollback only for an AMI id", () => {
        const preferences = { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", skipMatching: true };
        assert.deepEqual(instanceRefreshPlan("ami-0123456789abcdef0", 300), { strategy: "Rolling", preferences: { ...preferences, autoRollback: true } });
        assert.deepEqual(instanceRefreshPlan("ssm:/acme/ami", 300), { strategy: "Rolling", preferences: { ...preferences, autoRollback: false } });
    });

    it("makes one ingress rule per listener port per CIDR block", () => {
        assert.deepEqual(listenerPorts(false), [80]);
        assert.deepEqual(listenerPorts(true), [80, 443]);
        assert.deepEqual(ingressRules(["203.0.113.0/24", "2001:db8::/32"], [80, 443]), [
            { key: "80-0", port: 80, cidrIpv4: "203.0.113.0/24" },
            { key: "80-1", port: 80, cidrIpv6: "2001:db8::/32" },
            { key: "443-0", port: 443, cidrIpv4: "203.0.113.0/24" },
            { key: "443-1", port: 443, cidrIpv6: "2001:db8::/32" },
        ]);
        assert.deepEqual(ingressRules([], [80]), []);
    });

    it("plans +1 after 2×60 s above scale-out and −1 after 10×60 s below scale-in", () => {
        assert.deepEqual(scalingPlan({ scaleOutCpuPercent: 75, scaleInCpuPercent: 15 }), [
            {
                role: "scale-out",
                threshold: 75,
                comparisonOperator: "GreaterThanThreshold",
                periodSeconds: 60,
                evaluationPeriods: 2,
                policy: { policyType: "StepScaling", adjustmentType: "ChangeInCapacity", estimatedInstanceWarmup: 300, stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }] },
                description: "Add an app server: average CPU above 75% for 2 minutes",
            },
            {
                role: "scale-in",
                threshold: 15,
                comparisonOperator: "LessThanThreshold",
                periodSeconds: 60,
                evaluationPeriods: 10,
                policy: { policyType: "SimpleScaling", adjustmentType: "ChangeInCapacity", scalingAdjustment: -1, cooldown: 300 },
                description: "Remove an app server: average CPU below 15% for 10 minutes",
            },
        ]);
    });

    it("builds the instance policy naming exactly the given ARNs", () => {
        const base = { databaseSecretArn: DB_SECRET_ARN, fileSystemArn: FS_ARN, accessPointArn: AP_ARN, logGroupArn: "arn:aws:logs:us-east-1:1:log-group:app-logs-1" };
        const rest = [
            {
                Sid: "MountContentThroughAccessPoint",
                Effect: "Allow",
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: [FS_ARN],
                Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": AP_ARN } },
            },
            {
                Sid: "WriteAppLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: ["arn:aws:logs:us-east-1:1:log-group:app-logs-1", "arn:aws:logs:us-east-1:1:log-group:app-logs-1:*"],
            },
            { Sid: "PutAgentMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } } },
        ];
        const secrets = (resource: string[]) => ({ Sid: "ReadAppSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: resource });
        const table: Array<[string | undefined, string[]]> = [
            [undefined, [DB_SECRET_ARN]],
            ["arn:aws:secretsmanager:us-east-1:1:secret:lic-AbCdEf", [DB_SECRET_ARN, "arn:aws:secretsmanager:us-east-1:1:secret:lic-AbCdEf"]],
        ];
        for (const [licenceSecretArn, resource] of table) {
            assert.deepEqual(instanceRolePolicy({ ...base, licenceSecretArn }), { Version: "2012-10-17", Statement: [secrets(resource), ...rest] });
        }
    });

    it("trusts EC2 in the partition's DNS suffix", () => {
        for (const [suffix, service] of [["amazonaws.com", "ec2.amazonaws.com"], ["amazonaws.com.cn", "ec2.amazonaws.com.cn"]]) {
            assert.deepEqual(ec2TrustPolicy(suffix), { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
        }
    });

    it("builds the access-log bucket policy with and without a regional ELB account", () => {
        const bucketArn = "arn:aws:s3:::app-alb-logs-1";
        const deny = {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        };
        const service = {
            Sid: "AllowLogDeliveryService",
            Effect: "Allow",
            Principal: { Service: LOG_DELIVERY_PRINCIPAL },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${ACCOUNT_ID}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
        };
        assert.equal(LOG_DELIVERY_PRINCIPAL, "logdelivery.elasticloadbalancing.amazonaws.com");
        assert.deepEqual(accessLogBucketPolicy({ bucketArn, accountId: ACCOUNT_ID }), { Version: "2012-10-17", Statement: [deny, service] });
        assert.deepEqual(accessLogBucketPolicy({ bucketArn, accountId: ACCOUNT_ID, elbAccountArn: "arn:aws:iam::156460612806:root" }), {
            Version: "2012-10-17",
            Statement: [
                deny,
                service,
                { Sid: "AllowRegionalElbAccount", Effect: "Allow", Principal: { AWS: "arn:aws:iam::156460612806:root" }, Action: "s3:PutObject", Resource: `${bucketArn}/AWSLogs/${ACCOUNT_ID}/*` },
            ],
        });
    });
});

// ---------- the component under mocks ----------

describe("components/app/appCluster", () => {
    it("development without a domain: one HTTP listener forwarding to the target group, http:// url", async () => {
        const { run, cluster } = await scenario("dev");
        const alb = run.get(T.alb, "app-alb");
        const tg = run.get(T.tg, "app-tg");
        assert.deepEqual(
            run.byType(T.listener).map((l) => [l.name, l.inputs]),
            [["app-http", { loadBalancerArn: alb.state.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: tg.state.arn }] }]],
        );
        assert.deepEqual([run.byType(T.cert), run.byType(T.certValidation), run.byType(T.record), run.byType(T.bucket), run.byType(T.bucketPolicy), run.byType(T.secret)], [[], [], [], [], [], []]);
        assert.deepEqual(
            run.invokes.map((i) => i.token).filter((t) => t.startsWith("aws:route53") || t.startsWith("aws:elb")),
            [],
        );
        // The account is asked once, by the rotation trigger (its role's policy names this account's instances), not for access logs.
        assert.equal(run.invokes.filter((i) => i.token.includes("getCallerIdentity")).length, 1);
        assert.equal(await valueOf(cluster.url), `http://${alb.state.dnsName}`);
    });

    it("with a domain: 301 to HTTPS on 80, TLS 1.3 listener on 443 with a DNS-validated ACM certificate, alias record", async () => {
        const { run, cluster } = await scenario("domain");
        const alb = run.get(T.alb, "app-alb");
        const tg = run.get(T.tg, "app-tg");
        const zoneLookups = run.invokes.filter((i) => i.token === "aws:route53/getZone:getZone").map((i) => i.inputs);
        assert.deepEqual(zoneLookups, [{ name: "acme.example.com", privateZone: false }]);
        const zoneId = run.get(T.record, "app-alias").inputs.zoneId;
        assert.match(zoneId, /^Z[A-Z0-9]+$/);

        const cert = run.get(T.cert, "app-cert");
        assert.deepEqual(cert.inputs, { domainName: "dash.acme.example.com", validationMethod: "DNS" });
        const option = cert.state.domainValidationOptions[0];
        const validationRecord = run.get(T.record, "app-cert-validation");
        assert.deepEqual(validationRecord.inputs, {
            zoneId,
            name: option.resourceRecordName,
            type: "CNAME",
            records: [option.resourceRecordValue],
            ttl: 60,
            allowOverwrite: true,
        });
        const validation = run.get(T.certValidation, "app-cert");
        assert.deepEqual(validation.inputs, { certificateArn: cert.state.arn, validationRecordFqdns: [option.resourceRecordName] });

        assert.deepEqual(run.get(T.listener, "app-http").inputs, {
            loadBalancerArn: alb.state.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [
                { type: "redirect", redirect: { host: "#{host}", path: "/#{path}", query: "#{query}", port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
            ],
        });
        const https = run.get(T.listener, "app-https");
        assert.deepEqual(https.inputs, {
            loadBalancerArn: alb.state.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: validation.state.certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: tg.state.arn }],
        });
        assert.equal(TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.ok(https.dependencies.includes(validation.urn), "the HTTPS listener waits for the validated certificate");

        assert.deepEqual(run.get(T.record, "app-alias").inputs, {
            zoneId,
            name: "dash.acme.example.com",
            type: "A",
            aliases: [{ name: alb.state.dnsName, zoneId: alb.state.zoneId, evaluateTargetHealth: true }],
        });
        assert.deepEqual(run.byType(T.record).map((r) => r.inputs.type).sort(), ["A", "CNAME"], "no AAAA record (no dualstack)");
        assert.equal(await valueOf(cluster.url), "https://dash.acme.example.com");
    });

    it("with a given certificate and a zone id: no ACM resources, no zone lookup", async () => {
        const { run } = await scenario("givenCertificate");
        assert.deepEqual([run.byType(T.cert), run.byType(T.certValidation)], [[], []]);
        assert.deepEqual(run.byType(T.record).map((r) => r.name), ["app-alias"]);
        assert.equal(run.get(T.record, "app-alias").inputs.zoneId, "Z0123456789ABCDEFGHIJ");
        assert.equal(run.get(T.listener, "app-https").inputs.certificateArn, GIVEN_CERT);
        assert.equal(run.invokes.some((i) => i.token === "aws:route53/getZone:getZone"), false);
    });

    it("load balancer attributes: development has no deletion protection and no access logs", async () => {
        const { run } = await scenario("dev");
        assert.deepEqual(run.get(T.alb, "app-alb").inputs, {
            loadBalancerType: "application",
            internal: false,
            subnets: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
            securityGroups: [sgId(run, "app-alb")],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "defensive",
            enableHttp2: true,
            idleTimeout: 60,
            enableDeletionProtection: false,
        });
    });

    it("production: deletion protection, access logs to a hardened, protected bucket the load balancer waits for", async () => {
        const { run } = await scenario("production");
        const bucket = run.get(T.bucket, "app-alb-logs");
        const name = bucket.state.bucket;
        assert.deepEqual(bucket.inputs, {}, "auto-named, everything else in its own resources");
        assert.equal(bucket.protect, true);
        const alb = run.get(T.alb, "app-alb");
        assert.equal(alb.inputs.enableDeletionProtection, true);
        assert.deepEqual(alb.inputs.accessLogs, { bucket: name, enabled: true });
        const policy = run.get(T.bucketPolicy, "app-alb-logs");
        assert.ok(alb.dependencies.includes(policy.urn), "the ALB depends on the bucket policy");
        const publicAccess = run.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "app-alb-logs");
        assert.ok(policy.dependencies.includes(publicAccess.urn), "the policy waits for the public-access block");

        const byName = (type: string) => run.get(type, "app-alb-logs").inputs;
        assert.deepEqual(byName("aws:s3/bucketOwnershipControls:BucketOwnershipControls"), { bucket: name, rule: { objectOwnership: "BucketOwnerEnforced" } });
        assert.deepEqual(publicAccess.inputs, { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        assert.deepEqual(byName("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"), {
            bucket: name,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.deepEqual(byName("aws:s3/bucketVersioning:BucketVersioning"), { bucket: name, versioningConfiguration: { status: "Enabled" } });
        assert.deepEqual(byName("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), {
            bucket: name,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: 90 },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        });
        assert.deepEqual(
            JSON.parse(policy.inputs.policy),
            accessLogBucketPolicy({ bucketArn: `arn:aws:s3:::${name}`, accountId: ACCOUNT_ID, elbAccountArn: "arn:aws:iam::127311923021:root" }),
        );
        const serviceAccount = run.invokes.filter((i) => i.token === "aws:elb/getServiceAccount:getServiceAccount").map((i) => i.inputs);
        assert.deepEqual(serviceAccount, [{ region: "eu-west-1" }]);
    });

    it("production in a region without an ELB account: only the log-delivery service principal", async () => {
        const { run } = await scenario("productionNewRegion");
        const name = run.get(T.bucket, "app-alb-logs").state.bucket;
        assert.equal(run.get(T.bucket, "app-alb-logs").protect, false);
        assert.deepEqual(JSON.parse(run.get(T.bucketPolicy, "app-alb-logs").inputs.policy), accessLogBucketPolicy({ bucketArn: `arn:aws:s3:::${name}`, accountId: ACCOUNT_ID }));
        assert.equal(run.invokes.some((i) => i.token === "aws:elb/getServiceAccount:getServiceAccount"), false);
        // The container on the stock Amazon Linux 2023 image (the config default), x86_64 for t3a.medium.
        const lt = run.get(T.lt, "app-lt").inputs;
        assert.deepEqual([lt.imageId, lt.metadataOptions.httpPutResponseHopLimit], ["resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", 2]);
    });

    it("target group: HTTP on the app port, health check 200-399, 30 s deregistration, cookie stickiness", async () => {
        const { run, cluster } = await scenario("domain");
        const tg = run.get(T.tg, "app-tg");
        assert.deepEqual(tg.inputs, {
            vpcId: "vpc-0123456789abcdef0",
            protocol: "HTTP",
            port: 9000,
            targetType: "instance",
            deregistrationDelay: 30,
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/health", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
            stickiness: { type: "lb_cookie", cookieDuration: 3600, enabled: true },
        });
        assert.equal(await valueOf(cluster.targetGroupArnSuffix), tg.state.arnSuffix);
    });

    const launchTemplateCases: Array<{ key: "dev" | "domain"; title: string; imageId: string; instanceType: string; hopLimit: number; device: string; volumeGb: number }> = [
        {
            key: "dev",
            title: "vendor image from an SSM parameter, host mode",
            imageId: "resolve:ssm:/acme/dashboard/ami",
            instanceType: "t3a.medium",
            hopLimit: 1,
            device: "/dev/xvda",
            volumeGb: 15,
        },
        { key: "domain", title: "AMI id, container mode, Ubuntu root device", imageId: "ami-0123456789abcdef0", instanceType: "t3a.large", hopLimit: 2, device: "/dev/sda1", volumeGb: 40 },
    ];
    for (const c of launchTemplateCases) {
        it(`launch template (${c.title}): IMDSv2, no public IP, encrypted gp3, monitoring, profile`, async () => {
            const { run } = await scenario(c.key);
            const { userData, ...rest } = run.get(T.lt, "app-lt").inputs;
            assert.equal(typeof userData, "string");
            const tags = { customer: "acme", Name: "test-app" };
            assert.deepEqual(rest, {
                description: "Dashboard app servers",
                imageId: c.imageId,
                instanceType: c.instanceType,
                iamInstanceProfile: { arn: run.get(T.profile, "app-instance").state.arn },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: c.hopLimit, instanceMetadataTags: "enabled" },
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [sgId(run, "app-servers")] }],
                blockDeviceMappings: [{ deviceName: c.device, ebs: { volumeType: "gp3", volumeSize: c.volumeGb, encrypted: "true", deleteOnTermination: "true" } }],
                monitoring: { enabled: true },
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags },
                    { resourceType: "volume", tags },
                ],
            });
        });
    }

    it("user data (decoded) names the file system, access point and secret ARNs, and runs the container", async () => {
        const { run, cluster } = await scenario("domain");
        const script = userDataOf(run);
        const licenceArn = run.get(T.secret, "app-licence").state.arn;
        assert.ok(script.startsWith("#!/bin/bash\n"));
        for (const expected of [FS_ID, AP_ID, DB_SECRET_ARN, licenceArn, run.get(T.logGroup, "app-logs").state.name, CONTAINER.image, "us-east-1", "db.c0mock.us-east-1.rds.amazonaws.com"]) {
            assert.ok(script.includes(expected), `user data should contain ${expected}`);
        }
        assert.equal(script.includes(LICENCE), false);
        assert.equal(await valueOf(cluster.licenceSecretArn), licenceArn);
        for (const key of Object.keys(SCENARIOS)) {
            const bytes = Buffer.byteLength(userDataOf((await scenario(key)).run));
            assert.ok(bytes <= 16384, `${key}: EC2 accepts at most 16 KiB of user data before base64, got ${bytes} bytes`);
        }
    });

    it("user data without a licence carries no licence secret", async () => {
        const { run, cluster } = await scenario("dev");
        const script = userDataOf(run);
        for (const expected of [FS_ID, AP_ID, DB_SECRET_ARN]) assert.ok(script.includes(expected), expected);
        assert.equal(script.includes("LICENCE_SECRET_ARN"), false);
        assert.equal(await valueOf(cluster.licenceSecretArn), undefined);
    });

    it("instance role: EC2 trust, the SSM managed policy only, inline policy on exact ARNs (the CloudWatch agent's rights included)", async () => {
        for (const key of ["domain", "dev"] as const) {
            const { run } = await scenario(key);
            const role = run.get(T.role, "app-instance");
            assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), ec2TrustPolicy("amazonaws.com"));
            assert.deepEqual(
                run.byType(T.attachment).map((a) => [a.name, a.inputs]),
                [
                    ["app-ssm", { role: role.state.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
                ],
            );
            const logGroup = run.get(T.logGroup, "app-logs");
            assert.deepEqual(logGroup.inputs, { retentionInDays: 14 });
            const secrets = key === "domain" ? [DB_SECRET_ARN, run.get(T.secret, "app-licence").state.arn] : [DB_SECRET_ARN];
            const inline = run.get(T.rolePolicy, "app-instance");
            assert.equal(inline.inputs.role, role.id);
            assert.deepEqual(JSON.parse(inline.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ReadAppSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secrets },
                    {
                        Sid: "MountContentThroughAccessPoint",
                        Effect: "Allow",
                        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                        Resource: [FS_ARN],
                        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": AP_ARN } },
                    },
                    { Sid: "WriteAppLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [logGroup.state.arn, `${logGroup.state.arn}:*`] },
                    { Sid: "PutAgentMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } } },
                ],
            });
            assert.deepEqual(run.get(T.profile, "app-instance").inputs, { role: role.state.name });
        }
    });

    it("security groups: listener ports from each allowed CIDR, app port only between the groups, no port 22", async () => {
        const { run, cluster } = await scenario("domain");
        const alb = sgId(run, "app-alb");
        const servers = sgId(run, "app-servers");
        // Registration order follows output resolution, so compare by logical name.
        type Rule = readonly [string, Record<string, unknown>];
        const byName = (xs: Rule[]) => [...xs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const rules = (type: string) => byName(run.byType(type).map((r): Rule => [r.name, r.inputs]));
        const [c0, c1] = CIDRS;
        assert.deepEqual(
            rules(T.ingress),
            byName([
                ["app-alb-in-80-0", { securityGroupId: alb, description: `HTTP from ${c0}`, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: c0 }],
                ["app-alb-in-80-1", { securityGroupId: alb, description: `HTTP from ${c1}`, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: c1 }],
                ["app-alb-in-443-0", { securityGroupId: alb, description: `HTTPS from ${c0}`, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: c0 }],
                ["app-alb-in-443-1", { securityGroupId: alb, description: `HTTPS from ${c1}`, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: c1 }],
                ["app-servers-in-alb", { securityGroupId: servers, description: "App port from the load balancer", ipProtocol: "tcp", fromPort: 9000, toPort: 9000, referencedSecurityGroupId: alb }],
            ]),
        );
        assert.deepEqual(
            rules(T.egress),
            byName([
                ["app-alb-out-app", { securityGroupId: alb, description: "App port to the app servers", ipProtocol: "tcp", fromPort: 9000, toPort: 9000, referencedSecurityGroupId: servers }],
                ["app-servers-out-https", { securityGroupId: servers, description: "HTTPS to AWS APIs, the licence manager and package repositories", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }],
                ["app-servers-out-http", { securityGroupId: servers, description: "HTTP to package repositories (apt mirrors)", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" }],
                ["app-servers-out-db", { securityGroupId: servers, description: "Database port to the database", ipProtocol: "tcp", fromPort: 3306, toPort: 3306, referencedSecurityGroupId: DB_SG }],
                ["app-servers-out-nfs", { securityGroupId: servers, description: "NFS to the content file system", ipProtocol: "tcp", fromPort: 2049, toPort: 2049, referencedSecurityGroupId: EFS_SG }],
            ]),
        );
        for (const key of ["domain", "dev", "production"] as const) {
            const r = (await scenario(key)).run;
            for (const rule of [...r.byType(T.ingress), ...r.byType(T.egress)]) {
                assert.ok(!(rule.inputs.fromPort <= 22 && 22 <= rule.inputs.toPort), `${key}: ${rule.name} opens port 22`);
            }
            for (const rule of r.byType(T.ingress).filter((x) => x.inputs.cidrIpv4 === "0.0.0.0/0")) {
                assert.ok(rule.name.startsWith("app-alb-in-") && [80, 443].includes(rule.inputs.fromPort), `${key}: ${rule.name} admits the internet`);
            }
            for (const sg of r.byType(T.sg)) assert.deepEqual(Object.keys(sg.inputs).sort(), ["description", "vpcId"], `${key}: no inline rules`);
        }
        assert.equal(run.invokes.some((i) => i.token === "aws:ec2/getVpc:getVpc"), false);
        assert.equal(await valueOf(cluster.securityGroupId), servers);
        assert.equal(await valueOf(cluster.loadBalancerSecurityGroupId), alb);
    });

    it("without the database and file-system groups, their egress goes to the VPC CIDR block; no 443 without a domain", async () => {
        const { run } = await scenario("dev");
        const db = run.get(T.egress, "app-servers-out-db").inputs;
        const nfs = run.get(T.egress, "app-servers-out-nfs").inputs;
        assert.deepEqual([db.fromPort, db.toPort, db.cidrIpv4, db.referencedSecurityGroupId], [5432, 5432, "10.20.0.0/16", undefined]);
        assert.deepEqual([nfs.fromPort, nfs.toPort, nfs.cidrIpv4, nfs.referencedSecurityGroupId], [2049, 2049, "10.20.0.0/16", undefined]);
        assert.deepEqual(run.byType(T.ingress).map((r) => r.name).sort(), ["app-alb-in-80-0", "app-servers-in-alb"]);
        assert.equal(run.get(T.ingress, "app-alb-in-80-0").inputs.cidrIpv4, "0.0.0.0/0");
    });

    it("health-check grace: 300 s when the image installs efs-utils itself (Amazon Linux), 900 s when the association does", async () => {
        const { run: amazonLinux } = await scenario("productionNewRegion");
        assert.equal(amazonLinux.get(T.asg, "app-asg").inputs.healthCheckGracePeriod, 300);
        const { run: vendor } = await scenario("production");
        assert.equal(vendor.get(T.asg, "app-asg").inputs.healthCheckGracePeriod, 900);
    });

    it("Auto Scaling group: private subnets, ELB health checks, numbered template version, rolling refresh, desired capacity left to scaling", async () => {
        const { run, cluster } = await scenario("domain");
        const lt = run.get(T.lt, "app-lt");
        const asg = run.get(T.asg, "app-asg");
        assert.deepEqual(asg.inputs, {
            vpcZoneIdentifiers: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"],
            minSize: 2,
            maxSize: 6,
            desiredCapacity: 3,
            healthCheckType: "ELB",
            // The vendor image gets efs-utils from the association: 900 s before health checks count.
            healthCheckGracePeriod: 900,
            defaultInstanceWarmup: 300,
            capacityRebalance: true,
            enabledMetrics: [
                "GroupMinSize",
                "GroupMaxSize",
                "GroupDesiredCapacity",
                "GroupInServiceInstances",
                "GroupPendingInstances",
                "GroupStandbyInstances",
                "GroupTerminatingInstances",
                "GroupTotalInstances",
            ],
            metricsGranularity: "1Minute",
            targetGroupArns: [run.get(T.tg, "app-tg").state.arn],
            launchTemplate: { id: lt.id, version: "1" },
            instanceRefresh: {
                strategy: "Rolling",
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", skipMatching: true, autoRollback: true },
            },
            instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
            tags: [{ key: "Name", value: "test-app", propagateAtLaunch: true }],
        });
        assert.deepEqual(run.get(T.asg, "app-asg").ignoreChanges, ["desiredCapacity"]);
        for (const dep of [run.get(T.rolePolicy, "app-instance"), run.get(T.attachment, "app-ssm"), run.get(T.listener, "app-https")]) {
            assert.ok(asg.dependencies.includes(dep.urn), `the group waits for ${dep.name}`);
        }
        assert.deepEqual([...ENABLED_METRICS], asg.inputs.enabledMetrics);
        assert.equal(await valueOf(cluster.autoScalingGroupName), asg.state.name);
    });

    it("an ssm: image turns auto rollback off (Auto Scaling cannot roll back to an SSM-parameter template)", async () => {
        const { run } = await scenario("dev");
        const asg = run.get(T.asg, "app-asg");
        assert.equal(asg.inputs.instanceRefresh.preferences.autoRollback, false);
        assert.deepEqual([asg.inputs.minSize, asg.inputs.desiredCapacity, asg.inputs.maxSize], [1, 1, 2]);
    });

    it("scaling: +1 step with 300 s warm-up, −1 simple with a 300 s cooldown, CPU alarms on the group", async () => {
        const { run } = await scenario("domain");
        const group = run.get(T.asg, "app-asg").state.name;
        assert.deepEqual(run.get(T.policy, "app-scale-out").inputs, {
            autoscalingGroupName: group,
            policyType: "StepScaling",
            adjustmentType: "ChangeInCapacity",
            estimatedInstanceWarmup: 300,
            stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }],
        });
        assert.deepEqual(run.get(T.policy, "app-scale-in").inputs, {
            autoscalingGroupName: group,
            policyType: "SimpleScaling",
            adjustmentType: "ChangeInCapacity",
            scalingAdjustment: -1,
            cooldown: 300,
        });
        const alarm = (role: string, description: string, threshold: number, comparisonOperator: string, evaluationPeriods: number) => ({
            alarmDescription: description,
            namespace: "AWS/EC2",
            metricName: "CPUUtilization",
            statistic: "Average",
            dimensions: { AutoScalingGroupName: group },
            period: 60,
            evaluationPeriods,
            threshold,
            comparisonOperator,
            treatMissingData: "notBreaching",
            alarmActions: [run.get(T.policy, `app-${role}`).state.arn],
        });
        assert.deepEqual(run.get(T.alarm, "app-scale-out").inputs, alarm("scale-out", "Add an app server: average CPU above 65% for 2 minutes", 65, "GreaterThanThreshold", 2));
        assert.deepEqual(run.get(T.alarm, "app-scale-in").inputs, alarm("scale-in", "Remove an app server: average CPU below 25% for 10 minutes", 25, "LessThanThreshold", 10));
    });

    for (const key of ["domain", "production"] as const) {
        it(`the licence key (${LICENCE}) reaches only the secret version, as a secret (${key})`, async () => {
            const { run, cluster } = await scenario(key);
            const secret = run.get(T.secret, "app-licence");
            assert.deepEqual(secret.inputs, { description: "Dashboard licence key (read by the app servers at boot)", recoveryWindowInDays: 7 });
            const version = run.get(T.secretVersion, "app-licence");
            assert.deepEqual(version.inputs, { secretId: secret.id, secretString: { [SIG_KEY]: SECRET_SIG, value: LICENCE } });

            for (const r of run.resources.filter((x) => x !== version)) {
                const text = JSON.stringify([r.name, r.inputs, r.state]);
                assert.equal(text.includes("8f2c"), false, `${r.type} ${r.name} carries the licence`);
                assert.equal(JSON.stringify([r.inputs.tags, r.inputs.tagSpecifications]).includes(LICENCE), false, `tags of ${r.name}`);
            }
            assert.equal(userDataOf(run).includes(LICENCE), false);
            assert.equal(Buffer.from(run.get(T.lt, "app-lt").inputs.userData, "base64").includes(Buffer.from("8f2c")), false);
            const outputs = await Promise.all(
                [
                    cluster.url,
                    cluster.loadBalancerDnsName,
                    cluster.loadBalancerArnSuffix,
                    cluster.targetGroupArnSuffix,
                    cluster.securityGroupId,
                    cluster.loadBalancerSecurityGroupId,
                    cluster.autoScalingGroupName,
                    cluster.logGroupName,
                    cluster.licenceSecretArn,
                ].map((o) => valueOf<unknown>(o)),
            );
            assert.equal(JSON.stringify(outputs).includes("8f2c"), false);
            assert.equal(await isSecretOutput(cluster.licenceSecretArn), false, "the ARN is not secret");
        });
    }

    it("every resource is a child of the component's LoadBalancer, ServerGroup or InstanceAutomation; outputs match the resources", async () => {
        for (const key of Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>) {
            const { run, cluster } = await scenario(key);
            const component = run.get("dashboard:app:AppCluster", "app");
            // The nested components; InstanceAutomation's own children are checked in instanceAutomation.test.ts.
            const loadBalancer = run.get("dashboard:app:LoadBalancer", "app-lb");
            const servers = run.get("dashboard:app:ServerGroup", "app-servers");
            const automation = run.get("dashboard:app:InstanceAutomation", "app-automation");
            const nested = [loadBalancer, servers, automation];
            for (const n of nested) assert.equal(n.parent, component.urn, `${key}: ${n.type}`);
            for (const r of run.resources.filter((x) => x !== component && !nested.includes(x))) {
                assert.ok(nested.some((n) => n.urn === r.parent), `${key}: ${r.type} ${r.name} is under ${r.parent}`);
            }
            const under = (n: typeof component) => new Set(run.childrenOf(n).map((r) => r.name));
            for (const name of ["app-alb", "app-tg", "app-http", "app-alb-out-app"]) assert.ok(under(loadBalancer).has(name), `${key}: ${name}`);
            for (const name of ["app-servers", "app-servers-in-alb", "app-logs", "app-instance", "app-lt", "app-asg", "app-scale-out"]) assert.ok(under(servers).has(name), `${key}: ${name}`);
            assert.ok(run.childrenOf(automation).length >= 4, key);
            const alb = run.get(T.alb, "app-alb");
            assert.deepEqual(
                await Promise.all([cluster.loadBalancerDnsName, cluster.loadBalancerArnSuffix, cluster.logGroupName].map((o) => valueOf<unknown>(o))),
                [alb.state.dnsName, alb.state.arnSuffix, run.get(T.logGroup, "app-logs").state.name],
            );
        }
    });
});
