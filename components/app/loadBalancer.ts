import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DomainConfig } from "../../config/types";
import { ELB_ACCOUNT_REGIONS, accessLogBucketPolicy, ingressRules, isHostedZoneId, listenerPorts } from "./appClusterPlan";
import type { AppClusterArgs } from "./args";
import { MovedChildren, type NestedOptions } from "./moved";

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The load balancer's part of the AppCluster's args, and what it takes from `app`. */
export interface LoadBalancerArgs extends Pick<AppClusterArgs, "vpcId" | "publicSubnetIds" | "allowedCidrs" | "domain" | "environment" | "protect"> {
    /**
     * Prefix of the children's names (`<prefix>-alb`, `<prefix>-tg`, …): the AppCluster's name, so the
     * resources keep the names they had before this component existed.
     * @default required
     */
    readonly prefix: string;
    /** The app port the target group sends to. Changing it replaces the target group. @default required */
    readonly targetPort: number;
    /** The target group's health-check path. @default required */
    readonly healthCheckPath: string;
    /** Duration of the load balancer's stickiness cookie, in seconds. @default required */
    readonly stickinessSeconds: number;
    /**
     * What the target group registers: `instance` (the EC2 platform's Auto Scaling group registers its
     * instances) or `ip` (Fargate tasks in `awsvpc` mode, each registered by its own address).
     * Changing it replaces the target group.
     * @default "instance"
     */
    readonly targetType?: "instance" | "ip";
}

/** The access-log settings of the load balancer and the bucket policy it must wait for. */
interface AccessLogs {
    readonly settings: aws.types.input.lb.LoadBalancerAccessLogs;
    readonly policy: aws.s3.BucketPolicy;
}

/**
 * The public Application Load Balancer of the app tier: its security group (listener ports from
 * `allowedCidrs`), the access-log bucket (production), the target group, the listeners (HTTP → HTTPS
 * with an ACM certificate and a Route 53 alias when there is a domain, plain HTTP without one).
 * `allowTo` adds the egress rule to the servers' group.
 */
export class LoadBalancer extends MovedChildren {
    /** `https://<domain>`, or `http://<load balancer DNS name>` without a domain. */
    public readonly url: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` LoadBalancer dimension). */
    public readonly arnSuffix: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    /** For CloudWatch metrics (`AWS/ApplicationELB` TargetGroup dimension). */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The listeners: the servers wait for them before the first instance boots. */
    public readonly listeners: readonly aws.lb.Listener[];

    constructor(name: string, args: LoadBalancerArgs, opts: NestedOptions) {
        super("dashboard:app:LoadBalancer", name, args.prefix, opts);
        const securityGroup = this.securityGroup(args);
        const accessLogs = args.environment === "production" ? this.accessLogs(args.protect) : undefined;
        const alb = new aws.lb.LoadBalancer(
            `${this.prefix}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [securityGroup.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableHttp2: true,
                idleTimeout: 60,
                enableDeletionProtection: args.environment === "production",
                accessLogs: accessLogs?.settings,
            },
            this.child({ dependsOn: accessLogs === undefined ? [] : [accessLogs.policy] }),
        );
        const targetGroup = this.targetGroup(args);
        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
        this.listeners =
            args.domain === undefined
                ? [new aws.lb.Listener(`${this.prefix}-http`, { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: forward }, this.child())]
                : this.httpsListeners(args.domain, alb, forward);

        this.url = args.domain === undefined ? pulumi.interpolate`http://${alb.dnsName}` : pulumi.output(`https://${args.domain.name}`);
        this.dnsName = alb.dnsName;
        this.arnSuffix = alb.arnSuffix;
        this.securityGroupId = securityGroup.id;
        this.targetGroupArn = targetGroup.arn;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.registerOutputs({
            url: this.url,
            dnsName: this.dnsName,
            arnSuffix: this.arnSuffix,
            securityGroupId: this.securityGroupId,
            targetGroupArn: this.targetGroupArn,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
        });
    }

    /** Lets the load balancer send `port` to the group `securityGroupId` (`<prefix>-alb-out-<role>`). */
    public allowTo(role: string, securityGroupId: pulumi.Input<string>, port: number, description: string): aws.vpc.SecurityGroupEgressRule {
        return new aws.vpc.SecurityGroupEgressRule(
            `${this.prefix}-alb-out-${role}`,
            { securityGroupId: this.securityGroupId, description, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: securityGroupId },
            this.child(),
        );
    }

    /** The load balancer's group, admitting its listener ports from `allowedCidrs`. */
    private securityGroup(args: LoadBalancerArgs): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${this.prefix}-alb`,
            { vpcId: args.vpcId, description: "Dashboard load balancer: listener ports from the allowed CIDR blocks" },
            this.child(),
        );
        for (const rule of ingressRules(args.allowedCidrs, listenerPorts(args.domain !== undefined))) {
            new aws.vpc.SecurityGroupIngressRule(
                `${this.prefix}-alb-in-${rule.key}`,
                {
                    securityGroupId: group.id,
                    description: `HTTP${rule.port === 443 ? "S" : ""} from ${rule.cidrIpv4 ?? rule.cidrIpv6}`,
                    ipProtocol: "tcp",
                    fromPort: rule.port,
                    toPort: rule.port,
                    cidrIpv4: rule.cidrIpv4,
                    cidrIpv6: rule.cidrIpv6,
                },
                this.child(),
            );
        }
        return group;
    }

    /** The access-log bucket (private, SSE-S3, versioned, 90-day expiry) and its log-delivery policy. */
    private accessLogs(protect: boolean): AccessLogs {
        const id = `${this.prefix}-alb-logs`;
        const bucket = new aws.s3.Bucket(id, {}, this.child({ protect }));
        new aws.s3.BucketOwnershipControls(id, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, this.child());
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            id,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            this.child(),
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            id,
            // Load-balancer log delivery supports only SSE-S3.
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            this.child(),
        );
        new aws.s3.BucketVersioning(id, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, this.child());
        const expiry = { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 90 } };
        new aws.s3.BucketLifecycleConfiguration(
            id,
            { bucket: bucket.id, rules: [{ ...expiry, noncurrentVersionExpiration: { noncurrentDays: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }] },
            this.child(),
        );
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const elbAccountArn: pulumi.Output<string | undefined> = region.apply((r) =>
            ELB_ACCOUNT_REGIONS.includes(r) ? aws.elb.getServiceAccountOutput({ region: r }, { parent: this }).arn : pulumi.output(undefined),
        );
        const policy = new aws.s3.BucketPolicy(
            id,
            {
                bucket: bucket.id,
                policy: pulumi.output({ bucketArn: bucket.arn, accountId, elbAccountArn }).apply((a) => JSON.stringify(accessLogBucketPolicy(a))),
            },
            this.child({ dependsOn: [publicAccess] }),
        );
        return { settings: { bucket: bucket.bucket, enabled: true }, policy };
    }

    /** The target group: the app port over HTTP, health-checked, with cookie stickiness. */
    private targetGroup(args: LoadBalancerArgs): aws.lb.TargetGroup {
        return new aws.lb.TargetGroup(
            `${this.prefix}-tg`,
            {
                vpcId: args.vpcId,
                protocol: "HTTP",
                port: args.targetPort,
                targetType: args.targetType ?? "instance",
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: "traffic-port",
                    path: args.healthCheckPath,
                    matcher: "200-399",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                },
                stickiness: { type: "lb_cookie", cookieDuration: args.stickinessSeconds, enabled: true },
            },
            this.child(),
        );
    }

    /** HTTP → HTTPS redirect, the HTTPS listener (the given or a new certificate) and the alias record. */
    private httpsListeners(domain: DomainConfig, alb: aws.lb.LoadBalancer, forward: aws.types.input.lb.ListenerDefaultAction[]): aws.lb.Listener[] {
        const zoneId = isHostedZoneId(domain.hostedZone)
            ? pulumi.output(domain.hostedZone)
            : aws.route53.getZoneOutput({ name: domain.hostedZone, privateZone: false }, { parent: this }).zoneId;
        const certificateArn = domain.certificateArn ?? this.validatedCertificate(domain.name, zoneId);
        const redirect = { host: "#{host}", path: "/#{path}", query: "#{query}", port: "443", protocol: "HTTPS", statusCode: "HTTP_301" };
        const listeners = [
            new aws.lb.Listener(
                `${this.prefix}-http`,
                { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect }] },
                this.child(),
            ),
            new aws.lb.Listener(
                `${this.prefix}-https`,
                { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn, defaultActions: forward },
                this.child(),
            ),
        ];
        new aws.route53.Record(
            `${this.prefix}-alias`,
            { zoneId, name: domain.name, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
            this.child(),
        );
        return listeners;
    }

    /** An ACM certificate for `domainName`, validated by a DNS record in `zoneId`; returns the validated ARN. */
    private validatedCertificate(domainName: string, zoneId: pulumi.Input<string>): pulumi.Output<string> {
        const certificate = new aws.acm.Certificate(`${this.prefix}-cert`, { domainName, validationMethod: "DNS" }, this.child());
        // One name and no alternative names: exactly one validation option, index 0.
        const option = certificate.domainValidationOptions.apply((o) => o[0]);
        const record = new aws.route53.Record(
            `${this.prefix}-cert-validation`,
            {
                zoneId,
                name: option.apply((o) => o.resourceRecordName),
                type: option.apply((o) => o.resourceRecordType),
                records: [option.apply((o) => o.resourceRecordValue)],
                ttl: 60,
                allowOverwrite: true,
            },
            this.child(),
        );
        const validation = new aws.acm.CertificateValidation(
            `${this.prefix}-cert`,
            { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
            this.child(),
        );
        return validation.certificateArn;
    }
}
