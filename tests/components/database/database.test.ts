import * as assert from "node:assert/strict";
import { Database, type DatabaseArgs } from "../../../components/database";
import { INSTANCE_IGNORE_CHANGES, restoreInputs, storageAutoscalingLimit } from "../../../components/database/instanceInputs";
import { databaseParameters, parameterApplyMethod } from "../../../components/database/parameters";
import { validateConfig } from "../../../config/validate";
import type { Environment } from "../../../config/types";
import { ACCOUNT_ID, settle, startMocks, valueOf, type MockRun, type RecordedResource } from "../../mocks";

const INSTANCE = "aws:rds/instance:Instance";
const PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const RANDOM = "random:index/randomString:RandomString";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const VPC = "vpc-0aaaaaaaaaaaaaaaa";

/** The validated config of a stack, as config/validate.ts builds it. */
function stackConfig(environment: Environment, database: Record<string, unknown> = {}) {
    const result = validateConfig(
        {
            customer: "acme",
            environment,
            database,
            app: { ami: "ami-0123456789abcdef0" },
            domain: { name: "dash.example.com", hostedZone: "example.com" },
            alerts: { emails: ["ops@example.com"] },
        },
        new Set(),
    );
    assert.deepEqual(result.problems, []);
    return result.config!;
}

interface Built {
    run: MockRun;
    db: Database;
    instance: RecordedResource;
    identifier: string;
}

/** Builds a Database from an environment profile (and database overrides) under fresh mocks. */
async function build(environment: Environment, database: Record<string, unknown> = {}, preview = false): Promise<Built> {
    const run = await startMocks({ stack: `acme-${environment}`, preview });
    const config = stackConfig(environment, database);
    const args: DatabaseArgs = { ...config.database, vpcId: VPC, subnetIds: SUBNETS, protect: config.protect, logRetentionDays: config.logRetentionDays };
    const db = new Database("db", args);
    await settle();
    run.assertNoDuplicates();
    const suffix = run.get(RANDOM, "db-id").state.result as string;
    return { run, db, instance: run.get(INSTANCE, "db-instance"), identifier: `dashboard-${suffix}` };
}

/** Every key path in a value whose key or string value mentions a password, except `manageMasterUserPassword: true`. */
function passwordPaths(value: unknown, path = ""): string[] {
    if (typeof value === "string") return /passw(or)?d/i.test(value) ? [path] : [];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
        const p = `${path}.${k}`;
        if (k === "manageMasterUserPassword" && v === true) return [];
        return [...(/passw(or)?d|secretString/i.test(k) ? [p] : []), ...passwordPaths(v, p)];
    });
}

describe("components/database", () => {
    describe("pure helpers", () => {
        it("parameterApplyMethod: known dynamic → immediate, static or unknown → pending-reboot", () => {
            const table: Array<[Parameters<typeof parameterApplyMethod>[0], string, string]> = [
                ["mariadb", "lower_case_table_names", "pending-reboot"],
                ["mysql", "lower_case_table_names", "pending-reboot"],
                ["mariadb", "require_secure_transport", "immediate"],
                ["mysql", "sql_mode", "immediate"],
                ["mariadb", "log_bin_trust_function_creators", "immediate"],
                ["mariadb", "max_connections", "immediate"],
                ["mariadb", "innodb_log_file_size", "pending-reboot"],
                ["postgres", "rds.force_ssl", "pending-reboot"],
                ["postgres", "shared_preload_libraries", "pending-reboot"],
                ["postgres", "max_connections", "pending-reboot"],
                ["postgres", "work_mem", "immediate"],
                ["postgres", "sql_mode", "pending-reboot"],
            ];
            assert.deepEqual(
                table.map(([e, n]) => [e, n, parameterApplyMethod(e, n)]),
                table,
            );
        });

        it("storageAutoscalingLimit: off below 110 % of the allocated storage", () => {
            const table: Array<[number, number, number]> = [
                [20, 100, 100],
                [20, 22, 22],
                [20, 21, 0],
                [20, 20, 0],
                [100, 110, 110],
                [101, 111, 0],
                [101, 112, 112],
            ];
            assert.deepEqual(
                table.map(([s, m]) => [s, m, storageAutoscalingLimit(s, m)]),
                table,
            );
        });

        it("restoreInputs: empty, snapshot, point in time with and without a time", () => {
            assert.deepEqual(restoreInputs({}), {});
            assert.deepEqual(restoreInputs({ snapshotIdentifier: "old-final" }), { snapshotIdentifier: "old-final" });
            assert.deepEqual(restoreInputs({ restoreToPointInTime: { sourceDbInstanceIdentifier: "old" } }), {
                restoreToPointInTime: { sourceDbInstanceIdentifier: "old", useLatestRestorableTime: true },
            });
            assert.deepEqual(restoreInputs({ restoreToPointInTime: { sourceDbInstanceIdentifier: "old", restoreTime: "2026-11-01T12:00:00Z" } }), {
                restoreToPointInTime: { sourceDbInstanceIdentifier: "old", restoreTime: "2026-11-01T12:00:00Z" },
            });
        });

        it("databaseParameters: overrides replace defaults and add new names, sorted", () => {
            assert.deepEqual(databaseParameters("mariadb", { sql_mode: "ANSI", max_connections: "200" }), [
                { name: "log_bin_trust_function_creators", value: "1", applyMethod: "immediate" },
                { name: "log_output", value: "FILE", applyMethod: "immediate" },
                { name: "lower_case_table_names", value: "1", applyMethod: "pending-reboot" },
                { name: "max_connections", value: "200", applyMethod: "immediate" },
                { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
                { name: "slow_query_log", value: "1", applyMethod: "immediate" },
                { name: "sql_mode", value: "ANSI", applyMethod: "immediate" },
            ]);
        });
    });

    describe("instance inputs per environment profile", () => {
        const common = (identifier: string) => ({
            identifier,
            engine: "mariadb",
            engineVersion: "11.4",
            autoMinorVersionUpgrade: true,
            allowMajorVersionUpgrade: true,
            port: 3306,
            storageType: "gp3",
            allocatedStorage: 20,
            maxAllocatedStorage: 100,
            storageEncrypted: true,
            publiclyAccessible: false,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            username: "dashboard_admin",
            dbName: "dashboard",
            manageMasterUserPassword: true,
            backupWindow: "02:00-03:00",
            maintenanceWindow: "sun:03:30-sun:04:30",
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: false,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${identifier}-final`,
            enabledCloudwatchLogsExports: ["error", "slowquery"],
            // micro and small MariaDB classes: no Performance Insights
            performanceInsightsEnabled: false,
        });
        const links = (run: MockRun) => ({
            dbSubnetGroupName: run.get("aws:rds/subnetGroup:SubnetGroup", "db-subnets").state.name,
            vpcSecurityGroupIds: [run.get(SG, "db-sg").id],
            parameterGroupName: run.get(PARAMS, "db-params").state.name,
        });

        it("development: single AZ, 7 days, no deletion protection, no monitoring, applied at once", async () => {
            const { run, instance, identifier } = await build("development");
            assert.match(identifier, /^dashboard-[a-z0-9]{8}$/);
            assert.deepEqual(instance.inputs, {
                ...common(identifier),
                ...links(run),
                instanceClass: "db.t4g.micro",
                multiAz: false,
                backupRetentionPeriod: 7,
                deletionProtection: false,
                monitoringInterval: 0,
                applyImmediately: true,
            });
            assert.equal(instance.protect, false);
            assert.deepEqual(run.byType(ROLE), []);
            assert.deepEqual(run.byType(ATTACHMENT), []);
        });

        it("staging: Multi-AZ, 7 days, deletion protection, no monitoring", async () => {
            const { run, instance, identifier } = await build("staging");
            assert.deepEqual(instance.inputs, {
                ...common(identifier),
                ...links(run),
                instanceClass: "db.t4g.small",
                multiAz: true,
                backupRetentionPeriod: 7,
                deletionProtection: true,
                monitoringInterval: 0,
                applyImmediately: true,
            });
            assert.equal(instance.protect, false);
            assert.deepEqual(run.byType(ROLE), []);
        });

        it("production: Multi-AZ, 14 days, deletion protection, 60 s monitoring with its role, maintenance window, protect", async () => {
            const { run, instance, identifier } = await build("production");
            const role = run.get(ROLE, "db-monitoring");
            assert.deepEqual(instance.inputs, {
                ...common(identifier),
                ...links(run),
                instanceClass: "db.t4g.small",
                multiAz: true,
                backupRetentionPeriod: 14,
                deletionProtection: true,
                monitoringInterval: 60,
                monitoringRoleArn: role.state.arn,
                applyImmediately: false,
            });
            assert.equal(instance.protect, true);
            assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "monitoring.rds.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:${identifier}` },
                        },
                    },
                ],
            });
            const attachment = run.get(ATTACHMENT, "db-monitoring-policy");
            assert.deepEqual(attachment.inputs, { role: role.state.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
            // The role must carry its policy before RDS starts monitoring.
            assert.ok(instance.dependencies.includes(attachment.urn));
        });

        it("Performance Insights where the class supports it: 7 days (free tier)", async () => {
            const { instance } = await build("production", { instanceClass: "db.m7g.large" });
            assert.equal(instance.inputs.performanceInsightsEnabled, true);
            assert.equal(instance.inputs.performanceInsightsRetentionPeriod, 7);
            const pg = await build("development", { engine: "postgres" });
            assert.equal(pg.instance.inputs.instanceClass, "db.t4g.micro");
            assert.equal(pg.instance.inputs.performanceInsightsEnabled, true);
            assert.equal(pg.instance.inputs.performanceInsightsRetentionPeriod, 7);
        });

        it("a customer-managed key, given by alias, is passed as its ARN", async () => {
            const { instance } = await build("production", { kmsKeyId: "alias/dashboard" });
            assert.match(instance.inputs.kmsKeyId, new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/[0-9a-f-]+$`));
            assert.equal(instance.inputs.storageEncrypted, true);
        });
    });

    describe("log groups", () => {
        it("one per exported log, named as RDS names it, with the stack's retention, created before the instance", async () => {
            const { run, instance, identifier } = await build("production");
            const groups = run.byType(LOG_GROUP);
            assert.deepEqual(
                groups.map((g) => [g.name, g.inputs]),
                [
                    ["db-log-error", { name: `/aws/rds/instance/${identifier}/error`, retentionInDays: 365 }],
                    ["db-log-slowquery", { name: `/aws/rds/instance/${identifier}/slowquery`, retentionInDays: 365 }],
                ],
            );
            for (const g of groups) assert.ok(instance.dependencies.includes(g.urn), `instance depends on ${g.name}`);
        });

        it("postgres exports the postgresql log", async () => {
            const { run, instance, identifier } = await build("development", { engine: "postgres" });
            assert.deepEqual(instance.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
            assert.deepEqual(
                run.byType(LOG_GROUP).map((g) => g.inputs),
                [{ name: `/aws/rds/instance/${identifier}/postgresql`, retentionInDays: 14 }],
            );
        });
    });

    describe("parameter group", () => {
        it("MariaDB: TLS required plus the dashboard's settings, family from the version", async () => {
            const { run } = await build("development");
            assert.deepEqual(run.get(PARAMS, "db-params").inputs, {
                family: "mariadb11.4",
                description: "Dashboard database: TLS required, application settings",
                parameters: [
                    { name: "log_bin_trust_function_creators", value: "1", applyMethod: "immediate" },
                    { name: "log_output", value: "FILE", applyMethod: "immediate" },
                    { name: "lower_case_table_names", value: "1", applyMethod: "pending-reboot" },
                    { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
                    { name: "slow_query_log", value: "1", applyMethod: "immediate" },
                    { name: "sql_mode", value: "NO_AUTO_VALUE_ON_ZERO", applyMethod: "immediate" },
                ],
            });
        });

        it("MySQL: require_secure_transport and the dashboard's settings", async () => {
            const { run, instance } = await build("development", { engine: "mysql" });
            const params = run.get(PARAMS, "db-params").inputs;
            assert.equal(params.family, "mysql8.4");
            assert.deepEqual(
                params.parameters.map((p: { name: string; value: string }) => `${p.name}=${p.value}`),
                ["log_bin_trust_function_creators=1", "log_output=FILE", "lower_case_table_names=1", "require_secure_transport=1", "slow_query_log=1", "sql_mode=NO_AUTO_VALUE_ON_ZERO"],
            );
            assert.equal(instance.inputs.engine, "mysql");
            assert.equal(instance.inputs.engineVersion, "8.4");
        });

        it("PostgreSQL: rds.force_ssl only, port 5432", async () => {
            const { run, instance } = await build("development", { engine: "postgres", version: "16" });
            assert.deepEqual(run.get(PARAMS, "db-params").inputs.parameters, [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
            assert.equal(run.get(PARAMS, "db-params").inputs.family, "postgres16");
            assert.equal(instance.inputs.port, 5432);
        });

        it("config parameters add and override", async () => {
            const { run } = await build("development", { engine: "postgres", parameters: { log_min_duration_statement: "500", shared_preload_libraries: "pg_stat_statements" } });
            assert.deepEqual(run.get(PARAMS, "db-params").inputs.parameters, [
                { name: "log_min_duration_statement", value: "500", applyMethod: "immediate" },
                { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
                { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
            ]);
        });

        it("a version upgrade changes the family (replacing the auto-named group) and the engine version", async () => {
            const before = await build("production", { version: "10.11" });
            const beforeParams = before.run.get(PARAMS, "db-params");
            const after = await build("production", { version: "11.4" });
            const afterParams = after.run.get(PARAMS, "db-params");
            assert.deepEqual([beforeParams.inputs.family, afterParams.inputs.family], ["mariadb10.11", "mariadb11.4"]);
            assert.deepEqual([before.instance.inputs.engineVersion, after.instance.inputs.engineVersion], ["10.11", "11.4"]);
            // Auto-named (no physical name), so the new group is created before the old one is deleted.
            assert.equal(afterParams.inputs.name, undefined);
            assert.equal(afterParams.inputs.namePrefix, undefined);
            assert.equal(afterParams.deleteBeforeReplace, false);
            assert.equal(after.instance.inputs.allowMajorVersionUpgrade, true);
            // The version is not ignored, or the upgrade would never happen.
            assert.ok(!after.instance.ignoreChanges.includes("engineVersion"));
        });
    });

    describe("credentials", () => {
        it("the managed secret rotates every passwordRotationDays, without a Lambda", async () => {
            const { run, instance } = await build("production");
            const secretArn = instance.state.masterUserSecrets[0].secretArn as string;
            assert.deepEqual(run.get(ROTATION, "db-secret-rotation").inputs, {
                secretId: secretArn,
                rotationRules: { automaticallyAfterDays: 30 },
                rotateImmediately: false,
            });
            const custom = await build("development", { passwordRotationDays: 7 });
            assert.deepEqual(custom.run.get(ROTATION, "db-secret-rotation").inputs.rotationRules, { automaticallyAfterDays: 7 });
        });

        it("no input, output, tag or parameter carries a password", async () => {
            // The scan itself finds what it looks for.
            assert.deepEqual(passwordPaths({ a: { password: "x" }, b: "PASSWORD=1", c: [{ k: "MasterUserPassword" }], manageMasterUserPassword: true }), [".a.password", ".b", ".c.0.k"]);
            for (const environment of ["development", "production"] as const) {
                const { run, db } = await build(environment);
                db.allowFrom("app", "sg-0123456789abcdef0");
                await settle();
                assert.deepEqual(
                    run.resources.flatMap((r) => passwordPaths(r.inputs, `${r.type}::${r.name}`)),
                    [],
                );
                assert.deepEqual(run.resources.flatMap((r) => passwordPaths(r.state.tags ?? {}, `${r.name}.tags`)), []);
                const outputs = {
                    address: await valueOf(db.address),
                    port: await valueOf(db.port),
                    engine: await valueOf(db.engine),
                    databaseName: await valueOf(db.databaseName),
                    secretArn: await valueOf(db.secretArn),
                    securityGroupId: await valueOf(db.securityGroupId),
                    instanceIdentifier: await valueOf(db.instanceIdentifier),
                    instanceClass: await valueOf(db.instanceClass),
                    allocatedStorageGb: await valueOf(db.allocatedStorageGb),
                };
                assert.deepEqual(passwordPaths(outputs), []);
                const instance = run.get(INSTANCE, "db-instance");
                assert.equal(instance.inputs.manageMasterUserPassword, true);
                assert.equal(instance.inputs.password, undefined);
                assert.equal(instance.inputs.passwordWo, undefined);
            }
        });

        it("outputs: address, port, engine, database name, secret ARN (never a value), group, identifier, class, storage", async () => {
            const { run, db, instance, identifier } = await build("production");
            assert.deepEqual(
                {
                    address: await valueOf(db.address),
                    port: await valueOf(db.port),
                    engine: await valueOf(db.engine),
                    databaseName: await valueOf(db.databaseName),
                    secretArn: await valueOf(db.secretArn),
                    securityGroupId: await valueOf(db.securityGroupId),
                    instanceIdentifier: await valueOf(db.instanceIdentifier),
                    instanceClass: await valueOf(db.instanceClass),
                    allocatedStorageGb: await valueOf(db.allocatedStorageGb),
                },
                {
                    address: `${identifier}.c0mock0abcd.us-east-1.rds.amazonaws.com`,
                    port: 3306,
                    engine: "mariadb",
                    databaseName: "dashboard",
                    secretArn: instance.state.masterUserSecrets[0].secretArn,
                    securityGroupId: run.get(SG, "db-sg").id,
                    instanceIdentifier: identifier,
                    instanceClass: "db.t4g.small",
                    allocatedStorageGb: 20,
                },
            );
            assert.match(await valueOf(db.secretArn), /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!db-/);
        });
    });

    describe("safety", () => {
        it("identifier and final snapshot come from a random suffix: lower-case letters and digits only", async () => {
            const { run, instance, identifier } = await build("development");
            assert.deepEqual(run.get(RANDOM, "db-id").inputs, { length: 8, lower: true, upper: false, numeric: true, special: false });
            assert.equal(run.get(RANDOM, "db-id").parent, instance.parent);
            assert.equal(instance.inputs.identifier, identifier);
            assert.equal(instance.inputs.finalSnapshotIdentifier, `${identifier}-final`);
            assert.match(instance.inputs.finalSnapshotIdentifier, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        });

        it("ignoreChanges: creation-only inputs; a changed snapshotIdentifier cannot replace the database", async () => {
            const { instance } = await build("production", { snapshotIdentifier: "dashboard-old-final" });
            assert.deepEqual(instance.ignoreChanges, ["snapshotIdentifier", "restoreToPointInTime", "username", "dbName", "kmsKeyId"]);
            assert.deepEqual([...INSTANCE_IGNORE_CHANGES], instance.ignoreChanges);
            assert.ok(instance.ignoreChanges.includes("snapshotIdentifier"));
            assert.equal(instance.deleteBeforeReplace, false);
            assert.deepEqual(instance.replaceOnChanges, []);
        });

        it("protect follows the arg", async () => {
            assert.equal((await build("production")).instance.protect, true);
            assert.equal((await build("development")).instance.protect, false);
        });

        it("builds in a preview, with unknown computed values", async () => {
            const { run } = await build("production", {}, true);
            assert.equal(run.byType(INSTANCE).length, 1);
            assert.equal(run.byType(ROTATION).length, 1);
        });
    });

    describe("restore", () => {
        const creationOnly = ["username", "dbName", "kmsKeyId", "snapshotIdentifier", "restoreToPointInTime"];

        it("from a snapshot: snapshotIdentifier, the snapshot's user, database and key", async () => {
            const { instance } = await build("production", { snapshotIdentifier: "arn:aws:rds:us-east-1:123456789012:snapshot:dashboard-old-final", kmsKeyId: "alias/dashboard" });
            assert.deepEqual(
                Object.fromEntries(creationOnly.map((k) => [k, instance.inputs[k]])),
                { username: undefined, dbName: undefined, kmsKeyId: undefined, snapshotIdentifier: "arn:aws:rds:us-east-1:123456789012:snapshot:dashboard-old-final", restoreToPointInTime: undefined },
            );
            assert.equal(instance.inputs.manageMasterUserPassword, true);
            assert.equal(instance.inputs.storageEncrypted, true);
        });

        it("to the latest restorable time", async () => {
            const { instance } = await build("staging", { restoreToPointInTime: { sourceDbInstanceIdentifier: "dashboard-old" } });
            assert.deepEqual(instance.inputs.restoreToPointInTime, { sourceDbInstanceIdentifier: "dashboard-old", useLatestRestorableTime: true });
            assert.equal(instance.inputs.snapshotIdentifier, undefined);
            assert.equal(instance.inputs.username, undefined);
        });

        it("to a given time", async () => {
            const { instance } = await build("staging", { restoreToPointInTime: { sourceDbInstanceIdentifier: "dashboard-old", restoreTime: "2026-11-01T12:00:00Z" } });
            assert.deepEqual(instance.inputs.restoreToPointInTime, { sourceDbInstanceIdentifier: "dashboard-old", restoreTime: "2026-11-01T12:00:00Z" });
        });

        it("a new database sets neither", async () => {
            const { instance } = await build("production");
            assert.equal(instance.inputs.snapshotIdentifier, undefined);
            assert.equal(instance.inputs.restoreToPointInTime, undefined);
        });
    });

    describe("network access", () => {
        it("the security group has no rules of its own; allowFrom adds one on the engine port from the named group", async () => {
            const { run, db } = await build("production");
            const sg = run.get(SG, "db-sg");
            assert.deepEqual(sg.inputs, { vpcId: VPC, description: "Dashboard database: admits only the groups added by allowFrom" });
            assert.deepEqual(run.byType(INGRESS), []);
            assert.deepEqual(run.byType(EGRESS), []);

            const rule = db.allowFrom("app", "sg-0123456789abcdef0");
            await settle();
            const recorded = run.get(INGRESS, "db-from-app");
            assert.deepEqual(recorded.inputs, {
                securityGroupId: sg.id,
                referencedSecurityGroupId: "sg-0123456789abcdef0",
                ipProtocol: "tcp",
                fromPort: 3306,
                toPort: 3306,
                description: "Database from app",
            });
            assert.equal(recorded.parent, await valueOf(db.urn));
            assert.equal(await valueOf(rule.urn), recorded.urn);
            run.assertNoDuplicates();
        });

        it("postgres: the rule is on 5432", async () => {
            const { run, db } = await build("development", { engine: "postgres" });
            db.allowFrom("sideload", "sg-0fedcba9876543210");
            await settle();
            const rule = run.get(INGRESS, "db-from-sideload");
            assert.deepEqual([rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.ipProtocol], [5432, 5432, "tcp"]);
        });

        it("the subnet group uses the isolated subnets", async () => {
            const { run } = await build("development");
            assert.deepEqual(run.get("aws:rds/subnetGroup:SubnetGroup", "db-subnets").inputs, { subnetIds: SUBNETS, description: "Dashboard database: isolated subnets" });
        });
    });

    it("every child is parented to the component; the enhanced-monitoring role and its attachment to its nested Monitoring", async () => {
        const { run } = await build("production");
        const component = run.get("dashboard:database:Database", "db");
        const monitoring = run.get("dashboard:database:Monitoring", "db-monitoring");
        assert.equal(monitoring.parent, component.urn);
        const underMonitoring = run.resources.filter((r) => r.parent === monitoring.urn);
        assert.deepEqual(underMonitoring.map((r) => `${r.type}::${r.name}`).sort(), [
            "aws:iam/role:Role::db-monitoring",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::db-monitoring-policy",
        ]);
        const others = run.resources.filter((r) => r !== component && r.parent !== component.urn && r.parent !== monitoring.urn);
        assert.deepEqual(others.map((r) => `${r.type}::${r.name}`), []);
    });

    it("the instance waits for the monitoring role's policy attachment (through its Monitoring component)", async () => {
        const { run } = await build("production");
        const attachment = run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring-policy");
        assert.ok(run.get("aws:rds/instance:Instance", "db-instance").dependencies.includes(attachment.urn));
    });
});
