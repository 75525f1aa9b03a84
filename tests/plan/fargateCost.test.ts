import * as assert from "node:assert/strict";
import type { PlannedResource } from "../../plan/compliance";
import { estimateCost } from "../../plan/cost";
import { fargateLines, fargateServices } from "../../plan/fargateCost";

const res = (type: string, name: string, inputs: Record<string, unknown>, state: Record<string, unknown> = {}): PlannedResource => ({ type, name, inputs, state, custom: true });
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const td = (name: string, cpu: string, memory: string, compat = ["FARGATE"]) => res(TD, name, { cpu, memory, requiresCompatibilities: compat }, { arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:1` });
const service = (name: string, taskDefinition: string, desiredCount: number, capacityProvider = "FARGATE") =>
    res(SERVICE, name, { taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/${taskDefinition}:1`, desiredCount, capacityProviderStrategies: [{ capacityProvider, weight: 1 }] });

const PLAN = [td("dashboard", "1024", "2048"), td("scheduler", "256", "512"), service("app-dashboard", "dashboard", 2), service("app-scheduler", "scheduler", 1, "FARGATE_SPOT")];

describe("Fargate cost", () => {
    it("reads each service's tasks, size and capacity provider from its task definition", () => {
        assert.deepEqual(fargateServices(PLAN.filter((r) => r.type === SERVICE), PLAN.filter((r) => r.type === TD)), [
            { name: "app-dashboard", tasks: 2, vcpu: 1, gb: 2, spot: false },
            { name: "app-scheduler", tasks: 1, vcpu: 0.25, gb: 0.5, spot: true },
        ]);
    });

    it("leaves out a service whose task definition is not Fargate's", () => {
        assert.deepEqual(fargateServices([service("x", "ec2", 1)], [td("ec2", "1024", "2048", ["EC2"])]), []);
    });

    it("prices vCPU-hours and GB-hours, Spot at its discount", () => {
        const lines = fargateLines(
            [
                { name: "app-dashboard", tasks: 2, vcpu: 1, gb: 2, spot: false },
                { name: "app-scheduler", tasks: 1, vcpu: 0.25, gb: 0.5, spot: true },
            ],
            { fargateVcpuHourly: 0.04048, fargateGbHourly: 0.004445, fargateSpotDiscount: 0.7 },
        )!;
        assert.deepEqual(lines.map((l) => [l.item, l.basis]), [
            ["Fargate app-dashboard", "2 tasks × 730 h × (1 vCPU × $0.04048 + 2 GB × $0.004445)"],
            ["Fargate app-scheduler (Spot)", "1 tasks × 730 h × (0.25 vCPU × $0.04048 + 0.5 GB × $0.004445) × 30 % (Spot ⚠)"],
        ]);
        assert.equal(lines[0].monthly.toFixed(4), (2 * 730 * (0.04048 + 2 * 0.004445)).toFixed(4));
        assert.equal(lines[0].monthly.toFixed(2), "72.08");
        assert.equal(lines[1].monthly.toFixed(2), (730 * (0.25 * 0.04048 + 0.5 * 0.004445) * 0.3).toFixed(2));
        assert.equal(fargateLines([{ name: "x", tasks: 1, vcpu: 1, gb: 2, spot: false }], {}), undefined);
    });

    it("is an item of the estimate in us-east-1, and named as not priced where the table has no Fargate prices", () => {
        const us = estimateCost(PLAN, "us-east-1");
        assert.deepEqual(us.items.filter((i) => i.item.startsWith("Fargate")).map((i) => [i.item, i.monthly]), [["Fargate app-dashboard", 72.08], ["Fargate app-scheduler (Spot)", 2.7]]);
        assert.ok(us.notPriced.some((n) => n.startsWith("Container Insights")));
        const eu = estimateCost(PLAN, "eu-west-1");
        assert.equal(eu.items.filter((i) => i.item.startsWith("Fargate")).length, 0);
        assert.ok(eu.notPriced.includes("Fargate tasks (no Fargate prices for this region in the table)"));
    });
});
