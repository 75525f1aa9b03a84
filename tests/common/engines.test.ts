import * as assert from "node:assert/strict";
import {
    DASHBOARD_MYSQL_PARAMETERS,
    ENGINE_INFO,
    ENGINES,
    isEngine,
    parameterGroupFamily,
    supportedVersions,
    supportsPerformanceInsights,
    type Engine,
} from "../../common/engines";

describe("common/engines", () => {
    describe("parameterGroupFamily: every supported pair", () => {
        const table: Array<[Engine, string, string]> = [
            ["mariadb", "10.11", "mariadb10.11"],
            ["mariadb", "11.4", "mariadb11.4"],
            ["mariadb", "11.8", "mariadb11.8"],
            ["mysql", "8.4", "mysql8.4"],
            ["postgres", "15", "postgres15"],
            ["postgres", "16", "postgres16"],
            ["postgres", "17", "postgres17"],
        ];
        for (const [engine, version, family] of table) {
            it(`${engine} ${version} → ${family}`, () => assert.equal(parameterGroupFamily(engine, version), family));
        }

        it("the table covers exactly the supported versions", () => {
            const all = ENGINES.flatMap((e) => supportedVersions(e).map((v) => `${e} ${v}`)).sort();
            assert.deepEqual(all, table.map(([e, v]) => `${e} ${v}`).sort());
        });
    });

    describe("parameterGroupFamily: unsupported pairs throw", () => {
        const table: Array<[Engine, string]> = [
            ["mariadb", "10.6"],
            ["mariadb", "11"],
            ["mariadb", "11.4.5"],
            ["mysql", "8.0"],
            ["mysql", "5.7"],
            ["postgres", "14"],
            ["postgres", "17.2"],
            ["postgres", "8.4"],
            ["mysql", "17"],
            ["mariadb", ""],
            // Names on Object.prototype must not count as versions.
            ["mariadb", "toString"],
            ["postgres", "constructor"],
            ["mysql", "__proto__"],
        ];
        for (const [engine, version] of table) {
            it(`${engine} "${version}"`, () =>
                assert.throws(() => parameterGroupFamily(engine, version), new RegExp(`^Error: ${engine} .* is not supported; supported versions: ${supportedVersions(engine).join(", ")}$`)));
        }
    });

    it("each default version is supported", () => {
        assert.deepEqual(
            ENGINES.map((e) => [e, parameterGroupFamily(e, ENGINE_INFO[e].defaultVersion)]),
            [
                ["mariadb", "mariadb11.4"],
                ["postgres", "postgres17"],
                ["mysql", "mysql8.4"],
            ],
        );
    });

    it("supportedVersions lists oldest first", () => {
        assert.deepEqual(supportedVersions("mariadb"), ["10.11", "11.4", "11.8"]);
        assert.deepEqual(supportedVersions("postgres"), ["15", "16", "17"]);
        assert.deepEqual(supportedVersions("mysql"), ["8.4"]);
    });

    it("isEngine", () => {
        assert.deepEqual(
            ["mariadb", "postgres", "mysql", "MariaDB", "aurora-mysql", "postgresql", "", "toString"].map(isEngine),
            [true, true, true, false, false, false, false, false],
        );
    });

    it("port, log exports and TLS parameter per engine", () => {
        const table = ENGINES.map((e) => [e, ENGINE_INFO[e].port, ENGINE_INFO[e].logExports, ENGINE_INFO[e].tlsParameter]);
        assert.deepEqual(table, [
            ["mariadb", 3306, ["error", "slowquery"], { name: "require_secure_transport", value: "1" }],
            ["postgres", 5432, ["postgresql"], { name: "rds.force_ssl", value: "1" }],
            ["mysql", 3306, ["error", "slowquery"], { name: "require_secure_transport", value: "1" }],
        ]);
    });

    it("the dashboard's MariaDB/MySQL settings", () => {
        assert.deepEqual(DASHBOARD_MYSQL_PARAMETERS, {
            lower_case_table_names: "1",
            log_bin_trust_function_creators: "1",
            sql_mode: "NO_AUTO_VALUE_ON_ZERO",
        });
    });

    describe("supportsPerformanceInsights", () => {
        const table: Array<[Engine, string, boolean]> = [
            ["mariadb", "db.t4g.micro", false],
            ["mariadb", "db.t4g.small", false],
            ["mariadb", "db.t3.micro", false],
            ["mariadb", "db.t3.small", false],
            ["mariadb", "db.t2.small", false],
            ["mysql", "db.t4g.micro", false],
            ["mysql", "db.t3.small", false],
            ["mariadb", "db.t4g.medium", true],
            ["mariadb", "db.t3.large", true],
            ["mysql", "db.m7g.large", true],
            ["mysql", "db.r6g.xlarge", true],
            ["postgres", "db.t4g.micro", true],
            ["postgres", "db.t3.small", true],
            ["postgres", "db.m7g.large", true],
        ];
        for (const [engine, instanceClass, expected] of table) {
            it(`${engine} ${instanceClass} → ${expected}`, () => assert.equal(supportsPerformanceInsights(engine, instanceClass), expected));
        }
    });
});
