import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmSpec, type DatabaseThresholds } from "./alarmSettings";
import type { MonitoringArgs } from "./args";
import { databaseAlarms, functionAlarms } from "./backendAlarms";
import { ecsAlarms } from "./ecsAlarms";
import { capacityAlarms, requestAlarms } from "./loadBalancerAlarms";

/** Arguments of {@link MonitoringAlarms}: what the alarms watch, and where they notify. */
export interface MonitoringAlarmsArgs extends Omit<MonitoringArgs, "emails" | "stackLabel"> {
    /**
     * The alarms' names are `<prefix>-<role>`: the Monitoring's name, which named them before this
     * component existed (changing it renames, i.e. replaces, every alarm).
     * @default required
     */
    readonly prefix: string;
    /** How each alarm description identifies the stack (`[<label>] ...`). @default required */
    readonly label: string;
    /** The database thresholds (see `databaseThresholds`). @default required */
    readonly thresholds: DatabaseThresholds;
    /**
     * The alarm topic and its access policy: alarm and OK actions notify the topic, and each alarm
     * waits for the policy so that CloudWatch may publish at once.
     * @default none (alarms without actions)
     */
    readonly topic?: { readonly arn: pulumi.Input<string>; readonly policy: pulumi.Resource };
}

/**
 * The stack's CloudWatch alarms, each with a description that says what to do: the load balancer's,
 * the server group's or the ECS services', the database's, the sideload function's and the status checker's. Every alarm
 * keeps its name `<prefix>-<role>`; they were the Monitoring's direct children before this component
 * existed, and their aliases keep their URNs.
 */
export class MonitoringAlarms extends pulumi.ComponentResource {
    /** The physical names of every alarm, in creation order. */
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: MonitoringAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:monitoring:Alarms", name, {}, opts);
        const specs: AlarmSpec[] = [
            ...requestAlarms(args),
            ...capacityAlarms(args),
            ...ecsAlarms(args),
            ...databaseAlarms(args, args.thresholds),
            ...functionAlarms(args),
        ];
        if (args.thresholds.connections === undefined) {
            void pulumi.log.warn(
                `${args.prefix}: no database connections alarm: max_connections of ${args.dbInstanceClass} is unknown; pass dbMaxConnections`,
                this,
            );
        }
        const actions = args.topic === undefined ? undefined : [args.topic.arn];
        // The Monitoring (this component's parent) was every alarm's parent.
        const aliases = [{ parent: opts?.parent }];
        const dependsOn = args.topic === undefined ? [] : [args.topic.policy];
        const alarms = specs.map(
            ({ role, inputs }) =>
                new aws.cloudwatch.MetricAlarm(
                    `${args.prefix}-${role}`,
                    {
                        ...inputs,
                        alarmDescription: `[${args.label}] ${inputs.alarmDescription}`.slice(0, 1024),
                        alarmActions: actions,
                        okActions: actions,
                    },
                    { parent: this, aliases, dependsOn },
                ),
        );
        this.alarmNames = alarms.map((a) => a.name);
        this.registerOutputs({ alarmNames: this.alarmNames });
    }
}
