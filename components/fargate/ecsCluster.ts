import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FargateClusterArgs } from "./args";

/** Arguments of {@link EcsCluster}. */
export interface EcsClusterArgs extends Pick<FargateClusterArgs, "namespaceName" | "logRetentionDays"> {
    /** ECS Container Insights on the cluster (`containerInsights` setting). Updated in place. @default required */
    readonly containerInsights: boolean;
}

/**
 * The ECS cluster of the Fargate platform (`dashboard:fargate:EcsCluster`): the cluster (auto-named,
 * Container Insights per config, ECS Exec sessions logged to its own log group, Service Connect's
 * namespace as its default), the Cloud Map HTTP namespace, the exec log group, and the capacity
 * providers FARGATE and FARGATE_SPOT (FARGATE the default).
 */
export class EcsCluster extends pulumi.ComponentResource {
    public readonly clusterArn: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    /** The Cloud Map namespace the services' Service Connect configurations name. */
    public readonly namespaceArn: pulumi.Output<string>;
    /** The log group of ECS Exec sessions. */
    public readonly execLogGroupName: pulumi.Output<string>;
    public readonly execLogGroupArn: pulumi.Output<string>;
    /** The capacity providers: services using FARGATE_SPOT must wait for them. */
    public readonly capacityProviders: aws.ecs.ClusterCapacityProviders;

    constructor(name: string, args: EcsClusterArgs, opts: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:EcsCluster", name, {}, opts);
        const parent = { parent: this };
        const execLogs = new aws.cloudwatch.LogGroup(`${name}-exec-logs`, { retentionInDays: args.logRetentionDays }, parent);
        const namespace = new aws.servicediscovery.HttpNamespace(
            `${name}-namespace`,
            { name: args.namespaceName, description: "Service Connect between the dashboard's services" },
            parent,
        );
        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }],
                configuration: {
                    executeCommandConfiguration: {
                        // Every session's input and output to the exec log group (CloudWatch Logs encrypts it at rest;
                        // cloudWatchEncryptionEnabled would demand a KMS key on the group).
                        logging: "OVERRIDE",
                        logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: false },
                    },
                },
                serviceConnectDefaults: { namespace: namespace.arn },
            },
            parent,
        );
        this.capacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }] },
            parent,
        );

        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.namespaceArn = namespace.arn;
        this.execLogGroupName = execLogs.name;
        this.execLogGroupArn = execLogs.arn;
        this.registerOutputs({
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            namespaceArn: this.namespaceArn,
            execLogGroupName: this.execLogGroupName,
            execLogGroupArn: this.execLogGroupArn,
        });
    }
}
