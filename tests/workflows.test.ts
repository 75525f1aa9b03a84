import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const VALIDATOR = path.join(ROOT, "node_modules", "@action-validator", "cli", "cli.mjs");

/** Runs the action-validator CLI from npm on a file; returns its exit code and output. */
function validate(file: string): { status: number | null; output: string } {
    const r = spawnSync(process.execPath, [VALIDATOR, file], { encoding: "utf8" });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function load(name: string): any {
    return parse(fs.readFileSync(path.join(WORKFLOWS, name), "utf8"));
}

describe("GitHub workflows", () => {
    for (const file of ["pull-request.yml", "deploy.yml"]) {
        it(`${file} passes action-validator`, () => {
            const { status, output } = validate(path.join(WORKFLOWS, file));
            assert.equal(status, 0, output);
        });
    }

    it("action-validator rejects a broken workflow (the check can fail)", () => {
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "bad.yml");
        fs.writeFileSync(bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n");
        assert.equal(validate(bad).status, 1);
    });

    it("pull requests run npm ci and npm test, then preview with the policy pack and a PR comment using OIDC and the backend variable", () => {
        const wf = load("pull-request.yml");
        assert.equal(wf.permissions["id-token"], "write");
        const runs = wf.jobs.test.steps.map((s: any) => s.run).filter(Boolean);
        assert.ok(runs.includes("npm ci") && runs.includes("npm test"));
        const preview = wf.jobs.preview.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(preview.with.command, "preview");
        assert.equal(preview.with["comment-on-pr"], true);
        assert.equal(preview.with["stack-name"], "${{ matrix.stack }}");
        assert.equal(preview.with["cloud-url"], "${{ vars.PULUMI_BACKEND_URL }}");
        // The policy pack is enforced on the preview, and checked under the SDK's runner in the test job.
        assert.equal(preview.with.policyPacks, "policy");
        assert.ok(fs.existsSync(path.join(ROOT, preview.with.policyPacks, "PulumiPolicy.yaml")));
        assert.ok(runs.includes("npm run test:pack"));
        const install = wf.jobs.preview.steps.findIndex((s: any) => s.run === "npm ci");
        assert.ok(install >= 0 && install < wf.jobs.preview.steps.indexOf(preview), "the preview job installs the pack's dependencies first");
        const aws = wf.jobs.preview.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(aws.with["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    });

    it("pushes to main run pulumi up per stack, each in the GitHub environment of its dashboard:environment", () => {
        const wf = load("deploy.yml");
        assert.deepEqual(wf.on, { push: { branches: ["main"] } });
        assert.equal(wf.jobs.up.environment, "${{ matrix.environment }}");
        const up = wf.jobs.up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.equal(up.with.command, "up");
        // The matrix script reads the environment from each stack file: run it on this repository.
        const script = wf.jobs.stacks.steps.find((s: any) => s.id === "list").run.replace(/echo "stacks=.*\n?/, "cat stacks.json");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        for (const f of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
        const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const stacks = JSON.parse(r.stdout) as Array<{ stack: string; environment: string }>;
        assert.deepEqual(stacks.find((s) => s.stack === "dev"), { stack: "dev", environment: "development" });
        assert.ok(stacks.every((s) => !s.stack.startsWith("example-")), "examples are documentation, not deployed");
    });
});
