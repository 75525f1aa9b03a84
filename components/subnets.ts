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

/** An IPv4 block as numbers: the first address (unsigned 32-bit) and the prefix length. */
export interface Block {
    readonly base: number;
    readonly prefix: number;
}

/** Parses `a.b.c.d/n`; throws on anything else, including host bits set. */
export function parseCidr(cidr: string): Block {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    const octets = m?.slice(1, 5).map(Number) ?? [];
    const prefix = Number(m?.[5]);
    if (m === null || octets.some((o) => o > 255) || prefix > 32) {
        throw new Error(`"${cidr}" is not an IPv4 CIDR block (a.b.c.d/n)`);
    }
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % blockSize(prefix) !== 0) {
        throw new Error(`"${cidr}" has host bits set; the block starts at ${formatCidr({ base: base - (base % blockSize(prefix)), prefix })}`);
    }
    return { base, prefix };
}

/** `a.b.c.d/n` of a block. */
export function formatCidr(block: Block): string {
    const b = block.base;
    return `${Math.floor(b / 2 ** 24) % 256}.${Math.floor(b / 2 ** 16) % 256}.${Math.floor(b / 2 ** 8) % 256}.${b % 256}/${block.prefix}`;
}

/** Number of addresses in a block of this prefix. */
export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/** First and last address of a CIDR block. */
export function cidrRange(cidr: string): [number, number] {
    const { base, prefix } = parseCidr(cidr);
    return [base, base + blockSize(prefix) - 1];
}

/** Whether two CIDR blocks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const [a0, a1] = cidrRange(a);
    const [b0, b1] = cidrRange(b);
    return a0 <= b1 && b0 <= a1;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    const [o0, o1] = cidrRange(outer);
    const [i0, i1] = cidrRange(inner);
    return o0 <= i0 && i1 <= o1;
}

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
