/**
 * The subnet layout of a new VPC: pure IPv4 arithmetic, no Pulumi.
 *
 * The VPC is split by tier, then by zone. Every tier gets three zone slots
 * whatever the number of zones in use, so going from two zones to three adds
 * subnets and never moves an existing one (a moved subnet is a replaced
 * subnet, and everything in it with it). Sizes follow the VPC prefix p:
 *
 * | tier     | prefix           | holds                                             |
 * |----------|------------------|---------------------------------------------------|
 * | private  | p + 3            | app servers, Lambda ENIs, EFS mount targets, endpoints |
 * | public   | p + 4, at most 27 | load balancer (AWS asks for /27 or larger), NAT   |
 * | isolated | p + 4            | database                                          |
 *
 * Blocks are laid out in that order from the VPC base, largest first, so each
 * is aligned on its own size. A /16 uses 3/4 of its space, a /24 uses 15/16:
 * /24 gives private /27, public /27, isolated /28 per zone (AWS's smallest subnet).
 */

import { blockSize, formatCidr, parseCidr } from "../../common/cidr";

/** The three subnet tiers, in layout order. */
export const TIERS = ["private", "public", "isolated"] as const;
export type Tier = (typeof TIERS)[number];

/** Zone slots reserved per tier: the most zones a network may use. */
export const ZONE_SLOTS = 3;
/** VPC prefixes the layout supports. */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 24;

/** Subnet CIDR blocks per tier, one per zone in zone order. */
export type TierCidrs = Readonly<Record<Tier, readonly string[]>>;

/** The subnet prefix of each tier for a VPC prefix (see the module comment). */
export function tierPrefixes(vpcPrefix: number): Readonly<Record<Tier, number>> {
    checkVpcPrefix(vpcPrefix);
    return {
        private: vpcPrefix + 3,
        public: Math.min(vpcPrefix + 4, 27),
        isolated: vpcPrefix + 4,
    };
}

/**
 * Splits a VPC CIDR into public, private and isolated subnets for `zones`
 * zones (the first `zones` of the three reserved slots of each tier).
 */
export function splitVpcCidr(vpcCidr: string, zones: number): TierCidrs {
    const vpc = parseCidr(vpcCidr);
    if (!Number.isInteger(zones) || zones < 1 || zones > ZONE_SLOTS) {
        throw new Error(`cannot lay out ${zones} zones; the layout has ${ZONE_SLOTS} zone slots per tier`);
    }
    const prefixes = tierPrefixes(vpc.prefix);
    const end = vpc.base + blockSize(vpc.prefix);
    let next = vpc.base;
    const layout = {} as Record<Tier, string[]>;
    for (const tier of TIERS) {
        const size = blockSize(prefixes[tier]);
        layout[tier] = [];
        for (let slot = 0; slot < ZONE_SLOTS; slot++) {
            next = Math.ceil(next / size) * size; // align (a no-op while sizes do not grow)
            if (next + size > end) throw new Error(`${vpcCidr} has no room for the ${tier} subnets`);
            if (slot < zones) layout[tier].push(formatCidr({ base: next, prefix: prefixes[tier] }));
            next += size;
        }
    }
    return layout;
}

function checkVpcPrefix(prefix: number): void {
    if (!Number.isInteger(prefix) || prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
        throw new Error(`a VPC of /${prefix} is outside /${MIN_VPC_PREFIX}–/${MAX_VPC_PREFIX}, which the subnet layout supports`);
    }
}
