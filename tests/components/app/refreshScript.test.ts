import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMON_DEFAULTS } from "../../../config/profiles";
import { renderRefreshScript, renderUserData, shellQuote, type UserDataArgs } from "../../../components/app/userData";
import { baseArgs, DB_ARN, LICENCE_ARN, parseDockerEnvFile } from "../../bootArgs";

describe("components/app/refreshScript", () => {
    describe("the refresh script, run against a stub AWS CLI", () => {
        const HOSTILE = ` p'a"s$s\`w\\o#r d=;|&<>*?~%!{}() `;
        const LICENCE = "LICENCE-zq81-$(rm -rf /)-'\"";
        let dir: string;
        let stubs: string;
        let user: string;

        function secretsJson(password: string, dbVersion: string, licence: string, licenceVersion: string): void {
            fs.writeFileSync(
                path.join(stubs, "db.json"),
                JSON.stringify({ ARN: DB_ARN, Name: "rds!db-secret", VersionId: dbVersion, SecretString: JSON.stringify({ username: "dashboard_admin", password }), VersionStages: ["AWSCURRENT"] }),
            );
            fs.writeFileSync(path.join(stubs, "licence.json"), JSON.stringify({ ARN: LICENCE_ARN, Name: "licence-secret", VersionId: licenceVersion, SecretString: licence }));
        }

        function args(container: boolean): UserDataArgs {
            return {
                ...baseArgs(),
                licenceSecretArn: LICENCE_ARN,
                envFile: { ...COMMON_DEFAULTS.app.envFile, path: path.join(dir, "pi", "dashboard.env"), extraPaths: [path.join(dir, "pi", "scheduler.env")], owner: user },
                ...(container ? { container: { image: "img", env: {}, port: 8224 } } : { services: ["dashboard.service"] }),
            };
        }

        function run(script: string, ...argv: string[]) {
            const file = path.join(dir, "refresh.sh");
            fs.writeFileSync(file, script);
            const r = spawnSync("bash", [file, ...argv], { env: { ...process.env, PATH: `${stubs}:${process.env.PATH ?? ""}`, STUBS: stubs, DASHBOARD_BOOT: "1" }, encoding: "utf8" });
            return { status: r.status, output: r.stdout + r.stderr };
        }

        const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
        const calls = () => (fs.existsSync(path.join(stubs, "systemctl.log")) ? fs.readFileSync(path.join(stubs, "systemctl.log"), "utf8") : "");

        let python: string;
        before(() => {
            python = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
            user = os.userInfo().username;
        });

        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "userdata-"));
            stubs = path.join(dir, "bin");
            fs.mkdirSync(stubs);
            const stub = (name: string, body: string) => fs.writeFileSync(path.join(stubs, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
            stub(
                "aws",
                'printf \'aws %s\\n\' "$*" >>"$STUBS/argv.log"\n' +
                    'while (($#)); do [[ $1 == --secret-id ]] && id=$2; shift; done\n' +
                    'case $id in *db-secret*) cat "$STUBS/db.json" ;; *licence-secret*) cat "$STUBS/licence.json" ;; *) echo "no such secret" >&2; exit 254 ;; esac',
            );
            stub("python3", `printf 'python3 %s\\n' "$*" >>"$STUBS/argv.log"\nexec ${shellQuote(python)} "$@"`);
            stub("systemctl", 'printf \'%s\\n\' "$*" >>"$STUBS/systemctl.log"');
            secretsJson(HOSTILE, "v1", LICENCE, "l1");
        });

        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("writes both env files at boot, 0600, owned by the app user, hostile values verbatim for docker --env-file", () => {
            const r = run(renderRefreshScript(args(false), path.join(dir, "state")));
            assert.equal(r.status, 0, r.output);
            const db = {
                PI_DB_HOST: "acme.cluster-x.eu-west-1.rds.amazonaws.com",
                PI_DB_PORT: "3306",
                PI_DB_ENGINE: "mariadb",
                PI_DB_SCHEMA_NAME: "dashboard",
                PI_DB_USERNAME: "dashboard_admin",
                PI_DB_PASSWORD: HOSTILE,
            };
            assert.deepEqual(parseDockerEnvFile(read("pi/dashboard.env")), { ...db, PI_LICENCE: LICENCE, PI_EXTERNAL_DB: "true" });
            assert.deepEqual(parseDockerEnvFile(read("pi/scheduler.env")), db);
            for (const f of ["pi/dashboard.env", "pi/scheduler.env"]) {
                const st = fs.statSync(path.join(dir, f));
                assert.equal(st.mode & 0o777, 0o600, f);
                assert.equal(st.uid, os.userInfo().uid, f);
            }
            assert.deepEqual(fs.readdirSync(path.join(dir, "pi")).sort(), ["dashboard.env", "scheduler.env"], "no temporary file left");
            assert.equal(read("state/secret-version"), "db:v1 licence:l1\n");
            assert.equal(calls(), "", "no restart at boot: the boot script starts the app");
        });

        it("never puts a secret value on a command line, in the log or in the user data", () => {
            const r = run(renderRefreshScript(args(true), path.join(dir, "state")));
            assert.equal(r.status, 0, r.output);
            const argv = fs.readFileSync(path.join(stubs, "argv.log"), "utf8");
            assert.equal(argv.split("\n").filter((l) => l.startsWith("aws ")).length, 2);
            for (const secret of [HOSTILE.trim(), "zq81", "dashboard_admin"]) {
                assert.ok(!argv.includes(secret), `argv shows ${secret}`);
                assert.ok(!r.output.includes(secret), `log shows ${secret}`);
                assert.ok(!renderUserData(args(true)).includes(secret), `user data shows ${secret}`);
            }
        });

        it("--if-changed touches nothing while the versions are unchanged", () => {
            const script = renderRefreshScript(args(false), path.join(dir, "state"));
            assert.equal(run(script).status, 0);
            fs.writeFileSync(path.join(dir, "pi/dashboard.env"), "MARKER=1\n");
            const r = run(script, "--if-changed");
            assert.equal(r.status, 0, r.output);
            assert.equal(r.output, "");
            assert.equal(read("pi/dashboard.env"), "MARKER=1\n");
            assert.equal(calls(), "");
        });

        for (const [what, change] of [
            ["the database secret rotated", () => secretsJson("n3w-Passw0rd", "v2", LICENCE, "l1")],
            ["the licence changed", () => secretsJson(HOSTILE, "v1", "NEW-LICENCE", "l2")],
        ] as [string, () => void][]) {
            for (const container of [false, true]) {
                it(`--if-changed rewrites the files and restarts ${container ? "the container unit" : "the services"} when ${what}`, () => {
                    const script = renderRefreshScript(args(container), path.join(dir, "state"));
                    assert.equal(run(script).status, 0);
                    change();
                    const r = run(script, "--if-changed");
                    assert.equal(r.status, 0, r.output);
                    const env = parseDockerEnvFile(read("pi/dashboard.env"));
                    const expected = what.startsWith("the database") ? ["n3w-Passw0rd", LICENCE, "db:v2 licence:l1"] : [HOSTILE, "NEW-LICENCE", "db:v1 licence:l2"];
                    assert.deepEqual([env.PI_DB_PASSWORD, env.PI_LICENCE, read("state/secret-version").trim()], expected);
                    assert.equal(parseDockerEnvFile(read("pi/scheduler.env")).PI_DB_PASSWORD, expected[0]);
                    assert.equal(calls(), container ? "restart dashboard-app.service\n" : "restart dashboard.service\n");
                });
            }
        }

        it("refuses a value with a line break, naming the variable but not the value, and keeps the old file", () => {
            const script = renderRefreshScript(args(false), path.join(dir, "state"));
            assert.equal(run(script).status, 0);
            const before = read("pi/dashboard.env");
            secretsJson("line1\nline2-zq81", "v2", LICENCE, "l1");
            const r = run(script, "--if-changed");
            assert.notEqual(r.status, 0);
            assert.match(r.output, /ERROR: the value of PI_DB_PASSWORD contains a line break/);
            assert.ok(!r.output.includes("zq81"));
            assert.equal(read("pi/dashboard.env"), before);
            assert.deepEqual(fs.readdirSync(path.join(dir, "pi")).sort(), ["dashboard.env", "scheduler.env"], "no temporary file left");
            assert.equal(read("state/secret-version"), "db:v1 licence:l1\n", "the version is not recorded, so the next run retries");
            assert.equal(calls(), "");
        });

        it("strips a trailing line break from the licence", () => {
            secretsJson(HOSTILE, "v1", "LIC-123\r\n", "l1");
            const r = run(renderRefreshScript(args(false), path.join(dir, "state")));
            assert.equal(r.status, 0, r.output);
            assert.equal(parseDockerEnvFile(read("pi/dashboard.env")).PI_LICENCE, "LIC-123");
        });

        it("fails without writing when the secret has no password, leaking nothing", () => {
            fs.writeFileSync(path.join(stubs, "db.json"), JSON.stringify({ VersionId: "v1", SecretString: JSON.stringify({ username: "zq81-user" }) }));
            const r = run(renderRefreshScript(args(false), path.join(dir, "state")));
            assert.notEqual(r.status, 0);
            assert.ok(!r.output.includes("zq81"), r.output);
            assert.ok(!fs.existsSync(path.join(dir, "pi")));
            assert.ok(!fs.existsSync(path.join(dir, "state/secret-version")));
        });

        it("fails without writing when Secrets Manager cannot be read, and rejects unknown arguments", () => {
            const script = renderRefreshScript({ ...args(false), databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing" }, path.join(dir, "state"));
            const r = run(script);
            assert.notEqual(r.status, 0);
            assert.ok(!fs.existsSync(path.join(dir, "pi")));
            assert.equal(run(script, "--force").status, 2);
        });

        it("--restart-app (AMI mode) recreates the Compose services whose containers read the password, reports the others, restarts app.services", () => {
            const stub = (name: string, body: string) => fs.writeFileSync(path.join(stubs, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
            const US = "\x1f";
            stub(
                "docker",
                [
                    'printf \'docker %s\\n\' "$*" >>"$STUBS/docker.log"',
                    '[[ $1 == compose ]] && exit 1',
                    '[[ $1 == ps ]] && { printf "c1\\nc2\\nc3\\nc4\\n"; exit 0; }',
                    'id=${!#}',
                    'if [[ $3 == *Config.Env* ]]; then',
                    '    case $id in c1|c4) echo "PI_DB_HOST PI_DB_PASSWORD " ;; c2) echo "PI_DB_PASSWORD " ;; c3) echo "PATH PI_DB_PASSWORD_FILE " ;; esac',
                    'else',
                    `    case $id in c1) printf '/vendor_dashboard_1${US}vendor${US}/opt/vendor/compose.yml,/opt/vendor/override.yml${US}/tmp${US}dashboard\\n' ;;`,
                    `        c4) printf '/vendor_dashboard_2${US}vendor${US}/opt/vendor/compose.yml,/opt/vendor/override.yml${US}/tmp${US}dashboard\\n' ;;`,
                    `        c2) printf '/legacy${US}${US}${US}${US}\\n' ;; esac`,
                    'fi',
                ].join("\n"),
            );
            stub("docker-compose", 'printf \'%s docker-compose %s\\n\' "$PWD" "$*" >>"$STUBS/compose.log"');
            const script = renderRefreshScript({ ...args(false), services: ["vendor-app.service"] }, path.join(dir, "state"));
            const r = run(script, "--restart-app");
            assert.equal(r.status, 0, r.output);
            assert.equal(
                fs.readFileSync(path.join(stubs, "compose.log"), "utf8"),
                "/tmp docker-compose -p vendor -f /opt/vendor/compose.yml -f /opt/vendor/override.yml up -d --force-recreate --no-deps dashboard\n",
                "one recreate per Compose service, even with two containers",
            );
            assert.match(r.output, /WARNING: container legacy reads PI_DB_PASSWORD but was not started by Docker Compose/);
            assert.ok(!r.output.includes("c3") && !r.output.includes("PATH"), "a container without the variable is left alone");
            assert.equal(calls(), "restart vendor-app.service\n");
            assert.ok(!fs.readFileSync(path.join(stubs, "docker.log"), "utf8").includes("restart"), "docker itself is never restarted");
            assert.ok(!fs.existsSync(path.join(dir, "pi")), "--restart-app reads no secret and writes no file");
        });
    });
});
