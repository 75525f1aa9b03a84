/** The plan's renderings of compliance: an advisory verdict is listed with its lines and fails nothing. */
import * as assert from "node:assert/strict";
import { checkCompliance, findings } from "../../plan/compliance";
import { renderMarkdown, renderText } from "../../plan/render";
import type { StackPlan } from "../../plan/run";
import { container, fargateStack, taskDefinition } from "../policy/fargateStack";

describe("plan renderings: compliance", () => {
    const writable = fargateStack([taskDefinition("dashboard", [container("dashboard", { readonlyRootFilesystem: false })])]);
    const compliance = checkCompliance({ resources: writable, outputs: {}, environment: "production", secrets: [] });
    const plan: StackPlan = { stack: "s", region: "us-east-1", environment: "production", customer: "acme", errors: [], warnings: [], components: [], counts: {}, outputs: {}, compliance, findings: findings(compliance) };
    const line = "TaskDefinition app-dashboard-task: container dashboard: root file system writable (readonlyRootFilesystem is not true)";

    it("text: a warn line with the advisory's details, counted apart from pass and fail", () => {
        const text = renderText(plan);
        assert.match(text, new RegExp(`Compliance: ${compliance.length - 1} of ${compliance.length} rules pass or do not apply, 1 advisory, 0 fail`));
        assert.ok(text.includes(`  warn CKV_AWS_336 / ECS.5  ECS containers' root file systems are read-only (advisory: the vendor images write under their install directories)\n         ${line}`), text);
    });

    it("markdown: no failure, the advisory listed with ⚠", () => {
        const md = renderMarkdown(plan);
        assert.ok(md.includes(`**Compliance:** none of ${compliance.length} rules fails, 1 advisory`), md);
        assert.ok(md.includes(`- ⚠ CKV_AWS_336 / ECS.5 (advisory): ${line}`), md);
        assert.ok(!md.includes("❌"));
    });
});
