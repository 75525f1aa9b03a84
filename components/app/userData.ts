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
import { APP_RUN_SCRIPT, APP_UNIT, BOOT_LOG, NEVER_LINKED, REFRESH_SCRIPT, REFRESH_UNIT, STATE_DIR, shellQuote, writeFileLines, compactScript, type UserDataArgs } from "./bootCommon";
import { cloudWatchAgentLines, efsUtilsLines, packageLines } from "./bootSteps";
import { APP_SERVICE_UNIT, REFRESH_SERVICE_UNIT, REFRESH_TIMER_UNIT, renderContainerRunScript, renderRefreshScript } from "./refreshScript";

export * from "./bootCommon";
export { cloudWatchAgentBaseUrl, cloudWatchAgentConfig, normaliseFingerprint } from "./bootSteps";
export { renderContainerRunScript, renderRefreshScript } from "./refreshScript";

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

/** The boot's prologue: strict mode, the boot log, `log`, `step`, and the instance id through IMDSv2. */
function prologueLines(args: UserDataArgs): string[] {
    const q = shellQuote;
    return [
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
        "FAILED=()",
        "# Runs function $1 in a subshell with errexit; a failure is logged and recorded, and the boot goes on.",
        "step() {",
        "    local rc",
        "    log \"step: $1\"",
        "    set +e",
        "    (set -e; \"$1\")",
        "    rc=$?",
        "    set -e",
        "    if ((rc != 0)); then log \"ERROR: step $1 failed (exit $rc)\"; FAILED+=(\"$1\"); fi",
        "}",
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
    ];
}

/** Step (c): the app user, the refresh script and its timer, enabled before anything reads a secret. */
function refreshTimerLines(args: UserDataArgs): string[] {
    return [
        "# The refresh timer first: if the first read of the secrets fails, the timer retries it.",
        `OWNER=${shellQuote(args.envFile.owner)}`,
        "if ! id -u \"$OWNER\" >/dev/null 2>&1; then",
        "    log \"creating system user $OWNER\"",
        "    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin \"$OWNER\"",
        "fi",
        ...writeFileLines(REFRESH_SCRIPT, "0700", renderRefreshScript(args)),
        ...writeFileLines(`/etc/systemd/system/${REFRESH_UNIT}.service`, "0644", REFRESH_SERVICE_UNIT),
        ...writeFileLines(`/etc/systemd/system/${REFRESH_UNIT}.timer`, "0644", REFRESH_TIMER_UNIT),
        "systemctl daemon-reload",
        `systemctl enable --now ${REFRESH_UNIT}.timer`,
    ];
}

/** Step (d): the tools the refresh needs, then the env files. */
function envFileLines(): string[] {
    return [
        "env_files() {",
        "    # python3 parses the secrets' JSON: cloud-init runs on it, so every image has it (jq is not on Ubuntu).",
        "    command -v python3 >/dev/null || install_pkg python3",
        "    if ! command -v aws >/dev/null; then",
        "        if [[ $PKG == dnf ]]; then install_pkg awscli-2; else install_pkg awscli; fi",
        "    fi",
        `    DASHBOARD_BOOT=1 ${shellQuote(REFRESH_SCRIPT)}`,
        "}",
    ];
}

/** Step (e): efs-utils, the fstab line, the mount (retried 30 times), the content directories and links. */
function mountLines(args: UserDataArgs, dirs: readonly string[]): string[] {
    const q = shellQuote;
    const L = [
        "# EFS through the access point, with TLS and IAM. Never without TLS.",
        "efs() {",
        "    efs_utils",
        `    FSTAB_LINE=${q(fstabLine(args.fileSystemId, args.mountPath, args.accessPointId))}`,
        "    mkdir -p \"$MOUNT\"",
        "    grep -qxF -- \"$FSTAB_LINE\" /etc/fstab || printf '%s\\n' \"$FSTAB_LINE\" >>/etc/fstab",
        "    local attempt=0 delay",
        "    until mountpoint -q \"$MOUNT\"; do",
        "        attempt=$((attempt + 1))",
        "        if ((attempt > 30)); then",
        "            log \"ERROR: $MOUNT is still not mounted after 30 attempts\"",
        "            return 1",
        "        fi",
        "        if ! mount \"$MOUNT\"; then",
        "            delay=$((attempt < 10 ? attempt : 10))",
        "            log \"mounting $MOUNT failed (attempt $attempt); retrying in ${delay}s\"",
        "            sleep \"$delay\"",
        "        fi",
        "    done",
        "    log \"mounted $MOUNT\"",
    ];
    if (dirs.length > 0) L.push(`    for dir in ${dirs.map(q).join(" ")}; do`, "        [[ -d $MOUNT/$dir ]] || mkdir -- \"$MOUNT/$dir\"", "    done");
    if (args.linkInto !== undefined && dirs.length > 0) {
        L.push(
            `    # Link the shared directories into LINK_INTO (never ${NEVER_LINKED.join(", ")}).`,
            `    LINK_INTO=${q(args.linkInto)}`,
            "    mkdir -p \"$LINK_INTO\"",
            `    for dir in ${dirs.map(q).join(" ")}; do`,
            "        link=\"$LINK_INTO/$dir\"",
            "        if [[ -d $link && ! -L $link ]]; then",
            "            # The image ships this directory: seed an empty shared directory with it, keep it aside.",
            "            if [[ -z $(ls -A -- \"$MOUNT/$dir\") ]]; then",
            "                cp -R -- \"$link/.\" \"$MOUNT/$dir/\" || log \"WARNING: could not copy $link into $MOUNT/$dir\"",
            "            fi",
            "            mv -T -- \"$link\" \"$link.image-default.$(date +%Y%m%d%H%M%S)\"",
            "        fi",
            "        ln -sfn -- \"$MOUNT/$dir\" \"$link\"",
            "    done",
        );
    }
    L.push("}");
    return L;
}

/** Step (f): start the app: container mode (a fresh container from our unit) or the image's own containers recreated. */
function appLines(args: UserDataArgs): string[] {
    if (!args.container) {
        return [
            "# AMI mode: recreate the image's containers that read the env files, restart app.services.",
            `app() { DASHBOARD_BOOT=1 ${shellQuote(REFRESH_SCRIPT)} --restart-app; }`,
        ];
    }
    return [
        "# Container mode: the app runs as a container with the env file and the mount.",
        "app() {",
        "    if ! command -v docker >/dev/null; then",
        "        if [[ $PKG == dnf ]]; then install_pkg docker; else install_pkg docker.io; fi",
        "    fi",
        "    systemctl enable --now docker",
        ...writeFileLines(APP_RUN_SCRIPT, "0755", renderContainerRunScript(args)),
        ...writeFileLines(`/etc/systemd/system/${APP_UNIT}`, "0644", APP_SERVICE_UNIT),
        "    systemctl daemon-reload",
        `    systemctl enable ${APP_UNIT}`,
        `    systemctl restart ${APP_UNIT}`,
        "}",
    ];
}

/**
 * Renders the boot script (plain text, not base64). Pure and deterministic. Its order: (a) boot log and
 * instance id; (b) CloudWatch agent, best effort; (c) the refresh timer; (d) the env files; (e) efs-utils
 * and the mount; (f) the app. Steps (b), (d), (e) and (f) each run even when an earlier one failed; every
 * failure is logged to the boot log (shipped by the agent) and makes the script exit 1 at the end.
 */
export function renderUserData(args: UserDataArgs): string {
    const dirs = contentDirectories(args.directories);
    if (args.linkInto !== undefined) checkLinks(args.mountPath, args.linkInto, dirs);
    return withinUserDataLimit(bootScript(args, dirs));
}

/** EC2 refuses user data over 16 KB before base64 (`InvalidUserData.Malformed` at launch, not at preview). */
export const USER_DATA_LIMIT_BYTES = 16384;

/** The script, or an error naming the limit and the size, raised while the program runs (preview included). */
export function withinUserDataLimit(script: string): string {
    const bytes = Buffer.byteLength(script, "utf8");
    if (bytes > USER_DATA_LIMIT_BYTES) {
        throw new Error(
            `app servers' boot script: ${bytes} bytes is over EC2's user-data limit of ${USER_DATA_LIMIT_BYTES} (shorten app.logFiles, app.envFile.static, sideload.directories or app.container.env)`,
        );
    }
    return script;
}

/** The boot script's steps in order, compacted (full-line comments stripped). */
function bootScript(args: UserDataArgs, dirs: readonly string[]): string {
    return compactScript([
        ...prologueLines(args),
        "",
        ...packageLines(),
        "",
        "# CloudWatch agent first (best effort), so that a failing boot still ships its log.",
        ...cloudWatchAgentLines(args),
        "step cloudwatch_agent",
        "",
        ...refreshTimerLines(args),
        "",
        ...envFileLines(),
        "step env_files",
        "",
        ...efsUtilsLines(),
        ...mountLines(args, dirs),
        "step efs",
        "",
        ...appLines(args),
        "step app",
        "",
        "if ((${#FAILED[@]})); then",
        "    log \"ERROR: boot finished with failed steps: ${FAILED[*]}\"",
        "    exit 1",
        "fi",
        "log 'boot complete'",
        "",
    ]);
}
