/**
 * IPv4 CIDR arithmetic: pure functions, no Pulumi. Shared by config/ (validating
 * `network.cidr` and `ingress.allowedCidrs`) and components/network/ (the subnet layout).
 *
 * Kept in the program rather than taken from a library: the one IPv4 library in
 * node_modules (ip-address) is only a transitive dependency, and these six functions
 * are all the program needs (with the exact "host bits set" error the config reports).
 */

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
