import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig, validateConfig } from "../../config";
import type { RawObject } from "../../config/kit";
import { didYouMean } from "../../config/problems";
import { loadStackConfig, startMocks, valueOf } from "../mocks";

/** The dashboard's container on the stock image: the smallest config that runs something. */
const CONTAINER = { container: { image: "registry.example.com/dashboard:2026.11" } } as const;
const BASE = { customer: "acme", environment: "development", app: CONTAINER } as const;
/** The interface endpoints every stack without NAT needs. */
const NO_NAT_ENDPOINTS = ["secretsmanager", "ssm", "ssmmessages", "ec2messages", "logs", "monitoring"] as const;
/** The dashboard's container pushed to the stack account's private ECR. */
const ECR_CONTAINER = { container: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/dashboard:2026.11" } } as const;
/** A registry-credentials secret (ghcr needs them). */
const REGISTRY_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pi-cr-AbCdEf";
/** The vendor's containers on Fargate, the smallest config. */
const FARGATE = { customer: "acme", environment: "development", app: { platform: "fargate", containers: { tag: "2025_10.1", registryCredentials: REGISTRY_SECRET } } } as const;
const PROD_OK = {
    customer: "acme",
    environment: "production",
    app: CONTAINER,
    domain: { name: "dashboard.acme.example.com", hostedZone: "acme.example.com" },
    alerts: { emails: ["ops@acme.example.com"] },
} as const;

/** Problems of a raw config, as formatted lines. */
function problemsOf(raw: RawObject, secretKeys: string[] = []): string[] {
    const result = validateConfig(raw, new Set(secretKeys));
    return result.problems.map((p) => `dashboard:${p.path}: ${p.message} (${p.fix})`);
}

/** [description, raw config, expected key path, expected gist of the message] */
const INVALID: Array<[string, RawObject, string, RegExp]> = [
    ["missing customer", { environment: "development" }, "customer", /is required.*pulumi config set dashboard:customer/],
    ["missing environment", { customer: "acme" }, "environment", /is required.*one of development, staging, production/],
    ["customer with upper case", { ...BASE, customer: "Acme" }, "customer", /"Acme" is not valid/],
    ["customer too short", { ...BASE, customer: "a" }, "customer", /"a" is not valid.*2–31 characters/],
    ["customer starting with a digit", { ...BASE, customer: "1acme" }, "customer", /not valid/],
    ["unknown environment", { ...BASE, environment: "prod" }, "environment", /"prod" is not one of development, staging, production/],
    ["unknown top-level key", { ...BASE, databse: {} }, "databse", /unknown key \(did you mean "database"\?\)/],
    ["unknown nested key, case slip", { ...BASE, app: { instancetype: "t3.large" } }, "app.instancetype", /unknown key \(did you mean "instanceType"\?\)/],
    ["unknown nested key, no near miss", { ...BASE, network: { colour: "red" } }, "network.colour", /unknown key \(remove it; known keys here: cidr,/],
    ["unknown key two levels down", { ...BASE, app: { envFile: { names: { hots: "X" } } } }, "app.envFile.names.hots", /did you mean "host"/],
    ["malformed CIDR", { ...BASE, network: { cidr: "10.0.0/16" } }, "network.cidr", /not a valid IPv4 CIDR block/],
    ["CIDR with host bits", { ...BASE, network: { cidr: "10.0.0.1/16" } }, "network.cidr", /not a valid IPv4 CIDR block.*host bits zero/],
    ["VPC CIDR too large", { ...BASE, network: { cidr: "10.0.0.0/8" } }, "network.cidr", /\/8 is outside \/16–\/24/],
    ["VPC CIDR too small", { ...BASE, network: { cidr: "10.0.0.0/26" } }, "network.cidr", /\/26 is outside \/16–\/24/],
    ["cidr together with vpcId", { ...BASE, network: { cidr: "10.0.0.0/16", vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) } }, "network.cidr", /cannot be given together with network.vpcId/],
    ["existing network without a tier", { ...BASE, network: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s) } }, "network.isolatedSubnetIds", /is required for an existing network/],
    ["existing network with one subnet in a tier", { ...BASE, network: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) } }, "network.privateSubnetIds", /has 1 subnet, needs at least 2/],
    ["subnet ids without vpcId", { ...BASE, network: { publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) } }, "network.vpcId", /is required when subnet ids are given/],
    ["malformed subnet id", { ...BASE, network: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-XYZ", s("subnet-0b")], privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) } }, "network.publicSubnetIds[0]", /"subnet-XYZ" is not valid/],
    ["one AZ", { ...BASE, network: { availabilityZones: 1 } }, "network.availabilityZones", /1 is outside 2–3/],
    ["four AZs", { ...BASE, network: { availabilityZones: 4 } }, "network.availabilityZones", /4 is outside 2–3/],
    ["unknown NAT strategy", { ...BASE, network: { natGateways: "perAz" } }, "network.natGateways", /"perAz" is not one of none, single, onePerAz, instance \(did you mean "onePerAz"\?\)/],
    ["production with a NAT instance", { ...PROD_OK, network: { natGateways: "instance" } }, "network.natGateways", /^dashboard:network\.natGateways: production needs NAT gateways \(onePerAz\).*\(set network\.natGateways to onePerAz, or set dashboard:allowUnsafeProduction to true to accept the risk\)$/],
    ["NAT instance on an x86 type", { ...BASE, network: { natInstance: { instanceType: "t3.micro" } } }, "network.natInstance.instanceType", /"t3\.micro" is not an accepted NAT instance type: a NAT instance needs a Graviton type .* ENA networking of up to 5 Gbps or more \(use one of t4g\.nano, t4g\.micro, .*c7gn\.xlarge\)/],
    ["NAT instance on a first-generation Graviton", { ...BASE, network: { natGateways: "instance", natInstance: { instanceType: "a1.medium" } } }, "network.natInstance.instanceType", /"a1\.medium" is not an accepted NAT instance type.*use one of t4g\.nano/],
    ["NAT instance settings with NAT gateways", { ...BASE, network: { natGateways: "single", natInstance: { perZone: true } } }, "network.natInstance", /applies only with natGateways: instance, got natGateways: single \(remove network\.natInstance, or set network\.natGateways to instance\)/],
    ["NAT instance settings with an existing network", { ...BASE, network: { natInstance: { perZone: true }, vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) } }, "network.natInstance", /cannot be given together with network.vpcId/],
    ["unknown NAT instance key", { ...BASE, network: { natInstance: { perAz: true } } }, "network.natInstance.perAz", /unknown key \(remove it; known keys here: instanceType, perZone\)/],
    ["NAT instance perZone not a boolean", { ...BASE, network: { natInstance: { perZone: "yes" } } }, "network.natInstance.perZone", /must be true or false, got "yes"/],
    ["no NAT without endpoints", { ...BASE, network: { natGateways: "none" } }, "network.interfaceEndpoints", /without NAT gateways the app servers need interface endpoints for secretsmanager, ssm, ssmmessages, ec2messages, logs, monitoring/],
    ["no NAT with the vendor image (AMI mode)", { ...BASE, app: { ami: "ami-0123456789abcdef0" }, network: { natGateways: "none", interfaceEndpoints: [...NO_NAT_ENDPOINTS] } }, "network.natGateways", /^dashboard:network\.natGateways: is none, but the vendor's image \(AMI mode\) installs packages from Ubuntu's mirrors at boot and its licence manager needs the internet \(set network\.natGateways to "single" \(or "onePerAz"\)\)$/],
    ["no NAT with a container from a public registry", { ...BASE, network: { natGateways: "none", interfaceEndpoints: [...NO_NAT_ENDPOINTS] } }, "network.natGateways", /^dashboard:network\.natGateways: is none, but the container image registry\.example\.com\/dashboard:2026\.11 is pulled from a registry on the internet \(set network\.natGateways to "single", or push the image to ECR \(<account>\.dkr\.ecr\.<region>\.amazonaws\.com\/…\) and add ecr\.api, ecr\.dkr to network\.interfaceEndpoints \(the s3 gateway endpoint exists\)\)$/],
    ["no NAT with a container from ECR Public", { ...BASE, app: { container: { image: "public.ecr.aws/globex/dashboard:2026.11" } }, network: { natGateways: "none", interfaceEndpoints: [...NO_NAT_ENDPOINTS] } }, "network.natGateways", /the container image public\.ecr\.aws\/globex\/dashboard:2026\.11 is pulled from a registry on the internet/],
    ["no NAT with a container from ECR but no ECR endpoints", { ...BASE, app: ECR_CONTAINER, network: { natGateways: "none", interfaceEndpoints: [...NO_NAT_ENDPOINTS] } }, "network.interfaceEndpoints", /^dashboard:network\.interfaceEndpoints: without NAT gateways the app servers need interface endpoints for ecr\.api, ecr\.dkr \(add ecr\.api, ecr\.dkr to network\.interfaceEndpoints, or set network\.natGateways to "single"\)$/],
    ["sideload reservation above 1000", { ...BASE, sideload: { reservedConcurrency: 1001 } }, "sideload.reservedConcurrency", /1001 is outside 0–1000/],
    ["negative sideload reservation", { ...BASE, sideload: { reservedConcurrency: -1 } }, "sideload.reservedConcurrency", /-1 is outside 0–1000/],
    ["status page reservation above 1000", { ...BASE, statusPage: { reservedConcurrency: 5000 } }, "statusPage.reservedConcurrency", /5000 is outside 0–1000/],
    ["unsupported engine", { ...BASE, database: { engine: "oracle" } }, "database.engine", /"oracle" is not one of mariadb, postgres, mysql/],
    ["unsupported version", { ...BASE, database: { engine: "postgres", version: "12" } }, "database.version", /postgres 12 is not supported \(use one of 15, 16, 17/],
    ["unsupported mariadb version", { ...BASE, database: { version: "10.4" } }, "database.version", /mariadb 10.4 is not supported \(use one of 10.11, 11.4, 11.8/],
    ["instance class not db.*", { ...BASE, database: { instanceClass: "t4g.micro" } }, "database.instanceClass", /"t4g.micro" is not valid/],
    ["storage below 20 GB", { ...BASE, database: { storageGb: 10 } }, "database.storageGb", /10 GB is outside 20–65536 GB/],
    ["max storage below storage", { ...BASE, database: { storageGb: 50, maxStorageGb: 40 } }, "database.maxStorageGb", /40 GB is below storageGb \(50 GB\)/],
    ["max storage less than 10 % above storage", { ...BASE, database: { storageGb: 100, maxStorageGb: 105 } }, "database.maxStorageGb", /105 GB is less than 10 % above storageGb \(100 GB\) \(set it to 100 \(no autoscaling\) or 110 or more\)/],
    ["a version named like an object property", { ...BASE, database: { version: "toString" } }, "database.version", /mariadb toString is not supported/],
    ["retention 0 days", { ...BASE, database: { backupRetentionDays: 0 } }, "database.backupRetentionDays", /0 days is outside 1–35 days/],
    ["retention 36 days", { ...BASE, database: { backupRetentionDays: 36 } }, "database.backupRetentionDays", /36 days is outside 1–35 days/],
    ["rotation 400 days", { ...BASE, database: { passwordRotationDays: 400 } }, "database.passwordRotationDays", /400 days is outside 1–365 days/],
    ["storage as text", { ...BASE, database: { storageGb: "lots" } }, "database.storageGb", /must be a whole number, got "lots"/],
    ["snapshot and point in time together", { ...BASE, database: { snapshotIdentifier: "old-snap", restoreToPointInTime: { sourceDbInstanceIdentifier: "old-db" } } }, "database.restoreToPointInTime", /cannot be combined with database.snapshotIdentifier/],
    ["TLS switched off by a parameter", { ...BASE, database: { parameters: { require_secure_transport: "0" } } }, "database.parameters.require_secure_transport", /would allow unencrypted connections/],
    ["minSize above desiredSize", { ...BASE, app: { minSize: 3, desiredSize: 2, maxSize: 4 } }, "app.minSize", /3 is above desiredSize \(2\)/],
    ["desiredSize above maxSize", { ...BASE, app: { minSize: 1, desiredSize: 5, maxSize: 4 } }, "app.desiredSize", /5 is above maxSize \(4\)/],
    ["scale-in not below scale-out", { ...BASE, app: { scaleOutCpuPercent: 50, scaleInCpuPercent: 50 } }, "app.scaleInCpuPercent", /50% is not below scaleOutCpuPercent \(50%\)/],
    ["threshold 100 %", { ...BASE, app: { scaleOutCpuPercent: 100 } }, "app.scaleOutCpuPercent", /100% is outside 1–99%/],
    ["threshold 0 %", { ...BASE, app: { scaleInCpuPercent: 0 } }, "app.scaleInCpuPercent", /0% is outside 1–99%/],
    ["port 0", { ...BASE, app: { port: 0 } }, "app.port", /0 is outside 1–65535/],
    ["port 70000", { ...BASE, app: { port: 70000 } }, "app.port", /70000 is outside 1–65535/],
    ["port 22", { ...BASE, app: { port: 22 } }, "app.port", /22 is the SSH port/],
    ["bad AMI", { ...BASE, app: { ami: "ubuntu-20.04" } }, "app.ami", /"ubuntu-20.04" is not valid \(use an AMI id/],
    ["licence key in plain text", { ...BASE, app: { licenceKey: "LIC-123" } }, "app.licenceKey", /is set in plain text \(.*pulumi config set --secret --path app.licenceKey/],
    ["container without image", { ...BASE, app: { container: { env: { A: "1" } } } }, "app.container.image", /is required/],
    ["neither an image nor a container", { customer: "acme", environment: "development" }, "app", /runs nothing: the default image is stock Amazon Linux 2023.*set app.ami to the vendor's dashboard image/],
    ["root device that is not a device", { ...BASE, app: { ...CONTAINER, rootDeviceName: "sda1" } }, "app.rootDeviceName", /"sda1" is not valid/],
    ["production without domain", { ...PROD_OK, domain: undefined }, "domain", /production needs a domain.*allowUnsafeProduction/],
    ["production single-AZ database", { ...PROD_OK, database: { multiAz: false } }, "database.multiAz", /production needs a Multi-AZ database/],
    ["production with 3-day backups", { ...PROD_OK, database: { backupRetentionDays: 3 } }, "database.backupRetentionDays", /production needs at least 7 days of backups, got 3/],
    ["production without deletion protection", { ...PROD_OK, database: { deletionProtection: false } }, "database.deletionProtection", /production needs deletion protection/],
    ["production without protect", { ...PROD_OK, protect: "false" }, "protect", /production needs Pulumi protect/],
    ["production without alerts", { ...PROD_OK, alerts: undefined }, "alerts", /production needs alert recipients/],
    ["production with one app server", { ...PROD_OK, app: { minSize: 1, desiredSize: 1 } }, "app.minSize", /production needs at least 2 app servers/],
    ["malformed email", { ...BASE, alerts: { emails: ["ops-at-acme"] } }, "alerts.emails[0]", /"ops-at-acme" is not valid/],
    ["malformed domain name", { ...BASE, domain: { name: "Dashboard_Acme", hostedZone: "acme.example.com" } }, "domain.name", /"Dashboard_Acme" is not valid/],
    ["domain outside its zone", { ...BASE, domain: { name: "dashboard.other.example.com", hostedZone: "acme.example.com" } }, "domain.name", /is not inside the hosted zone acme.example.com/],
    ["domain without zone", { ...BASE, domain: { name: "dashboard.acme.example.com" } }, "domain.hostedZone", /is required/],
    ["malformed certificate ARN", { ...BASE, domain: { name: "d.acme.example.com", hostedZone: "acme.example.com", certificateArn: "cert-1" } }, "domain.certificateArn", /"cert-1" is not valid/],
    ["malformed allowed CIDR", { ...BASE, ingress: { allowedCidrs: ["203.0.113.0/33"] } }, "ingress.allowedCidrs[0]", /not a valid IPv4 CIDR block/],
    ["sideload folder with capitals", { ...BASE, sideload: { folders: ["Images"] } }, "sideload.folders[0]", /"Images" is not valid/],
    ["sideload folder listed twice", { ...BASE, sideload: { folders: ["images", "images"] } }, "sideload.folders[1]", /"images" is listed twice/],
    ["sideload folder that writes the app's keys", { ...BASE, sideload: { folders: ["images", "keys"] } }, "sideload.folders[1]", /"keys" would let the bucket write the app's keys directory/],
    ["relative mount path", { ...BASE, sideload: { mountPath: "content" } }, "sideload.mountPath", /"content" is not valid \(use an absolute path/],
    ["root uid for the access point", { ...BASE, sideload: { uid: 0 } }, "sideload.uid", /0 is outside 1–4294967294/],
    ["status page without NAT", { ...BASE, statusPage: { enabled: true }, network: { natGateways: "none", interfaceEndpoints: ["secretsmanager", "ssm", "ssmmessages", "ec2messages", "logs", "monitoring"] } }, "statusPage.enabled", /needs a NAT gateway to reach the site/],
    ["log retention CloudWatch refuses", { ...BASE, logRetentionDays: 45 }, "logRetentionDays", /45 is not a retention CloudWatch Logs accepts/],
    ["object given as a string", { ...BASE, network: "10.0.0.0/16" }, "network", /must be an object, got "10.0.0.0\/16"/],
    ["boolean given as a word", { ...BASE, protect: "yes" }, "protect", /must be true or false, got "yes"/],
    ["a restore time that is not RFC 3339", { ...BASE, database: { restoreToPointInTime: { sourceDbInstanceIdentifier: "old-db", restoreTime: "yesterday" } } }, "database.restoreToPointInTime.restoreTime", /"yesterday" is not valid \(use an RFC 3339 time/],
    ["a restore without its source", { ...BASE, database: { restoreToPointInTime: { restoreTime: "2026-11-01T12:00:00Z" } } }, "database.restoreToPointInTime.sourceDbInstanceIdentifier", /is required \(name the instance to restore from\)/],
    ["an unknown key in a restore", { ...BASE, database: { restoreToPointInTime: { sourceDbInstanceIdentifier: "old-db", restoreTimes: "x" } } }, "database.restoreToPointInTime.restoreTimes", /did you mean "restoreTime"/],
    ["a version given as a list", { ...BASE, database: { version: ["11.4"] } }, "database.version", /must be a string \(quote the version/],
    ["a parameter value that is a map", { ...BASE, database: { parameters: { max_connections: { a: 1 } } } }, "database.parameters.max_connections", /must be a string, got an object/],
    ["an env-file variable name with a dash", { ...BASE, app: { ...CONTAINER, envFile: { names: { host: "DB-HOST" } } } }, "app.envFile.names.host", /"DB-HOST" is not valid/],
    ["a container variable name with a space", { ...BASE, app: { container: { image: "registry.example.com/dashboard:2026.11", env: { "A B": "1" } } } }, "app.container.env.A B", /"A B" is not a valid name/],
    ["a check interval of 0 minutes", { ...BASE, statusPage: { checkIntervalMinutes: 0 } }, "statusPage.checkIntervalMinutes", /0 min is outside 1–60 min/],
    ["a status title over 100 characters", { ...BASE, statusPage: { title: "x".repeat(101) } }, "statusPage.title", /is not valid \(use 1–100 characters\)/],
    ["two folders in one directory", { ...BASE, sideload: { folders: ["images", "pictures"], directories: { pictures: "images" } } }, "sideload.directories.pictures", /maps to "images" like images/],
    ["a directory for a folder not listed", { ...BASE, sideload: { directories: { videos: "video" } } }, "sideload.directories.videos", /"videos" is not in sideload.folders/],
    ["alerts without addresses", { ...BASE, alerts: {} }, "alerts.emails", /is empty \(list at least one address/],
    ["an empty ingress list", { ...BASE, ingress: { allowedCidrs: [] } }, "ingress.allowedCidrs", /is empty, so nobody could reach the load balancer/],
    ["a hosted zone that is neither name nor id", { ...BASE, domain: { name: "d.acme.example.com", hostedZone: "acme_zone" } }, "domain.hostedZone", /"acme_zone" is neither a zone name nor a zone id/],
    ["a number given as a fraction", { ...BASE, app: { ...CONTAINER, maxSize: 2.5 } }, "app.maxSize", /must be a whole number, got 2.5/],
    ["a Fargate CPU/memory pair Fargate refuses", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { dashboard: { cpu: 1024, memory: 1024 } } } } }, "app.containers.services.dashboard.memory", /^dashboard:app\.containers\.services\.dashboard\.memory: 1024 MiB does not go with 1024 CPU on Fargate \(use one of the pairs Fargate accepts: 256 CPU: 512, 1024 or 2048 MiB; 512 CPU: 1024–4096 MiB in steps of 1024; 1024 CPU: 2048–8192 MiB in steps of 1024; 2048 CPU: 4096–16384 MiB in steps of 1024; 4096 CPU: 8192–30720 MiB in steps of 1024; 8192 CPU: 16384–61440 MiB in steps of 4096; 16384 CPU: 32768–122880 MiB in steps of 8192\)$/],
    ["a Fargate CPU size that does not exist", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { renderer: { cpu: 768 } } } } }, "app.containers.services.renderer.cpu", /768 is not a Fargate CPU size \(use one of 256, 512, 1024, 2048, 4096, 8192, 16384\)/],
    ["Fargate without a tag", { ...FARGATE, app: { platform: "fargate", containers: { registryCredentials: REGISTRY_SECRET } } }, "app.containers.tag", /is required \(set the vendor's release tag, e.g. 2025_10.1\)/],
    ["latest in production", { ...PROD_OK, app: { platform: "fargate", containers: { tag: "latest", registryCredentials: REGISTRY_SECRET } } }, "app.containers.tag", /is latest, which production refuses.*\(pin the vendor's release tag/],
    ["an unknown Fargate service", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { reporter: {} } } } }, "app.containers.services.reporter", /unknown key \(remove it; known keys here: dashboard, scheduler, renderer, pirana, excelReader\)/],
    ["a registry password in plain text", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", registryCredentials: { username: "acme", password: "hunter2" } } } }, "app.containers.registryCredentials", /holds a registry password in plain text \(store .* in a Secrets Manager secret and set its ARN here\)/],
    ["registry credentials that are not a secret ARN", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", registryCredentials: "ghcr-token" } } }, "app.containers.registryCredentials", /"ghcr-token" is not a Secrets Manager secret ARN/],
    ["an EC2 key with platform fargate", { ...FARGATE, app: { platform: "fargate", instanceType: "t3.large", containers: { tag: "2025_10.1" } } }, "app.instanceType", /applies to platform ec2 only/],
    ["platform fargate without containers", { ...FARGATE, app: { platform: "fargate" } }, "app.containers", /is required with platform fargate/],
    ["containers with platform ec2", { ...BASE, app: { ...CONTAINER, containers: { tag: "2025_10.1" } } }, "app.containers", /applies to platform fargate only/],
    ["an unknown platform", { ...BASE, app: { ...CONTAINER, platform: "ecs" } }, "app.platform", /"ecs" is not one of ec2, fargate/],
    ["production with one dashboard task", { ...PROD_OK, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { dashboard: { minSize: 1, desiredSize: 1 } } } } }, "app.containers.services.dashboard.minSize", /production needs at least 2 dashboard tasks in different zones, got 1/],
    ["a service env setting what the program sets (the database password)", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { dashboard: { env: { PI_DB_PASSWORD: "hunter2" } } } } } }, "app.containers.services.dashboard.env.PI_DB_PASSWORD", /^dashboard:app\.containers\.services\.dashboard\.env\.PI_DB_PASSWORD: is set by the program on the dashboard \(remove it: the database and licence values come from their secrets\)$/],
    ["a service env setting a URL the program sets", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { renderer: { env: { RENDERER_DASHBOARD_URL: "http://x" } } } } } }, "app.containers.services.renderer.env.RENDERER_DASHBOARD_URL", /is set by the program on the renderer \(remove it, or rename/],
    ["a URL-variable name the program sets to something else", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", urlVariables: { renderer: ["PI_DB_HOST"] } } } }, "app.containers.urlVariables.renderer[0]", /"PI_DB_HOST" is a variable the program sets to something else/],
    ["one URL-variable name for two URLs", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", urlVariables: { scheduler: ["PAN_RENDERER_URL"] } } } }, "app.containers.urlVariables.scheduler[0]", /"PAN_RENDERER_URL" is also listed in urlVariables\.renderer/],
    ["Fargate tasks above their maximum", { ...FARGATE, app: { platform: "fargate", containers: { tag: "2025_10.1", services: { renderer: { desiredSize: 3, maxSize: 2 } } } } }, "app.containers.services.renderer.desiredSize", /3 is above maxSize \(2\)/],
    ["no NAT with images on ghcr", { ...FARGATE, network: { natGateways: "none", interfaceEndpoints: [...NO_NAT_ENDPOINTS] } }, "network.natGateways", /is none, but the Fargate tasks pull their images from ghcr.io\/pi-cr on the internet/],
    ["the Docker daemon as a unit to restart", { ...BASE, app: { services: ["dashboard.service", "docker"] } }, "app.services[1]", /restarting the Docker daemon keeps every container's old environment/],
];

function s(id: string): string {
    // Valid-looking subnet ids from short names: subnet-0a → subnet-0a000000000000000
    return id.padEnd(24, "0");
}

describe("config validation", () => {
    it(`has a table of at least 30 invalid configs (${INVALID.length})`, () => {
        assert.ok(INVALID.length >= 30);
    });

    for (const [what, raw, path, gist] of INVALID) {
        it(`rejects ${what} at dashboard:${path}`, () => {
            const lines = problemsOf(raw);
            const line = lines.find((l) => l.startsWith(`dashboard:${path}: `));
            assert.ok(line !== undefined, `no problem reported at ${path}; got:\n${lines.join("\n")}`);
            assert.match(line, gist);
            assert.match(line, /^dashboard:[^:]+: .+ \(.+\)$/s, "format: dashboard:<path>: <what> (<fix>)");
        });
    }

    it("reports five problems as five lines of one error, before anything is registered", async () => {
        await startMocks({
            config: {
                "dashboard:customer": "Acme",
                "dashboard:environment": "development",
                "dashboard:network": JSON.stringify({ cidr: "10.0.0.0/8", natGateways: "double" }),
                "dashboard:app": JSON.stringify({ ...CONTAINER, port: 22, instancetype: "t3.large" }),
            },
        });
        let error: unknown;
        try {
            loadConfig();
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof ConfigError);
        const lines = error.message.split("\n");
        assert.equal(lines[0], "The stack config has 5 problems:");
        assert.deepEqual(lines.slice(1), [
            'dashboard:customer: "Acme" is not valid (use 2–31 characters: a lower-case letter, then lower-case letters, digits or \'-\')',
            "dashboard:network.cidr: /8 is outside /16–/24 (use a prefix from /16 to /24)",
            'dashboard:network.natGateways: "double" is not one of none, single, onePerAz, instance (use one of none, single, onePerAz, instance)',
            "dashboard:app.port: 22 is the SSH port and is never opened (use the port the app listens on, e.g. 8224)",
            'dashboard:app.instancetype: unknown key (did you mean "instanceType"?)',
        ]);
    });

    it("reports every problem at once across sections: a broken section does not hide a production rule", () => {
        assert.deepEqual(problemsOf({ ...PROD_OK, customer: "Acme", app: { minSize: 1, desiredSize: 1, instancetype: "t3.large" }, database: { multiAz: false, storageGb: "lots" } }), [
            'dashboard:customer: "Acme" is not valid (use 2–31 characters: a lower-case letter, then lower-case letters, digits or \'-\')',
            'dashboard:database.storageGb: must be a whole number, got "lots" (set a number from 20 to 65536)',
            'dashboard:app.instancetype: unknown key (did you mean "instanceType"?)',
            "dashboard:app: runs nothing: the default image is stock Amazon Linux 2023, which has no dashboard on it (set app.ami to the vendor's dashboard image (an AMI id or ssm:/parameter), or app.container.image to run the dashboard's container image)",
            "dashboard:database.multiAz: production needs a Multi-AZ database (remove database.multiAz or set it to true, or set dashboard:allowUnsafeProduction to true to accept the risk)",
            "dashboard:app.minSize: production needs at least 2 app servers in different zones, got 1 (set app.minSize to 2 or more, or set dashboard:allowUnsafeProduction to true to accept the risk)",
        ]);
    });

    it("reports each unknown key of an object on its own line", () => {
        assert.deepEqual(problemsOf({ ...BASE, statusPage: { enable: true, colour: "red" } }), [
            'dashboard:statusPage.enable: unknown key (did you mean "enabled"?)',
            "dashboard:statusPage.colour: unknown key (remove it; known keys here: enabled, checkIntervalMinutes, title, reservedConcurrency)",
        ]);
    });

    it("relaxes production rules with allowUnsafeProduction, one warning per rule", () => {
        const result = validateConfig(
            { customer: "acme", environment: "production", app: CONTAINER, allowUnsafeProduction: "true", database: { multiAz: false }, protect: false },
            new Set(),
        );
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.warnings, [
            "dashboard:domain: production needs a domain (HTTPS) (relaxed by dashboard:allowUnsafeProduction)",
            "dashboard:database.multiAz: production needs a Multi-AZ database (relaxed by dashboard:allowUnsafeProduction)",
            "dashboard:protect: production needs Pulumi protect on stateful resources (relaxed by dashboard:allowUnsafeProduction)",
            "dashboard:alerts: production needs alert recipients (relaxed by dashboard:allowUnsafeProduction)",
        ]);
    });

    it("accepts a NAT instance in production only with allowUnsafeProduction, as a warning", () => {
        const result = validateConfig({ ...PROD_OK, allowUnsafeProduction: "true", network: { natGateways: "instance", natInstance: { perZone: true } } }, new Set());
        assert.deepEqual(result.problems, []);
        assert.match(result.warnings.join("\n"), /^dashboard:network\.natGateways: production needs NAT gateways \(onePerAz\).*\(relaxed by dashboard:allowUnsafeProduction\)$/m);
        assert.deepEqual(result.config!.network.mode === "new" && result.config!.network.natInstance, { instanceType: "t4g.nano", perZone: true });
    });

    it("warns when the status page cannot reach a site closed to the internet", () => {
        const result = validateConfig({ ...BASE, statusPage: { enabled: true }, ingress: { allowedCidrs: ["203.0.113.0/24"] } }, new Set());
        assert.deepEqual(result.problems, []);
        assert.deepEqual(result.warnings, ["dashboard:statusPage: ingress.allowedCidrs does not admit everyone: add the NAT gateways' public addresses, or every check will report the site down"]);
    });

    it("accepts no NAT when the image is in ECR and every required endpoint is listed", () => {
        const endpoints = [...NO_NAT_ENDPOINTS, "ecr.api", "ecr.dkr"];
        assert.deepEqual(problemsOf({ ...BASE, app: ECR_CONTAINER, network: { natGateways: "none", interfaceEndpoints: endpoints } }), []);
    });

    it("says everything a stack without NAT lacks at once: NAT for the image, and the endpoints", () => {
        assert.deepEqual(problemsOf({ ...BASE, app: { ami: "ami-0123456789abcdef0" }, network: { natGateways: "none", interfaceEndpoints: ["secretsmanager"] } }), [
            "dashboard:network.natGateways: is none, but the vendor's image (AMI mode) installs packages from Ubuntu's mirrors at boot and its licence manager needs the internet (set network.natGateways to \"single\" (or \"onePerAz\"))",
            "dashboard:network.interfaceEndpoints: without NAT gateways the app servers need interface endpoints for ssm, ssmmessages, ec2messages, logs, monitoring (add ssm, ssmmessages, ec2messages, logs, monitoring to network.interfaceEndpoints, or set network.natGateways to \"single\")",
        ]);
    });

    it("has no NAT rule when there are NAT gateways", () => {
        assert.deepEqual(problemsOf({ ...BASE, app: { ami: "ami-0123456789abcdef0" }, network: { natGateways: "single" } }), []);
    });

    it("reserves no Lambda concurrency unless asked; 0 means no reservation, never 0 for Lambda", () => {
        const reservation = (raw: RawObject) => validateConfig({ ...BASE, ...raw }, new Set()).config!;
        assert.equal(reservation({}).sideload.reservedConcurrency, undefined);
        assert.equal(reservation({}).statusPage.reservedConcurrency, undefined);
        assert.equal(reservation({ sideload: { reservedConcurrency: 0 } }).sideload.reservedConcurrency, undefined);
        assert.equal(reservation({ sideload: { reservedConcurrency: "0" } }).sideload.reservedConcurrency, undefined);
        assert.equal(reservation({ sideload: { reservedConcurrency: 5 } }).sideload.reservedConcurrency, 5);
        assert.equal(reservation({ statusPage: { reservedConcurrency: 0 } }).statusPage.reservedConcurrency, undefined);
        assert.equal(reservation({ statusPage: { reservedConcurrency: 1000 } }).statusPage.reservedConcurrency, 1000);
    });

    it("suggests near misses only", () => {
        assert.equal(didYouMean("instancetype", ["instanceType", "port"]), "instanceType");
        assert.equal(didYouMean("storageGB", ["storageGb", "maxStorageGb"]), "storageGb");
        assert.equal(didYouMean("colour", ["cidr", "flowLogs"]), undefined);
    });
});

describe("config defaults per environment", () => {
    it("development: the cheapest useful stack", () => {
        const c = validateConfig({ ...BASE }, new Set()).config!;
        assert.deepEqual(c.network, { mode: "new", cidr: "10.0.0.0/16", availabilityZones: 2, natGateways: "instance", natInstance: { instanceType: "t4g.nano", perZone: false }, interfaceEndpoints: [], flowLogs: true });
        assert.deepEqual(c.database, {
            engine: "mariadb", version: "11.4", instanceClass: "db.t4g.micro", storageGb: 20, maxStorageGb: 100, multiAz: false,
            backupRetentionDays: 7, passwordRotationDays: 30, deletionProtection: false, snapshotIdentifier: undefined,
            restoreToPointInTime: undefined, parameters: {}, kmsKeyId: undefined, masterUsername: "dashboard_admin",
            databaseName: "dashboard", backupWindow: "02:00-03:00", maintenanceWindow: "sun:03:30-sun:04:30",
            monitoringIntervalSeconds: 0, applyImmediately: true,
        });
        const { envFile, ...app } = c.app;
        assert.deepEqual(app, {
            ami: "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", rootDeviceName: "/dev/xvda", instanceType: "t3a.medium",
            port: 8224, healthCheckPath: "/", minSize: 1, desiredSize: 1, maxSize: 2, scaleOutCpuPercent: 70,
            scaleInCpuPercent: 20, volumeGb: 15, requested: { rootDeviceName: undefined, volumeGb: undefined }, stickinessSeconds: 86400, container: { image: "registry.example.com/dashboard:2026.11", env: {} },
            services: [], logFiles: ["/var/panintelligence/logs/*.log"], licenceKey: undefined, platform: "ec2", containers: undefined,
        });
        assert.equal(envFile.path, "/var/panintelligence/dashboard.env");
        assert.deepEqual(envFile.names, {
            host: "PI_DB_HOST", port: "PI_DB_PORT", username: "PI_DB_USERNAME", password: "PI_DB_PASSWORD",
            database: "PI_DB_SCHEMA_NAME", engine: "PI_DB_ENGINE", licence: "PI_LICENCE",
        });
        assert.deepEqual(envFile.static, { PI_EXTERNAL_DB: "true" });
        assert.deepEqual(c.sideload, {
            folders: ["images", "themes", "excel-data"], directories: { images: "images", themes: "themes", "excel-data": "excel" },
            mountPath: "/var/dashboard/content", linkInto: undefined, uid: 1000, gid: 1000, reservedConcurrency: undefined,
        });
        assert.deepEqual(c.ingress, { allowedCidrs: ["0.0.0.0/0"] });
        assert.equal(c.domain, undefined);
        assert.equal(c.alerts, undefined);
        assert.deepEqual(c.statusPage, { enabled: false, checkIntervalMinutes: 1, title: "acme dashboard status", reservedConcurrency: undefined });
        assert.equal(c.protect, false);
        assert.equal(c.logRetentionDays, 14);
        assert.ok(Object.isFrozen(c) && Object.isFrozen(c.database) && Object.isFrozen(c.sideload.folders));
    });

    it("staging: production's shape at lower cost", () => {
        const c = validateConfig({ customer: "acme", environment: "staging", app: CONTAINER }, new Set()).config!;
        assert.deepEqual(
            [c.network.mode === "new" && c.network.availabilityZones, c.network.mode === "new" && c.network.natGateways, c.database.instanceClass, c.database.multiAz, c.database.backupRetentionDays, c.database.deletionProtection, c.app.minSize, c.app.desiredSize, c.app.maxSize, c.protect, c.logRetentionDays],
            [2, "instance", "db.t4g.small", true, 7, true, 2, 2, 4, false, 30],
        );
    });

    it("production: safe by default", () => {
        const c = validateConfig({ ...PROD_OK }, new Set()).config!;
        assert.deepEqual(
            [c.network.mode === "new" && c.network.availabilityZones, c.network.mode === "new" && c.network.natGateways, c.database.instanceClass, c.database.multiAz, c.database.backupRetentionDays, c.database.deletionProtection, c.database.monitoringIntervalSeconds, c.database.applyImmediately, c.app.minSize, c.app.desiredSize, c.app.maxSize, c.protect, c.logRetentionDays],
            [3, "onePerAz", "db.t4g.small", true, 14, true, 60, false, 2, 2, 4, true, 365],
        );
        assert.deepEqual(c.domain, { name: "dashboard.acme.example.com", hostedZone: "acme.example.com", certificateArn: undefined });
    });

    it("picks the arm64 image for Graviton instance types", () => {
        const c = validateConfig({ ...BASE, app: { ...CONTAINER, instanceType: "t4g.medium" } }, new Set()).config!;
        assert.equal(c.app.ami, "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    });

    it("fargate: the vendor module's sizes, the profile's counts, both URL-variable spellings", () => {
        const c = validateConfig({ ...FARGATE }, new Set()).config!;
        const base = { spot: false, env: {}, healthCheck: true, readonlyRootFilesystem: false, enabled: true };
        const scaled = { minSize: 1, desiredSize: 1, maxSize: 2, cpuTargetPercent: 60 };
        assert.equal(c.app.platform, "fargate");
        assert.deepEqual(c.app.containers, {
            tag: "2025_10.1",
            repository: "ghcr.io/pi-cr",
            registryCredentials: REGISTRY_SECRET,
            urlVariables: { renderer: ["PAN_RENDERER_URL", "PI_VARIABLE_PAN_RENDERER_URL"], scheduler: ["PAN_SCHEDULER_URL", "PI_VARIABLE_PAN_SCHEDULER_URL"], analytics: ["PI_VARIABLE_ANALYTICS_SERVER_URL"] },
            services: {
                dashboard: { ...base, ...scaled, cpu: 1024, memory: 2048, image: "server" },
                scheduler: { ...base, cpu: 256, memory: 512, image: "scheduler" },
                renderer: { ...base, ...scaled, cpu: 1024, memory: 2048, image: "renderer" },
                pirana: { ...base, cpu: 1024, memory: 2048, image: "pirana" },
                excelReader: { ...base, cpu: 512, memory: 1024, image: "excel-reader", enabled: false },
            },
            containerInsights: false,
            tomcatMaxMemoryMb: 1024,
        });
        const prod = validateConfig({ ...PROD_OK, app: FARGATE.app }, new Set()).config!;
        assert.deepEqual([prod.app.containers?.containerInsights, prod.app.containers?.services.dashboard.minSize, prod.app.containers?.services.renderer.maxSize], [true, 2, 4]);
    });

    it("reads an existing network", () => {
        const network = { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0a", "subnet-0b"].map(s), privateSubnetIds: ["subnet-1a", "subnet-1b"].map(s), isolatedSubnetIds: ["subnet-2a", "subnet-2b"].map(s) };
        const c = validateConfig({ ...BASE, network }, new Set()).config!;
        assert.deepEqual(c.network, { mode: "existing", ...network });
    });

    it("keeps a secret licence key secret", async () => {
        await startMocks({
            config: { "dashboard:customer": "acme", "dashboard:environment": "development", "dashboard:app": JSON.stringify({ ...CONTAINER, licenceKey: "LIC-42" }) },
            secretKeys: ["dashboard:app"],
        });
        const c = loadConfig();
        assert.ok(c.app.licenceKey !== undefined && pulumi.Output.isInstance(c.app.licenceKey));
        assert.equal(await valueOf(c.app.licenceKey), "LIC-42");
        assert.equal(await (c.app.licenceKey as unknown as { isSecret: Promise<boolean> }).isSecret, true);
    });

    it("reads scalars the CLI hands over as strings", async () => {
        await startMocks({ config: { "dashboard:customer": "acme", "dashboard:environment": "development", "dashboard:app": JSON.stringify(CONTAINER), "dashboard:protect": "true", "dashboard:logRetentionDays": "30" } });
        const c = loadConfig();
        assert.equal(c.protect, true);
        assert.equal(c.logRetentionDays, 30);
    });

    it("loads Pulumi.dev.yaml", async () => {
        const stack = loadStackConfig("dev");
        await startMocks({ config: stack.config, secretKeys: stack.secretKeys });
        const c = loadConfig();
        assert.equal(c.customer, "demo");
        assert.equal(c.environment, "development");
        assert.equal(stack.region, "us-east-1");
    });
});
