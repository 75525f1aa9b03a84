import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { ExistingNetworkConfig, NatGateways, NetworkConfig, NewNetworkConfig } from "../../config/types";
import { createFlowLogs } from "./flowLogs";
import { NatInstance } from "./natInstance";
import { splitVpcCidr } from "./subnets";

export type NetworkArgs = NetworkConfig & {
    /** Retention of the flow-log group, days (a CloudWatch-accepted value). @default required */
    logRetentionDays: number;
    /** Tags for what the NAT instances' groups launch (provider default tags do not reach them). @default {} */
    instanceTags?: Record<string, string>;
};

/** awsx's NAT strategy for each configured one. */
export const NAT_STRATEGIES: Readonly<Record<NatGateways, awsx.types.enums.ec2.NatGatewayStrategy>> = {
    none: "None",
    single: "Single",
    onePerAz: "OnePerAz",
    instance: "None",
};

/** Gateway endpoints every new VPC gets on its private and isolated route tables (free of charge). */
export const GATEWAY_ENDPOINT_SERVICES: readonly string[] = ["s3", "dynamodb"];

/** Only zones that need no opt-in (no Local or Wavelength Zones), in the order AWS lists them. */
export const ZONE_LOOKUP: aws.GetAvailabilityZonesArgs = {
    state: "available",
    filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
};

/** The first `count` zones of a lookup; fails when the region has fewer. */
export function pickZones(names: readonly string[], count: number): string[] {
    if (names.length < count) {
        throw new Error(
            `network.availabilityZones: the region has ${names.length} available zone(s) that need no opt-in (${names.join(", ")}), ` +
                `fewer than the ${count} asked for; lower network.availabilityZones`,
        );
    }
    return names.slice(0, count);
}

/**
 * The exact arguments handed to awsx's `ec2.Vpc`: the configured CIDR, the
 * given zones, DNS on, three tiers with explicit CIDR blocks from
 * {@link splitVpcCidr} (strategy `Auto` with `cidrBlocks` makes awsx use them
 * verbatim), and the NAT strategy.
 */
export function newVpcArgs(config: NewNetworkConfig, zoneNames: readonly string[]): awsx.ec2.VpcArgs {
    const layout = splitVpcCidr(config.cidr, zoneNames.length);
    return {
        cidrBlock: config.cidr,
        availabilityZoneNames: [...zoneNames],
        enableDnsSupport: true,
        enableDnsHostnames: true,
        subnetStrategy: "Auto",
        subnetSpecs: [
            { type: "Public", cidrBlocks: [...layout.public] },
            { type: "Private", cidrBlocks: [...layout.private] },
            { type: "Isolated", cidrBlocks: [...layout.isolated] },
        ],
        natGateways: { strategy: NAT_STRATEGIES[config.natGateways] },
    };
}

/** The private route tables' ids in zone order, from awsx's tables and their tags (Name `<vpc>-private-<n>`). */
export function privateTablesInZoneOrder(tables: ReadonlyArray<readonly [string, Record<string, string> | undefined]>): string[] {
    const n = (tags: Record<string, string> | undefined) => Number(/-(\d+)$/.exec(tags?.Name ?? "")?.[1] ?? 0);
    return tables.filter(([, tags]) => tags?.SubnetType === "Private").sort(([, a], [, b]) => n(a) - n(b)).map(([id]) => id);
}

/** The distinct values, sorted. */
export function distinctSorted(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}

/**
 * The network the stack runs in.
 *
 * New mode: a VPC (awsx `ec2.Vpc`) across the first N zones that need no
 * opt-in, with public, private (egress through NAT) and isolated (no route
 * out) subnets per zone, S3 and DynamoDB gateway endpoints on the private and
 * isolated route tables, optional interface endpoints in the private subnets,
 * the default security group emptied, and flow logs of all traffic.
 *
 * Existing mode: nothing is created; the VPC CIDR and the private subnets' zones
 * are looked up for the outputs. The VPC and every subnet are checked before
 * anything is registered, by the config's look-up stage (`resolveConfig`).
 *
 * Replacements: changing `cidr` replaces the VPC and everything in it;
 * lowering `availabilityZones` deletes the last zone's subnets and what is in
 * them; raising it from 2 to 3 only adds subnets (the layout reserves three
 * zone slots per tier). `natGateways`, `interfaceEndpoints` and `flowLogs`
 * add or remove only their own resources.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: pulumi.Output<string>;
    public readonly availabilityZones: pulumi.Output<string[]>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dashboard:network:Network", name, {}, opts);
        const outputs = args.mode === "new" ? this.createVpc(name, args) : this.useExistingVpc(args);
        this.vpcId = outputs.vpcId;
        this.vpcCidr = outputs.vpcCidr;
        this.availabilityZones = outputs.availabilityZones;
        this.publicSubnetIds = outputs.publicSubnetIds;
        this.privateSubnetIds = outputs.privateSubnetIds;
        this.isolatedSubnetIds = outputs.isolatedSubnetIds;
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
        });
    }

    private createVpc(name: string, args: NewNetworkConfig & { logRetentionDays: number; instanceTags?: Record<string, string> }): NetworkOutputs {
        // awsx lays out subnets when it is constructed, so its `availabilityZoneNames`
        // is a plain string[] (an Output there reaches the awsx provider unresolved).
        // The zone lookup is therefore awaited as a promise and the VPC declared when it
        // answers. An invoke with constant arguments answers in preview as in update, so
        // the VPC and its subnets always show in `pulumi preview`; no resource waits on
        // an unknown value. Looked up once: the zones output reuses the same answer.
        const zoneNames = aws.getAvailabilityZones(ZONE_LOOKUP, { parent: this }).then((r) => pickZones(r.names, args.availabilityZones));
        const vpcArgs = zoneNames.then((zones) => newVpcArgs(args, zones));
        const vpc = vpcArgs.then((a) => new awsx.ec2.Vpc(`${name}-vpc`, a, { parent: this }));
        // Outputs of a promised resource keep that resource as their dependency.
        const vpcId = pulumi.output(vpc.then((v) => v.vpcId));
        const layout = splitVpcCidr(args.cidr, args.availabilityZones);

        // The default security group admits all traffic within the group; take it over and leave it empty.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId }, { parent: this });

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const serviceName = (service: string) => pulumi.interpolate`com.amazonaws.${region}.${service}`;

        // Gateway endpoints: keep S3 (sideload, packages) and DynamoDB (status page) traffic off the NAT.
        const routeTableIds = pulumi
            .output(vpc.then((v) => v.routeTables))
            .apply((tables) => pulumi.all(tables.map((t) => pulumi.all([t.id, t.tags]))))
            .apply((tables) => tables.filter(([, tags]) => ["Private", "Isolated"].includes(tags?.SubnetType ?? "")).map(([id]) => id));
        for (const service of GATEWAY_ENDPOINT_SERVICES) {
            new aws.ec2.VpcEndpoint(
                `${name}-gateway-${service}`,
                { vpcId, serviceName: serviceName(service), vpcEndpointType: "Gateway", routeTableIds },
                { parent: this },
            );
        }

        const privateSubnetIds = pulumi.output(vpc.then((v) => v.privateSubnetIds));
        this.createInterfaceEndpoints(name, vpcId, privateSubnetIds, layout.private, distinctInOrder(args.interfaceEndpoints), serviceName);

        if (args.flowLogs) createFlowLogs(this, name, vpcId, args.logRetentionDays, region);
        if (args.natGateways === "instance") {
            // The private route tables in zone order (awsx names them <vpc>-private-<n>).
            const privateRouteTableIds = pulumi
                .output(vpc.then((v) => v.routeTables))
                .apply((tables) => pulumi.all(tables.map((t) => pulumi.all([t.id, t.tags]))))
                .apply((tables) => privateTablesInZoneOrder(tables));
            const { instanceType, perZone } = args.natInstance;
            new NatInstance(`${name}-nat`, { vpcId, vpcCidr: args.cidr, publicSubnetIds: pulumi.output(vpc.then((v) => v.publicSubnetIds)), privateRouteTableIds, zones: args.availabilityZones, instanceType, perZone, instanceTags: args.instanceTags }, { parent: this });
        }

        return {
            vpcId,
            vpcCidr: pulumi.output(args.cidr),
            availabilityZones: pulumi.output(zoneNames),
            publicSubnetIds: pulumi.output(vpc.then((v) => v.publicSubnetIds)),
            privateSubnetIds,
            isolatedSubnetIds: pulumi.output(vpc.then((v) => v.isolatedSubnetIds)),
        };
    }

    /** Interface endpoints in the private subnets, behind a security group that admits HTTPS from those subnets only. */
    private createInterfaceEndpoints(
        name: string,
        vpcId: pulumi.Output<string>,
        privateSubnetIds: pulumi.Output<string[]>,
        privateCidrs: readonly string[],
        interfaceServices: readonly string[],
        serviceName: (service: string) => pulumi.Output<string>,
    ): void {
        if (interfaceServices.length === 0) return;
        const endpointSg = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            { vpcId, description: "Interface endpoints: HTTPS from the private subnets only" },
            { parent: this },
        );
        privateCidrs.forEach((cidr, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https-${i + 1}`,
                {
                    securityGroupId: endpointSg.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: cidr,
                    description: `HTTPS from private subnet ${cidr}`,
                },
                { parent: this },
            );
        });
        for (const service of interfaceServices) {
            new aws.ec2.VpcEndpoint(
                `${name}-endpoint-${service}`,
                {
                    vpcId,
                    serviceName: serviceName(service),
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnetIds,
                    securityGroupIds: [endpointSg.id],
                },
                { parent: this },
            );
        }
    }

    private useExistingVpc(args: ExistingNetworkConfig): NetworkOutputs {
        // The VPC and its subnets were checked before anything was registered (config/resolve.ts):
        // here they are only looked up for the outputs, and nothing can fail inside an apply.
        const zone = (id: string) => aws.ec2.getSubnetOutput({ id }, { parent: this }).availabilityZone;
        const vpc = aws.ec2.getVpcOutput({ id: args.vpcId }, { parent: this });
        return {
            vpcId: pulumi.output(args.vpcId),
            vpcCidr: vpc.cidrBlock,
            availabilityZones: pulumi.all(args.privateSubnetIds.map(zone)).apply(distinctSorted),
            publicSubnetIds: pulumi.output([...args.publicSubnetIds]),
            privateSubnetIds: pulumi.output([...args.privateSubnetIds]),
            isolatedSubnetIds: pulumi.output([...args.isolatedSubnetIds]),
        };
    }
}

interface NetworkOutputs {
    vpcId: pulumi.Output<string>;
    vpcCidr: pulumi.Output<string>;
    availabilityZones: pulumi.Output<string[]>;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    isolatedSubnetIds: pulumi.Output<string[]>;
}

function distinctInOrder(values: readonly string[]): string[] {
    return [...new Set(values)];
}
