import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ENGINE_INFO, parameterGroupFamily, supportsPerformanceInsights } from "../../common/engines";
import type { DatabaseArgs } from "./args";
import {
    CA_CERT_IDENTIFIER,
    finalSnapshotIdentifier,
    INSTANCE_IGNORE_CHANGES,
    instanceIdentifier,
    PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    rdsLogGroupName,
    restoreInputs,
    storageAutoscalingLimit,
} from "./instanceInputs";
import { DatabaseMonitoring } from "./monitoring";
import { databaseParameters } from "./parameters";

export { storageCeilingGb } from "./instanceInputs";
export { type DatabaseArgs } from "./args";

/** What the instance is built from: the identifier and the parts the constructor created first. */
interface InstanceParts {
    readonly identifier: pulumi.Output<string>;
    readonly subnetGroupName: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly parameterGroupName: pulumi.Output<string>;
    readonly monitoringRoleArn?: pulumi.Output<string>;
    readonly dependsOn: pulumi.Resource[];
}

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
        const parameterGroup = this.createParameterGroup(name, args);
        const logGroups = this.createLogGroups(name, args, identifier);
        const monitoring =
            args.monitoringIntervalSeconds > 0 ? new DatabaseMonitoring(`${name}-monitoring`, { instanceIdentifier: identifier }, { parent: this }) : undefined;

        const instance = this.createInstance(name, args, {
            identifier,
            subnetGroupName: subnetGroup.name,
            securityGroupId: securityGroup.id,
            parameterGroupName: parameterGroup.name,
            monitoringRoleArn: monitoring?.roleArn,
            dependsOn: monitoring === undefined ? logGroups : [...logGroups, monitoring],
        });
        const secretArn = this.createSecretRotation(name, args, instance);

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

    /** Auto-named, so a family change (major upgrade) creates the new group before the old one goes. */
    private createParameterGroup(name: string, args: DatabaseArgs): aws.rds.ParameterGroup {
        return new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: parameterGroupFamily(args.engine, args.version),
                description: "Dashboard database: TLS required, application settings",
                parameters: databaseParameters(args.engine, args.parameters),
            },
            { parent: this },
        );
    }

    /** The log groups RDS exports to, created first so that their retention applies. */
    private createLogGroups(name: string, args: DatabaseArgs, identifier: pulumi.Output<string>): aws.cloudwatch.LogGroup[] {
        return ENGINE_INFO[args.engine].logExports.map(
            (logType) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-log-${logType}`,
                    { name: identifier.apply((id) => rdsLogGroupName(id, logType)), retentionInDays: args.logRetentionDays },
                    { parent: this },
                ),
        );
    }

    /** The instance; its name, parent and inputs are what tests/replacement.test.ts guards. */
    private createInstance(name: string, args: DatabaseArgs, parts: InstanceParts): aws.rds.Instance {
        const info = ENGINE_INFO[args.engine];
        const restore = restoreInputs(args);
        const restoring = restore.snapshotIdentifier !== undefined || restore.restoreToPointInTime !== undefined;
        // The RDS provider accepts only a key ARN; resolve ids and aliases.
        const kmsKeyArn =
            args.kmsKeyId === undefined || restoring ? undefined : aws.kms.getKeyOutput({ keyId: args.kmsKeyId }, { parent: this }).arn;
        const performanceInsights = supportsPerformanceInsights(args.engine, args.instanceClass);

        return new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier: parts.identifier,
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
                dbSubnetGroupName: parts.subnetGroupName,
                vpcSecurityGroupIds: [parts.securityGroupId],
                publiclyAccessible: false,
                parameterGroupName: parts.parameterGroupName,
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
                finalSnapshotIdentifier: parts.identifier.apply(finalSnapshotIdentifier),
                enabledCloudwatchLogsExports: [...info.logExports],
                performanceInsightsEnabled: performanceInsights,
                performanceInsightsRetentionPeriod: performanceInsights ? PERFORMANCE_INSIGHTS_RETENTION_DAYS : undefined,
                monitoringInterval: args.monitoringIntervalSeconds,
                monitoringRoleArn: parts.monitoringRoleArn,
                applyImmediately: args.applyImmediately,
            },
            { parent: this, protect: args.protect, dependsOn: parts.dependsOn, ignoreChanges: [...INSTANCE_IGNORE_CHANGES] },
        );
    }

    /** RDS sets a 7-day schedule on its managed secret; this replaces it. Managed rotation needs no Lambda. */
    private createSecretRotation(name: string, args: DatabaseArgs, instance: aws.rds.Instance): pulumi.Output<string> {
        const secretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets[0]?.secretArn;
            if (arn === undefined || arn === "") throw new Error(`${name}: RDS reported no managed master user secret`);
            return arn;
        });
        new aws.secretsmanager.SecretRotation(
            `${name}-secret-rotation`,
            { secretId: secretArn, rotationRules: { automaticallyAfterDays: args.passwordRotationDays }, rotateImmediately: false },
            { parent: this },
        );
        return secretArn;
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
