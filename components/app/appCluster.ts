import * as pulumi from "@pulumi/pulumi";
import type { AppClusterArgs } from "./args";
import { InstanceAutomation } from "./instanceAutomation";
import { efsUtilsSource } from "./instanceAutomationPlan";
import { LoadBalancer } from "./loadBalancer";
import { ServerGroup } from "./serverGroup";
import { REFRESH_SCRIPT } from "./userData";

/**
 * The dashboard's web tier: a public Application Load Balancer (HTTP → HTTPS,
 * ACM certificate, Route 53 alias) in front of an Auto Scaling group of app
 * servers in the private subnets of every zone, with step scaling on CPU and a
 * rolling, launch-before-terminate instance refresh on every launch-template
 * change.
 *
 * Its parts in `pulumi preview`: `<name>-lb` (LoadBalancer: the load balancer, its security group,
 * access logs, target group, listeners, certificate and DNS records), `<name>-servers` (ServerGroup:
 * the servers' security group, log group, licence secret, role, launch template, Auto Scaling group,
 * scaling policies and alarms) and `<name>-automation` (InstanceAutomation). Their children keep the
 * names and, through aliases, the URNs they had as the AppCluster's own children.
 *
 * Security groups: the load balancer admits its listener ports from
 * `allowedCidrs` and sends only to the app port of the servers' group; the
 * servers admit only the app port from the load balancer and send HTTPS (AWS
 * APIs, licence manager, package repositories through NAT), HTTP (Ubuntu's apt
 * mirrors), the database port and NFS. The database and file system add the matching ingress rules
 * themselves (`allowFrom("app", securityGroupId)`). No port 22 anywhere: shell
 * access is through Session Manager.
 *
 * Scaling: +1 instance when average CPU stays above `scaleOutCpuPercent` for
 * two minutes (a step policy; a launching instance counts as capacity for its
 * 300 s warm-up, so a lasting alarm adds no second one before the first is
 * warm); −1 when it stays below `scaleInCpuPercent` for ten minutes (a simple
 * policy with a 300 s cooldown between removals). Missing data is not breaching.
 *
 * Desired capacity: `app.desiredSize` applies when the group is created; after
 * that scaling owns it (`ignoreChanges`), so `pulumi up` never undoes a scale-out.
 *
 * New images: with an `ssm:` AMI parameter EC2 resolves the image at each
 * launch, so a new image reaches new instances without a template change; to
 * replace running ones, start an instance refresh with `SkipMatching` false
 * (`aws autoscaling start-instance-refresh --preferences '{"SkipMatching":false,"MinHealthyPercentage":100,"MaxHealthyPercentage":200}'`).
 */
export class AppCluster extends pulumi.ComponentResource {
    /** `https://<domain>`, or `http://<load balancer DNS name>` without a domain. */
    public readonly url: pulumi.Output<string>;
    public readonly loadBalancerDnsName: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` LoadBalancer dimension). */
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` TargetGroup dimension). */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The app servers' security group (source for the database and file-system ingress rules). */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** The licence secret's ARN (never its value), undefined without a licence key. */
    public readonly licenceSecretArn: pulumi.Output<string | undefined>;
    /** The app servers' role (named in the content file system's policy). */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: AppClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:app:AppCluster", name, {}, opts);
        const { app } = args;
        const efsUtils = args.efsUtils ?? efsUtilsSource(app.ami);
        const loadBalancer = new LoadBalancer(
            `${name}-lb`,
            { ...args, prefix: name, targetPort: app.port, healthCheckPath: app.healthCheckPath, stickinessSeconds: app.stickinessSeconds },
            { parent: this },
        );
        const servers = new ServerGroup(
            `${name}-servers`,
            {
                ...args,
                prefix: name,
                efsUtils,
                loadBalancerSecurityGroupId: loadBalancer.securityGroupId,
                targetGroupArn: loadBalancer.targetGroupArn,
                loadBalancerReady: loadBalancer.listeners,
            },
            { parent: this },
        );
        loadBalancer.allowTo("app", servers.securityGroupId, app.port, "App port to the app servers");
        new InstanceAutomation(
            `${name}-automation`,
            { groupName: servers.autoScalingGroupName, databaseSecretArn: args.database.secretArn, efsUtils, refreshScript: REFRESH_SCRIPT },
            { parent: this },
        );

        this.url = loadBalancer.url;
        this.loadBalancerDnsName = loadBalancer.dnsName;
        this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = loadBalancer.targetGroupArnSuffix;
        this.securityGroupId = servers.securityGroupId;
        this.loadBalancerSecurityGroupId = loadBalancer.securityGroupId;
        this.autoScalingGroupName = servers.autoScalingGroupName;
        this.logGroupName = servers.logGroupName;
        this.licenceSecretArn = servers.licenceSecretArn;
        this.roleArn = servers.roleArn;
        this.registerOutputs({
            url: this.url,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            securityGroupId: this.securityGroupId,
            loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId,
            autoScalingGroupName: this.autoScalingGroupName,
            logGroupName: this.logGroupName,
            licenceSecretArn: this.licenceSecretArn,
            roleArn: this.roleArn,
        });
    }
}
