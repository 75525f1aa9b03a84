import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { dashboardName } from "./alarmThresholds";
import type { EcsMonitoring } from "./args";
import { dashboardBody, type DashboardInput } from "./dashboardWidgets";

/** Arguments of {@link MonitoringDashboard}: the names its widgets refer to, as inputs. */
export interface MonitoringDashboardArgs {
    /**
     * The children's names are `<prefix>-dashboard` and `<prefix>-dashboard-suffix`: the Monitoring's
     * name, which named them before this component existed.
     * @default required
     */
    readonly prefix: string;
    /** The region the widgets read metrics from. @default required */
    readonly region: pulumi.Input<string>;
    /** The load balancer's ARN suffix, `app/<name>/<id>`. @default required */
    readonly loadBalancer: pulumi.Input<string>;
    /** The target group's ARN suffix, `targetgroup/<name>/<id>`. @default required */
    readonly targetGroup: pulumi.Input<string>;
    /** The app Auto Scaling group's name (EC2 platform). @default none (no instance widgets) */
    readonly autoScalingGroupName?: pulumi.Input<string>;
    /** The Fargate platform's cluster and services. @default none (the EC2 platform) */
    readonly ecs?: Pick<EcsMonitoring, "clusterName" | "services">;
    /** The group's minimum size, drawn as a line on the instances graph. @default required */
    readonly minSize: number;
    /** The RDS instance identifier. @default required */
    readonly dbInstanceIdentifier: pulumi.Input<string>;
    /** The sideload function's name. @default required */
    readonly sideloadFunctionName: pulumi.Input<string>;
    /** The sideload function's dead-letter queue name. @default required */
    readonly sideloadDeadLetterQueueName: pulumi.Input<string>;
    /** The status-page checker function, when the status page is enabled. @default none (no checker widget) */
    readonly statusCheckerFunctionName?: pulumi.Input<string>;
    /** Alarm thresholds, drawn as horizontal lines. @default required */
    readonly thresholds: DashboardInput["thresholds"];
}

/**
 * The stack's CloudWatch dashboard, its body rendered from resolved names by `dashboardBody`.
 * Its name must be set, so it is derived from the stack and a random suffix (replacing the suffix
 * resource renames, i.e. replaces, the dashboard: harmless). Both were the Monitoring's direct
 * children before this component existed: their aliases keep their URNs.
 */
export class MonitoringDashboard extends pulumi.ComponentResource {
    /** The CloudWatch dashboard's name. */
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:monitoring:Dashboard", name, {}, opts);
        // The Monitoring (this component's parent) was the suffix's and the dashboard's parent.
        const moved = { parent: this, aliases: [{ parent: opts?.parent }] };
        const suffix = new random.RandomString(`${args.prefix}-dashboard-suffix`, { length: 8, special: false, upper: false }, moved);
        const body = pulumi
            .output({
                region: args.region,
                loadBalancer: args.loadBalancer,
                targetGroup: args.targetGroup,
                autoScalingGroupName: args.autoScalingGroupName,
                dbInstanceIdentifier: args.dbInstanceIdentifier,
                sideloadFunctionName: args.sideloadFunctionName,
                sideloadDeadLetterQueueName: args.sideloadDeadLetterQueueName,
                statusCheckerFunctionName: args.statusCheckerFunctionName,
                ecs: resolvedEcs(args.ecs),
            })
            .apply((names) => dashboardBody({ ...names, minSize: args.minSize, thresholds: args.thresholds }));
        const dashboard = new aws.cloudwatch.Dashboard(
            `${args.prefix}-dashboard`,
            { dashboardName: suffix.result.apply((s) => dashboardName(pulumi.getProject(), pulumi.getStack(), s)), dashboardBody: body },
            moved,
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ dashboardName: this.dashboardName });
    }
}

/** The cluster's and services' names, resolved; undefined on the EC2 platform. */
function resolvedEcs(ecs: MonitoringDashboardArgs["ecs"]): pulumi.Output<DashboardInput["ecs"]> {
    if (ecs === undefined) return pulumi.output(undefined);
    const services = pulumi.all(ecs.services.map((s) => pulumi.output(s.serviceName).apply((serviceName) => ({ name: s.name, serviceName }))));
    return pulumi.all([pulumi.output(ecs.clusterName), services]).apply(([clusterName, list]) => ({ clusterName, services: list }));
}
