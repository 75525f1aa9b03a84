import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceName } from "../../config/containers";
import { groupDescription, securityRules, type Peer, type RuleSpec } from "./securityRules";
import { SERVICE_SPECS } from "./services";

/** Arguments of {@link SecurityGroups}. */
export interface SecurityGroupsArgs {
    /** The VPC of the groups. Changing it replaces them. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** The services that run: one group each. @default required */
    readonly services: readonly ServiceName[];
    /** The load balancer's group: the only source of the dashboard's 8224. @default required */
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    /** The database's group and port (egress of the dashboard and scheduler). @default required */
    readonly database: { readonly securityGroupId: pulumi.Input<string>; readonly port: pulumi.Input<number> };
    /** The file system's mount targets' group (NFS egress of the dashboard and scheduler). @default required */
    readonly fileSystemSecurityGroupId: pulumi.Input<string>;
}

/**
 * One security group per Fargate service (`dashboard:fargate:SecurityGroups`, `<name>-<role>`), with
 * the rules of {@link securityRules} as separate resources (`<name>-<role>-in-<peer>`,
 * `<name>-<role>-out-<peer>`), each naming its source or destination group; only the HTTPS egress
 * names `0.0.0.0/0` (image registries, AWS APIs, the licence server). No port 22 anywhere: shell
 * access is ECS Exec. The database and file system add their ingress rules themselves (`allowFrom`, `allowClients`).
 */
export class SecurityGroups extends pulumi.ComponentResource {
    /** Service → its group's id. */
    public readonly securityGroupIds: Readonly<Partial<Record<ServiceName, pulumi.Output<string>>>>;

    constructor(name: string, args: SecurityGroupsArgs, opts: pulumi.ComponentResourceOptions) {
        super("dashboard:fargate:SecurityGroups", name, {}, opts);
        const rules = securityRules(args.services);
        const ids: Partial<Record<ServiceName, pulumi.Output<string>>> = {};
        for (const s of args.services) {
            const group = new aws.ec2.SecurityGroup(`${name}-${SERVICE_SPECS[s].role}`, { vpcId: args.vpcId, description: groupDescription(s, rules) }, { parent: this });
            ids[s] = group.id;
        }
        this.securityGroupIds = ids;
        for (const rule of rules) this.rule(name, rule, args);
        this.registerOutputs({ securityGroupIds: ids });
    }

    /** One rule as an ingress or egress rule resource of the service's group. */
    private rule(name: string, rule: RuleSpec, args: SecurityGroupsArgs): void {
        const peer = this.peer(rule.peer, args);
        const port = rule.port === "database" ? args.database.port : rule.port;
        const ruleArgs = { securityGroupId: this.securityGroupIds[rule.service]!, description: rule.description, ipProtocol: "tcp", fromPort: port, toPort: port, ...peer };
        const id = `${name}-${SERVICE_SPECS[rule.service].role}-${rule.direction}-${rule.key}`;
        if (rule.direction === "in") new aws.vpc.SecurityGroupIngressRule(id, ruleArgs, { parent: this });
        else new aws.vpc.SecurityGroupEgressRule(id, ruleArgs, { parent: this });
    }

    /** The rule's source or destination. */
    private peer(peer: Peer, args: SecurityGroupsArgs): { referencedSecurityGroupId: pulumi.Input<string> } | { cidrIpv4: string } {
        switch (peer.kind) {
            case "service":
                return { referencedSecurityGroupId: this.securityGroupIds[peer.service]! };
            case "loadBalancer":
                return { referencedSecurityGroupId: args.loadBalancerSecurityGroupId };
            case "database":
                return { referencedSecurityGroupId: args.database.securityGroupId };
            case "fileSystem":
                return { referencedSecurityGroupId: args.fileSystemSecurityGroupId };
            case "internet":
                return { cidrIpv4: "0.0.0.0/0" };
        }
    }
}
