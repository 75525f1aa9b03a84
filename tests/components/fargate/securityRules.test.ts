import * as assert from "node:assert/strict";
import { groupDescription, securityRules } from "../../../components/fargate/securityRules";

/** `<service> <in|out> <peer>:<port>` per rule. */
const lines = (services: Parameters<typeof securityRules>[0]) =>
    securityRules(services).map((r) => `${r.service} ${r.direction} ${r.peer.kind === "service" ? r.peer.service : r.peer.kind}:${r.port} (${r.key})`);

describe("components/fargate/securityRules: only callers reach callees", () => {
    it("every service running: the load balancer reaches only the dashboard's 8224; each internal port only from its caller", () => {
        assert.deepEqual(lines(["dashboard", "scheduler", "renderer", "pirana", "excelReader"]), [
            "dashboard in loadBalancer:8224 (lb)",
            "dashboard in scheduler:8224 (scheduler)",
            "dashboard in renderer:28748 (renderer)",
            "dashboard out internet:443 (https)",
            "dashboard out database:database (db)",
            "dashboard out fileSystem:2049 (nfs)",
            "dashboard out renderer:9915 (renderer)",
            "dashboard out scheduler:9917 (scheduler)",
            "dashboard out pirana:9918 (pirana)",
            "dashboard out excelReader:9916 (excel-reader)",
            "scheduler in dashboard:9917 (dashboard)",
            "scheduler out internet:443 (https)",
            "scheduler out database:database (db)",
            "scheduler out fileSystem:2049 (nfs)",
            "scheduler out dashboard:8224 (dashboard)",
            "renderer in dashboard:9915 (dashboard)",
            "renderer out internet:443 (https)",
            "renderer out dashboard:28748 (dashboard)",
            "pirana in dashboard:9918 (dashboard)",
            "pirana out internet:443 (https)",
            "excelReader in dashboard:9916 (dashboard)",
            "excelReader out internet:443 (https)",
        ]);
    });

    it("a service that does not run has no rule, and nobody sends to it", () => {
        const text = lines(["dashboard", "scheduler", "renderer"]).join("\n");
        assert.ok(!/pirana|excel/.test(text), text);
    });

    it("describes each group by what it admits", () => {
        const rules = securityRules(["dashboard", "scheduler", "renderer", "pirana"]);
        assert.equal(groupDescription("dashboard", rules), "Dashboard tasks: 8224 from the load balancer, 8224 from the scheduler, 28748 from the renderer");
        assert.equal(groupDescription("pirana", rules), "Pirana tasks: 9918 from the dashboard");
        assert.equal(groupDescription("scheduler", securityRules(["scheduler"])), "Scheduler tasks: no ingress");
    });
});
