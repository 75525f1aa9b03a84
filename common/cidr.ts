/**
 * IPv4 CIDR arithmetic: pure functions, no Pulumi. Shared by config/ (validating
 * `network.cidr` and `ingress.allowedCidrs`) and components/network/ (the subnet layout).
 *
 * Kept in the program rather than taken from a library (evaluated for issue 14, Dec 2026): none
 * splits a block into subnets of a prefix, so subnets.ts keeps its arithmetic either way, and
 * none parses the way the config must (tests/common/cidr.test.ts pins the edge cases):
 * - ip-address 10.7 (444 KB, types): takes a bare address as /32, rejects leading zeros; a
 *   rewrite on it (equal on 200,000 fuzzed inputs once both were worked around) had 39 lines
 *   of code against 38 here: it only replaces the dotted-quad regex and the formatter.
 * - ipaddr.js 2.5 (84 KB, types): reads 010 as octal 8, takes 10.0.0/16 and hex (its strict
 *   four-part check rejects leading zeros instead); no overlap.
 * - netmask 2.1 (60 KB, types): same octal and short forms, clears host bits silently,
 *   takes /-1 and a trailing blank.
 * - cidr-tools 13 (ESM only, Node ≥ 22; the project runs Node 20 as CommonJS): contains and
 *   overlap, no split; v11 (Node 18) reads 10.0.0/16 as 0.10.0.0/16 and a bare address as /32.
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
