/**
 * The Fargate services' security groups as registered: only the dashboard admits the load balancer,
 * each internal port admits only its caller's group, egress names its destination group (HTTPS alone
 * goes to 0.0.0.0/0), and the load balancer sends only to the dashboard's 8224.
 */
import * as assert from "node:assert/strict";
import type { MockRun } from "../../mocks";
import { DB_SG, EFS_SG, T, buildCluster } from "./build";
import { containersConfig } from "./fixtures";

describe("SecurityGroups of the Fargate services (mocks)", () => {
    let run: MockRun;
    before(async () => {
        ({ run } = await buildCluster({ containers: containersConfig({ services: { excelReader: { enabled: true } } }) }));
    });
    const sg = (role: string) => run.get(T.sg, `app-sg-${role}`).id;
    const alb = () => run.get(T.sg, "app-alb").id;
    /** Every rule of a group, `<direction> <port> <peer>`, the peer as a role (`lb`, `db`, `efs`, a service) or a CIDR. */
    const rulesOf = (role: string) => {
        const names: Record<string, string> = { [alb()]: "lb", [DB_SG]: "db", [EFS_SG]: "efs" };
        for (const s of ["dashboard", "scheduler", "renderer", "pirana", "excel-reader"]) names[sg(s)] = s;
        return [...run.byType(T.ingress).map((r) => ["in", r] as const), ...run.byType(T.egress).map((r) => ["out", r] as const)]
            .filter(([, r]) => r.inputs.securityGroupId === sg(role))
            .map(([dir, r]) => {
                assert.equal(r.inputs.ipProtocol, "tcp");
                assert.equal(r.inputs.fromPort, r.inputs.toPort);
                return `${dir} ${r.inputs.fromPort} ${r.inputs.cidrIpv4 ?? names[r.inputs.referencedSecurityGroupId]}`;
            })
            .sort();
    };

    it("dashboard: 8224 from the load balancer and the scheduler, 28748 from the renderer; out to the database, NFS, its callees and HTTPS", () => {
        assert.deepEqual(rulesOf("dashboard"), [
            "in 28748 renderer",
            "in 8224 lb",
            "in 8224 scheduler",
            "out 2049 efs",
            "out 3306 db",
            "out 443 0.0.0.0/0",
            "out 9915 renderer",
            "out 9916 excel-reader",
            "out 9917 scheduler",
            "out 9918 pirana",
        ]);
        assert.equal(run.get(T.sg, "app-sg-dashboard").inputs.description, "Dashboard tasks: 8224 from the load balancer, 8224 from the scheduler, 28748 from the renderer");
        assert.equal(run.get(T.sg, "app-sg-dashboard").inputs.vpcId, "vpc-0123456789abcdef0");
    });

    it("the others admit only the dashboard, on their own port; only the scheduler reaches the database and NFS", () => {
        assert.deepEqual(rulesOf("scheduler"), ["in 9917 dashboard", "out 2049 efs", "out 3306 db", "out 443 0.0.0.0/0", "out 8224 dashboard"]);
        assert.deepEqual(rulesOf("renderer"), ["in 9915 dashboard", "out 28748 dashboard", "out 443 0.0.0.0/0"]);
        assert.deepEqual(rulesOf("pirana"), ["in 9918 dashboard", "out 443 0.0.0.0/0"]);
        assert.deepEqual(rulesOf("excel-reader"), ["in 9916 dashboard", "out 443 0.0.0.0/0"]);
    });

    it("the load balancer sends only to the dashboard's 8224; no task group admits the internet or port 22", () => {
        const albOut = run.byType(T.egress).filter((r) => r.inputs.securityGroupId === alb());
        assert.deepEqual(albOut.map((r) => [r.name, r.inputs.fromPort, r.inputs.referencedSecurityGroupId]), [["app-alb-out-dashboard", 8224, sg("dashboard")]]);
        const taskGroups = new Set(["dashboard", "scheduler", "renderer", "pirana", "excel-reader"].map(sg));
        const ingress = run.byType(T.ingress).filter((r) => taskGroups.has(r.inputs.securityGroupId));
        assert.deepEqual(ingress.filter((r) => r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined || r.inputs.fromPort === 22), []);
        assert.ok(ingress.every((r) => taskGroups.has(r.inputs.referencedSecurityGroupId) || r.inputs.referencedSecurityGroupId === alb()));
        // Every rule is its own resource, a child of the SecurityGroups component, named for its group and peer.
        assert.ok(run.get(T.ingress, "app-sg-renderer-in-dashboard").parent.endsWith("::app-sg"));
        assert.deepEqual(run.byType(T.sg).filter((g) => g.inputs.ingress !== undefined || g.inputs.egress !== undefined), []);
    });
});
