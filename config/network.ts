/** The `dashboard:network` section: a new VPC, or an existing one given by its subnets. */
import { z } from "zod";
import { across, bool, cidr, int, list, oneOf, say, section, str } from "./kit";
import { COMMON_DEFAULTS, NAT_GATEWAYS, NAT_INSTANCE_TYPES, type Profile } from "./profiles";
import { SERVICE, SUBNET_ID, VPC_ID } from "./patterns";

const NEW_NETWORK_KEYS = ["cidr", "availabilityZones", "natGateways", "natInstance", "interfaceEndpoints", "flowLogs"] as const;
const EXISTING_NETWORK_KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;
const TIERS = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;

/** The NAT instance's settings (with `natGateways: instance`). */
const natInstanceShape = {
    instanceType: str()
        .refine((t) => NAT_INSTANCE_TYPES.includes(t), {
            error: (iss) => say(`${JSON.stringify(iss.input)} is not an accepted NAT instance type: a NAT instance needs a Graviton type (the image is Amazon Linux 2023 arm64) with ENA networking of up to 5 Gbps or more`, `use one of ${NAT_INSTANCE_TYPES.join(", ")}`),
        })
        .optional()
        .meta({ description: `Instance type of each NAT instance, one of ${NAT_INSTANCE_TYPES.join(", ")}. Default: t4g.nano` }),
    perZone: bool().optional().meta({ description: "One NAT instance per zone (each zone's private subnet routes through its own), or one for all zones. Default: false" }),
};

const subnetIds = () => list(str(SUBNET_ID, "use subnet ids like subnet-0123456789abcdef0"));

/** The keys as the stack file writes them (every key optional). */
const shape = {
    cidr: cidr({ min: 16, max: 24 }).optional().meta({ description: "VPC CIDR, /16 to /24, split into public, private and isolated subnets per zone. Changing it replaces the VPC and everything in it. Default: 10.0.0.0/16" }),
    availabilityZones: int({ min: 2, max: 3 }).optional().meta({ description: "Number of availability zones, 2–3. Default: 2 (development, staging) / 3 (production)" }),
    natGateways: oneOf(NAT_GATEWAYS).optional().meta({ description: "How private subnets reach the internet: none, single or onePerAz NAT gateways, or instance (a NAT instance, see natInstance; production refuses it). Default: instance (development, staging) / onePerAz (production)" }),
    natInstance: section(natInstanceShape).optional().meta({ description: "The NAT instance with natGateways: instance: { instanceType (t4g.nano), perZone (false) }." }),
    interfaceEndpoints: list(str(SERVICE, "use AWS service names such as secretsmanager, ssm, logs")).optional().meta({ description: "AWS service names that get an interface endpoint with private DNS, e.g. secretsmanager. Default: []" }),
    flowLogs: bool().optional().meta({ description: "VPC flow logs (all traffic) to CloudWatch Logs. Default: true" }),
    vpcId: str(VPC_ID, "use a VPC id like vpc-0123456789abcdef0").optional().meta({ description: "An existing VPC to deploy into (with DNS support and hostnames on) instead of a new one; needs the three subnet lists. Changing it replaces every resource." }),
    publicSubnetIds: subnetIds().optional().meta({ description: "Existing network: subnets of the load balancer, two or more zones." }),
    privateSubnetIds: subnetIds().optional().meta({ description: "Existing network: subnets of the app servers, the Lambdas and the EFS mount targets, one per zone, two or more zones, with a route out (NAT)." }),
    isolatedSubnetIds: subnetIds().optional().meta({ description: "Existing network: subnets of the database, two or more zones, no route to the internet." }),
};

type NetworkInput = z.output<ReturnType<typeof section<typeof shape>>>;

const isExisting = (n: NetworkInput) => EXISTING_NETWORK_KEYS.some((k) => n[k] !== undefined);

/** An existing network takes no new-VPC key, needs its VPC and three tiers of two or more subnets each, none shared. */
const existingRules = across<NetworkInput>([...EXISTING_NETWORK_KEYS, ...NEW_NETWORK_KEYS], (n, report) => {
    if (!isExisting(n)) return;
    for (const k of NEW_NETWORK_KEYS) {
        if (n[k] !== undefined) report([k], "cannot be given together with network.vpcId (an existing network)", `remove network.${k}, or remove vpcId and the subnet lists to create a new VPC`);
    }
    if (n.vpcId === undefined) report(["vpcId"], "is required when subnet ids are given", "set the id of the existing VPC, e.g. vpc-0123456789abcdef0");
    const seen = new Map<string, string>();
    for (const tier of TIERS) {
        const ids = n[tier];
        if (ids === undefined) {
            report([tier], "is required for an existing network", "list at least two subnet ids in different availability zones");
            continue;
        }
        if (ids.length < 2) report([tier], `has ${ids.length} subnet${ids.length === 1 ? "" : "s"}, needs at least 2`, "list subnets in at least two availability zones");
        for (const id of ids) {
            const other = seen.get(id);
            if (other !== undefined) report([tier], `${id} is also in network.${other}`, "give each tier its own subnets");
            seen.set(id, tier);
        }
    }
});

/** natInstance applies only to a NAT instance. */
const natInstanceRules = across<NetworkInput>(["natGateways", "natInstance"], (n, report) => {
    if (n.natInstance !== undefined && n.natGateways !== undefined && n.natGateways !== "instance") {
        report(["natInstance"], `applies only with natGateways: instance, got natGateways: ${n.natGateways}`, "remove network.natInstance, or set network.natGateways to instance");
    }
});

/**
 * The network section for a profile: the stack file's keys, the existing-network rules, and the
 * profile's defaults. Output: `{ mode: "new", … }` or `{ mode: "existing", … }`.
 * @param profile the environment profile whose defaults apply @default required
 */
export function networkSchema(profile: Profile) {
    return section(shape)
        .check(existingRules, natInstanceRules)
        .transform((n) =>
            isExisting(n)
                ? { mode: "existing" as const, vpcId: n.vpcId ?? "", publicSubnetIds: n.publicSubnetIds ?? [], privateSubnetIds: n.privateSubnetIds ?? [], isolatedSubnetIds: n.isolatedSubnetIds ?? [] }
                : {
                      mode: "new" as const,
                      cidr: n.cidr ?? COMMON_DEFAULTS.network.cidr,
                      availabilityZones: n.availabilityZones ?? profile.availabilityZones,
                      natGateways: n.natGateways ?? profile.natGateways,
                      natInstance: {
                          instanceType: n.natInstance?.instanceType ?? COMMON_DEFAULTS.network.natInstance.instanceType,
                          perZone: n.natInstance?.perZone ?? COMMON_DEFAULTS.network.natInstance.perZone,
                      },
                      interfaceEndpoints: n.interfaceEndpoints ?? [...COMMON_DEFAULTS.network.interfaceEndpoints],
                      flowLogs: n.flowLogs ?? COMMON_DEFAULTS.network.flowLogs,
                  },
        );
}
