import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { COST_TARGETS, costLine } from "../../bench/cost";
import { ROOT } from "../stackPlans";

describe("bench:cost", () => {
    it("holds the development stack to $85 and the production example to $230", () => {
        assert.deepEqual(COST_TARGETS, { dev: 85, "example-production": 230 });
        for (const stack of Object.keys(COST_TARGETS)) assert.ok(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), stack);
    });

    it("a total at or below its target passes; above it fails; without a target it only prints", () => {
        assert.deepEqual([costLine("dev", 84.08, 85).ok, costLine("dev", 85, 85).ok, costLine("dev", 85.01, 85).ok, costLine("x", 999).ok], [true, true, false, true]);
        assert.match(costLine("example-production", 268.47, 230).text, /^example-production +\$ 268\.47 {2}target \$230\.00: OVER by \$38\.47$/);
        assert.match(costLine("dev", 84.08, 85).text, /ok by \$0\.92$/);
    });
});
