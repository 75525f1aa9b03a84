/**
 * The ECS service and cluster rules (the Fargate platform): no public IP on a service's tasks, and
 * Container Insights on the cluster in production. Without ECS services or clusters (the EC2 platform)
 * they do not apply.
 */
import { isTrue, label, of, T, type DashboardPolicy } from "./rule";

export const ecsNoPublicIp: DashboardPolicy = {
    id: "CKV_AWS_333 / ECS.2",
    name: "ckv-aws-333-ecs-2",
    description: "ECS services get no public IP address",
    validateStack: (args, report) => {
        const services = of(args.resources, T.ecsService);
        if (services.length === 0) args.notApplicable("no ECS service in the stack");
        for (const s of services) if (isTrue(s.props.networkConfiguration?.assignPublicIp)) report(`${label(s)}: assignPublicIp is true`, s.urn);
    },
};

/** The values of the cluster setting `containerInsights` that turn it on (`enhanced` adds container-level metrics). */
const INSIGHTS_ON = ["enabled", "enhanced"];

export const ecsContainerInsightsInProduction: DashboardPolicy = {
    id: "CKV_AWS_65 / ECS.12",
    name: "ckv-aws-65-ecs-12",
    description: "ECS clusters use Container Insights in production",
    only: ["production"],
    elsewhere: "Container Insights is opt-in outside production (app.containers.containerInsights): CloudWatch prices its metrics as custom metrics",
    validateStack: (args, report) => {
        const clusters = of(args.resources, T.ecsCluster);
        if (clusters.length === 0) args.notApplicable("no ECS cluster in the stack");
        for (const c of clusters) {
            const settings: Array<{ name?: unknown; value?: unknown }> = c.props.settings ?? [];
            const value = settings.find((s) => s.name === "containerInsights")?.value;
            if (!INSIGHTS_ON.includes(String(value))) report(`${label(c)}: containerInsights is ${value === undefined ? "not set" : String(value)}`, c.urn);
        }
    },
};
