import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
    connectionsThreshold,
    dashboardName,
    dbInstanceClassMemoryBytes,
    defaultMaxConnections,
    emailSubscriptions,
    formatBytes,
    freeableMemoryThresholdBytes,
    freeStorageThresholdBytes,
    instanceClassMemoryGiB,
} from "../../../components/monitoring/alarmThresholds";
import type { Engine } from "../../../common/engines";

describe("alarmThresholds", () => {
    describe("instanceClassMemoryGiB", () => {
        const table: [string, number | undefined][] = [
            ["db.t4g.micro", 1],
            ["db.t4g.small", 2],
            ["db.t4g.medium", 4],
            ["db.t3.large", 8],
            ["db.t3.xlarge", 16],
            ["db.t3.2xlarge", 32],
            ["db.m5.large", 8],
            ["db.m6g.xlarge", 16],
            ["db.m7g.large", 8],
            ["db.m7g.4xlarge", 64],
            ["db.r6g.large", 16],
            ["db.r6g.2xlarge", 64],
            ["db.r6g.4xlarge", 128],
            ["db.t4g.nano", undefined],
            ["db.m7g.8xlarge", undefined],
            ["db.x2g.large", undefined],
            ["db.m5.micro", undefined],
            ["t4g.small", undefined],
            ["", undefined],
        ];
        for (const [cls, gib] of table) {
            it(`${cls || "(empty)"} → ${gib}`, () => assert.equal(instanceClassMemoryGiB(cls), gib));
        }
    });

    it("approximates DBInstanceClassMemory as memory − 256 MiB − 2 %", () => {
        assert.equal(dbInstanceClassMemoryBytes("db.t4g.medium"), 4 * 2 ** 30 - 256 * 2 ** 20 - 0.02 * 4 * 2 ** 30);
        assert.equal(dbInstanceClassMemoryBytes("db.x2g.large"), undefined);
    });

    describe("default max_connections and the 80 % threshold", () => {
        // class, engine, default max_connections, alarm threshold
        const table: [string, Engine, number, number][] = [
            ["db.t4g.micro", "mariadb", 62, 49],
            ["db.t4g.micro", "postgres", 82, 65],
            ["db.t4g.small", "mariadb", 145, 116],
            ["db.t4g.small", "mysql", 145, 116],
            ["db.t4g.small", "postgres", 192, 153],
            ["db.t4g.medium", "mariadb", 313, 250],
            ["db.t4g.medium", "postgres", 413, 330],
            ["db.m7g.large", "mariadb", 647, 517],
            ["db.m7g.large", "postgres", 855, 684],
            ["db.r6g.4xlarge", "mariadb", 10682, 8545],
            ["db.r6g.4xlarge", "postgres", 5000, 4000], // LEAST(…, 5000)
        ];
        for (const [cls, engine, max, threshold] of table) {
            it(`${cls} ${engine}: ${max} → ${threshold}`, () => {
                assert.equal(defaultMaxConnections(engine, cls), max);
                assert.equal(connectionsThreshold(max), threshold);
            });
        }
        it("is unknown for a class outside the table", () => {
            assert.equal(defaultMaxConnections("mariadb", "db.x2g.large"), undefined);
            assert.equal(defaultMaxConnections("postgres", "db.x2g.large"), undefined);
        });
        it("rejects a max_connections that is not a positive integer", () => {
            for (const bad of [0, -5, 1.5, Number.NaN]) assert.throws(() => connectionsThreshold(bad), /positive integer/);
        });
    });

    describe("freeStorageThresholdBytes", () => {
        const table: [number, number][] = [
            [20, 2_147_483_648],
            [100, 10_737_418_240],
            [5, 536_870_912],
        ];
        for (const [gb, bytes] of table) it(`${gb} GiB → ${bytes}`, () => assert.equal(freeStorageThresholdBytes(gb), bytes));
        it("rejects a non-positive size", () => {
            for (const bad of [0, -20, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => freeStorageThresholdBytes(bad), /positive/);
        });
    });

    describe("freeableMemoryThresholdBytes", () => {
        const table: [string, number][] = [
            ["db.t4g.micro", 107_374_182],
            ["db.t4g.small", 214_748_364],
            ["db.m7g.large", 858_993_459],
            ["db.r6g.large", 1_717_986_918],
            ["db.x2g.large", 268_435_456], // unknown → 256 MiB
        ];
        for (const [cls, bytes] of table) it(`${cls} → ${bytes}`, () => assert.equal(freeableMemoryThresholdBytes(cls), bytes));
    });

    it("formats bytes for descriptions", () => {
        assert.deepEqual(
            [2_147_483_648, 10_737_418_240, 107_374_182, 268_435_456].map(formatBytes),
            ["2 GiB", "10 GiB", "102.4 MiB", "256 MiB"],
        );
    });

    describe("dashboardName", () => {
        const table: [string, string, string, string][] = [
            ["dashboard", "acme-prod", "k3j9x2ab", "dashboard-acme-prod-k3j9x2ab"],
            ["dashboard", "acme.prod_2", "k3j9x2ab", "dashboard-acme-prod_2-k3j9x2ab"],
            ["dashboard", "dev", "00000000", "dashboard-dev-00000000"],
        ];
        for (const [project, stack, suffix, expected] of table) {
            it(`${project}/${stack} → ${expected}`, () => assert.equal(dashboardName(project, stack, suffix), expected));
        }
        it("stays within 255 characters and keeps the suffix", () => {
            const name = dashboardName("dashboard", "s".repeat(300), "k3j9x2ab");
            assert.equal(name.length, 255);
            assert.match(name, /^dashboard-s+-k3j9x2ab$/);
        });
    });

    describe("emailSubscriptions", () => {
        const key = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 12);
        it("keys each address by a hash, trims and de-duplicates case-insensitively", () => {
            assert.deepEqual(emailSubscriptions([" ops@example.com", "Oncall+dash@example.org", "OPS@example.com", ""]), [
                { email: "ops@example.com", key: key("ops@example.com") },
                { email: "Oncall+dash@example.org", key: key("oncall+dash@example.org") },
            ]);
        });
        it("keeps the other keys when an address is removed", () => {
            const before = emailSubscriptions(["a@example.com", "b@example.com", "c@example.com"]);
            const after = emailSubscriptions(["a@example.com", "c@example.com"]);
            assert.deepEqual(after, [before[0], before[2]]);
        });
        it("keys carry no part of the address", () => {
            for (const s of emailSubscriptions(["ops@example.com"])) assert.match(s.key, /^[0-9a-f]{12}$/);
            assert.deepEqual(emailSubscriptions([]), []);
        });
    });
});
