/**
 * The boot script's package handling, CloudWatch agent install and EFS preparation, as bash lines.
 * Pure renderers; {@link ./userData.ts} puts them in order.
 *
 * - apt at first boot: cloud-init's own apt users and apt-daily may hold apt's locks. apt and dpkg take
 *   them with fcntl(2) record locks, which flock(1) does not see, so the wait asks for the same kind of
 *   lock (python3's `fcntl.lockf`) on `/var/lib/dpkg/lock-frontend` and `/var/lib/apt/lists/lock`
 *   (`DPkg::Lock::Timeout` covers only the former). `apt-get update` is retried with backoff and is
 *   recorded as done only when it succeeded.
 * - The CloudWatch agent on apt images comes from AWS's regional bucket as a .deb, verified with gpg in a
 *   throwaway home against the pinned key fingerprint before `dpkg -i`. Best effort: never stops the boot.
 * - efs-utils on apt images is installed by the State Manager association (Distributor package
 *   AmazonEFSUtils); the boot installs only its prerequisites and waits for {@link MOUNT_EFS}.
 */
import { BOOT_LOG, CLOUDWATCH_AGENT_FINGERPRINT, CLOUDWATCH_CONFIG, CLOUDWATCH_CTL, MOUNT_EFS, shellQuote, writeFileLines, type UserDataArgs } from "./bootCommon";

/** Longest wait for the association to install efs-utils. */
export const EFS_UTILS_WAIT_SECONDS = 900;
/** How often the boot looks for {@link MOUNT_EFS}. */
export const EFS_UTILS_POLL_SECONDS = 10;

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

/** The agent package bucket for `region`, or the override. Throws on a trailing slash or a non-https URL. */
export function cloudWatchAgentBaseUrl(region: string, override?: string): string {
    const url = override ?? `https://amazoncloudwatch-agent-${region}.s3.${region}.amazonaws.com`;
    if (!/^https:\/\/[^\s'"]+[^/]$/.test(url)) throw new Error(`cloudWatchAgentBaseUrl "${url}" must be an https URL without a trailing slash`);
    return url;
}

/** The fingerprint in gpg's status format (40 upper-case hex digits). Throws on anything else. */
export function normaliseFingerprint(fingerprint: string = CLOUDWATCH_AGENT_FINGERPRINT): string {
    const f = fingerprint.replace(/\s+/g, "").toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(f)) throw new Error(`cloudWatchAgentFingerprint "${fingerprint}" is not a 40-digit key fingerprint`);
    return f;
}

/** Package manager detection and the apt helpers (lock wait, retried update, install). */
export function packageLines(): string[] {
    return [
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
        "# Exists once apt-get update succeeded in this boot (steps run in subshells, so not a variable).",
        "APT_UPDATED=/run/dashboard-apt-updated",
        "rm -f \"$APT_UPDATED\"",
        "# Waits (bounded) for apt-daily and for whoever holds apt's fcntl locks (flock(1) does not see them).",
        "apt_wait() {",
        "    local i",
        "    if command -v systemctl >/dev/null; then",
        "        for ((i = 0; i < 60; i++)); do",
        "            systemctl is-active --quiet apt-daily.service apt-daily-upgrade.service || break",
        "            if ((i % 6 == 0)); then log 'waiting for apt-daily to finish'; fi",
        "            sleep 10",
        "        done",
        "    fi",
        "    timeout 600 python3 -I -S -c '",
        "import fcntl, sys",
        "for path in sys.argv[1:]:",
        "    try:",
        "        f = open(path, \"a\")",
        "    except OSError:",
        "        continue",
        "    fcntl.lockf(f, fcntl.LOCK_EX)",
        "    f.close()",
        "' /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock || log 'WARNING: apt locks still held after 600s'",
        "}",
        "apt_update() {",
        "    local attempt",
        "    [[ -e $APT_UPDATED ]] && return 0",
        "    for attempt in 1 2 3 4 5 6; do",
        "        apt_wait",
        "        if apt-get -q -o DPkg::Lock::Timeout=300 update; then",
        "            touch \"$APT_UPDATED\"",
        "            return 0",
        "        fi",
        "        log \"apt-get update failed (attempt $attempt); retrying in $((attempt * 10))s\"",
        "        sleep $((attempt * 10))",
        "    done",
        "    log 'ERROR: apt-get update failed 6 times'",
        "    return 1",
        "}",
        "installed() {",
        "    if [[ $PKG == dnf ]]; then rpm -q \"$1\" >/dev/null 2>&1; else dpkg -s \"$1\" >/dev/null 2>&1; fi",
        "}",
        "install_pkg() {",
        "    if installed \"$1\"; then return 0; fi",
        "    log \"installing $1\"",
        "    if [[ $PKG == dnf ]]; then dnf install -y \"$1\"; return; fi",
        "    apt_update",
        "    apt_wait",
        "    apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends \"$1\"",
        "}",
    ];
}

/** The CloudWatch agent step: install (dnf, or AWS's signed .deb on apt images), configure, start. Every failure is logged, none stops the boot. */
export function cloudWatchAgentLines(args: UserDataArgs): string[] {
    const q = shellQuote;
    return [
        `CW_CTL=${q(CLOUDWATCH_CTL)}`,
        `CW_BASE=${q(cloudWatchAgentBaseUrl(args.region, args.cloudWatchAgentBaseUrl))}`,
        `CW_FINGERPRINT=${q(normaliseFingerprint(args.cloudWatchAgentFingerprint))}`,
        "# Downloads AWS's agent package, checks it was signed by the pinned key (gpgv, throwaway home: no agent), installs it.",
        "cw_install_deb() {",
        "    local arch dir",
        "    case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) log \"no CloudWatch agent package for $(uname -m)\"; return 1 ;; esac",
        "    dir=$(mktemp -d)",
        "    mkdir -m 0700 \"$dir/gnupg\"",
        "    curl -fsS --retry 3 -o \"$dir/agent.deb\" \"$CW_BASE/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb\" &&",
        "        curl -fsS --retry 3 -o \"$dir/agent.deb.sig\" \"$CW_BASE/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb.sig\" &&",
        "        curl -fsS --retry 3 -o \"$dir/key.gpg\" \"$CW_BASE/assets/amazon-cloudwatch-agent.gpg\" &&",
        "        { if grep -q 'BEGIN PGP' \"$dir/key.gpg\"; then gpg --batch --homedir \"$dir/gnupg\" --dearmor; else cat; fi; } <\"$dir/key.gpg\" >\"$dir/key.bin\" &&",
        "        gpgv --homedir \"$dir/gnupg\" --keyring \"$dir/key.bin\" --status-fd 1 \"$dir/agent.deb.sig\" \"$dir/agent.deb\" 2>/dev/null |",
        "        awk -v f=\"$CW_FINGERPRINT\" '$1 == \"[GNUPG:]\" && $2 == \"VALIDSIG\" && ($3 == f || $NF == f) { ok = 1 } END { exit !ok }' ||",
        "        { log 'ERROR: the CloudWatch agent package could not be downloaded or is not signed by the pinned key'; rm -rf -- \"$dir\"; return 1; }",
        "    apt_wait",
        "    dpkg -i \"$dir/agent.deb\" || { log 'ERROR: dpkg -i amazon-cloudwatch-agent failed'; rm -rf -- \"$dir\"; return 1; }",
        "    rm -rf -- \"$dir\"",
        "}",
        "cloudwatch_agent() {",
        "    if [[ ! -x $CW_CTL ]]; then",
        "        log 'installing amazon-cloudwatch-agent'",
        "        if [[ $PKG == dnf ]]; then dnf install -y amazon-cloudwatch-agent || true; else cw_install_deb || true; fi",
        "    fi",
        "    if [[ ! -x $CW_CTL ]]; then",
        "        log 'WARNING: amazon-cloudwatch-agent is not installed: logs are not shipped to CloudWatch'",
        "        return 0",
        "    fi",
        ...writeFileLines(CLOUDWATCH_CONFIG, "0644", cloudWatchAgentConfig(args.logGroupName, args.logFiles)),
        `    "$CW_CTL" -a fetch-config -m ec2 -c ${q(`file:${CLOUDWATCH_CONFIG}`)} -s || log 'WARNING: the CloudWatch agent did not start'`,
        "}",
    ];
}

/** The EFS prerequisites: dnf installs efs-utils; apt images get nfs-common and stunnel4 and wait for the association's {@link MOUNT_EFS}. */
export function efsUtilsLines(): string[] {
    return [
        "efs_utils() {",
        "    if [[ $PKG == dnf ]]; then install_pkg amazon-efs-utils; return; fi",
        "    # apt images: efs-utils comes from the State Manager association (Distributor package AmazonEFSUtils).",
        "    install_pkg nfs-common",
        "    install_pkg stunnel4",
        "    local waited=0",
        `    until [[ -x ${MOUNT_EFS} ]]; do`,
        `        if ((waited >= ${EFS_UTILS_WAIT_SECONDS})); then`,
        `            log "ERROR: ${MOUNT_EFS} did not appear within \${waited}s: the State Manager association (AWS-ConfigureAWSPackage, AmazonEFSUtils) has not installed efs-utils; not mounting without TLS"`,
        "            return 1",
        "        fi",
        `        if ((waited % 60 == 0)); then log "waiting for the SSM association to install efs-utils (${MOUNT_EFS}), \${waited}s so far"; fi`,
        `        sleep ${EFS_UTILS_POLL_SECONDS}`,
        `        waited=$((waited + ${EFS_UTILS_POLL_SECONDS}))`,
        "    done",
        `    log "${MOUNT_EFS} is installed"`,
        "}",
    ];
}
