import * as assert from "node:assert/strict";
import {
    ecsTasksTrustPolicy,
    executionRolePolicy,
    redeployDefinition,
    redeployPolicy,
    startRedeployPolicy,
    statesTrustPolicy,
    taskRolePolicy,
} from "../../../components/fargate/policies";

const PLACE = { partition: "aws", region: "us-east-1", accountId: "123456789012" };
const A = "arn:aws:logs:us-east-1:123456789012:log-group";

describe("components/fargate/policies: the IAM documents and the redeploy state machine", () => {
    it("trust: ECS tasks of this account; a task role also only for this region's ECS resources", () => {
        assert.deepEqual(ecsTasksTrustPolicy(PLACE, true).Statement, [
            {
                Sid: "EcsTasksOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" } },
            },
        ]);
        assert.deepEqual(ecsTasksTrustPolicy(PLACE, false).Statement, [
            { Sid: "EcsTaskExecutionOfThisAccount", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
        ]);
    });

    it("execution role with ghcr: its secrets and the services' log streams only; no ECR right at all", () => {
        const doc = executionRolePolicy({ logGroupArns: [`${A}:a`, `${A}:b`], secretArns: ["arn:s:db", "arn:s:lic", "arn:s:db"], images: ["ghcr.io/pi-cr/server:1"], partition: "aws" });
        assert.deepEqual(doc.Statement, [
            { Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["arn:s:db", "arn:s:lic"] },
            { Sid: "WriteServiceLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${A}:a:*`, `${A}:b:*`] },
        ]);
    });

    it("execution role with an ECR pull-through cache: the token on * (ECR authorizes it only so), pulls and the cache's import on exactly each repository", () => {
        const ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ghcr/pi-cr";
        const doc = executionRolePolicy({ logGroupArns: [], secretArns: ["arn:s:db"], images: [`${ecr}/server:1`, `${ecr}/renderer:1`, `${ecr}/server:1`, "ghcr.io/pi-cr/pirana:1"], partition: "aws" });
        assert.deepEqual((doc.Statement as object[]).slice(2), [
            { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullServiceImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                Resource: ["arn:aws:ecr:us-east-1:123456789012:repository/ghcr/pi-cr/server", "arn:aws:ecr:us-east-1:123456789012:repository/ghcr/pi-cr/renderer"],
            },
        ]);
    });

    it("task role: ECS Exec (channels and DescribeLogGroups on * only), session logs in the exec group, its own access points", () => {
        const exec = `${A}:exec`;
        assert.deepEqual(taskRolePolicy({ execLogGroupArn: exec, fileSystemArn: "arn:fs", accessPointArns: ["arn:ap:keys"] }).Statement, [
            { Sid: "EcsExecChannels", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
            { Sid: "EcsExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            { Sid: "EcsExecSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [exec, `${exec}:*`] },
            { Sid: "MountOwnVolumes", Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: "arn:fs", Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": ["arn:ap:keys"] } } },
        ]);
        assert.equal((taskRolePolicy({ execLogGroupArn: exec }).Statement as object[]).length, 3, "no volume, no file-system right");
    });

    it("redeploy: a parallel branch per service, ecs:updateService with ForceNewDeployment through the SDK integration, retried", () => {
        const cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/app-ecs-cluster-1234567";
        assert.deepEqual(redeployDefinition("aws", cluster, [{ role: "dashboard", serviceName: "app-dashboard-service-1" }, { role: "scheduler", serviceName: "app-scheduler-service-1" }]), {
            Comment: "The database secret rotated: roll the services that read it, so their new tasks read the new password",
            StartAt: "Redeploy",
            States: {
                Redeploy: {
                    Type: "Parallel",
                    End: true,
                    Branches: ["dashboard", "scheduler"].map((role) => ({
                        StartAt: `Redeploy ${role}`,
                        States: {
                            [`Redeploy ${role}`]: {
                                Type: "Task",
                                Resource: "arn:aws:states:::aws-sdk:ecs:updateService",
                                Parameters: { Cluster: cluster, Service: `app-${role}-service-1`, ForceNewDeployment: true },
                                Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
                                End: true,
                            },
                        },
                    })),
                },
            },
        });
        assert.throws(() => redeployDefinition("aws", cluster, []), /no service/);
    });

    it("redeploy roles: Step Functions of this account may assume; it may update only the two services; the rule may start only the machine", () => {
        assert.deepEqual(statesTrustPolicy(PLACE).Statement, [
            {
                Sid: "StepFunctionsOfThisAccount",
                Effect: "Allow",
                Principal: { Service: "states.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:states:us-east-1:123456789012:stateMachine:*" } },
            },
        ]);
        assert.deepEqual(redeployPolicy(["arn:svc:a", "arn:svc:b"]).Statement, [{ Sid: "RedeployDatabaseClients", Effect: "Allow", Action: "ecs:UpdateService", Resource: ["arn:svc:a", "arn:svc:b"] }]);
        assert.deepEqual(startRedeployPolicy("arn:sm").Statement, [{ Sid: "StartRedeploy", Effect: "Allow", Action: "states:StartExecution", Resource: "arn:sm" }]);
    });
});
