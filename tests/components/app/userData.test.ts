import * as assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    cloudWatchAgentBaseUrl,
    cloudWatchAgentConfig,
    compactScript,
    contentDirectories,
    normaliseFingerprint,
    fstabLine,
    renderContainerRunScript,
    renderRefreshScript,
    renderUserData,
    shellQuote,
    type UserDataArgs,
} from "../../../components/app/userData";
import { baseArgs, CUSTOM_ENV, DB_ARN, LICENCE_ARN, lines } from "../../bootArgs";

const SHELLCHECK = "/usr/bin/shellcheck";
const FSTAB = "fs-0123456789abcdef0 /var/dashboard/content efs _netdev,noresvport,tls,iam,accesspoint=fsap-0123456789abcdef0 0 0";

interface Variant {
    readonly name: string;
    readonly container: boolean;
    readonly licence: boolean;
    readonly link: boolean;
    readonly custom: boolean;
    readonly args: UserDataArgs;
}

/** Every combination of mode × licence × linkInto × env-file naming: 16 variants. */
const VARIANTS: Variant[] = [];
for (const container of [false, true]) {
    for (const licence of [false, true]) {
        for (const link of [false, true]) {
            for (const custom of [false, true]) {
                const args: UserDataArgs = {
                    ...baseArgs(),
                    ...(licence ? { licenceSecretArn: LICENCE_ARN } : {}),
                    ...(link ? { linkInto: "/var/panintelligence" } : {}),
                    ...(custom ? { envFile: CUSTOM_ENV, services: ["dashboard.service", "scheduler.service"] } : {}),
                    ...(container ? { container: { image: "registry.example.com/dashboard:2026.11", env: { TZ: "Europe/London", JAVA_OPTS: "-Xmx2g -Dx='y'" }, port: 8224 } } : {}),
                };
                const name = `${container ? "container" : "AMI"}, ${licence ? "licence" : "no licence"}, ${link ? "linkInto" : "no links"}, ${custom ? "custom env file" : "default env file"}`;
                VARIANTS.push({ name, container, licence, link, custom, args });
            }
        }
    }
}

/** The variable names passed to env_line inside shell function `fn` of the refresh script. */
function envNames(script: string, fn: string): string[] {
    const body = script.split(`\n${fn}() {\n`)[1]?.split("\n}\n")[0];
    assert.ok(body !== undefined, `function ${fn} not found`);
    return lines(body).map((l) => {
        const m = /^ {4}(?:env_line '([A-Za-z_0-9]+)' .*|(db_vars))$/.exec(l);
        assert.ok(m, `unexpected line in ${fn}: ${l}`);
        return m[1] ?? m[2];
    });
}

function shellcheck(script: string): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        const child = execFile(SHELLCHECK, ["-s", "bash", "-S", "warning", "-"], (error, stdout, stderr) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
        });
        child.stdin?.end(script);
    });
}

describe("components/app/userData", () => {
    describe("shellQuote", () => {
        const table: [string, string, string][] = [
            ["plain", "abc", "'abc'"],
            ["empty", "", "''"],
            ["spaces", "a b  c", "'a b  c'"],
            ["single quote", "it's", "'it'\\''s'"],
            ["double quotes", 'say "hi"', "'say \"hi\"'"],
            ["dollar", "$HOME ${PATH} $(id)", "'$HOME ${PATH} $(id)'"],
            ["backticks", "`id`", "'`id`'"],
            ["newline", "a\nb", "'a\nb'"],
            ["backslash and glob", "a\\b * ?", "'a\\b * ?'"],
            ["only quotes", "''", "''\\'''\\'''"],
        ];
        for (const [what, input, expected] of table) {
            it(`quotes ${what}`, () => assert.equal(shellQuote(input), expected));
        }

        it("round-trips every case through bash unchanged", () => {
            const script = table.map(([, input]) => `printf '%s\\0' ${shellQuote(input)}`).join("\n");
            const out = execFileSync("bash", ["-c", script], { encoding: "utf8" });
            assert.deepEqual(out.split("\0").slice(0, -1), table.map(([, input]) => input));
        });

        it("refuses NUL, which bash cannot hold", () => {
            assert.throws(() => shellQuote("a\0b"), /NUL/);
        });
    });

    describe("pure helpers", () => {
        it("fstabLine mounts the access point with TLS and IAM", () => {
            assert.equal(fstabLine("fs-0123456789abcdef0", "/var/dashboard/content", "fsap-0123456789abcdef0"), FSTAB);
        });

        it("fstabLine refuses whitespace that would split an fstab field", () => {
            assert.throws(() => fstabLine("fs-1", "/var/my content", "fsap-1"), /mountPath/);
            assert.throws(() => fstabLine("fs-1\n", "/x", "fsap-1"), /fileSystemId/);
            assert.throws(() => fstabLine("fs-1", "/x", ""), /accessPointId/);
        });

        it("contentDirectories keeps order, drops duplicates and svg, keys, logs", () => {
            assert.deepEqual(contentDirectories({ images: "images", svg: "svg", themes: "themes", keys: "keys", other: "images", logs: "logs", "excel-data": "excel" }), [
                "images",
                "themes",
                "excel",
            ]);
        });

        it("contentDirectories refuses names that leave the mount", () => {
            assert.throws(() => contentDirectories({ images: ".." }), /directories\.images/);
            assert.throws(() => contentDirectories({ images: "a/b" }), /directories\.images/);
            assert.throws(() => contentDirectories({ images: "" }), /directories\.images/);
        });

        it("cloudWatchAgentConfig ships the boot log and each log file with instance streams", () => {
            assert.deepEqual(JSON.parse(cloudWatchAgentConfig("/dashboard/x/app", ["/var/panintelligence/logs/*.log", "/var/log/app:1.log"])), {
                agent: { run_as_user: "root" },
                logs: {
                    logs_collected: {
                        files: {
                            collect_list: [
                                { file_path: "/var/log/dashboard-boot.log", log_group_name: "/dashboard/x/app", log_stream_name: "{instance_id}/boot" },
                                { file_path: "/var/panintelligence/logs/*.log", log_group_name: "/dashboard/x/app", log_stream_name: "{instance_id}/var/panintelligence/logs/_.log" },
                                { file_path: "/var/log/app:1.log", log_group_name: "/dashboard/x/app", log_stream_name: "{instance_id}/var/log/app_1.log" },
                            ],
                        },
                    },
                },
            });
        });

        it("cloudWatchAgentBaseUrl defaults to the regional bucket and refuses what a script cannot use", () => {
            assert.equal(cloudWatchAgentBaseUrl("eu-west-1"), "https://amazoncloudwatch-agent-eu-west-1.s3.eu-west-1.amazonaws.com");
            assert.equal(cloudWatchAgentBaseUrl("eu-west-1", "https://mirror.example.com/cw"), "https://mirror.example.com/cw");
            assert.throws(() => cloudWatchAgentBaseUrl("eu-west-1", "https://x.example.com/"), /trailing slash/);
            assert.throws(() => cloudWatchAgentBaseUrl("eu-west-1", "http://x.example.com"), /https/);
            assert.throws(() => cloudWatchAgentBaseUrl("eu-west-1", "https://x.example.com/'a"), /https/);
        });

        it("normaliseFingerprint accepts AWS's spaced form and refuses anything but 40 hex digits", () => {
            assert.equal(normaliseFingerprint(), "937616F3450B7D806CBD9725D58167303B789C72");
            assert.equal(normaliseFingerprint("9376 16F3 450B 7D80 6CBD  9725 D581 6730 3B78 9c72"), "937616F3450B7D806CBD9725D58167303B789C72");
            assert.throws(() => normaliseFingerprint("3B789C72"), /40-digit/);
            assert.throws(() => normaliseFingerprint("Z".repeat(40)), /40-digit/);
        });

        it("renders the agent's URL and fingerprint overrides", () => {
            const text = renderUserData({ ...baseArgs(), cloudWatchAgentBaseUrl: "https://127.0.0.1:8443", cloudWatchAgentFingerprint: "ab".repeat(20) });
            assert.ok(lines(text).includes("CW_BASE='https://127.0.0.1:8443'"));
            assert.ok(lines(text).includes(`CW_FINGERPRINT='${"AB".repeat(20)}'`));
        });

        it("compactScript drops comment lines but keeps the header and here-document content", () => {
            assert.equal(
                compactScript(["#!/bin/bash", "# header", "# gone", "x=1  # kept", "    # gone too", "cat > f <<'DASHBOARD_EOF'", "# kept in data", "DASHBOARD_EOF", "# gone"], 2),
                "#!/bin/bash\n# header\nx=1  # kept\ncat > f <<'DASHBOARD_EOF'\n# kept in data\nDASHBOARD_EOF",
            );
        });

        it("renderRefreshScript refuses a static variable that shadows a written one", () => {
            const args = { ...baseArgs(), envFile: { ...CUSTOM_ENV, static: { DB_PASS: "x" } } };
            assert.throws(() => renderRefreshScript(args), /envFile\.static\.DB_PASS/);
        });

        it("refuses fixed env values with a line break", () => {
            assert.throws(() => renderRefreshScript({ ...baseArgs(), envFile: { ...CUSTOM_ENV, static: { X: "a\nb" } } }), /envFile\.static\.X contains a line break/);
            assert.throws(() => renderRefreshScript({ ...baseArgs(), databaseHost: "h\r" }), /databaseHost contains a line break/);
        });

        it("refuses links that would replace the mount or live inside it", () => {
            assert.throws(() => renderUserData({ ...baseArgs(), linkInto: "/var/dashboard/content" }), /lies inside the mount/);
            // A boot script EC2 would refuse at launch fails the program instead.
            assert.throws(
                () => renderUserData({ ...baseArgs(), logFiles: Array.from({ length: 120 }, (_, i) => `/var/panintelligence/logs/service-${i}/*.log`) }),
                /^Error: app servers' boot script: \d+ bytes is over EC2's user-data limit of 16384 \(shorten app.logFiles/,
            );
            assert.throws(() => renderUserData({ ...baseArgs(), linkInto: "/var/dashboard/content/links" }), /lies inside the mount/);
            assert.throws(() => renderUserData({ ...baseArgs(), mountPath: "/srv/images", linkInto: "/srv" }), /would replace the mount/);
            assert.throws(() => renderUserData({ ...baseArgs(), mountPath: "/srv/images/x", linkInto: "/srv" }), /would replace the mount/);
            assert.doesNotThrow(() => renderUserData({ ...baseArgs(), mountPath: "/srv/imagesx", linkInto: "/srv" }));
        });

        it("the fstab guard keeps one line however often it runs", () => {
            const all = lines(renderUserData(baseArgs()));
            const fstab = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "fstab-")), "fstab");
            fs.writeFileSync(fstab, "UUID=abc / xfs defaults 0 0\n");
            const snippet = [all.find((l) => l.startsWith("    FSTAB_LINE=")), all.find((l) => l.startsWith("    grep -qxF"))].join("\n").replaceAll("/etc/fstab", shellQuote(fstab));
            execFileSync("bash", ["-euc", `${snippet}\n${snippet}\n${snippet}`]);
            assert.equal(fs.readFileSync(fstab, "utf8"), `UUID=abc / xfs defaults 0 0\n${FSTAB}\n`);
            fs.rmSync(path.dirname(fstab), { recursive: true });
        });

        it("renderContainerRunScript needs container mode", () => {
            assert.throws(() => renderContainerRunScript(baseArgs()), /args\.container/);
        });

        it("is deterministic", () => {
            for (const v of VARIANTS) assert.equal(renderUserData(v.args), renderUserData(v.args));
        });
    });

    describe("renderUserData variants", () => {
        for (const v of VARIANTS) {
            describe(v.name, () => {
                const text = renderUserData(v.args);
                const all = lines(text);
                const refresh = renderRefreshScript(v.args);
                const n = v.args.envFile.names;

                it("is a bash script with strict mode, a boot log and IMDSv2 only", () => {
                    assert.equal(all[0], "#!/bin/bash");
                    assert.ok(all.includes("set -euo pipefail"));
                    assert.ok(all.includes("BOOT_LOG='/var/log/dashboard-boot.log'"));
                    assert.ok(all.includes('exec > >(tee -a "$BOOT_LOG") 2>&1'));
                    assert.ok(text.includes("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token"));
                    const metadataCalls = all.filter((l) => l.includes("169.254.169.254"));
                    assert.equal(metadataCalls.length, 2);
                    assert.ok(metadataCalls[1].includes('-H "X-aws-ec2-metadata-token: $token"'));
                    assert.ok(Buffer.byteLength(text) < 16384, `user data is ${Buffer.byteLength(text)} bytes; EC2 allows 16 KB`);
                });

                it("mounts EFS with TLS through an idempotent fstab entry, retried 30 times, never without efs-utils", () => {
                    assert.ok(all.includes(`    FSTAB_LINE='${FSTAB}'`));
                    assert.ok(all.includes(`    grep -qxF -- "$FSTAB_LINE" /etc/fstab || printf '%s\\n' "$FSTAB_LINE" >>/etc/fstab`));
                    assert.ok(all.includes("        if ((attempt > 30)); then"));
                    assert.ok(all.includes('        if ! mount "$MOUNT"; then'));
                    assert.ok(!/mount -t nfs|nfs4/.test(text));
                    assert.ok(all.includes("    for dir in 'images' 'themes' 'excel'; do"));
                });

                it(v.link ? "links each content directory into linkInto" : "creates no links", () => {
                    const linkLines = all.filter((l) => l.includes("ln -s"));
                    if (v.link) {
                        assert.ok(all.includes("    LINK_INTO='/var/panintelligence'"));
                        assert.deepEqual(linkLines, ['        ln -sfn -- "$MOUNT/$dir" "$link"']);
                        assert.equal(all.filter((l) => l === "    for dir in 'images' 'themes' 'excel'; do").length, 2);
                    } else {
                        assert.deepEqual(linkLines, []);
                        assert.ok(!text.includes("LINK_INTO"));
                    }
                });

                it("installs the refresh script, a 15-minute timer and enables it", () => {
                    assert.ok(text.includes(`cat > '/usr/local/sbin/dashboard-refresh-secrets' <<'DASHBOARD_EOF'\n${refresh}DASHBOARD_EOF\n`));
                    assert.ok(all.includes("install -D -m 0700 /dev/null '/usr/local/sbin/dashboard-refresh-secrets'"));
                    assert.ok(text.includes("[Timer]\nOnBootSec=15min\nOnUnitActiveSec=15min\nPersistent=true\n"));
                    assert.ok(all.includes("ExecStart=/usr/local/sbin/dashboard-refresh-secrets --if-changed"));
                    assert.ok(all.includes("systemctl enable --now dashboard-refresh-secrets.timer"));
                    assert.ok(all.includes("    DASHBOARD_BOOT=1 '/usr/local/sbin/dashboard-refresh-secrets'"), "the first refresh runs at boot");
                    assert.ok(lines(refresh).includes("if [[ ${DASHBOARD_BOOT:-} != 1 ]]; then exec > >(tee -a '/var/log/dashboard-boot.log') 2>&1; fi"), "timer and Run Command output reaches the boot log");
                    assert.ok(refresh.includes(`aws secretsmanager get-secret-value --secret-id "$1" --region "$REGION" --output json`));
                    assert.ok(lines(refresh).includes(`DB_SECRET_ARN='${DB_ARN}'`));
                    assert.equal(lines(refresh).includes(`LICENCE_SECRET_ARN='${LICENCE_ARN}'`), v.licence);
                    assert.ok(lines(refresh).includes(`OWNER='${v.args.envFile.owner}'`));
                    assert.ok(all.includes('    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$OWNER"'));
                });

                it("writes exactly the expected variable names into each env file", () => {
                    const db = [n.host, n.port, n.engine, n.database, n.username, n.password];
                    assert.deepEqual(envNames(refresh, "db_vars"), db);
                    assert.deepEqual(envNames(refresh, "main_vars"), ["db_vars", ...(v.licence ? [n.licence] : []), ...Object.keys(v.args.envFile.static)]);
                    const writes = lines(refresh).filter((l) => l.startsWith("write_env "));
                    const expected = v.custom
                        ? ["write_env '/etc/analytics/app.env' main_vars"]
                        : ["write_env '/var/panintelligence/dashboard.env' main_vars", "write_env '/var/panintelligence/scheduler.env' db_vars"];
                    assert.deepEqual(writes, expected);
                    if (v.custom) assert.ok(lines(refresh).includes(`    env_line 'GREETING' 'it'\\''s $HOME \`now\`'`));
                });

                if (v.container) {
                    it("runs the container with the env file, the mount and awslogs, restarting always", () => {
                        const run = renderContainerRunScript(v.args);
                        const envFile = v.custom ? "/etc/analytics/app.env" : "/var/panintelligence/dashboard.env";
                        assert.ok(
                            lines(run).includes(
                                `exec docker run --rm --name dashboard-app --env-file '${envFile}' -e 'TZ=Europe/London' -e 'JAVA_OPTS=-Xmx2g -Dx='\\''y'\\''' ` +
                                    "-v '/var/dashboard/content:/var/dashboard/content' -p '8224:8224' --log-driver awslogs " +
                                    "--log-opt 'awslogs-group=/dashboard/acme-prod/app' --log-opt 'awslogs-region=eu-west-1' " +
                                    `--log-opt "awslogs-stream=$instance_id/app" 'registry.example.com/dashboard:2026.11'`,
                            ),
                        );
                        assert.ok(text.includes(`cat > '/usr/local/sbin/dashboard-app-run' <<'DASHBOARD_EOF'\n${run}DASHBOARD_EOF\n`));
                        assert.ok(all.includes("Restart=always"));
                        assert.ok(all.includes("ExecStart=/usr/local/sbin/dashboard-app-run"));
                        assert.ok(all.includes("        if [[ $PKG == dnf ]]; then install_pkg docker; else install_pkg docker.io; fi"));
                        assert.ok(text.includes("    systemctl enable dashboard-app.service\n    systemctl restart dashboard-app.service\n}\nstep app\n"));
                        assert.ok(lines(refresh).includes("restart_app() { systemctl restart 'dashboard-app.service'; }"));
                        assert.ok(!refresh.includes("RESTART_UNITS"));
                    });
                } else {
                    it("recreates the image's containers through the refresh script, restarts only the configured units, runs no container", () => {
                        assert.deepEqual(all.filter((l) => /^\s*systemctl restart/.test(l)), ['        systemctl restart "$unit" || { log "ERROR: restarting $unit failed"; rc=1; }'], "only the refresh script's loop over RESTART_UNITS");
                        assert.ok(all.includes("app() { DASHBOARD_BOOT=1 '/usr/local/sbin/dashboard-refresh-secrets' --restart-app; }"));
                        assert.ok(!text.includes("docker run"));
                        assert.ok(!text.includes("dashboard-app"));
                        assert.ok(lines(refresh).includes(v.custom ? "RESTART_UNITS=('dashboard.service' 'scheduler.service')" : "RESTART_UNITS=()"));
                        assert.ok(lines(refresh).includes(`PASSWORD_VAR='${n.password}'`));
                        assert.ok(refresh.includes("up -d --force-recreate --no-deps \"$service\""));
                    });
                }

                it("ships the boot log and the log files with the CloudWatch agent", () => {
                    assert.ok(text.includes(`<<'DASHBOARD_EOF'\n${cloudWatchAgentConfig("/dashboard/acme-prod/app", ["/var/panintelligence/logs/*.log"])}\nDASHBOARD_EOF\n`));
                    assert.ok(all.includes(`    "$CW_CTL" -a fetch-config -m ec2 -c 'file:/opt/aws/amazon-cloudwatch-agent/etc/dashboard.json' -s || log 'WARNING: the CloudWatch agent did not start'`));
                    assert.ok(all.includes("        log 'WARNING: amazon-cloudwatch-agent is not installed: logs are not shipped to CloudWatch'"));
                });

                it("orders the boot: log and instance id, agent, refresh timer, env files, EFS, app; every step runs and reports", () => {
                    const at = (line: string) => {
                        const i = all.indexOf(line);
                        assert.ok(i >= 0, `missing: ${line}`);
                        return i;
                    };
                    const order = [
                        at('exec > >(tee -a "$BOOT_LOG") 2>&1'),
                        at("INSTANCE_ID=$(imds instance-id)"),
                        at("step cloudwatch_agent"),
                        at("systemctl enable --now dashboard-refresh-secrets.timer"),
                        at("step env_files"),
                        at("step efs"),
                        at("step app"),
                        at('    log "ERROR: boot finished with failed steps: ${FAILED[*]}"'),
                    ];
                    assert.deepEqual(order, [...order].sort((a, b) => a - b));
                    assert.ok(all.includes('    (set -e; "$1")'), "a step runs in a subshell with errexit");
                    assert.ok(all.includes('    if ((rc != 0)); then log "ERROR: step $1 failed (exit $rc)"; FAILED+=("$1"); fi'));
                    const outer = v.container ? text.replace(renderContainerRunScript(v.args), "") : text;
                    assert.equal(lines(outer).filter((l) => /^\s*exit 1$/.test(l)).length, 2, "exit 1 only for an unsupported image and at the very end");
                });

                it("never asks apt or dnf for efs-utils on apt images: prerequisites, then a bounded wait for the association's mount.efs", () => {
                    const efs = text.split("\nefs_utils() {\n")[1]?.split("\n}\n")[0] ?? "";
                    assert.deepEqual(lines(efs).filter((l) => l.includes("amazon-efs-utils")), ["    if [[ $PKG == dnf ]]; then install_pkg amazon-efs-utils; return; fi"]);
                    assert.ok(efs.includes("    install_pkg nfs-common\n    install_pkg stunnel4\n"));
                    assert.ok(efs.includes("    until [[ -x /sbin/mount.efs ]]; do"));
                    assert.ok(efs.includes("        if ((waited >= 900)); then"));
                    assert.ok(efs.includes("        sleep 10"));
                    assert.ok(efs.includes("not mounting without TLS"));
                    assert.ok(!text.includes("available amazon-efs-utils"));
                });

                it("installs the agent on apt images from AWS's regional bucket, only when signed by the pinned key", () => {
                    assert.ok(all.includes("CW_BASE='https://amazoncloudwatch-agent-eu-west-1.s3.eu-west-1.amazonaws.com'"));
                    assert.ok(all.includes("CW_FINGERPRINT='937616F3450B7D806CBD9725D58167303B789C72'"));
                    assert.ok(text.includes('"$CW_BASE/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb"'));
                    assert.ok(text.includes('"$CW_BASE/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb.sig"'));
                    assert.ok(text.includes('"$CW_BASE/assets/amazon-cloudwatch-agent.gpg"'));
                    assert.ok(text.includes(`awk -v f="$CW_FINGERPRINT" '$1 == "[GNUPG:]" && $2 == "VALIDSIG" && ($3 == f || $NF == f) { ok = 1 } END { exit !ok }'`));
                    const verify = all.findIndex((l) => l.includes("VALIDSIG"));
                    const install = all.indexOf('    dpkg -i "$dir/agent.deb" || { log \'ERROR: dpkg -i amazon-cloudwatch-agent failed\'; rm -rf -- "$dir"; return 1; }');
                    assert.ok(verify > 0 && install > verify, "dpkg -i only after the signature check");
                    assert.ok(all.includes("        if [[ $PKG == dnf ]]; then dnf install -y amazon-cloudwatch-agent || true; else cw_install_deb || true; fi"));
                    assert.ok(!text.includes("install_pkg amazon-cloudwatch-agent"));
                });

                it("waits for apt-daily and both apt locks, retries apt-get update and records only a success", () => {
                    assert.ok(all.includes("            systemctl is-active --quiet apt-daily.service apt-daily-upgrade.service || break"));
                    assert.ok(all.includes("    fcntl.lockf(f, fcntl.LOCK_EX)"));
                    assert.ok(all.includes("' /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock || log 'WARNING: apt locks still held after 600s'"));
                    const update = text.split("\napt_update() {\n")[1]?.split("\n}\n")[0] ?? "";
                    assert.ok(update.includes("    for attempt in 1 2 3 4 5 6; do\n        apt_wait\n        if apt-get -q -o DPkg::Lock::Timeout=300 update; then\n            touch \"$APT_UPDATED\"\n"));
                    assert.ok(update.includes('        sleep $((attempt * 10))'));
                    assert.equal(text.split('touch "$APT_UPDATED"').length, 2, "the only place the update is recorded is after its success");
                });

                it("holds no secret value: credentials come only from shell variables filled at run time", () => {
                    for (const name of [n.username, n.password, ...(v.licence ? [n.licence] : [])]) {
                        const uses = all.filter((l) => l.includes(`'${name}'`) && !l.startsWith("PASSWORD_VAR="));
                        assert.equal(uses.length, 1, name);
                        assert.match(uses[0], new RegExp(`^ {4}env_line '${name}' "\\$(db_user|db_password|licence)"$`));
                    }
                    assert.ok(!/(password|passwd|licen[cs]e[_a-z]*)\s*=\s*['"]?[A-Za-z0-9]/i.test(text.replace(/LICENCE_SECRET_ARN='arn:[^']*'/g, "")));
                });
            });
        }

        it("never creates or links svg, keys or logs", () => {
            const args = { ...baseArgs(), linkInto: "/var/panintelligence", directories: { images: "images", svg: "svg", keys: "keys", logs: "logs" } };
            const text = renderUserData(args);
            assert.deepEqual(
                lines(text).filter((l) => l.startsWith("    for dir in")),
                ["    for dir in 'images'; do", "    for dir in 'images'; do"],
            );
            assert.ok(!/'(svg|keys|logs)'|\/(svg|keys|logs)\b/.test(text.replaceAll("/var/panintelligence/logs/", "")));
        });

        it("picks a here-document delimiter that the content cannot end early", () => {
            const args = { ...baseArgs(), container: { image: "img", env: { X: "a\nDASHBOARD_EOF\nDASHBOARD_EOF_1\nb" }, port: 8224 } };
            const text = renderUserData(args);
            assert.ok(text.includes("cat > '/usr/local/sbin/dashboard-app-run' <<'DASHBOARD_EOF_2'\n"));
            assert.ok(text.includes("cat > '/usr/local/sbin/dashboard-refresh-secrets' <<'DASHBOARD_EOF'\n"));
            const run = spawnSync("bash", ["-n"], { input: text });
            assert.equal(run.status, 0, run.stderr.toString());
        });

        it("passes shellcheck -S warning on every variant (user data, refresh script, container start script)", async function () {
            if (!fs.existsSync(SHELLCHECK)) {
                assert.fail(`${SHELLCHECK} is missing: install shellcheck (apt-get install -y shellcheck); CI installs it`);
            }
            const scripts: [string, string][] = VARIANTS.flatMap((v) => [
                [`${v.name}: user data`, renderUserData(v.args)] as [string, string],
                [`${v.name}: refresh script`, renderRefreshScript(v.args)] as [string, string],
                ...(v.container ? [[`${v.name}: container start script`, renderContainerRunScript(v.args)] as [string, string]] : []),
            ]);
            const results = await Promise.all(scripts.map(([, s]) => shellcheck(s)));
            const failures = results.map((r, i) => (r.code === 0 ? "" : `${scripts[i][0]}:\n${r.out}`)).filter((f) => f !== "");
            assert.deepEqual(failures, []);
            assert.equal(results.length, 40);
        });
    });
});
