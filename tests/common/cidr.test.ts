import * as assert from "node:assert/strict";
import { cidrContains, cidrRange, cidrsOverlap, formatCidr, parseCidr } from "../../common/cidr";

describe("common/cidr", () => {
    it("parse, format, range, overlap, containment", () => {
        assert.deepEqual(parseCidr("10.1.2.0/24"), { base: 10 * 2 ** 24 + 1 * 2 ** 16 + 2 * 2 ** 8, prefix: 24 });
        assert.equal(formatCidr(parseCidr("255.255.255.240/28")), "255.255.255.240/28");
        assert.deepEqual(cidrRange("0.0.0.0/0"), [0, 2 ** 32 - 1]);
        const overlap: Array<[string, string, boolean]> = [
            ["10.0.0.0/24", "10.0.0.128/25", true],
            ["10.0.0.0/25", "10.0.0.128/25", false],
            ["10.0.0.0/16", "10.1.0.0/16", false],
            ["10.0.0.0/8", "10.200.3.0/24", true],
        ];
        for (const [a, b, expected] of overlap) {
            assert.equal(cidrsOverlap(a, b), expected, `${a} ~ ${b}`);
            assert.equal(cidrsOverlap(b, a), expected, `${b} ~ ${a}`);
        }
        assert.equal(cidrContains("10.0.0.0/16", "10.0.255.240/28"), true);
        assert.equal(cidrContains("10.0.0.0/16", "10.0.0.0/15"), false);
        assert.equal(cidrContains("10.0.0.128/25", "10.0.0.0/26"), false);
    });
});
