/**
 * What the boot script ({@link ./userData.ts}) and the scripts it installs ({@link ./refreshScript.ts})
 * share: their arguments, the paths on the instance, and the quoting helpers.
 */
import { FORBIDDEN_FOLDERS } from "../../config/profiles";
import type { EnvFileConfig } from "../../config/types";

export interface UserDataArgs {
    /** AWS region for the CLI calls. @default required */
    region: string;
    /** EFS file system id (`fs-…`). @default required */
    fileSystemId: string;
    /** EFS access point id (`fsap-…`); the mount goes through it with TLS and IAM. @default required */
    accessPointId: string;
    /** Where the EFS access point is mounted, e.g. /var/dashboard/content. @default required */
    mountPath: string;
    /** Upload folder → directory name on the file system, e.g. { images: "images", themes: "themes", "excel-data": "excel" }. @default required */
    directories: Readonly<Record<string, string>>;
    /** If set, each content directory is symlinked into this directory (e.g. /var/panintelligence/excel → <mountPath>/excel). @default none (no links) */
    linkInto?: string;
    /** ARN of the RDS-managed master secret (JSON with username and password). @default required */
    databaseSecretArn: string;
    /** Database endpoint host name. @default required */
    databaseHost: string;
    /** Database port. @default required */
    databasePort: number;
    /** mariadb | mysql | postgres. @default required */
    databaseEngine: string;
    /** Database (schema) name. @default required */
    databaseName: string;
    /** ARN of the licence secret (a plain string value); undefined = no licence. @default none */
    licenceSecretArn?: string;
    /** Env file path, extra paths, variable names, static vars, owning user (see config/types.ts EnvFileConfig and the defaults in config/profiles.ts). @default required */
    envFile: EnvFileConfig;
    /**
     * AMI mode: systemd units restarted after the env files were rewritten, besides the Docker Compose
     * services recreated because their containers read the password variable. Name only units whose start
     * creates fresh containers: a restarted container keeps the environment it was created with. Never
     * `docker` (it bounces every container and still leaves them the old environment).
     * @default required (config default `[]`)
     */
    services: readonly string[];
    /** Container mode: run this image with the env file and the mount, restart always, publish `port`. @default none (AMI mode) */
    container?: { image: string; env: Readonly<Record<string, string>>; port: number };
    /** CloudWatch log group for the app's logs and the boot log. @default required */
    logGroupName: string;
    /** Log files (globs) shipped besides the boot log. @default required */
    logFiles: readonly string[];
    /**
     * Where apt images download the CloudWatch agent: `<base>/ubuntu/<amd64|arm64>/latest/amazon-cloudwatch-agent.deb`,
     * its `.sig`, and the signing key `<base>/assets/amazon-cloudwatch-agent.gpg`. No trailing slash.
     * @default `https://amazoncloudwatch-agent-<region>.s3.<region>.amazonaws.com` (AWS's regional bucket, reached through the S3 gateway endpoint)
     */
    cloudWatchAgentBaseUrl?: string;
    /**
     * Fingerprint of the key that must have signed the agent package (40 hex digits, spaces allowed).
     * @default {@link CLOUDWATCH_AGENT_FINGERPRINT} (AWS's published CloudWatch agent key)
     */
    cloudWatchAgentFingerprint?: string;
}

/** Everything the boot script and the refresh timer print goes here (and to CloudWatch). */
export const BOOT_LOG = "/var/log/dashboard-boot.log";
export const REFRESH_SCRIPT = "/usr/local/sbin/dashboard-refresh-secrets";
export const REFRESH_UNIT = "dashboard-refresh-secrets";
export const APP_UNIT = "dashboard-app.service";
export const APP_RUN_SCRIPT = "/usr/local/sbin/dashboard-app-run";
/** Holds the secrets' last version ids, the refresh lock and the instance id. */
export const STATE_DIR = "/var/lib/dashboard";
export const CLOUDWATCH_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/dashboard.json";
export const CLOUDWATCH_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";
/** AWS's CloudWatch agent signing key, as AWS documents it (`9376 16F3 450B 7D80 6CBD 9725 D581 6730 3B78 9C72`). */
export const CLOUDWATCH_AGENT_FINGERPRINT = "937616F3450B7D806CBD9725D58167303B789C72";
/** Installed by the State Manager association (Distributor package AmazonEFSUtils) on apt images. */
export const MOUNT_EFS = "/sbin/mount.efs";
/** App directories that are never created, linked or otherwise touched. */
export const NEVER_LINKED: readonly string[] = [...new Set(["svg", "keys", "logs", ...FORBIDDEN_FOLDERS])];

/** Quotes a value for bash: always single quotes, each `'` as `'\''`. Throws on NUL, which bash cannot hold. */
export function shellQuote(value: string): string {
    if (value.includes("\0")) throw new Error("a shell value cannot contain a NUL character");
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Lines that write `content` to `path` with `mode` (set before the content arrives) via a quoted here-document. */
export function writeFileLines(path: string, mode: string, content: string): string[] {
    const lines = content.replace(/\n$/, "").split("\n");
    let delimiter = "DASHBOARD_EOF";
    for (let n = 1; lines.includes(delimiter); n++) delimiter = `DASHBOARD_EOF_${n}`;
    return [`install -D -m ${mode} /dev/null ${shellQuote(path)}`, `cat > ${shellQuote(path)} <<'${delimiter}'`, ...lines, delimiter];
}

/**
 * Joins script lines, dropping full-line `#` comments after the first `keep` lines (shebang and header)
 * and outside the here-documents of {@link writeFileLines}, whose content is kept verbatim: EC2 takes at
 * most 16 KB of user data, so the explanations live in this code's TSDoc instead.
 */
export function compactScript(lines: readonly string[], keep = 3): string {
    let delimiter: string | undefined;
    return lines
        .filter((line, i) => {
            if (delimiter !== undefined) {
                if (line === delimiter) delimiter = undefined;
                return true;
            }
            delimiter = /<<'(DASHBOARD_EOF(?:_\d+)?)'$/.exec(line)?.[1];
            return i < keep || !/^\s*#(?!!)/.test(line);
        })
        .join("\n");
}
