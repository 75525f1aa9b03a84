import * as assert from "node:assert/strict";
import { cidrContains, cidrsOverlap, parseCidr } from "../../../common/cidr";
import { splitVpcCidr, tierPrefixes, TIERS } from "../../../components/network/subnets";

describe("components/network/subnets", () => {
    describe("splitVpcCidr: the exact layout", () => {
        const table: Array<[string, number, Record<string, string[]>]> = [
            ["10.0.0.0/16", 2, {
                private: ["10.0.0.0/19", "10.0.32.0/19"],
                public: ["10.0.96.0/20", "10.0.112.0/20"],
                isolated: ["10.0.144.0/20", "10.0.160.0/20"],
            }],
            ["10.0.0.0/16", 3, {
                private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
                public: ["10.0.96.0/20", "10.0.112.0/20", "10.0.128.0/20"],
                isolated: ["10.0.144.0/20", "10.0.160.0/20", "10.0.176.0/20"],
            }],
            ["10.20.0.0/20", 2, {
                private: ["10.20.0.0/23", "10.20.2.0/23"],
                public: ["10.20.6.0/24", "10.20.7.0/24"],
                isolated: ["10.20.9.0/24", "10.20.10.0/24"],
            }],
            ["10.20.0.0/20", 3, {
                private: ["10.20.0.0/23", "10.20.2.0/23", "10.20.4.0/23"],
                public: ["10.20.6.0/24", "10.20.7.0/24", "10.20.8.0/24"],
                isolated: ["10.20.9.0/24", "10.20.10.0/24", "10.20.11.0/24"],
            }],
            ["192.168.1.0/24", 2, {
                private: ["192.168.1.0/27", "192.168.1.32/27"],
                public: ["192.168.1.96/27", "192.168.1.128/27"],
                isolated: ["192.168.1.192/28", "192.168.1.208/28"],
            }],
            ["192.168.1.0/24", 3, {
                private: ["192.168.1.0/27", "192.168.1.32/27", "192.168.1.64/27"],
                public: ["192.168.1.96/27", "192.168.1.128/27", "192.168.1.160/27"],
                isolated: ["192.168.1.192/28", "192.168.1.208/28", "192.168.1.224/28"],
            }],
        ];
        for (const [cidr, zones, expected] of table) {
            it(`${cidr} in ${zones} zones`, () => {
                assert.deepEqual(splitVpcCidr(cidr, zones), expected);
            });
        }
    });

    describe("splitVpcCidr: properties for every supported prefix", () => {
        const bases = ["10.0.0.0", "172.16.0.0", "192.168.0.0"];
        for (let prefix = 16; prefix <= 24; prefix++) {
            for (const zones of [2, 3]) {
                it(`/${prefix} in ${zones} zones: inside the VPC, no overlap, sizes AWS accepts`, () => {
                    for (const base of bases) {
                        const vpc = `${base}/${prefix}`;
                        const layout = splitVpcCidr(vpc, zones);
                        const all = TIERS.flatMap((t) => layout[t]);
                        assert.equal(all.length, 3 * zones);
                        for (const tier of TIERS) assert.equal(layout[tier].length, zones, `${vpc} ${tier}`);
                        for (const s of all) {
                            assert.ok(cidrContains(vpc, s), `${s} lies outside ${vpc}`);
                            assert.ok(parseCidr(s).prefix <= 28, `${s} is smaller than AWS's /28 minimum`);
                        }
                        for (let i = 0; i < all.length; i++) {
                            for (let j = i + 1; j < all.length; j++) {
                                assert.ok(!cidrsOverlap(all[i], all[j]), `${all[i]} overlaps ${all[j]} in ${vpc}`);
                            }
                        }
                        // A load balancer needs /27 or larger subnets.
                        for (const s of layout.public) assert.ok(parseCidr(s).prefix <= 27, `public ${s} is too small for a load balancer`);
                        // The private tier (app servers, Lambda, endpoints) is the largest.
                        assert.ok(parseCidr(layout.private[0]).prefix <= parseCidr(layout.public[0]).prefix);
                        assert.ok(parseCidr(layout.private[0]).prefix <= parseCidr(layout.isolated[0]).prefix);
                    }
                });
            }
            it(`/${prefix}: going from 2 to 3 zones keeps every existing subnet`, () => {
                const two = splitVpcCidr(`10.0.0.0/${prefix}`, 2);
                const three = splitVpcCidr(`10.0.0.0/${prefix}`, 3);
                for (const tier of TIERS) assert.deepEqual(three[tier].slice(0, 2), two[tier]);
            });
        }
    });

    it("tier prefixes follow the VPC prefix, public never below /27", () => {
        const table: Array<[number, Record<string, number>]> = [
            [16, { private: 19, public: 20, isolated: 20 }],
            [20, { private: 23, public: 24, isolated: 24 }],
            [23, { private: 26, public: 27, isolated: 27 }],
            [24, { private: 27, public: 27, isolated: 28 }],
        ];
        for (const [vpc, expected] of table) assert.deepEqual(tierPrefixes(vpc), expected, `/${vpc}`);
    });

    it("rejects what it cannot lay out", () => {
        assert.throws(() => splitVpcCidr("10.0.0.0/15", 2), /\/15 is outside \/16–\/24/);
        assert.throws(() => splitVpcCidr("10.0.0.0/25", 2), /\/25 is outside \/16–\/24/);
        assert.throws(() => splitVpcCidr("10.0.0.0/16", 4), /cannot lay out 4 zones/);
        assert.throws(() => splitVpcCidr("10.0.0.0/16", 0), /cannot lay out 0 zones/);
        assert.throws(() => splitVpcCidr("10.0.1.0/16", 2), /host bits set; the block starts at 10\.0\.0\.0\/16/);
        assert.throws(() => splitVpcCidr("10.0.0.256/24", 2), /not an IPv4 CIDR block/);
        assert.throws(() => splitVpcCidr("vpc", 2), /not an IPv4 CIDR block/);
    });
});
