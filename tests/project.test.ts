import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { STACKS } from "./stackPlans";

/**
 * The Pulumi CLI checks Pulumi.yaml's declared config against every stack file
 * before the program runs: a declared key without a default must be set by
 * every stack. Mirror that rule here, where there is no CLI.
 */
describe("Pulumi.yaml", () => {
    const project = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8"));

    it("is the nodejs TypeScript project `dashboard`", () => {
        assert.equal(project.name, "dashboard");
        assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    });

    it("declares customer and environment as strings with descriptions, and no default for either", () => {
        for (const key of ["customer", "environment"]) {
            assert.equal(project.config[key].type, "string");
            assert.ok(project.config[key].description.length > 10);
            assert.equal(project.config[key].default, undefined);
        }
    });

    for (const stack of STACKS) {
        it(`Pulumi.${stack}.yaml sets every declared key without a default`, () => {
            const config = parse(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8")).config;
            for (const [key, decl] of Object.entries<any>(project.config)) {
                if (decl.default !== undefined) continue;
                assert.ok(config[`dashboard:${key}`] !== undefined, `Pulumi.${stack}.yaml does not set dashboard:${key}`);
            }
        });
    }
});
