/**
 * The app servers' boot script (EC2 user data), rendered by pure functions.
 *
 * The script holds no secret: it carries only the ARNs of the database and licence secrets. It
 * installs `/usr/local/sbin/dashboard-refresh-secrets`, which reads them from Secrets Manager at
 * boot and every 15 minutes (systemd timer) and writes the env files; when a secret's version
 * changed (rotation) it rewrites them and restarts the app.
 *
 * Choices:
 * - JSON is parsed with `python3`, not `jq`: cloud-init, which runs this script, is itself Python 3,
 *   so python3 is on Amazon Linux 2023 and on the vendor's Ubuntu image, while jq is not installed
 *   on Ubuntu and would need a package download at boot. Secrets reach python3 through pipes
 *   (`printf` is a shell builtin), never as arguments, so they never show in `ps`.
 * - Env files use Docker's `--env-file` format: one `NAME=value` line, the value taken verbatim
 *   (no quotes, no escapes, no `$` expansion). Both start methods read them through Docker: our
 *   `docker run --env-file` in container mode, and the vendor image's own containers in AMI mode.
 *   A value with a line break cannot be represented; the refresh script refuses it (naming the
 *   variable, not the value) and leaves the old file in place. RDS-generated passwords are
 *   printable ASCII without spaces, so this never happens for the database secret. The files are
 *   NOT meant for systemd `EnvironmentFile=`, which would interpret `\` and quotes.
 * - Every interpolated value passes through {@link shellQuote}. Embedded files are written by
 *   quoted here-documents whose delimiter never occurs in the content.
 */
import { FORBIDDEN_FOLDERS } from "../config/profiles";
import type { EnvFileConfig } from "../config/types";

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
    /** systemd units restarted when the secret version changes (AMI mode). @default required */
    services: readonly string[];
    /** Container mode: run this image with the env file and the mount, restart always, publish `port`. @default none (AMI mode) */
    container?: { image: string; env: Readonly<Record<string, string>>; port: number };
    /** CloudWatch log group for the app's logs and the boot log. @default required */
    logGroupName: string;
    /** Log files (globs) shipped besides the boot log. @default required */
    logFiles: readonly string[];
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
const CLOUDWATCH_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";
/** App directories that are never created, linked or otherwise touched. */
export const NEVER_LINKED: readonly string[] = [...new Set(["svg", "keys", "logs", ...FORBIDDEN_FOLDERS])];

/** Quotes a value for bash: always single quotes, each `'` as `'\''`. Throws on NUL, which bash cannot hold. */
export function shellQuote(value: string): string {
    if (value.includes("\0")) throw new Error("a shell value cannot contain a NUL character");
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A field of /etc/fstab: non-empty, no whitespace or control characters (fstab splits on whitespace). */
function fstabField(what: string, value: string): string {
    if (!/^[\x21-\x7e]+$/.test(value)) throw new Error(`${what} "${value}" cannot go into /etc/fstab`);
    return value;
}

/** The /etc/fstab line mounting the access point with TLS and IAM authorisation. */
export function fstabLine(fileSystemId: string, mountPath: string, accessPointId: string): string {
    return [
        fstabField("fileSystemId", fileSystemId),
        fstabField("mountPath", mountPath),
        "efs",
        `_netdev,noresvport,tls,iam,accesspoint=${fstabField("accessPointId", accessPointId)}`,
        "0",
        "0",
    ].join(" ");
}

/** The distinct directory names of `directories`, in order, without the app's own (svg, keys, logs). Throws on a name that is not a plain file name. */
export function contentDirectories(directories: Readonly<Record<string, string>>): string[] {
    const result: string[] = [];
    for (const [folder, dir] of Object.entries(directories)) {
        if (!/^[A-Za-z0-9._-]+$/.test(dir) || dir === "." || dir === "..") {
            throw new Error(`directories.${folder}: "${dir}" is not a plain directory name`);
        }
        if (!NEVER_LINKED.includes(dir) && !result.includes(dir)) result.push(dir);
    }
    return result;
}

/** Throws when a link would replace the mount point or a directory on the file system itself. */
function checkLinks(mountPath: string, linkInto: string, dirs: readonly string[]): void {
    const within = (p: string, root: string) => p === root || p.startsWith(`${root}/`);
    if (within(linkInto, mountPath)) throw new Error(`linkInto ${linkInto} lies inside the mount ${mountPath}`);
    for (const dir of dirs) {
        if (within(mountPath, `${linkInto}/${dir}`)) throw new Error(`the link ${linkInto}/${dir} would replace the mount ${mountPath}`);
    }
}

/** The CloudWatch agent configuration: the boot log and each log file to `logGroupName`, one stream per instance and file. */
export function cloudWatchAgentConfig(logGroupName: string, logFiles: readonly string[]): string {
    // Stream names may not contain ':' or '*'.
    const stream = (file: string) => `{instance_id}${file.replace(/[^A-Za-z0-9._/-]/g, "_")}`;
    const collect = [
        { file_path: BOOT_LOG, log_group_name: logGroupName, log_stream_name: "{instance_id}/boot" },
        ...logFiles.map((f) => ({ file_path: f, log_group_name: logGroupName, log_stream_name: stream(f) })),
    ];
    return JSON.stringify({ agent: { run_as_user: "root" }, logs: { logs_collected: { files: { collect_list: collect } } } }, null, 2);
}

/** Lines that write `content` to `path` with `mode` (set before the content arrives) via a quoted here-document. */
function writeFileLines(path: string, mode: string, content: string): string[] {
    const lines = content.replace(/\n$/, "").split("\n");
    let delimiter = "DASHBOARD_EOF";
    for (let n = 1; lines.includes(delimiter); n++) delimiter = `DASHBOARD_EOF_${n}`;
    return [`install -D -m ${mode} /dev/null ${shellQuote(path)}`, `cat > ${shellQuote(path)} <<'${delimiter}'`, ...lines, delimiter];
}

/** The systemd units restarted after a secret changed: the container's unit, or the image's own services. */
function restartUnits(args: UserDataArgs): readonly string[] {
    return args.container ? [APP_UNIT] : args.services;
}

/**
 * The refresh script installed at {@link REFRESH_SCRIPT}. Without arguments it writes the env files
 * (boot); with `--if-changed` it exits at once unless a secret's VersionId differs from the one
 * recorded, and otherwise rewrites the files, restarts the app and records the new version.
 * `stateDir` exists for tests; production uses {@link STATE_DIR}.
 */
export function renderRefreshScript(args: UserDataArgs, stateDir: string = STATE_DIR): string {
    const q = shellQuote;
    const e = args.envFile;
    const n = e.names;
    const licence = args.licenceSecretArn !== undefined;
    const written = new Set([n.host, n.port, n.engine, n.database, n.username, n.password, ...(licence ? [n.licence] : [])]);
    for (const name of Object.keys(e.static)) {
        if (written.has(name)) throw new Error(`envFile.static.${name} collides with a variable the refresh script writes`);
    }
    const fixed: [string, string][] = [
        ["databaseHost", args.databaseHost],
        ["databaseEngine", args.databaseEngine],
        ["databaseName", args.databaseName],
        ...Object.entries(e.static).map(([k, v]): [string, string] => [`envFile.static.${k}`, v]),
    ];
    for (const [what, value] of fixed) {
        if (/[\r\n]/.test(value)) throw new Error(`${what} contains a line break, which an env file cannot hold`);
    }
    const envLine = (name: string, value: string) => `    env_line ${q(name)} ${value}`;
    return [
        "#!/bin/bash",
        "# Installed by the dashboard boot script. Reads the database secret (and the licence secret) from",
        "# Secrets Manager and writes the env files (Docker --env-file format: NAME=value, value verbatim)",
        "# atomically, mode 0600. With --if-changed it does nothing unless a secret's version changed, and",
        "# then restarts the app. Secret values stay in shell variables and pipes: never in argv, never printed.",
        "set -euo pipefail",
        "umask 077",
        `REGION=${q(args.region)}`,
        `DB_SECRET_ARN=${q(args.databaseSecretArn)}`,
        ...(licence ? [`LICENCE_SECRET_ARN=${q(args.licenceSecretArn ?? "")}`] : []),
        `OWNER=${q(e.owner)}`,
        `STATE_DIR=${q(stateDir)}`,
        `RESTART_UNITS=(${restartUnits(args).map(q).join(" ")})`,
        "case \"${1:-}\" in",
        "    --if-changed) IF_CHANGED=true ;;",
        "    '') IF_CHANGED=false ;;",
        "    *) echo \"usage: $0 [--if-changed]\" >&2; exit 2 ;;",
        "esac",
        "log() { echo \"$(date -Is) dashboard-refresh-secrets: $*\"; }",
        "mkdir -p \"$STATE_DIR\"",
        "exec 9>\"$STATE_DIR/refresh.lock\"",
        "flock 9",
        "tmp=",
        "trap 'if [[ -n $tmp ]]; then rm -f -- \"$tmp\"; fi' EXIT",
        "",
        "# Prints the secret's VersionId, then username and password (db) or the secret string (licence),",
        "# each followed by NUL. The JSON arrives on stdin.",
        "secret_fields() {",
        "    python3 -I -S -c '",
        "import json, sys",
        "s = json.load(sys.stdin)",
        "if sys.argv[1] == \"db\":",
        "    c = json.loads(s[\"SecretString\"])",
        "    out = [s[\"VersionId\"], c[\"username\"], c[\"password\"]]",
        "else:",
        "    out = [s[\"VersionId\"], s[\"SecretString\"].rstrip(\"\\r\\n\")]",
        "if not all(isinstance(v, str) and \"\\0\" not in v for v in out):",
        "    sys.exit(\"unexpected secret layout\")",
        "sys.stdout.write(\"\".join(v + \"\\0\" for v in out))",
        "' \"$1\"",
        "}",
        "get_secret() { aws secretsmanager get-secret-value --secret-id \"$1\" --region \"$REGION\" --output json; }",
        "",
        "db=$(get_secret \"$DB_SECRET_ARN\")",
        "{ IFS= read -r -d '' db_version; IFS= read -r -d '' db_user; IFS= read -r -d '' db_password; } < <(printf '%s' \"$db\" | secret_fields db)",
        "version=\"db:$db_version\"",
        ...(licence
            ? [
                  "lic=$(get_secret \"$LICENCE_SECRET_ARN\")",
                  "{ IFS= read -r -d '' licence_version; IFS= read -r -d '' licence; } < <(printf '%s' \"$lic\" | secret_fields licence)",
                  "version=\"$version licence:$licence_version\"",
              ]
            : []),
        "if [[ $IF_CHANGED == true && -f $STATE_DIR/secret-version && \"$(cat \"$STATE_DIR/secret-version\")\" == \"$version\" ]]; then",
        "    exit 0",
        "fi",
        "",
        "env_line() {",
        "    case $2 in",
        "        *$'\\n'* | *$'\\r'*) log \"ERROR: the value of $1 contains a line break, which an env file cannot hold\" >&2; return 1 ;;",
        "    esac",
        "    printf '%s=%s\\n' \"$1\" \"$2\"",
        "}",
        "db_vars() {",
        envLine(n.host, q(args.databaseHost)),
        envLine(n.port, q(String(args.databasePort))),
        envLine(n.engine, q(args.databaseEngine)),
        envLine(n.database, q(args.databaseName)),
        envLine(n.username, "\"$db_user\""),
        envLine(n.password, "\"$db_password\""),
        "}",
        "main_vars() {",
        "    db_vars",
        ...(licence ? [envLine(n.licence, "\"$licence\"")] : []),
        ...Object.entries(e.static).map(([k, v]) => envLine(k, q(v))),
        "}",
        "# Writes the output of function $2 to $1 through a temporary file in the same directory.",
        "write_env() {",
        "    local dir",
        "    dir=$(dirname -- \"$1\")",
        "    [[ -d $dir ]] || (umask 022 && mkdir -p -- \"$dir\")",
        "    tmp=$(mktemp -- \"$dir/.dashboard-env.XXXXXX\")",
        "    \"$2\" >\"$tmp\"",
        "    chown -- \"$OWNER:\" \"$tmp\"",
        "    chmod 0600 -- \"$tmp\"",
        "    mv -f -- \"$tmp\" \"$1\"",
        "    tmp=",
        "    log \"wrote $1\"",
        "}",
        `write_env ${q(e.path)} main_vars`,
        ...e.extraPaths.map((p) => `write_env ${q(p)} db_vars`),
        "if [[ $IF_CHANGED == true ]]; then",
        "    log \"secret version now $version: restarting ${RESTART_UNITS[*]}\"",
        "    for unit in \"${RESTART_UNITS[@]}\"; do",
        "        systemctl restart \"$unit\"",
        "    done",
        "fi",
        "printf '%s\\n' \"$version\" >\"$STATE_DIR/secret-version\"",
        "",
    ].join("\n");
}

/** The container mode's start script, run in the foreground by {@link APP_UNIT}. Throws in AMI mode. */
export function renderContainerRunScript(args: UserDataArgs): string {
    const c = args.container;
    if (!c) throw new Error("renderContainerRunScript needs args.container");
    const q = shellQuote;
    const port = String(c.port);
    const dockerArgs = [
        "--rm", "--name", "dashboard-app",
        "--env-file", q(args.envFile.path),
        ...Object.entries(c.env).flatMap(([k, v]) => ["-e", q(`${k}=${v}`)]),
        "-v", q(`${args.mountPath}:${args.mountPath}`),
        "-p", q(`${port}:${port}`),
        "--log-driver", "awslogs",
        "--log-opt", q(`awslogs-group=${args.logGroupName}`),
        "--log-opt", q(`awslogs-region=${args.region}`),
        "--log-opt", "\"awslogs-stream=$instance_id/app\"",
        q(c.image),
    ];
    return [
        "#!/bin/bash",
        "# Runs the dashboard container in the foreground for dashboard-app.service (Restart=always).",
        "set -euo pipefail",
        `if ! mountpoint -q ${q(args.mountPath)}; then`,
        `    echo ${q(`${args.mountPath} is not mounted; not starting the app`)} >&2`,
        "    exit 1",
        "fi",
        `instance_id=$(cat ${q(`${STATE_DIR}/instance-id`)})`,
        "docker rm -f dashboard-app >/dev/null 2>&1 || true",
        `exec docker run ${dockerArgs.join(" ")}`,
        "",
    ].join("\n");
}

const REFRESH_SERVICE_UNIT = `[Unit]
Description=Re-read the dashboard secrets; restart the app if a secret's version changed
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${REFRESH_SCRIPT} --if-changed
StandardOutput=append:${BOOT_LOG}
StandardError=append:${BOOT_LOG}
`;

const REFRESH_TIMER_UNIT = `[Unit]
Description=Re-read the dashboard secrets every 15 minutes (the database password rotates)

[Timer]
OnBootSec=15min
OnUnitActiveSec=15min
Persistent=true

[Install]
WantedBy=timers.target
`;

const APP_SERVICE_UNIT = `[Unit]
Description=Dashboard application container
Wants=network-online.target
Requires=docker.service
After=docker.service network-online.target remote-fs.target

[Service]
ExecStart=${APP_RUN_SCRIPT}
Restart=always
RestartSec=10
TimeoutStopSec=60

[Install]
WantedBy=multi-user.target
`;

/** Renders the boot script (plain text, not base64). Pure and deterministic. */
export function renderUserData(args: UserDataArgs): string {
    const q = shellQuote;
    const dirs = contentDirectories(args.directories);
    if (args.linkInto !== undefined) checkLinks(args.mountPath, args.linkInto, dirs);
    const c = args.container;
    const L: string[] = [
        "#!/bin/bash",
        "# Dashboard app server boot script (rendered by components/userData.ts). It holds no secret: the",
        `# credentials are read from Secrets Manager by ${REFRESH_SCRIPT}.`,
        "set -euo pipefail",
        "set -o errtrace",
        "umask 022",
        `BOOT_LOG=${q(BOOT_LOG)}`,
        "touch \"$BOOT_LOG\"",
        "chmod 0640 \"$BOOT_LOG\"",
        "exec > >(tee -a \"$BOOT_LOG\") 2>&1",
        "log() { echo \"$(date -Is) dashboard-boot: $*\"; }",
        "trap 'log \"FAILED at line $LINENO (exit $?)\"' ERR",
        `MOUNT=${q(args.mountPath)}`,
        `STATE_DIR=${q(STATE_DIR)}`,
        "",
        "# Instance metadata through IMDSv2 only (session token).",
        "imds() {",
        "    local token",
        "    token=$(curl -fsS --retry 5 --retry-connrefused -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)",
        "    curl -fsS --retry 5 --retry-connrefused -H \"X-aws-ec2-metadata-token: $token\" \"http://169.254.169.254/latest/meta-data/$1\"",
        "}",
        "INSTANCE_ID=$(imds instance-id)",
        "mkdir -p \"$STATE_DIR\"",
        "printf '%s\\n' \"$INSTANCE_ID\" >\"$STATE_DIR/instance-id\"",
        "log \"boot of $INSTANCE_ID\"",
        "",
        "# Packages: dnf on Amazon Linux 2023, apt-get on the vendor's Ubuntu image.",
        "if command -v dnf >/dev/null; then",
        "    PKG=dnf",
        "elif command -v apt-get >/dev/null; then",
        "    PKG=apt",
        "    export DEBIAN_FRONTEND=noninteractive",
        "else",
        "    log 'ERROR: neither dnf nor apt-get found; unsupported image'",
        "    exit 1",
        "fi",
        "APT_UPDATED=false",
        "apt_get() { apt-get -q -o DPkg::Lock::Timeout=300 \"$@\"; }",
        "installed() {",
        "    if [[ $PKG == dnf ]]; then rpm -q \"$1\" >/dev/null 2>&1; else dpkg -s \"$1\" >/dev/null 2>&1; fi",
        "}",
        "available() {",
        "    if [[ $PKG == dnf ]]; then dnf -q list \"$1\" >/dev/null 2>&1; return; fi",
        "    if [[ $APT_UPDATED == false ]]; then apt_get update; APT_UPDATED=true; fi",
        "    apt-cache show \"$1\" >/dev/null 2>&1",
        "}",
        "install_pkg() {",
        "    if installed \"$1\"; then return 0; fi",
        "    log \"installing $1\"",
        "    if [[ $PKG == dnf ]]; then dnf install -y \"$1\"; return; fi",
        "    if [[ $APT_UPDATED == false ]]; then apt_get update; APT_UPDATED=true; fi",
        "    apt_get install -y \"$1\"",
        "}",
        "# python3 parses the secrets' JSON: cloud-init runs on it, so every image has it (jq is not on Ubuntu).",
        "command -v python3 >/dev/null || install_pkg python3",
        "if ! command -v aws >/dev/null; then",
        "    if [[ $PKG == dnf ]]; then install_pkg awscli-2; else install_pkg awscli; fi",
        "fi",
        "",
        "# CloudWatch agent first, so that a failing boot still ships its log.",
        `CW_CTL=${q(CLOUDWATCH_CTL)}`,
        "if [[ ! -x $CW_CTL ]] && available amazon-cloudwatch-agent; then install_pkg amazon-cloudwatch-agent; fi",
        "if [[ -x $CW_CTL ]]; then",
        ...writeFileLines(CLOUDWATCH_CONFIG, "0644", cloudWatchAgentConfig(args.logGroupName, args.logFiles)),
        `    "$CW_CTL" -a fetch-config -m ec2 -c ${q(`file:${CLOUDWATCH_CONFIG}`)} -s`,
        "else",
        "    log 'amazon-cloudwatch-agent is not available on this image: logs are not shipped to CloudWatch'",
        "fi",
        "",
        "# EFS through the access point, with TLS and IAM. Never without TLS.",
        "if installed amazon-efs-utils || available amazon-efs-utils; then",
        "    install_pkg amazon-efs-utils",
        "else",
        "    log 'ERROR: amazon-efs-utils is not installed and no package repository offers it; refusing to mount EFS without TLS'",
        "    exit 1",
        "fi",
        `FSTAB_LINE=${q(fstabLine(args.fileSystemId, args.mountPath, args.accessPointId))}`,
        "mkdir -p \"$MOUNT\"",
        "grep -qxF -- \"$FSTAB_LINE\" /etc/fstab || printf '%s\\n' \"$FSTAB_LINE\" >>/etc/fstab",
        "attempt=0",
        "until mountpoint -q \"$MOUNT\"; do",
        "    attempt=$((attempt + 1))",
        "    if ((attempt > 30)); then",
        "        log \"ERROR: $MOUNT is still not mounted after 30 attempts\"",
        "        exit 1",
        "    fi",
        "    if ! mount \"$MOUNT\"; then",
        "        delay=$((attempt < 10 ? attempt : 10))",
        "        log \"mounting $MOUNT failed (attempt $attempt); retrying in ${delay}s\"",
        "        sleep \"$delay\"",
        "    fi",
        "done",
        "log \"mounted $MOUNT\"",
    ];
    if (dirs.length > 0) {
        L.push(
            `for dir in ${dirs.map(q).join(" ")}; do`,
            "    [[ -d $MOUNT/$dir ]] || mkdir -- \"$MOUNT/$dir\"",
            "done",
        );
    }
    if (args.linkInto !== undefined && dirs.length > 0) {
        L.push(
            `# Link the shared directories into LINK_INTO (never ${NEVER_LINKED.join(", ")}).`,
            `LINK_INTO=${q(args.linkInto)}`,
            "mkdir -p \"$LINK_INTO\"",
            `for dir in ${dirs.map(q).join(" ")}; do`,
            "    link=\"$LINK_INTO/$dir\"",
            "    if [[ -d $link && ! -L $link ]]; then",
            "        # The image ships this directory: seed an empty shared directory with it, keep it aside.",
            "        if [[ -z $(ls -A -- \"$MOUNT/$dir\") ]]; then",
            "            cp -R -- \"$link/.\" \"$MOUNT/$dir/\" || log \"WARNING: could not copy $link into $MOUNT/$dir\"",
            "        fi",
            "        mv -T -- \"$link\" \"$link.image-default.$(date +%Y%m%d%H%M%S)\"",
            "    fi",
            "    ln -sfn -- \"$MOUNT/$dir\" \"$link\"",
            "done",
        );
    }
    L.push(
        "",
        "# The app user owns the env files.",
        `OWNER=${q(args.envFile.owner)}`,
        "if ! id -u \"$OWNER\" >/dev/null 2>&1; then",
        "    log \"creating system user $OWNER\"",
        "    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin \"$OWNER\"",
        "fi",
        ...writeFileLines(REFRESH_SCRIPT, "0700", renderRefreshScript(args)),
        ...writeFileLines(`/etc/systemd/system/${REFRESH_UNIT}.service`, "0644", REFRESH_SERVICE_UNIT),
        ...writeFileLines(`/etc/systemd/system/${REFRESH_UNIT}.timer`, "0644", REFRESH_TIMER_UNIT),
        q(REFRESH_SCRIPT),
        "systemctl daemon-reload",
        `systemctl enable --now ${REFRESH_UNIT}.timer`,
        "",
    );
    if (c) {
        L.push(
            "# Container mode: the app runs as a container with the env file and the mount.",
            "if ! command -v docker >/dev/null; then",
            "    if [[ $PKG == dnf ]]; then install_pkg docker; else install_pkg docker.io; fi",
            "fi",
            "systemctl enable --now docker",
            ...writeFileLines(APP_RUN_SCRIPT, "0755", renderContainerRunScript(args)),
            ...writeFileLines(`/etc/systemd/system/${APP_UNIT}`, "0644", APP_SERVICE_UNIT),
            "systemctl daemon-reload",
            `systemctl enable ${APP_UNIT}`,
            `systemctl restart ${APP_UNIT}`,
        );
    } else {
        L.push(
            "# AMI mode: the image starts its own app; restart it so that it reads the fresh env files.",
            ...args.services.map((s) => `systemctl restart ${q(s)}`),
        );
    }
    L.push("log 'boot complete'", "");
    return L.join("\n");
}
