/**
 * `npm run test:boot`: the rendered boot script of both flavours, run for real inside a throwaway Debian
 * root (debootstrap, cached by build-root.sh) isolated with unshare (mount + pid + network) and chroot,
 * with real bash, apt/dpkg, the AWS CLI, gpg and Debian's Docker engine. Only AWS (instance metadata,
 * Secrets Manager, CloudWatch Logs, the agent bucket, the efs-utils association) and systemd are stood in
 * for. Needs root on a Debian host. Not part of `npm test` (file name *.boot.ts).
 */
import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMON_DEFAULTS } from "../../config/profiles";
import { renderUserData, type UserDataArgs } from "../../components/app/userData";
import { makeAgentBucket, makeTls } from "./fixtures";

const HERE = __dirname;
const DB_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-boot-AbCdEf";
const LICENCE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:licence-boot-AbCdEf";
const FIRST = "Zq9first-p'a\"s$s`w\\o#rd";
const SECOND = "Zq9second-Passw0rd!";
const LICENCE = "LIC-zq9-boot-0001";
const HOST = "db.boot.eu-west-1.rds.amazonaws.com";

type Scenario = "ami" | "container" | "sm-down";

function args(scenario: Scenario, fingerprint: string): UserDataArgs {
    return {
        region: "eu-west-1",
        fileSystemId: "fs-0123456789abcdef0",
        accessPointId: "fsap-0123456789abcdef0",
        mountPath: "/var/dashboard/content",
        directories: { images: "images", themes: "themes", "excel-data": "excel" },
        linkInto: "/var/panintelligence",
        databaseSecretArn: DB_ARN,
        databaseHost: HOST,
        databasePort: 3306,
        databaseEngine: "mariadb",
        databaseName: "dashboard",
        ...(scenario === "ami" ? { licenceSecretArn: LICENCE_ARN } : {}),
        envFile: COMMON_DEFAULTS.app.envFile,
        services: COMMON_DEFAULTS.app.services,
        ...(scenario === "ami" ? {} : { container: { image: "dashboard-test:1", env: { TZ: "UTC" }, port: 8224 } }),
        logGroupName: "/dashboard/boot-test/app",
        logFiles: ["/var/panintelligence/logs/*.log"],
        cloudWatchAgentFingerprint: fingerprint,
    };
}

function secrets(password: string, version: string): string {
    return JSON.stringify({
        [DB_ARN]: { VersionId: version, SecretString: JSON.stringify({ username: "dashboard_admin", password }) },
        [LICENCE_ARN]: { VersionId: "l1", SecretString: LICENCE },
    });
}

const COMPOSE = `version: "3"
services:
  dashboard:
    image: dashboard-test:1
    env_file: /var/panintelligence/dashboard.env
    network_mode: none
    restart: always
    stop_grace_period: 1s
  scheduler:
    image: dashboard-test:1
    env_file: /var/panintelligence/scheduler.env
    network_mode: none
    restart: always
    stop_grace_period: 1s
  renderer:
    image: dashboard-test:1
    network_mode: none
    restart: always
    stop_grace_period: 1s
`;

function execAsync(cmd: string, argv: string[], timeoutMs: number): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        execFile(cmd, argv, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
        });
    });
}

class Run {
    constructor(readonly dir: string) {}
    read(f: string): string {
        return fs.readFileSync(path.join(this.dir, "results", f), "utf8");
    }
    exists(f: string): boolean {
        return fs.existsSync(path.join(this.dir, "results", f));
    }
    containers(phase: string): Map<string, string> {
        return new Map(this.read(`${phase}/containers`).split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]).map(([id, name]) => [name, id]));
    }
    passwordOf(phase: string, name: string): string {
        const id = this.containers(phase).get(name);
        assert.ok(id, `no container ${name} in ${phase}: ${this.read(`${phase}/containers`)}`);
        return this.read(`${phase}/env-${id}`).replace(/^PI_DB_PASSWORD=/, "").replace(/\n$/, "");
    }
    calls(phase: string): string[] {
        return this.read(`${phase}/systemctl-calls`).split("\n").filter(Boolean);
    }
}

describe("boot script, run in a Debian root (test:boot)", function () {
    this.timeout(8 * 60 * 1000);
    const runs = new Map<Scenario, Run>();
    let work: string;

    before(async function () {
        assert.equal(process.getuid?.(), 0, "test:boot needs root (debootstrap, unshare, chroot)");
        const t0 = Date.now();
        const root = execFileSync(path.join(HERE, "build-root.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 6 * 60 * 1000 }).trim();
        console.log(`    root ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${root}`);
        work = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-boot-"));
        const shared = path.join(work, "shared");
        makeTls(path.join(shared, "tls"));
        const fingerprint = makeAgentBucket(shared, path.join(shared, "bucket"));
        const scenarios: Scenario[] = ["ami", "container", "sm-down"];
        for (const s of scenarios) {
            const dir = path.join(work, s);
            const fixture = path.join(dir, "fixture");
            fs.mkdirSync(fixture, { recursive: true });
            fs.cpSync(path.join(shared, "tls"), path.join(fixture, "tls"), { recursive: true });
            fs.cpSync(path.join(shared, "bucket"), path.join(fixture, "bucket"), { recursive: true });
            fs.writeFileSync(path.join(fixture, "user-data.sh"), renderUserData(args(s, fingerprint)));
            fs.writeFileSync(path.join(fixture, "secrets.json"), secrets(FIRST, "v1"));
            fs.writeFileSync(path.join(fixture, "secrets-rotated.json"), secrets(SECOND, "v2"));
            fs.writeFileSync(path.join(fixture, "secret-values"), [FIRST, SECOND, LICENCE].join("\n") + "\n");
            fs.writeFileSync(path.join(fixture, "docker-compose.yml"), COMPOSE);
            fs.writeFileSync(path.join(dir, "scenario"), s);
        }
        const t1 = Date.now();
        const results = await Promise.all(
            scenarios.map((s) => execAsync("unshare", ["--mount", "--pid", "--net", "--fork", "--mount-proc", path.join(HERE, "inside.sh"), root, path.join(work, s)], 6 * 60 * 1000)),
        );
        console.log(`    three boots ran in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
        scenarios.forEach((s, i) => {
            assert.equal(results[i].code, 0, `${s} driver failed:\n${results[i].out}`);
            runs.set(s, new Run(path.join(work, s)));
        });
    });

    after(() => {
        if (work && !process.env.KEEP_BOOT_RUNS) fs.rmSync(work, { recursive: true, force: true });
    });

    const dbEnv = (password: string) => `PI_DB_HOST=${HOST}\nPI_DB_PORT=3306\nPI_DB_ENGINE=mariadb\nPI_DB_SCHEMA_NAME=dashboard\nPI_DB_USERNAME=dashboard_admin\nPI_DB_PASSWORD=${password}\n`;

    for (const s of ["ami", "container"] as const) {
        describe(`${s} flavour`, () => {
            const run = () => runs.get(s) as Run;

            it("boots with exit 0 and reports completion in the boot log", () => {
                assert.equal(run().read("boot.rc").trim(), "0", run().read("boot.log"));
                assert.match(run().read("boot.log"), /dashboard-boot: boot complete/);
            });

            it("writes the env files with the exact contents, mode 0600, owner pi-user", () => {
                const licence = s === "ami" ? `PI_LICENCE=${LICENCE}\n` : "";
                assert.equal(run().read("boot/dashboard.env"), `${dbEnv(FIRST)}${licence}PI_EXTERNAL_DB=true\n`);
                assert.equal(run().read("boot/scheduler.env"), dbEnv(FIRST));
                assert.equal(run().read("boot/dashboard.env.stat").trim(), "600 pi-user");
                assert.equal(run().read("boot/scheduler.env.stat").trim(), "600 pi-user");
            });

            it("installs AWS's agent package after checking its signature, before the other steps", () => {
                const log = run().read("boot.log");
                assert.match(run().read("agent-ctl-calls"), /^-a fetch-config -m ec2 -c file:\/opt\/aws\/amazon-cloudwatch-agent\/etc\/dashboard.json -s$/m);
                assert.ok(log.indexOf("step: cloudwatch_agent") < log.indexOf("step: env_files"));
                assert.match(run().read("requests.log"), /GET amazoncloudwatch-agent-eu-west-1\.s3\.eu-west-1\.amazonaws\.com\/ubuntu\/amd64\/latest\/amazon-cloudwatch-agent\.deb\.sig/);
            });

            it("mounts EFS through mount.efs with tls, iam and the access point, after waiting for the association", () => {
                const [fsId, mountPoint, dashO, options, ...rest] = run().read("mount-efs-calls").trim().split(" ");
                assert.deepEqual([fsId, mountPoint, dashO, rest], ["fs-0123456789abcdef0", "/var/dashboard/content", "-o", []]);
                assert.deepEqual(options.split(",").sort(), ["_netdev", "accesspoint=fsap-0123456789abcdef0", "iam", "noresvport", "rw", "tls"]);
                assert.match(run().read("boot.log"), /waiting for the SSM association to install efs-utils/);
            });

            it("leaks no secret value into a log, an argv or an environment (the app's containers aside)", () => {
                const sampler = run().read("sampler.out");
                assert.match(sampler, /^samples [1-9][0-9]+\n$/, sampler);
                for (const f of ["boot.log", "boot.out", "rotate.out", "unchanged.out", "dockerd.log", "units.log", "requests.log"]) {
                    const text = run().exists(f) ? run().read(f) : "";
                    for (const secret of [FIRST, SECOND, LICENCE]) assert.ok(!text.includes(secret), `${f} shows a secret`);
                }
            });

            it("after a rotation, --if-changed rewrites the files and the app's new containers hold the new password", () => {
                assert.equal(run().read("rotate.rc").trim(), "0", run().read("rotate.out"));
                assert.equal(run().read("rotate/scheduler.env"), dbEnv(SECOND));
                assert.match(run().read("boot.log"), /dashboard-refresh-secrets: secret version now db:v2/, "a refresh run by SSM Run Command logs to the boot log");
                if (s === "container") {
                    assert.equal(run().passwordOf("boot", "dashboard-app"), FIRST);
                    assert.equal(run().passwordOf("rotate", "dashboard-app"), SECOND);
                    assert.notEqual(run().containers("rotate").get("dashboard-app"), run().containers("boot").get("dashboard-app"));
                    assert.deepEqual(run().calls("rotate").slice(run().calls("boot").length), ["restart dashboard-app.service"]);
                } else {
                    for (const name of ["vendor_dashboard_1", "vendor_scheduler_1"]) {
                        assert.equal(run().passwordOf("boot", name), FIRST);
                        assert.equal(run().passwordOf("rotate", name), SECOND);
                        assert.notEqual(run().containers("rotate").get(name), run().containers("boot").get(name), `${name} recreated`);
                    }
                    assert.equal(run().containers("rotate").get("vendor_renderer_1"), run().containers("boot").get("vendor_renderer_1"), "a container without the password is left alone");
                    assert.deepEqual(run().calls("rotate").slice(run().calls("boot").length), [], "no systemd unit restarted (app.services is empty; never docker)");
                }
            });

            it("a refresh with no version change rewrites, restarts and recreates nothing", () => {
                assert.equal(run().read("unchanged.rc").trim(), "0");
                assert.equal(run().read("unchanged.out"), "");
                assert.deepEqual(run().containers("unchanged"), run().containers("rotate"));
                assert.deepEqual(run().calls("unchanged"), run().calls("rotate"));
            });
        });
    }

    it("ami: another process holding apt's lists lock at first boot delays the boot but does not fail it", () => {
        const ami = runs.get("ami") as Run;
        assert.equal(ami.read("apt-probe").trim(), "held", "the lock holder really blocks apt-get update");
        assert.equal(ami.read("boot.rc").trim(), "0");
        assert.match(ami.read("boot.log"), /installing nfs-common/);
    });

    describe("Secrets Manager down at first boot", () => {
        const run = () => runs.get("sm-down") as Run;

        it("the boot reports the failure, still mounts and enables the timer, and exits 1", () => {
            const log = run().read("boot.log");
            assert.equal(run().read("boot.rc").trim(), "1");
            assert.match(log, /ERROR: step env_files failed/);
            assert.match(log, /ERROR: boot finished with failed steps: env_files/);
            assert.match(log, /mounted \/var\/dashboard\/content/);
            assert.ok(run().calls("boot").includes("enable --now dashboard-refresh-secrets.timer"));
            assert.ok(!run().exists("boot/dashboard.env"));
        });

        it("the next refresh, once the endpoint answers, writes the files and the app gets the password", () => {
            assert.equal(run().read("recover.rc").trim(), "0", run().read("recover.out"));
            assert.equal(run().read("recover/scheduler.env"), dbEnv(FIRST));
            assert.equal(run().passwordOf("recover", "dashboard-app"), FIRST);
        });
    });
});
