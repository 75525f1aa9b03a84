import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAT_AMI_PARAMETER, NAT_ENI_TAG, NAT_VOLUME_GB, natAlarmSpecs, natInstancePolicy, natPlacements, renderNatUserData, type NatPlacement } from "./natInstancePlan";

/** Arguments of {@link NatInstance}. */
export interface NatInstanceArgs {
    /** The VPC. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC CIDR: the only source admitted and masqueraded. @default required */
    readonly vpcCidr: string;
    /** Public subnets, one per zone, in zone order. @default required */
    readonly publicSubnetIds: pulumi.Input<string[]>;
    /** Private route tables, one per zone, in zone order. @default required */
    readonly privateRouteTableIds: pulumi.Input<string[]>;
    /** Number of zones (public subnets and private route tables). @default required */
    readonly zones: number;
    /** Instance type, one of config/profiles.ts NAT_INSTANCE_TYPES. @default "t4g.nano" */
    readonly instanceType?: string;
    /** One NAT instance per zone instead of one for all. @default false */
    readonly perZone?: boolean;
    /** Tags on what each group launches: instances, volumes, interfaces. @default {} */
    readonly instanceTags?: Record<string, string>;
    /** Where the alarms go. @default [] (the alarms show in CloudWatch only) */
    readonly alarmActions?: pulumi.Input<string>[];
}

/**
 * NAT through small instances instead of NAT gateways (the fck-nat pattern, built here from the stock
 * Amazon Linux 2023 arm64 image). Each NAT instance is an Auto Scaling group of one that heals
 * itself, and a fixed network interface (source/destination check off) that the private route
 * tables point at: each new instance attaches it at boot and moves the NAT's Elastic IP onto itself,
 * so the routes and the public address survive every replacement. IMDSv2, an encrypted gp3 volume,
 * a security group admitting the VPC only, Session Manager for a shell, and alarms on the group.
 */
export class NatInstance extends pulumi.ComponentResource {
    /** The fixed interfaces the routes point at, one per NAT instance. */
    public readonly networkInterfaceIds: pulumi.Output<string>[];
    /** The public addresses the private subnets reach the internet from. */
    public readonly publicIps: pulumi.Output<string>[];
    /** The Auto Scaling groups, one per NAT instance. */
    public readonly autoScalingGroupNames: pulumi.Output<string>[];

    constructor(name: string, args: NatInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:network:NatInstance", name, {}, opts);
        const sg = this.securityGroup(name, args);
        const ids = pulumi.output({
            region: aws.getRegionOutput({}, { parent: this }).region,
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
        });
        const nats = natPlacements(args.zones, args.perZone ?? false).map((p, i) => this.natInstance(`${name}-${i + 1}`, p, args, sg, ids));
        this.networkInterfaceIds = nats.map((n) => n.eni.id);
        this.publicIps = nats.map((n) => n.eip.publicIp);
        this.autoScalingGroupNames = nats.map((n) => n.group.name);
        this.registerOutputs({ networkInterfaceIds: this.networkInterfaceIds, publicIps: this.publicIps, autoScalingGroupNames: this.autoScalingGroupNames });
    }

    /** One security group for all: everything from the VPC in, anything out; nothing from the internet. */
    private securityGroup(name: string, args: NatInstanceArgs): aws.ec2.SecurityGroup {
        const sg = new aws.ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: "NAT instances: traffic from the VPC only" }, { parent: this });
        new aws.vpc.SecurityGroupIngressRule(`${name}-from-vpc`, { securityGroupId: sg.id, ipProtocol: "-1", cidrIpv4: args.vpcCidr, description: "Everything from the VPC, to be forwarded" }, { parent: this });
        new aws.vpc.SecurityGroupEgressRule(`${name}-to-internet`, { securityGroupId: sg.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Forwarded traffic to the internet" }, { parent: this });
        return sg;
    }

    /** One NAT instance: its interface and address, its role, its template and group, its routes and alarms. */
    private natInstance(name: string, at: NatPlacement, args: NatInstanceArgs, sg: aws.ec2.SecurityGroup, ids: pulumi.Output<{ region: string; accountId: string; partition: string }>) {
        const subnetId = pulumi.output(args.publicSubnetIds).apply((s) => s[at.zone]);
        const eni = new aws.ec2.NetworkInterface(`${name}-eni`, { subnetId, securityGroups: [sg.id], sourceDestCheck: false, description: `${name}: the private route tables' way out` }, { parent: this });
        const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: { Name: name } }, { parent: this });
        const profile = this.instanceProfile(name, eni, eip, ids);
        const lt = new aws.ec2.LaunchTemplate(`${name}-lt`, this.launchTemplateArgs(name, args, sg, eni, eip, profile.profile), { parent: this });
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: [subnetId],
                minSize: 1,
                maxSize: 1,
                desiredCapacity: 1,
                healthCheckType: "EC2",
                healthCheckGracePeriod: 120,
                enabledMetrics: ["GroupInServiceInstances"],
                launchTemplate: { id: lt.id, version: lt.latestVersion.apply((v) => String(v)) },
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
                tags: [{ key: "Name", value: name, propagateAtLaunch: true }],
            },
            { parent: this, dependsOn: [profile.policy, profile.ssm] },
        );
        at.routeTables.forEach((r) => {
            const routeTableId = pulumi.output(args.privateRouteTableIds).apply((t) => t[r]);
            new aws.ec2.Route(`${name}-route-${r + 1}`, { routeTableId, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: eni.id }, { parent: this });
        });
        for (const spec of natAlarmSpecs((args.instanceType ?? "t4g.nano").startsWith("t"))) {
            new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.role}`,
                {
                    alarmDescription: `[${name}] ${spec.description}`,
                    namespace: spec.namespace,
                    metricName: spec.metricName,
                    dimensions: { AutoScalingGroupName: group.name },
                    statistic: spec.statistic,
                    comparisonOperator: spec.comparisonOperator,
                    threshold: spec.threshold,
                    period: spec.periodSeconds,
                    evaluationPeriods: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    alarmActions: args.alarmActions ?? [],
                    okActions: args.alarmActions ?? [],
                },
                { parent: this },
            );
        }
        return { eni, eip, group };
    }

    /** The instance role: Session Manager, and the boot script's few EC2 calls on this NAT's interface and address. */
    private instanceProfile(name: string, eni: aws.ec2.NetworkInterface, eip: aws.ec2.Eip, ids: pulumi.Output<{ region: string; accountId: string; partition: string }>) {
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `${name}: attaches its fixed network interface and takes its address at boot`,
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
            },
            { parent: this },
        );
        const ssm = new aws.iam.RolePolicyAttachment(`${name}-ssm`, { role: role.name, policyArn: pulumi.interpolate`arn:${ids.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` }, { parent: this });
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this });
        const policy = new aws.iam.RolePolicy(
            `${name}-boot`,
            {
                role: role.id,
                policy: pulumi
                    .all([ids, eni.id, eip.allocationId, profile.arn])
                    .apply(([i, eniId, allocationId, instanceProfileArn]) => JSON.stringify(natInstancePolicy({ ...i, eniId, allocationId, instanceProfileArn }))),
            },
            { parent: this },
        );
        return { profile, policy, ssm };
    }

    /** IMDSv2, a launch-time public address (replaced by the Elastic IP at boot), the encrypted gp3 volume, the boot script. */
    private launchTemplateArgs(name: string, args: NatInstanceArgs, sg: aws.ec2.SecurityGroup, eni: aws.ec2.NetworkInterface, eip: aws.ec2.Eip, profile: aws.iam.InstanceProfile): aws.ec2.LaunchTemplateArgs {
        const instanceType = args.instanceType ?? "t4g.nano";
        const tags = { ...(args.instanceTags ?? {}), Name: name };
        return {
            description: `${name}: NAT instance`,
            imageId: `resolve:ssm:${NAT_AMI_PARAMETER}`,
            instanceType,
            iamInstanceProfile: { arn: profile.arn },
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [sg.id] }],
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: NAT_VOLUME_GB, encrypted: "true", deleteOnTermination: "true" } }],
            ...(instanceType.startsWith("t") ? { creditSpecification: { cpuCredits: "standard" } } : {}),
            userData: pulumi.all([eni.id, eip.allocationId]).apply(([eniId, allocationId]) => Buffer.from(renderNatUserData({ eniId, allocationId, vpcCidr: args.vpcCidr })).toString("base64")),
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags },
                { resourceType: "volume", tags },
                { resourceType: "network-interface", tags: { ...tags, [NAT_ENI_TAG]: eni.id } },
            ],
        };
    }
}
