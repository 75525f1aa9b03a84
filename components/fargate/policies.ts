/**
 * The IAM documents of the Fargate platform and the rotation's state machine definition: the roles'
 * trust policies, the execution role's and each task role's policy, the redeploy state machine and
 * its two roles. Every statement names its resources, except the actions AWS authorizes only on `*`
 * (ecr:GetAuthorizationToken, the ssmmessages channels of ECS Exec, logs:DescribeLogGroups).
 * Plain values; tested in tests/components/fargate/policies.test.ts and simulated in accessMatrix.test.ts.
 */
import { servicePolicy, type PolicyDocument, type PolicyStatement } from "../../common/policies";
import { ecrImage } from "./services";

/** Where a role lives. */
export interface Place {
    /** `aws`, `aws-cn`, … @default required */
    readonly partition: string;
    /** @default required */
    readonly region: string;
    /** @default required */
    readonly accountId: string;
}

/**
 * Trust policy of the execution role and the task roles: ECS tasks of this account (`aws:SourceAccount`);
 * a task role also only for ECS resources of this region and account (`aws:SourceArn`, as ECS documents
 * for task roles).
 */
export function ecsTasksTrustPolicy(p: Place, taskRole: boolean): PolicyDocument {
    return servicePolicy({
        sid: taskRole ? "EcsTasksOfThisAccount" : "EcsTaskExecutionOfThisAccount",
        service: "ecs-tasks.amazonaws.com",
        condition: {
            StringEquals: { "aws:SourceAccount": p.accountId },
            ...(taskRole ? { ArnLike: { "aws:SourceArn": `arn:${p.partition}:ecs:${p.region}:${p.accountId}:*` } } : {}),
        },
    });
}

/** What the execution role reads and writes. */
export interface ExecutionPolicyArgs {
    /** The services' log groups, as the provider returns their ARNs (without `:*`). @default required */
    readonly logGroupArns: readonly string[];
    /** The database secret, the licence secret, the registry credentials (the ones that exist). @default required */
    readonly secretArns: readonly string[];
    /** Every service's image reference: those in ECR get their repository's pull rights. @default required */
    readonly images: readonly string[];
    /** The partition of the ECR repository ARNs. @default required */
    readonly partition: string;
}

/**
 * The execution role's policy: only what ECS needs to start the tasks. The secrets the containers get
 * (and the registry credentials ghcr needs); the services' log streams; for images in ECR, the
 * authorization token (ECR authorizes it only on `*`) and pulling from exactly their repositories,
 * including a pull-through cache's first import (`ecr:BatchImportUpstreamImage`, `ecr:CreateRepository`).
 */
export function executionRolePolicy(a: ExecutionPolicyArgs): PolicyDocument {
    const repositories = [...new Set(a.images.map(ecrImage).flatMap((e) => (e === undefined ? [] : [`arn:${a.partition}:ecr:${e.region}:${e.accountId}:repository/${e.repositoryName}`])))];
    const statements: PolicyStatement[] = [
        { Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...new Set(a.secretArns)] },
        { Sid: "WriteServiceLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: a.logGroupArns.map((g) => `${g}:*`) },
    ];
    if (repositories.length > 0) {
        statements.push(
            { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullServiceImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                Resource: repositories,
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** What one service's task role may use. */
export interface TaskPolicyArgs {
    /** The cluster's ECS Exec log group (without `:*`). @default required */
    readonly execLogGroupArn: string;
    /** The content file system, when the service mounts volumes. @default none */
    readonly fileSystemArn?: string;
    /** The service's own access points. @default [] */
    readonly accessPointArns?: readonly string[];
}

/** The SSM agent's channels of an ECS Exec session: authorized only on `*`. */
export const EXEC_CHANNEL_ACTIONS: readonly string[] = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"];

/**
 * A task role's policy: ECS Exec (its channels, and the session log into the cluster's exec log group
 * only: the agent looks the group up with DescribeLogGroups, authorized only on `*`), and mounting and
 * writing the content file system only through the service's own access points.
 */
export function taskRolePolicy(a: TaskPolicyArgs): PolicyDocument {
    const accessPoints = a.accessPointArns ?? [];
    const statements: PolicyStatement[] = [
        { Sid: "EcsExecChannels", Effect: "Allow", Action: [...EXEC_CHANNEL_ACTIONS], Resource: "*" },
        { Sid: "EcsExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        { Sid: "EcsExecSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [a.execLogGroupArn, `${a.execLogGroupArn}:*`] },
    ];
    if (a.fileSystemArn !== undefined && accessPoints.length > 0) {
        statements.push({
            Sid: "MountOwnVolumes",
            Effect: "Allow",
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: a.fileSystemArn,
            Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": [...accessPoints] } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** One service the rotation redeploys. */
export interface RedeployTarget {
    /** The state's name, e.g. `dashboard`. @default required */
    readonly role: string;
    /** The ECS service to update. @default required */
    readonly serviceName: string;
}

/**
 * The redeploy state machine (EXPRESS): one branch per service, each `ecs:UpdateService` with
 * `ForceNewDeployment` through the AWS SDK integration (no code to maintain), retried with backoff;
 * the services roll (100 %/200 %, circuit breaker with rollback) and their new tasks read the new password.
 */
export function redeployDefinition(partition: string, clusterArn: string, targets: readonly RedeployTarget[]): Record<string, unknown> {
    if (targets.length === 0) throw new Error("redeployDefinition: no service to redeploy");
    const branch = (t: RedeployTarget) => ({
        StartAt: `Redeploy ${t.role}`,
        States: {
            [`Redeploy ${t.role}`]: {
                Type: "Task",
                Resource: `arn:${partition}:states:::aws-sdk:ecs:updateService`,
                Parameters: { Cluster: clusterArn, Service: t.serviceName, ForceNewDeployment: true },
                Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
                End: true,
            },
        },
    });
    return {
        Comment: "The database secret rotated: roll the services that read it, so their new tasks read the new password",
        StartAt: "Redeploy",
        States: { Redeploy: { Type: "Parallel", Branches: targets.map(branch), End: true } },
    };
}

/** Trust policy of the state machine's role: Step Functions, for state machines of this account and region. */
export function statesTrustPolicy(p: Place): PolicyDocument {
    return servicePolicy({
        sid: "StepFunctionsOfThisAccount",
        service: "states.amazonaws.com",
        condition: { StringEquals: { "aws:SourceAccount": p.accountId }, ArnLike: { "aws:SourceArn": `arn:${p.partition}:states:${p.region}:${p.accountId}:stateMachine:*` } },
    });
}

/** The state machine role's policy: `ecs:UpdateService` on exactly these services (their ARNs name the cluster). */
export function redeployPolicy(serviceArns: readonly string[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Sid: "RedeployDatabaseClients", Effect: "Allow", Action: "ecs:UpdateService", Resource: [...serviceArns] }] };
}

/** The rule role's policy: starting exactly this state machine. */
export function startRedeployPolicy(stateMachineArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Sid: "StartRedeploy", Effect: "Allow", Action: "states:StartExecution", Resource: stateMachineArn }] };
}
