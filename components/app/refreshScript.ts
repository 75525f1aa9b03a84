/**
 * The scripts and units the boot script installs: the secrets refresh ({@link REFRESH_SCRIPT}), its
 * 15-minute timer, and in container mode the app's start script and unit. Pure renderers.
 *
 * Docker keeps the environment a container was created with: restarting the daemon or the container
 * leaves the old password. So a refresh that changed the files recreates the containers that read them:
 * container mode restarts {@link APP_UNIT}, whose start removes and re-runs the container; AMI mode runs
 * Docker Compose `up -d --force-recreate --no-deps` for each running container whose environment names the
 * password variable, and restarts the configured units (never `docker`).
 */
import { APP_RUN_SCRIPT, APP_UNIT, BOOT_LOG, REFRESH_SCRIPT, STATE_DIR, compactScript, shellQuote, type UserDataArgs } from "./bootCommon";

/** The refresh script's way of making the app read the rewritten files, as bash lines defining `restart_app`. */
function restartAppLines(args: UserDataArgs): string[] {
    const q = shellQuote;
    if (args.container) return ["restart_app() { systemctl restart " + q(APP_UNIT) + "; }"];
    return [
            `PASSWORD_VAR=${q(args.envFile.names.password)}`,
            `RESTART_UNITS=(${args.services.map(q).join(" ")})`,
            "# Recreates the Docker Compose services whose running containers read PASSWORD_VAR (only the variable",
            "# names are inspected, never the values), then restarts RESTART_UNITS.",
            "recreate_containers() {",
            "    command -v docker >/dev/null || return 0",
            "    local id names name project files dir service f rc=0 seen=' '",
            "    local -a ids compose fargs flist",
            "    if docker compose version >/dev/null 2>&1; then compose=(docker compose); elif command -v docker-compose >/dev/null; then compose=(docker-compose); fi",
            "    mapfile -t ids < <(docker ps -q)",
            "    for id in \"${ids[@]}\"; do",
            "        names=$(docker inspect --format '{{range .Config.Env}}{{index (split . \"=\") 0}} {{end}}' \"$id\") || continue",
            "        [[ \" $names \" == *\" $PASSWORD_VAR \"* ]] || continue",
            "        IFS=$'\\x1f' read -r name project files dir service < <(docker inspect --format '{{.Name}}{{\"\\x1f\"}}{{index .Config.Labels \"com.docker.compose.project\"}}{{\"\\x1f\"}}{{index .Config.Labels \"com.docker.compose.project.config_files\"}}{{\"\\x1f\"}}{{index .Config.Labels \"com.docker.compose.project.working_dir\"}}{{\"\\x1f\"}}{{index .Config.Labels \"com.docker.compose.service\"}}' \"$id\")",
            "        if [[ -z $project || -z $service || -z $files || $project == '<no value>' ]]; then",
            "            log \"WARNING: container ${name#/} reads $PASSWORD_VAR but was not started by Docker Compose: it keeps the old value until a unit in app.services recreates it\"",
            "            continue",
            "        fi",
            "        [[ $seen == *\" $project/$service \"* ]] && continue",
            "        seen+=\"$project/$service \"",
            "        if ((${#compose[@]} == 0)); then log \"ERROR: no docker compose to recreate $project/$service\"; rc=1; continue; fi",
            "        fargs=()",
            "        IFS=, read -r -a flist <<<\"$files\"",
            "        for f in \"${flist[@]}\"; do fargs+=(-f \"$f\"); done",
            "        log \"recreating $project/$service (container ${name#/})\"",
            "        (cd \"$dir\" && \"${compose[@]}\" -p \"$project\" \"${fargs[@]}\" up -d --force-recreate --no-deps \"$service\") || { log \"ERROR: recreating $project/$service failed\"; rc=1; }",
            "    done",
            "    return \"$rc\"",
            "}",
            "restart_app() {",
            "    local rc=0 unit",
            "    recreate_containers || rc=1",
            "    for unit in \"${RESTART_UNITS[@]}\"; do",
            "        log \"restarting $unit\"",
            "        systemctl restart \"$unit\" || { log \"ERROR: restarting $unit failed\"; rc=1; }",
            "    done",
            "    return \"$rc\"",
            "}",
    ];
}

/**
 * The refresh script installed at {@link REFRESH_SCRIPT}. Without arguments it writes the env files
 * (boot); with `--if-changed` (the timer, and SSM Run Command on rotation) it exits at once unless a
 * secret's VersionId differs from the one recorded, and otherwise rewrites the files, makes the app read
 * them and records the new version; with `--restart-app` it only makes the app read the files (boot, AMI
 * mode). `stateDir` exists for tests; production uses {@link STATE_DIR}.
 */
export function renderRefreshScript(args: UserDataArgs, stateDir: string = STATE_DIR): string {
    checkRefreshInputs(args);
    return compactScript([...refreshPreambleLines(args, stateDir), "", ...secretReadLines(args), "", ...envWriteLines(args)], 5);
}

/** Refuses what the env files cannot hold: a static variable the script writes itself, a value with a line break. */
function checkRefreshInputs(args: UserDataArgs): void {
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
}

/** The script's settings, argument parsing, logging, `restart_app`, the lock and the temporary-file trap. */
function refreshPreambleLines(args: UserDataArgs, stateDir: string): string[] {
    const q = shellQuote;
    const e = args.envFile;
    const licence = args.licenceSecretArn !== undefined;
    return [
        "#!/bin/bash",
        "# Installed by the dashboard boot script. Reads the database secret (and the licence secret) from",
        "# Secrets Manager and writes the env files (Docker --env-file format: NAME=value, value verbatim)",
        "# atomically, mode 0600. --if-changed: only when a secret's version changed, and then recreates the",
        "# app's containers. --restart-app: only that. Secret values stay in variables and pipes, never in argv.",
        "set -euo pipefail",
        "umask 077",
        `REGION=${q(args.region)}`,
        `DB_SECRET_ARN=${q(args.databaseSecretArn)}`,
        ...(licence ? [`LICENCE_SECRET_ARN=${q(args.licenceSecretArn ?? "")}`] : []),
        `OWNER=${q(e.owner)}`,
        `STATE_DIR=${q(stateDir)}`,
        "case \"${1:-}\" in",
        "    --if-changed) MODE=if-changed ;;",
        "    --restart-app) MODE=restart ;;",
        "    '') MODE=boot ;;",
        "    *) echo \"usage: $0 [--if-changed | --restart-app]\" >&2; exit 2 ;;",
        "esac",
        "# Run by the timer or by SSM Run Command (on rotation): append to the boot log, which the agent ships.",
        "# The boot script sets DASHBOARD_BOOT=1: its own output already goes there.",
        `if [[ \${DASHBOARD_BOOT:-} != 1 ]]; then exec > >(tee -a ${q(BOOT_LOG)}) 2>&1; fi`,
        "log() { echo \"$(date -Is) dashboard-refresh-secrets: $*\"; }",
        ...restartAppLines(args),
        "mkdir -p \"$STATE_DIR\"",
        "exec 9>\"$STATE_DIR/refresh.lock\"",
        "flock 9",
        "if [[ $MODE == restart ]]; then restart_app; exit; fi",
        "tmp=",
        "trap 'if [[ -n $tmp ]]; then rm -f -- \"$tmp\"; fi' EXIT",
    ];
}

/** Reads the database (and licence) secret into variables; `--if-changed` stops here when no version changed. */
function secretReadLines(args: UserDataArgs): string[] {
    const licence = args.licenceSecretArn !== undefined;
    return [
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
        "if [[ $MODE == if-changed && -f $STATE_DIR/secret-version && \"$(cat \"$STATE_DIR/secret-version\")\" == \"$version\" ]]; then",
        "    exit 0",
        "fi",
    ];
}

/** Writes the env files (all variables to the main file, the database ones to each extra path) and records the version. */
function envWriteLines(args: UserDataArgs): string[] {
    const q = shellQuote;
    const e = args.envFile;
    const n = e.names;
    const licence = args.licenceSecretArn !== undefined;
    const envLine = (name: string, value: string) => `    env_line ${q(name)} ${value}`;
    return [
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
        "if [[ $MODE == if-changed ]]; then",
        "    log \"secret version now $version: making the app read the new files\"",
        "    restart_app",
        "fi",
        "printf '%s\\n' \"$version\" >\"$STATE_DIR/secret-version\"",
        "",
    ];
}

/** The container mode's start script, run in the foreground by {@link APP_UNIT}: a fresh container on every start. Throws in AMI mode. */
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
    return compactScript([
        "#!/bin/bash",
        "# Runs the dashboard container in the foreground for dashboard-app.service (Restart=always).",
        "# Every start creates a fresh container, so it reads the env file as it is now.",
        "set -euo pipefail",
        `if ! mountpoint -q ${q(args.mountPath)}; then`,
        `    echo ${q(`${args.mountPath} is not mounted; not starting the app`)} >&2`,
        "    exit 1",
        "fi",
        `instance_id=$(cat ${q(`${STATE_DIR}/instance-id`)})`,
        "docker rm -f dashboard-app >/dev/null 2>&1 || true",
        `exec docker run ${dockerArgs.join(" ")}`,
        "",
    ]);
}

export const REFRESH_SERVICE_UNIT = `[Unit]
Description=Re-read the dashboard secrets; recreate the app's containers if a secret's version changed
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${REFRESH_SCRIPT} --if-changed
`;

export const REFRESH_TIMER_UNIT = `[Unit]
Description=Re-read the dashboard secrets every 15 minutes (backstop; rotation triggers a refresh at once)

[Timer]
OnBootSec=15min
OnUnitActiveSec=15min
Persistent=true

[Install]
WantedBy=timers.target
`;

export const APP_SERVICE_UNIT = `[Unit]
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
