/**
 * npm run bench:plan [-- --stacks N]
 * Plans N generated stacks (default 50) in one process and prints the time of
 * each and in all: the figure `npm run plan -- --all` scales with. The first
 * plan pays for loading the AWS SDK modules.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planStack } from "../plan/run";

const ENVIRONMENTS = ["development", "staging", "production"] as const;
const REGIONS = ["us-east-1", "eu-west-1"] as const;

/** A stack file for the i-th generated customer: every environment and both price regions. */
export function generatedStack(i: number): string {
    const environment = ENVIRONMENTS[i % 3];
    const lines = [
        "config:",
        `  aws:region: ${REGIONS[i % 2]}`,
        `  dashboard:customer: customer-${i}`,
        `  dashboard:environment: ${environment}`,
        "  dashboard:app:",
        "    ami: ssm:/dashboard/vendor-ami",
        "    rootDeviceName: /dev/sda1",
        "  dashboard:network:",
        `    cidr: 10.${i % 256}.0.0/16`,
    ];
    if (environment === "production") {
        lines.push("  dashboard:domain:", `    name: dashboard.customer-${i}.example.com`, `    hostedZone: customer-${i}.example.com`, "  dashboard:alerts:", "    emails: [ops@example.com]");
    }
    return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
    process.setSourceMapsEnabled(false);
    const at = process.argv.indexOf("--stacks");
    const count = at >= 0 ? Number(process.argv[at + 1]) : 50;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `Pulumi.gen-${i}.yaml`), generatedStack(i));
    const times: number[] = [];
    const start = performance.now();
    let findings = 0;
    for (let i = 0; i < count; i++) {
        const t = performance.now();
        const plan = await planStack(`gen-${i}`, { dir });
        if (plan.errors.length > 0) throw new Error(`gen-${i}: ${plan.errors.join("; ")}`);
        findings += plan.findings.length;
        times.push(performance.now() - t);
    }
    const total = performance.now() - start;
    fs.rmSync(dir, { recursive: true, force: true });
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${count} stacks in one process: ${(total / 1000).toFixed(1)} s`);
    console.log(`first plan ${(times[0] / 1000).toFixed(2)} s (loads the SDK), median ${(sorted[Math.floor(count / 2)] / 1000).toFixed(2)} s, max ${(sorted[count - 1] / 1000).toFixed(2)} s`);
    console.log(`findings across all stacks: ${findings}`);
    process.exit(total > 60000 ? 1 : 0);
}

if (require.main === module) void main();
