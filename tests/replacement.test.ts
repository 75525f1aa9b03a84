/**
 * "A change that would replace the database is caught by a test." For every
 * stack file, the inputs that force a replacement of a stateful resource (the
 * provider's ForceNew arguments of the RDS instance, the EFS file system and the
 * content bucket, and the random suffixes their names derive from) are compared
 * with a reviewed golden file. A code change that alters one of them for an
 * existing stack fails here instead of deleting data on the next `pulumi up`.
 *
 * After a deliberate change (a new stack file, say): UPDATE_GOLDEN=1 npm run mocha
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgram } from "../plan/run";
import { loadStackConfig } from "./mocks";
import { STACKS } from "./stackPlans";

/** Arguments whose change replaces the resource (the provider's ForceNew arguments). */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
    "aws:rds/instance:Instance": [
        "identifier", "identifierPrefix", "engine", "dbName", "username", "kmsKeyId", "storageEncrypted", "availabilityZone",
        "characterSetName", "ncharCharacterSetName", "timezone", "customIamInstanceProfile", "snapshotIdentifier", "restoreToPointInTime",
    ],
    "aws:efs/fileSystem:FileSystem": ["creationToken", "encrypted", "kmsKeyId", "performanceMode", "availabilityZoneName"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
    "random:index/randomString:RandomString": ["length", "lower", "upper", "numeric", "special", "keepers", "overrideSpecial"],
};

/** Arguments ignored after creation: a change to them cannot replace the resource. */
function ignored(ignoreChanges: readonly string[], key: string): boolean {
    return ignoreChanges.includes(key);
}

const GOLDEN = path.join(__dirname, "golden");

describe("no change replaces a stateful resource of an existing stack", () => {
    for (const stack of STACKS) {
        it(`${stack}: replacement-forcing inputs match tests/golden/${stack}.json`, async () => {
            const file = loadStackConfig(stack);
            const run = await runProgram(stack, file.region ?? "us-east-1", file.config, file.secretKeys);
            assert.ok(!("errors" in run), "errors" in run ? run.errors.join("\n") : "");
            const actual: Record<string, Record<string, unknown>> = {};
            for (const r of run.resources) {
                const keys = FORCE_NEW[r.type];
                if (keys === undefined) continue;
                const picked: Record<string, unknown> = {};
                for (const k of keys) if (r.inputs[k] !== undefined && !ignored(r.ignoreChanges, k)) picked[k] = r.inputs[k];
                actual[`${r.type} ${r.name}`] = picked;
            }
            const goldenFile = path.join(GOLDEN, `${stack}.json`);
            if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(goldenFile, `${JSON.stringify(actual, null, 2)}\n`);
            assert.ok(fs.existsSync(goldenFile), `no ${goldenFile}: review the inputs and run UPDATE_GOLDEN=1 npm run mocha`);
            const expected = JSON.parse(fs.readFileSync(goldenFile, "utf8"));
            assert.deepEqual(actual, expected, "a replacement-forcing input changed: this would replace a stateful resource of an existing stack");
        });
    }

    it("the check sees the database: ignoring snapshotIdentifier is what keeps a restored stack's database", async () => {
        const file = loadStackConfig("example-existing-vpc");
        const run = await runProgram("example-existing-vpc", "eu-west-1", file.config, file.secretKeys);
        assert.ok(!("errors" in run));
        const db = run.resources.find((r) => r.type === "aws:rds/instance:Instance");
        assert.ok(db !== undefined);
        assert.equal(db.inputs.snapshotIdentifier, "dashboard-globex-v1-final");
        assert.ok(db.ignoreChanges.includes("snapshotIdentifier"));
        assert.ok(db.protect || db.inputs.deletionProtection === true);
    });
});
