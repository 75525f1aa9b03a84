/** The `dashboard:network` section: a new VPC, or an existing one given by its subnets. */
import type { Checker } from "./checker";
import { COMMON_DEFAULTS, type Profile } from "./profiles";
import { NAT_GATEWAYS, type NetworkConfig } from "./types";
import { SERVICE, SUBNET_ID, VPC_ID } from "./patterns";

const NEW_NETWORK_KEYS = ["cidr", "availabilityZones", "natGateways", "interfaceEndpoints", "flowLogs"] as const;
const EXISTING_NETWORK_KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;

export function readNetwork(c: Checker, value: unknown, profile: Profile): NetworkConfig {
    const n = c.object("network", value, [...NEW_NETWORK_KEYS, ...EXISTING_NETWORK_KEYS]) ?? {};
    const existing = EXISTING_NETWORK_KEYS.some((k) => n[k] !== undefined);
    if (existing) {
        for (const k of NEW_NETWORK_KEYS) {
            if (n[k] !== undefined) {
                c.report(`network.${k}`, `cannot be given together with network.vpcId (an existing network)`, `remove network.${k}, or remove vpcId and the subnet lists to create a new VPC`);
            }
        }
        if (n.vpcId === undefined) c.report("network.vpcId", "is required when subnet ids are given", "set the id of the existing VPC, e.g. vpc-0123456789abcdef0");
        const vpcId = c.string("network.vpcId", n.vpcId, "", VPC_ID, "use a VPC id like vpc-0123456789abcdef0");
        const tiers = ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"] as const;
        const seen = new Map<string, string>();
        const lists = tiers.map((tier) => {
            const path = `network.${tier}`;
            if (n[tier] === undefined) {
                c.report(path, "is required for an existing network", "list at least two subnet ids in different availability zones");
                return [];
            }
            const ids = c.stringList(path, n[tier], [], SUBNET_ID, "use subnet ids like subnet-0123456789abcdef0");
            if (Array.isArray(n[tier]) && ids.length < 2) {
                c.report(path, `has ${ids.length} subnet${ids.length === 1 ? "" : "s"}, needs at least 2`, "list subnets in at least two availability zones");
            }
            for (const id of ids) {
                const other = seen.get(id);
                if (other !== undefined) c.report(path, `${id} is also in network.${other}`, "give each tier its own subnets");
                seen.set(id, tier);
            }
            return ids;
        });
        return { mode: "existing", vpcId, publicSubnetIds: lists[0], privateSubnetIds: lists[1], isolatedSubnetIds: lists[2] };
    }
    return {
        mode: "new",
        cidr: c.cidr("network.cidr", n.cidr, COMMON_DEFAULTS.network.cidr, { min: 16, max: 24 }),
        availabilityZones: c.int("network.availabilityZones", n.availabilityZones, profile.availabilityZones, { min: 2, max: 3 }),
        natGateways: c.oneOf("network.natGateways", n.natGateways, profile.natGateways, NAT_GATEWAYS),
        interfaceEndpoints: c.stringList("network.interfaceEndpoints", n.interfaceEndpoints, [], SERVICE, "use AWS service names such as secretsmanager, ssm, logs"),
        flowLogs: c.bool("network.flowLogs", n.flowLogs, COMMON_DEFAULTS.network.flowLogs),
    };
}
