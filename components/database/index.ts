import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseConfig, RestoreToPointInTime } from "../../config/types";
import {
    DASHBOARD_MYSQL_PARAMETERS,
    ENGINE_INFO,
    parameterGroupFamily,
    supportsPerformanceInsights,
    type Engine,
} from "../../common/engines";

/**
 * Arguments of {@link Database}: the fully defaulted `database` config plus what
 * the network and the stack provide.
 */
export interface DatabaseArgs extends DatabaseConfig {
    /**
     * Database engine. Changing it replaces the instance: because the identifier is fixed for the
     * stack, the old one is deleted first (after its final snapshot), which Pulumi `protect` and
     * deletion protection refuse. To switch engines, migrate the data into a new stack instead.
     * @default "mariadb"
     */
    readonly engine: Engine;
    /**
     * Major version, one of the engine's supported versions in `components/engines.ts`. RDS picks
     * the newest minor version and upgrades minors automatically; raising it is a major version
     * upgrade in place (the parameter group, whose family follows the version, is replaced: the
     * new group is created first). Without `applyImmediately` (production) RDS upgrades in the
     * maintenance window and the old group cannot be deleted before then: that `pulumi up` reports
     * the failed deletion, and the next one after the window finishes it.
     * @default the engine's default version (MariaDB 11.4)
     */
    readonly version: string;
    /** RDS instance class; changed in place (in the maintenance window in production). @default "db.t4g.micro" (development) / "db.t4g.small" */
    readonly instanceClass: string;
    /** Initial storage, GB; RDS grows it, so lowering it later is ignored by the provider. @default 20 */
    readonly storageGb: number;
    /** Storage autoscaling limit, GB; below 110 % of `storageGb` autoscaling is off. @default 100 */
    readonly maxStorageGb: number;
    /** Standby in a second zone. @default false (development) / true */
    readonly multiAz: boolean;
    /** Days of automated backups kept. @default 7 / 14 (production) */
    readonly backupRetentionDays: number;
    /** Days between rotations of the managed master password. @default 30 */
    readonly passwordRotationDays: number;
    /** RDS deletion protection. @default false (development) / true */
    readonly deletionProtection: boolean;
    /**
     * Create the instance from this DB snapshot (identifier or ARN). Used only at creation and
     * ignored afterwards: removing or changing it never replaces the database. The snapshot must
     * be encrypted and its engine the same as `engine`; its master user and database come along.
     * @default none (a new, empty database)
     */
    readonly snapshotIdentifier?: string;
    /**
     * Create the instance as a point-in-time copy of another instance (no `restoreTime`: its latest
     * restorable time). Used only at creation and ignored afterwards.
     * @default none
     */
    readonly restoreToPointInTime?: RestoreToPointInTime;
    /**
     * Extra or overriding parameter-group settings. Known dynamic parameters apply at once, every
     * other one at the next reboot (`pending-reboot` is accepted for every parameter).
     * @default {}
     */
    readonly parameters: Readonly<Record<string, string>>;
    /**
     * KMS key for storage encryption (ARN, id or alias; resolved to the key ARN). Used only when the
     * instance is created (a restore keeps the snapshot's key) and ignored afterwards.
     * @default none (the AWS-managed `aws/rds` key)
     */
    readonly kmsKeyId?: string;
    /** Master user name, set at creation and ignored afterwards (a restore keeps the snapshot's). @default "dashboard_admin" */
    readonly masterUsername: string;
    /** Initial database, created with the instance and ignored afterwards. @default "dashboard" */
    readonly databaseName: string;
    /** Daily backup window, UTC. @default "02:00-03:00" */
    readonly backupWindow: string;
    /** Weekly maintenance window, UTC. @default "sun:03:30-sun:04:30" */
    readonly maintenanceWindow: string;
    /** Enhanced monitoring interval in seconds, 0 = off (no role is created). @default 0 / 60 (production) */
    readonly monitoringIntervalSeconds: number;
    /** Apply modifications at once instead of in the maintenance window. @default true / false (production) */
    readonly applyImmediately: boolean;
    /** VPC of the database's security group. Changing it replaces the group. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets of the subnet group (two or more zones). @default required */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Pulumi `protect` on the instance. @default required */
    readonly protect: boolean;
    /** Retention of the exported log groups, days. @default required */
    readonly logRetentionDays: number;
}

/** One entry of an RDS parameter group. */
export interface DbParameter {
    readonly name: string;
    readonly value: string;
    readonly applyMethod: "immediate" | "pending-reboot";
}

/**
 * Logging settings for MariaDB and MySQL without which the exported `slowquery`
 * log would stay empty (the slow query log is off by default) or land in a table.
 */
export const MYSQL_LOG_PARAMETERS: Readonly<Record<string, string>> = {
    slow_query_log: "1",
    log_output: "FILE",
};

/**
 * Parameters known to be dynamic, which may use the `immediate` apply method.
 * AWS rejects `immediate` for a static parameter but accepts `pending-reboot`
 * for every parameter, so anything not listed here waits for the next reboot.
 */
const DYNAMIC_PARAMETERS: Readonly<Record<"mysql" | "postgres", ReadonlySet<string>>> = {
    mysql: new Set([
        "require_secure_transport",
        "log_bin_trust_function_creators",
        "sql_mode",
        "slow_query_log",
        "long_query_time",
        "log_output",
        "log_queries_not_using_indexes",
        "general_log",
        "max_connections",
        "max_allowed_packet",
        "wait_timeout",
        "interactive_timeout",
        "innodb_lock_wait_timeout",
        "time_zone",
        "event_scheduler",
        "character_set_server",
        "collation_server",
    ]),
    postgres: new Set([
        "log_min_duration_statement",
        "log_statement",
        "log_lock_waits",
        "statement_timeout",
        "lock_timeout",
        "idle_in_transaction_session_timeout",
        "work_mem",
        "maintenance_work_mem",
        "random_page_cost",
        "track_io_timing",
    ]),
};

/**
 * The apply method of a parameter: `immediate` for known dynamic parameters,
 * `pending-reboot` for static ones (e.g. `lower_case_table_names`, which only
 * takes effect when the instance is created) and for any parameter not known.
 */
export function parameterApplyMethod(engine: Engine, name: string): DbParameter["applyMethod"] {
    const dynamic = DYNAMIC_PARAMETERS[engine === "postgres" ? "postgres" : "mysql"];
    return dynamic.has(name) ? "immediate" : "pending-reboot";
}

/**
 * The parameter-group entries of an engine, sorted by name: the TLS parameter,
 * for MariaDB/MySQL the dashboard's settings and the slow-log settings, then
 * `overrides` (which config validation stops from switching TLS off).
 */
export function databaseParameters(engine: Engine, overrides: Readonly<Record<string, string>>): DbParameter[] {
    const values = new Map<string, string>();
    const tls = ENGINE_INFO[engine].tlsParameter;
    values.set(tls.name, tls.value);
    if (engine !== "postgres") {
        for (const [k, v] of Object.entries(DASHBOARD_MYSQL_PARAMETERS)) values.set(k, v);
        for (const [k, v] of Object.entries(MYSQL_LOG_PARAMETERS)) values.set(k, v);
    }
    for (const [k, v] of Object.entries(overrides)) values.set(k, v);
    return [...values.keys()].sort().map((name) => ({ name, value: values.get(name) as string, applyMethod: parameterApplyMethod(engine, name) }));
}

/**
 * `maxAllocatedStorage` for a storage size and limit: RDS requires the limit to be
 * at least 10 % above the allocated storage, so a lower limit turns autoscaling off (0).
 */
export function storageAutoscalingLimit(storageGb: number, maxStorageGb: number): number {
    // In integers: 100 * 1.1 is 110.00000000000001 in floating point.
    return maxStorageGb * 10 >= storageGb * 11 ? maxStorageGb : 0;
}

/**
 * The storage an instance can grow to, GB: the autoscaling ceiling, or the allocated storage when
 * autoscaling is off. What the free-storage alarm measures against.
 */
export function storageCeilingGb(storageGb: number, maxStorageGb: number): number {
    const limit = storageAutoscalingLimit(storageGb, maxStorageGb);
    return limit > 0 ? limit : storageGb;
}

/** The DB instance identifier: `dashboard-` and the stack's random suffix. */
export function instanceIdentifier(suffix: string): string {
    return `dashboard-${suffix}`;
}

/** The final snapshot taken when the instance is deleted. */
export function finalSnapshotIdentifier(identifier: string): string {
    return `${identifier}-final`;
}

/** The log group RDS exports a log type of an instance to. */
export function rdsLogGroupName(identifier: string, logType: string): string {
    return `/aws/rds/instance/${identifier}/${logType}`;
}

/** How the instance is created: empty, from a snapshot, or from a point in time. */
export interface RestoreInputs {
    readonly snapshotIdentifier?: string;
    readonly restoreToPointInTime?: {
        readonly sourceDbInstanceIdentifier: string;
        readonly restoreTime?: string;
        readonly useLatestRestorableTime?: boolean;
    };
}

/** The instance's restore inputs; no `restoreTime` means the latest restorable time. */
export function restoreInputs(config: Pick<DatabaseConfig, "snapshotIdentifier" | "restoreToPointInTime">): RestoreInputs {
    if (config.snapshotIdentifier !== undefined) return { snapshotIdentifier: config.snapshotIdentifier };
    const pitr = config.restoreToPointInTime;
    if (pitr === undefined) return {};
    return {
        restoreToPointInTime:
            pitr.restoreTime === undefined
                ? { sourceDbInstanceIdentifier: pitr.sourceDbInstanceIdentifier, useLatestRestorableTime: true }
                : { sourceDbInstanceIdentifier: pitr.sourceDbInstanceIdentifier, restoreTime: pitr.restoreTime },
    };
}

/**
 * Instance inputs ignored after creation, so that no config change can replace
 * the database through them (each one forces a replacement in the provider):
 * - `snapshotIdentifier`, `restoreToPointInTime`: only mean something at creation;
 *   removing them once restored must not create a new, empty database.
 * - `username`, `dbName`, `kmsKeyId`: set at creation (or taken from the snapshot,
 *   which may differ from the config); a later change would recreate the instance.
 *
 * `engineVersion` is deliberately NOT ignored: it holds the major version only, and
 * with `autoMinorVersionUpgrade` the AWS provider treats a configured prefix such as
 * `11.4` as matching the running `11.4.5` (the running version is reported in
 * `engineVersionActual`), so minor upgrades never show as a diff while raising the
 * major version in config performs the upgrade.
 */
export const INSTANCE_IGNORE_CHANGES: readonly string[] = ["snapshotIdentifier", "restoreToPointInTime", "username", "dbName", "kmsKeyId"];

/** Trust policy of the enhanced-monitoring role: RDS monitoring, for this instance of this account only. */
export function monitoringAssumeRolePolicy(accountId: string, instanceArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": instanceArn } },
            },
        ],
    });
}

/** Performance Insights retention in days: 7 is the free tier. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** The CA that signs the instance's TLS certificate. */
export const CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";

/**
 * The dashboard's RDS instance: encrypted gp3 storage in isolated subnets,
 * TLS required by its parameter group, the master password managed by RDS in
 * Secrets Manager (never in Pulumi state) and rotated every
 * `passwordRotationDays`, a final snapshot that is unique per stack, and a
 * security group that admits only the groups given to {@link Database.allowFrom}.
 */
export class Database extends pulumi.ComponentResource {
    /** DNS name of the instance. */
    public readonly address: pulumi.Output<string>;
    /** Port of the engine. */
    public readonly port: pulumi.Output<number>;
    /** Engine name (`mariadb`, `postgres`, `mysql`). */
    public readonly engine: pulumi.Output<string>;
    /** The application's database (schema) name. */
    public readonly databaseName: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret (JSON with `username` and `password`); never its value. */
    public readonly secretArn: pulumi.Output<string>;
    /** The database's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The DB instance identifier. */
    public readonly instanceIdentifier: pulumi.Output<string>;
    /** The instance class, for alarms. */
    public readonly instanceClass: pulumi.Output<string>;
    /** Allocated storage in GB (grows with autoscaling), for alarms. */
    public readonly allocatedStorageGb: pulumi.Output<number>;

    private readonly componentName: string;
    private readonly enginePort: number;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:database:Database", name, {}, opts);
        this.componentName = name;
        const info = ENGINE_INFO[args.engine];
        this.enginePort = info.port;
        const family = parameterGroupFamily(args.engine, args.version);

        // Stable, unique per stack, and created once: the identifier, and from it the final snapshot.
        const suffix = new random.RandomString(
            `${name}-id`,
            { length: 8, lower: true, upper: false, numeric: true, special: false },
            { parent: this },
        );
        const identifier = suffix.result.apply(instanceIdentifier);

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "Dashboard database: admits only the groups added by allowFrom" },
            { parent: this },
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: "Dashboard database: isolated subnets" },
            { parent: this },
        );

        // Auto-named, so a family change (major upgrade) creates the new group before the old one goes.
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family,
                description: "Dashboard database: TLS required, application settings",
                parameters: databaseParameters(args.engine, args.parameters),
            },
            { parent: this },
        );

        const logGroups = info.logExports.map(
            (logType) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-log-${logType}`,
                    { name: identifier.apply((id) => rdsLogGroupName(id, logType)), retentionInDays: args.logRetentionDays },
                    { parent: this },
                ),
        );

        const dependsOn: pulumi.Resource[] = [...logGroups];
        let monitoringRoleArn: pulumi.Output<string> | undefined;
        if (args.monitoringIntervalSeconds > 0) {
            const partition = aws.getPartitionOutput({}, { parent: this }).partition;
            const region = aws.getRegionOutput({}, { parent: this }).region;
            const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
            const instanceArn = pulumi.interpolate`arn:${partition}:rds:${region}:${accountId}:db:${identifier}`;
            const role = new aws.iam.Role(
                `${name}-monitoring`,
                {
                    description: "RDS enhanced monitoring of the dashboard database",
                    assumeRolePolicy: pulumi.all([accountId, instanceArn]).apply(([account, arn]) => monitoringAssumeRolePolicy(account, arn)),
                },
                { parent: this },
            );
            const attachment = new aws.iam.RolePolicyAttachment(
                `${name}-monitoring-policy`,
                { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
                { parent: this },
            );
            dependsOn.push(attachment);
            monitoringRoleArn = role.arn;
        }

        const restore = restoreInputs(args);
        const restoring = restore.snapshotIdentifier !== undefined || restore.restoreToPointInTime !== undefined;
        // The RDS provider accepts only a key ARN; resolve ids and aliases.
        const kmsKeyArn =
            args.kmsKeyId === undefined || restoring ? undefined : aws.kms.getKeyOutput({ keyId: args.kmsKeyId }, { parent: this }).arn;
        const performanceInsights = supportsPerformanceInsights(args.engine, args.instanceClass);

        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: args.engine,
                // The major version only: RDS picks the newest minor and upgrades minors itself.
                engineVersion: args.version,
                autoMinorVersionUpgrade: true,
                // Acts only when `version` changes, which is always a major upgrade; also lets a
                // snapshot of an older major version be upgraded after the restore.
                allowMajorVersionUpgrade: true,
                instanceClass: args.instanceClass,
                port: info.port,
                storageType: "gp3",
                allocatedStorage: args.storageGb,
                maxAllocatedStorage: storageAutoscalingLimit(args.storageGb, args.maxStorageGb),
                storageEncrypted: true,
                kmsKeyId: kmsKeyArn,
                multiAz: args.multiAz,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [securityGroup.id],
                publiclyAccessible: false,
                parameterGroupName: parameterGroup.name,
                caCertIdentifier: CA_CERT_IDENTIFIER,
                // Creation-only settings; a restore brings its own master user and database.
                username: restoring ? undefined : args.masterUsername,
                dbName: restoring ? undefined : args.databaseName,
                manageMasterUserPassword: true,
                ...restore,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: args.backupWindow,
                maintenanceWindow: args.maintenanceWindow,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: args.deletionProtection,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: identifier.apply(finalSnapshotIdentifier),
                enabledCloudwatchLogsExports: [...info.logExports],
                performanceInsightsEnabled: performanceInsights,
                performanceInsightsRetentionPeriod: performanceInsights ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : undefined,
                monitoringInterval: args.monitoringIntervalSeconds,
                monitoringRoleArn,
                applyImmediately: args.applyImmediately,
            },
            { parent: this, protect: args.protect, dependsOn, ignoreChanges: [...INSTANCE_IGNORE_CHANGES] },
        );

        const secretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets[0]?.secretArn;
            if (arn === undefined || arn === "") throw new Error(`${name}: RDS reported no managed master user secret`);
            return arn;
        });

        // RDS sets a 7-day schedule on its managed secret; this replaces it. Managed rotation needs no Lambda.
        new aws.secretsmanager.SecretRotation(
            `${name}-secret-rotation`,
            { secretId: secretArn, rotationRules: { automaticallyAfterDays: args.passwordRotationDays }, rotateImmediately: false },
            { parent: this },
        );

        this.address = instance.address;
        this.port = instance.port;
        this.engine = instance.engine;
        this.databaseName = pulumi.output(args.databaseName);
        this.secretArn = secretArn;
        this.securityGroupId = securityGroup.id;
        this.instanceIdentifier = instance.identifier;
        this.instanceClass = instance.instanceClass;
        this.allocatedStorageGb = instance.allocatedStorage;

        this.registerOutputs({
            address: this.address,
            port: this.port,
            engine: this.engine,
            databaseName: this.databaseName,
            secretArn: this.secretArn,
            securityGroupId: this.securityGroupId,
            instanceIdentifier: this.instanceIdentifier,
            instanceClass: this.instanceClass,
            allocatedStorageGb: this.allocatedStorageGb,
        });
    }

    /**
     * Admits `securityGroupId` on the engine's port: an ingress rule named
     * `<database>-from-<name>`, created as the database's child.
     */
    public allowFrom(name: string, securityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
            `${this.componentName}-from-${name}`,
            {
                securityGroupId: this.securityGroupId,
                referencedSecurityGroupId: securityGroupId,
                ipProtocol: "tcp",
                fromPort: this.enginePort,
                toPort: this.enginePort,
                description: `Database from ${name}`,
            },
            { parent: this },
        );
    }
}
