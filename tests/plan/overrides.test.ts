import * as assert from "node:assert/strict";
import { main } from "../../plan/cli";
import { applyOverrides, labelled } from "../../plan/overrides";

describe("plan config overrides (--set, --set-a, --set-b)", () => {
    const config = { "dashboard:customer": "demo", "dashboard:network": JSON.stringify({ cidr: "10.0.0.0/16" }) };

    it("sets a key inside a section, keeping the section's other keys", () => {
        const out = applyOverrides(config, ["network.natGateways=single"]);
        assert.deepEqual(JSON.parse(out["dashboard:network"]), { cidr: "10.0.0.0/16", natGateways: "single" });
        assert.equal(out["dashboard:customer"], "demo");
    });

    it("creates sections and nested objects; JSON values are typed, anything else is a string", () => {
        const out = applyOverrides(config, ["monitoring.dashboard=true", "network.natInstance.perZone=true", "network.availabilityZones=3", "customer=acme"]);
        assert.deepEqual(JSON.parse(out["dashboard:monitoring"]), { dashboard: true });
        assert.deepEqual(JSON.parse(out["dashboard:network"]), { cidr: "10.0.0.0/16", natInstance: { perZone: true }, availabilityZones: 3 });
        assert.equal(out["dashboard:customer"], "acme");
    });

    it("refuses a malformed override", () => {
        for (const bad of ["natGateways", "=single", "network..x=1", "net-work.x=1"]) assert.throws(() => applyOverrides(config, [bad]), /--set needs section\.key=value/, bad);
    });

    it("names a variant by its overrides", () => {
        assert.equal(labelled("dev", []), "dev");
        assert.equal(labelled("dev", ["network.natGateways=single"]), "dev [network.natGateways=single]");
    });

    it("--compare of one stack with two NAT settings shows the NAT instance's saving", async function () {
        this.timeout(30000);
        const { code, stdout } = await main(["--compare", "dev", "dev", "--set-a", "network.natGateways=single", "--set-b", "network.natGateways=instance", "--json"]);
        assert.equal(code, 0);
        const c = JSON.parse(stdout);
        assert.equal(c.a, "dev [network.natGateways=single]");
        assert.deepEqual(c.cost["NAT gateways"], [32.85, 0]);
        assert.deepEqual(c.cost["NAT instances EC2 t4g.nano"], [0, 3.07]);
        assert.deepEqual(c.counts["aws:ec2/networkInterface:NetworkInterface"], [0, 1]);
        assert.ok(c.total[0] - c.total[1] > 25, `saving ${c.total[0] - c.total[1]}`);
    });

    it("--set-a and --set-b only with --compare", async () => {
        assert.equal((await main(["dev", "--set-a", "network.natGateways=single"])).code, 2);
        assert.equal((await main(["dev", "--set", "network.natGateways=bogus"])).code, 1);
    });
});
