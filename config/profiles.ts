/** The safety profiles of a stack. */
export const ENVIRONMENTS = ["development", "staging", "production"] as const;
/** The safety profile of a stack. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** How private subnets reach the internet. */
export const NAT_GATEWAYS = ["none", "single", "onePerAz", "instance"] as const;
/** How private subnets reach the internet (`instance`: a NAT instance, see {@link NAT_INSTANCE_TYPES}). */
export type NatGateways = (typeof NAT_GATEWAYS)[number];

/** The defaults that differ between environments. */
export interface Profile {
    readonly availabilityZones: number;
    readonly natGateways: NatGateways;
    readonly instanceClass: string;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly monitoringIntervalSeconds: number;
    readonly applyImmediately: boolean;
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    readonly protect: boolean;
    readonly logRetentionDays: number;
    /** ECS Container Insights on the Fargate platform's cluster. */
    readonly containerInsights: boolean;
    /** The stack's CloudWatch dashboard ($3 a month beyond an account's first three). */
    readonly cloudwatchDashboard: boolean;
}

/**
 * Environment profiles. Development is the cheapest useful stack; staging has
 * production's shape (two of everything) at lower cost; production is the safe one.
 */
export const PROFILES: Readonly<Record<Environment, Profile>> = {
    development: {
        availabilityZones: 2,
        natGateways: "instance",
        instanceClass: "db.t4g.micro",
        multiAz: false,
        backupRetentionDays: 7,
        deletionProtection: false,
        monitoringIntervalSeconds: 0,
        applyImmediately: true,
        minSize: 1,
        desiredSize: 1,
        maxSize: 2,
        protect: false,
        logRetentionDays: 14,
        containerInsights: false,
        cloudwatchDashboard: false,
    },
    staging: {
        availabilityZones: 2,
        natGateways: "instance",
        instanceClass: "db.t4g.small",
        multiAz: true,
        backupRetentionDays: 7,
        deletionProtection: true,
        monitoringIntervalSeconds: 0,
        applyImmediately: true,
        minSize: 2,
        desiredSize: 2,
        maxSize: 4,
        protect: false,
        logRetentionDays: 30,
        containerInsights: false,
        cloudwatchDashboard: true,
    },
    production: {
        availabilityZones: 3,
        natGateways: "onePerAz",
        instanceClass: "db.t4g.small",
        multiAz: true,
        backupRetentionDays: 14,
        deletionProtection: true,
        monitoringIntervalSeconds: 60,
        applyImmediately: false,
        minSize: 2,
        desiredSize: 2,
        maxSize: 4,
        protect: true,
        logRetentionDays: 365,
        containerInsights: true,
        cloudwatchDashboard: true,
    },
};

/** Defaults shared by every environment. */
export const COMMON_DEFAULTS = {
    network: { cidr: "10.0.0.0/16", interfaceEndpoints: [] as string[], flowLogs: true, natInstance: { instanceType: "t4g.nano", perZone: false } },
    database: {
        storageGb: 20,
        maxStorageGb: 100,
        passwordRotationDays: 30,
        masterUsername: "dashboard_admin",
        databaseName: "dashboard",
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
    },
    app: {
        instanceType: "t3a.medium",
        port: 8224,
        healthCheckPath: "/",
        scaleOutCpuPercent: 70,
        scaleInCpuPercent: 20,
        volumeGb: 15,
        rootDeviceName: "/dev/xvda",
        stickinessSeconds: 86400,
        services: [],
        logFiles: ["/var/panintelligence/logs/*.log"],
        envFile: {
            path: "/var/panintelligence/dashboard.env",
            extraPaths: ["/var/panintelligence/scheduler.env"],
            names: {
                host: "PI_DB_HOST",
                port: "PI_DB_PORT",
                username: "PI_DB_USERNAME",
                password: "PI_DB_PASSWORD",
                database: "PI_DB_SCHEMA_NAME",
                engine: "PI_DB_ENGINE",
                licence: "PI_LICENCE",
            },
            static: { PI_EXTERNAL_DB: "true" },
            owner: "pi-user",
        },
    },
    ingress: { allowedCidrs: ["0.0.0.0/0"] },
    sideload: {
        folders: ["images", "themes", "excel-data"],
        directories: { "excel-data": "excel" } as Record<string, string>,
        mountPath: "/var/dashboard/content",
        uid: 1000,
        gid: 1000,
    },
    statusPage: { enabled: false, checkIntervalMinutes: 1 },
} as const;

/** The SSM parameter of the latest Amazon Linux 2023 image for an instance type's architecture. */
export function defaultAmi(instanceType: string): string {
    const arch = isGraviton(instanceType) ? "arm64" : "x86_64";
    return `ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

/** Graviton (arm64) families carry a `g` after the generation digit: t4g, m7g, c7gn, r8gd. */
export function isGraviton(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Upload folders that may never be written from the bucket (the app's keys, logs and svg). */
export const FORBIDDEN_FOLDERS: readonly string[] = ["keys", "logs", "svg"];

/** Interface endpoints the app servers need when there is no NAT gateway. */
export const ENDPOINTS_REQUIRED_WITHOUT_NAT: readonly string[] = [
    "secretsmanager",
    "ssm",
    "ssmmessages",
    "ec2messages",
    "logs",
    "monitoring",
];

/**
 * Instance types a NAT instance may run on: Graviton (the image is Amazon Linux 2023 arm64), with
 * ENA networking of "up to 5 Gigabit" or more. The t4g family bursts to 5 Gbps on a baseline of a
 * few hundred Mbps, enough for a development or staging stack's licence checks and package
 * downloads; c6gn/c7gn are the network-optimised ones for more. Anything else (x86 types, which the
 * arm64 image cannot boot, a1 and older families) is refused with this list in the error.
 */
export const NAT_INSTANCE_TYPES: readonly string[] = [
    "t4g.nano", "t4g.micro", "t4g.small", "t4g.medium", "t4g.large", "t4g.xlarge", "t4g.2xlarge",
    "c7g.medium", "c7g.large", "m7g.medium", "m7g.large",
    "c6gn.medium", "c6gn.large", "c6gn.xlarge", "c7gn.medium", "c7gn.large", "c7gn.xlarge",
];
