// Addresses outside the cluster, as closed integer ranges per address family. The
// external world is cut into "atoms" at every boundary the policies mention (ipBlock
// cidr and except, ANP networks), so each atom is either wholly inside or wholly
// outside every block, and one verdict per atom is exact.

export type Family = 4 | 6;

export interface IpRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
export const maxAddress = (family: Family) => (1n << BigInt(BITS[family])) - 1n;
export const wholeFamily = (family: Family): IpRange => ({ family, lo: 0n, hi: maxAddress(family) });

function parseV4(s: string): bigint | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | null {
  let text = s;
  let tail: number[] = [];
  // An embedded IPv4 suffix (::ffff:1.2.3.4) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1]);
    if (n === null) return null;
    tail = [Number(n >> 16n), Number(n & 0xffffn)];
    text = text.slice(0, -v4[1].length);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const group = (h: string) => (h === "" ? [] : h.split(":"));
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const hex = [...head, ...rest];
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const known = hex.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const groups = [...head.map((g) => parseInt(g, 16)), ...Array<number>(8 - known).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

// Compiled policies repeat the same few slice shares thousands of times: parse each once.
// Ranges are immutable, so sharing them is safe; the cache is bounded for a long-lived server.
const parsed = new Map<string, IpRange>();

/** Parses "10.0.0.0/8" or "fd00::/64"; host bits below the prefix are ignored. */
export function parseCidr(cidr: string): IpRange {
  let r = parsed.get(cidr);
  if (!r) {
    r = Object.freeze(parseCidrText(cidr));
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(cidr, r);
  }
  return r;
}

function parseCidrText(cidr: string): IpRange {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  if (!m) throw new Error(`"${cidr}" is not a CIDR (address/prefix)`);
  const family: Family = m[1].includes(":") ? 6 : 4;
  const addr = family === 4 ? parseV4(m[1]) : parseV6(m[1]);
  const prefix = Number(m[2]);
  if (addr === null) throw new Error(`"${cidr}" has an invalid IPv${family} address`);
  if (prefix > BITS[family]) throw new Error(`"${cidr}" has a prefix longer than ${BITS[family]}`);
  const hostBits = BigInt(BITS[family] - prefix);
  const lo = (addr >> hostBits) << hostBits;
  return { family, lo, hi: lo + (1n << hostBits) - 1n };
}

export function formatAddress(family: Family, n: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run (first if tied) of two or more zero groups becomes "::".
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

/** netpol-analyzer's notation: first-last, even for a single address. */
export const formatRange = (r: IpRange) => `${formatAddress(r.family, r.lo)}-${formatAddress(r.family, r.hi)}`;

export const rangeContains = (outer: IpRange, inner: IpRange) => outer.family === inner.family && outer.lo <= inner.lo && inner.hi <= outer.hi;
export const rangesOverlap = (a: IpRange, b: IpRange) => a.family === b.family && a.lo <= b.hi && b.lo <= a.hi;

const byStart = (a: IpRange, b: IpRange) => (a.family !== b.family ? a.family - b.family : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0);

/** The same addresses as sorted, disjoint, non-adjacent ranges. */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const r of [...ranges].sort(byStart)) {
    const last = out.at(-1);
    if (last && last.family === r.family && r.lo <= last.hi + 1n) out[out.length - 1] = { ...last, hi: last.hi > r.hi ? last.hi : r.hi };
    else out.push(r);
  }
  return out;
}

/** The addresses of `range` outside every one of `holes`. */
export function subtractRanges(range: IpRange, holes: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  let next = range.lo;
  for (const h of mergeRanges(holes)) {
    if (h.family !== range.family || h.hi < next || h.lo > range.hi) continue;
    if (h.lo > next) out.push({ family: range.family, lo: next, hi: h.lo - 1n });
    next = h.hi + 1n;
  }
  if (next <= range.hi) out.push({ family: range.family, lo: next, hi: range.hi });
  return out;
}

/**
 * Cuts each family's whole address space at the edges of the given ranges. IPv4 is
 * always present (the outside world); IPv6 only when some policy mentions IPv6.
 */
export function atomsOf(mentioned: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  const families: Family[] = mentioned.some((r) => r.family === 6) ? [4, 6] : [4];
  for (const family of families) {
    const max = maxAddress(family);
    const cuts = new Set<bigint>([0n]);
    for (const r of mentioned) {
      if (r.family !== family) continue;
      cuts.add(r.lo);
      if (r.hi < max) cuts.add(r.hi + 1n);
    }
    const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    starts.forEach((lo, i) => out.push({ family, lo, hi: i + 1 < starts.length ? starts[i + 1] - 1n : max }));
  }
  return out;
}
