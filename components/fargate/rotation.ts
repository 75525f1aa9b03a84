import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eventsTrustPolicy, rotationEventPattern } from "../app";
import { redeployDefinition, redeployPolicy, startRedeployPolicy, statesTrustPolicy, type Place } from "./policies";

/** One service a rotation redeploys. */
export interface RotationService {
    /** Its role, e.g. `dashboard` (the state's name). @default required */
    readonly role: string;
    /** The ECS service's name, which the state machine updates. @default required */
    readonly serviceName: pulumi.Input<string>;
    /** The ECS service's ARN, the only resource the state machine's role may update. @default required */
    readonly serviceArn: pulumi.Input<string>;
}

/** Arguments of {@link RotationRedeploy}. */
export interface RotationRedeployArgs {
    /** The RDS-managed secret whose `RotationSucceeded` triggers the redeploy. Updated in place. @default required */
    readonly databaseSecretArn: pulumi.Input<string>;
    /** The cluster of the services. @default required */
    readonly clusterArn: pulumi.Input<string>;
    /** The services that read the secret (dashboard, scheduler). @default required */
    readonly services: readonly RotationService[];
    /** Partition, region and account of the stack. @default required */
    readonly place: pulumi.Output<Place>;
}

/**
 * The database secret rotated → the services that read it roll (`dashboard:fargate:RotationRedeploy`):
 * an EventBridge rule on Secrets Manager's `RotationSucceeded` for this stack's secret only, whose
 * target starts an EXPRESS state machine calling `ecs:UpdateService` with `ForceNewDeployment` on each
 * service (the AWS SDK integration: no function to maintain). The rule's role may only start this state
 * machine; the state machine's role may only update these services. Each rollout is the services'
 * own (100 %/200 %, circuit breaker with rollback), so there is no downtime; the new tasks read the new password.
 */
export class RotationRedeploy extends pulumi.ComponentResource {
    public readonly ruleName: pulumi.Output<string>;
    public readonly stateMachineArn: pulumi.Output<string>;

    constructor(name: string, args: RotationRedeployArgs, opts: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:RotationRedeploy", name, {}, opts);
        const parent = { parent: this };
        const machineRole = new aws.iam.Role(
            `${name}-redeploy-role`,
            { description: "Redeploys the dashboard's database clients after a rotation", assumeRolePolicy: args.place.apply((p) => JSON.stringify(statesTrustPolicy(p))) },
            parent,
        );
        const machinePolicy = new aws.iam.RolePolicy(
            `${name}-redeploy-policy`,
            { role: machineRole.id, policy: pulumi.all(args.services.map((s) => s.serviceArn)).apply((arns) => JSON.stringify(redeployPolicy(arns))) },
            parent,
        );
        const targets = pulumi.all(args.services.map((s) => pulumi.output(s.serviceName).apply((serviceName) => ({ role: s.role, serviceName }))));
        const machine = new aws.sfn.StateMachine(
            `${name}-redeploy`,
            {
                type: "EXPRESS",
                roleArn: machineRole.arn,
                definition: pulumi.all([args.place, args.clusterArn, targets]).apply(([p, cluster, t]) => JSON.stringify(redeployDefinition(p.partition, cluster, t))),
            },
            { parent: this, dependsOn: [machinePolicy] },
        );
        const rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                description: "The database secret of this stack rotated: roll the dashboard and scheduler so they read the new password",
                eventPattern: pulumi.output(args.databaseSecretArn).apply((arn) => JSON.stringify(rotationEventPattern(arn))),
            },
            parent,
        );
        const eventsRole = new aws.iam.Role(
            `${name}-events-role`,
            { description: "Lets this stack's rotation rule start the redeploy", assumeRolePolicy: pulumi.all([args.place, rule.arn]).apply(([p, r]) => JSON.stringify(eventsTrustPolicy(p.accountId, r))) },
            parent,
        );
        const eventsPolicy = new aws.iam.RolePolicy(`${name}-events-policy`, { role: eventsRole.id, policy: machine.arn.apply((arn) => JSON.stringify(startRedeployPolicy(arn))) }, parent);
        new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: machine.arn, roleArn: eventsRole.arn }, { parent: this, dependsOn: [eventsPolicy] });

        this.ruleName = rule.name;
        this.stateMachineArn = machine.arn;
        this.registerOutputs({ ruleName: this.ruleName, stateMachineArn: this.stateMachineArn });
    }
}
