/**
 * The rotation wiring: Secrets Manager's RotationSucceeded for this stack's database secret → an
 * EventBridge rule → an EXPRESS state machine that force-deploys the dashboard and scheduler through
 * the AWS SDK integration; each role may do exactly its one thing.
 */
import * as assert from "node:assert/strict";
import type { MockRun } from "../../mocks";
import { T, buildCluster, json } from "./build";
import { DB_SECRET } from "./fixtures";

describe("RotationRedeploy (mocks)", () => {
    let run: MockRun;
    before(async () => {
        ({ run } = await buildCluster());
    });
    const arnOf = (type: string, name: string) => run.get(type, name).state.arn as string;
    const nameOf = (type: string, name: string) => run.get(type, name).state.name as string;

    it("the rule matches only this secret's RotationSucceeded", () => {
        const rule = run.get(T.rule, "app-rotation-rule");
        assert.deepEqual(json(rule.inputs.eventPattern), {
            source: ["aws.secretsmanager"],
            "detail-type": ["AWS Service Event via CloudTrail", "AWS API Call via CloudTrail"],
            detail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["RotationSucceeded"], additionalEventData: { SecretId: [DB_SECRET] } },
        });
    });

    it("its target starts the state machine with the events role, after that role's policy", () => {
        const target = run.get(T.target, "app-rotation-target");
        assert.deepEqual(target.inputs, { rule: nameOf(T.rule, "app-rotation-rule"), arn: arnOf(T.stateMachine, "app-rotation-redeploy"), roleArn: arnOf(T.role, "app-rotation-events-role") });
        assert.ok(target.dependencies.some((d) => d.endsWith("::app-rotation-events-policy")));
    });

    it("the state machine: EXPRESS, ecs:updateService with ForceNewDeployment on the dashboard and the scheduler of this cluster", () => {
        const machine = run.get(T.stateMachine, "app-rotation-redeploy");
        assert.equal(machine.inputs.type, "EXPRESS");
        assert.equal(machine.inputs.roleArn, arnOf(T.role, "app-rotation-redeploy-role"));
        const cluster = arnOf(T.cluster, "app-ecs-cluster");
        const branches = json(machine.inputs.definition).States.Redeploy.Branches;
        assert.deepEqual(
            branches.map((b: any) => b.States[b.StartAt].Parameters),
            ["dashboard", "scheduler"].map((role) => ({ Cluster: cluster, Service: nameOf(T.service, `app-${role}-service`), ForceNewDeployment: true })),
        );
        assert.ok(branches.every((b: any) => b.States[b.StartAt].Resource === "arn:aws:states:::aws-sdk:ecs:updateService"));
    });

    it("roles: Step Functions may update only the two services; the rule may start only the machine; each trusts only its service, for this account", () => {
        const services = ["dashboard", "scheduler"].map((role) => arnOf(T.service, `app-${role}-service`));
        assert.deepEqual(json(run.get(T.rolePolicy, "app-rotation-redeploy-policy").inputs.policy).Statement, [{ Sid: "RedeployDatabaseClients", Effect: "Allow", Action: "ecs:UpdateService", Resource: services }]);
        assert.deepEqual(json(run.get(T.rolePolicy, "app-rotation-events-policy").inputs.policy).Statement, [{ Sid: "StartRedeploy", Effect: "Allow", Action: "states:StartExecution", Resource: arnOf(T.stateMachine, "app-rotation-redeploy") }]);
        assert.deepEqual(json(run.get(T.role, "app-rotation-events-role").inputs.assumeRolePolicy).Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "123456789012", "aws:SourceArn": arnOf(T.rule, "app-rotation-rule") },
        });
        assert.equal(json(run.get(T.role, "app-rotation-redeploy-role").inputs.assumeRolePolicy).Statement[0].Principal.Service, "states.amazonaws.com");
    });
});
