import * as assert from "node:assert/strict";
import {
    CALLS,
    callsBetween,
    checkNames,
    ecrImage,
    enabledServices,
    imageReference,
    stackScopedName,
} from "../../../components/fargate/services";
import { containersConfig } from "./fixtures";

describe("components/fargate/services: the service table and names", () => {
    const images: Array<[string, string, string, string]> = [
        ["a name in the repository gets the tag", "ghcr.io/pi-cr", "server", "ghcr.io/pi-cr/server:2025_10.1"],
        ["a name with its own tag keeps it", "ghcr.io/pi-cr", "server:2025_10.2", "ghcr.io/pi-cr/server:2025_10.2"],
        ["a name with a digest keeps it", "ghcr.io/pi-cr", "server@sha256:abc", "ghcr.io/pi-cr/server@sha256:abc"],
        ["a full reference is used as given", "ghcr.io/pi-cr", "registry.example.com/acme/dashboard:7", "registry.example.com/acme/dashboard:7"],
        ["an ECR pull-through cache as repository", "123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr", "renderer", "123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr/renderer:2025_10.1"],
    ];
    for (const [what, repository, image, expected] of images) {
        it(`imageReference: ${what}`, () => assert.equal(imageReference(repository, image, "2025_10.1"), expected));
    }

    it("ecrImage: the repository of an ECR reference (tag or digest cut off), nothing for ghcr", () => {
        assert.deepEqual(ecrImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/ghcr/pi-cr/server:2025_10.1"), { accountId: "123456789012", region: "eu-west-1", repositoryName: "ghcr/pi-cr/server" });
        assert.deepEqual(ecrImage("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/pi@sha256:abc"), { accountId: "210987654321", region: "cn-north-1", repositoryName: "pi" });
        assert.equal(ecrImage("ghcr.io/pi-cr/server:2025_10.1"), undefined);
        assert.equal(ecrImage("public.ecr.aws/acme/server:1"), undefined);
    });

    it("stackScopedName: customer and stack, characters ECS and Cloud Map refuse replaced", () => {
        assert.equal(stackScopedName("acme", "prod"), "dashboard-acme-prod");
        assert.equal(stackScopedName("acme", "eu.prod_2"), "dashboard-acme-eu-prod_2");
    });

    it("checkNames: refuses a namespace ECS or Cloud Map would refuse, and a family ECS would refuse", () => {
        checkNames("dashboard-acme-prod", "dashboard-acme-prod");
        assert.throws(() => checkNames("a/b", "x"), /namespaceName "a\/b" is not a Cloud Map namespace name/);
        assert.throws(() => checkNames("arn:aws:servicediscovery:x", "x"), /not an ARN/);
        assert.throws(() => checkNames("", "x"), /namespaceName/);
        assert.throws(() => checkNames("ok", "a.b"), /familyPrefix "a.b" must be 1–242 letters/);
        assert.throws(() => checkNames("ok", "x".repeat(243)), /familyPrefix/);
    });

    it("enabledServices: dashboard, scheduler, renderer always; pirana by default; excel-reader when enabled", () => {
        assert.deepEqual(enabledServices(containersConfig()), ["dashboard", "scheduler", "renderer", "pirana"]);
        assert.deepEqual(enabledServices(containersConfig({ services: { pirana: { enabled: false }, excelReader: { enabled: true } } })), ["dashboard", "scheduler", "renderer", "excelReader"]);
    });

    it("callsBetween: only calls whose both ends run", () => {
        assert.equal(CALLS.length, 6);
        assert.deepEqual(callsBetween(["dashboard", "scheduler", "renderer"]), [
            { from: "scheduler", to: "dashboard", port: 8224 },
            { from: "renderer", to: "dashboard", port: 28748 },
            { from: "dashboard", to: "renderer", port: 9915 },
            { from: "dashboard", to: "scheduler", port: 9917 },
        ]);
    });
});
