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

    it("parseCidr accepts only a.b.c.d/n with decimal octets, host bits zero: table of the edge cases where IPv4 libraries differ", () => {
        const malformed = (c: string) => `"${c}" is not an IPv4 CIDR block (a.b.c.d/n)`;
        const table: Array<[string, string]> = [
            ["10.0.0.0/16", "10.0.0.0/16"],
            ["0.0.0.0/0", "0.0.0.0/0"],
            ["1.2.3.4/32", "1.2.3.4/32"],
            // Leading zeros are decimal, never octal (ipaddr.js and netmask read 010 as 8).
            ["010.0.0.0/16", "10.0.0.0/16"],
            ["10.0.0.0/08", "10.0.0.0/8"],
            // The prefix is required (ip-address and netmask take a bare address as /32).
            ["10.0.0.0", malformed("10.0.0.0")],
            // Exactly four parts, decimal, no blanks (ipaddr.js and netmask take 10.0.0/16 and hex).
            ["10.0.0/16", malformed("10.0.0/16")],
            ["0x0a.0.0.0/8", malformed("0x0a.0.0.0/8")],
            ["10.0.0.0/16 ", malformed("10.0.0.0/16 ")],
            ["10.0.0.0/-1", malformed("10.0.0.0/-1")],
            ["10.0.0.0/33", malformed("10.0.0.0/33")],
            ["256.0.0.0/8", malformed("256.0.0.0/8")],
            // Host bits are an error that names the block (netmask and ipaddr.js clear them silently).
            ["10.0.0.1/16", `"10.0.0.1/16" has host bits set; the block starts at 10.0.0.0/16`],
            ["10.1.2.3/8", `"10.1.2.3/8" has host bits set; the block starts at 10.0.0.0/8`],
        ];
        for (const [cidr, expected] of table) {
            let got: string;
            try {
                got = formatCidr(parseCidr(cidr));
            } catch (err) {
                got = (err as Error).message;
            }
            assert.equal(got, expected, cidr);
        }
    });
});
