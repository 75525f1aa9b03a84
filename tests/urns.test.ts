/**
 * "Moving a resource in the code never replaces it in a deployed stack." For every stack file, the
 * URNs of the deployed layout (tests/golden/urns/<stack>.json, recorded before the code was moved
 * into folders and nested components) must each be the URN of a resource the program registers now,
 * or one of the URNs it answers to through its aliases. Without that, `pulumi up` deletes the old
 * resource and creates a new one: the database, file system and bucket included.
 *
 * A new resource needs nothing here. A deliberately removed one is removed from the golden file by
 * hand, with the reason in the commit. UPDATE_URN_GOLDEN=1 writes the files afresh: only for a new
 * stack file, never to make a move pass.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../plan/run";
import { loadStackConfig, PROJECT, settle, startMocks } from "./mocks";
import { STACKS } from "./stackPlans";
import { resetUrnRecording, urnCandidates } from "./urns";

const GOLDEN = path.join(__dirname, "golden", "urns");

async function candidates(stack: string): Promise<Map<string, Set<string>>> {
    const file = loadStackConfig(stack);
    resetUrnRecording();
    const run = await runProgram(stack, file.region ?? "us-east-1", file.config, file.secretKeys);
    assert.ok(!("errors" in run), `${stack} has errors`);
    return urnCandidates(stack, PROJECT);
}

describe("every deployed URN survives the move (aliases)", () => {
    for (const stack of STACKS) {
        it(`${stack}: each URN of tests/golden/urns/${stack}.json is a resource's URN or one of its aliases`, async () => {
            const now = await candidates(stack);
            const goldenFile = path.join(GOLDEN, `${stack}.json`);
            if (process.env.UPDATE_URN_GOLDEN === "1") {
                fs.mkdirSync(GOLDEN, { recursive: true });
                fs.writeFileSync(goldenFile, `${JSON.stringify([...now.keys()].sort(), null, 2)}\n`);
            }
            const deployed: string[] = JSON.parse(fs.readFileSync(goldenFile, "utf8"));
            const answered = new Set([...now.values()].flatMap((s) => [...s]));
            assert.deepEqual(deployed.filter((urn) => !answered.has(urn)), [], "deployed URNs no resource answers to (they would be deleted and recreated)");
            // Each deployed URN is taken by one resource only.
            const owners = deployed.map((urn) => [...now.entries()].filter(([, all]) => all.has(urn)).map(([u]) => u));
            assert.deepEqual(owners.filter((o) => o.length !== 1), []);
        });
    }

    // The harness itself, on a move it must catch and the alias that fixes it.
    class Outer extends pulumi.ComponentResource {
        constructor(name: string, nested: "no" | "without alias" | "with alias") {
            super("test:index:Outer", name, {}, {});
            const parent = nested === "no" ? this : new Inner(`${name}-inner`, { parent: this });
            const aliases = nested === "with alias" ? [{ parent: this }] : [];
            new aws.s3.Bucket(`${name}-bucket`, {}, { parent, aliases });
        }
    }
    class Inner extends pulumi.ComponentResource {
        constructor(name: string, opts: pulumi.ComponentResourceOptions) {
            super("test:index:Inner", name, {}, opts);
        }
    }
    const bucketUrns = async (nested: "no" | "without alias" | "with alias") => {
        await startMocks({ stack: "urns" });
        resetUrnRecording();
        new Outer("o", nested);
        await settle();
        const all = urnCandidates("urns", PROJECT);
        return [...all.entries()].find(([u]) => u.endsWith("::o-bucket"))!;
    };

    it("a child moved under a nested component: a new URN with the whole parent chain, and the old one only through an alias", async () => {
        const [before] = await bucketUrns("no");
        assert.equal(before, "urn:pulumi:urns::dashboard::test:index:Outer$aws:s3/bucket:Bucket::o-bucket");
        const [moved, movedAll] = await bucketUrns("without alias");
        assert.equal(moved, "urn:pulumi:urns::dashboard::test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::o-bucket");
        assert.equal(movedAll.has(before), false);
        const [, aliasedAll] = await bucketUrns("with alias");
        assert.equal(aliasedAll.has(before), true);
    });
});
