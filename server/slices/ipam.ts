// Address plans for slices: IPv4 CIDR arithmetic, per-cluster shares with sticky
// indexes, tunnel addresses per gateway link, overlap checks and subnet suggestions.
//
// Layout of a slice subnet (why it differs from KubeSlice): KubeSlice splits the subnet
// into maxClusters shares and then takes tunnel addresses from x.y.255.0/24, which lies
// inside the last share, so the cluster holding that share and the tunnels fight over
// the same addresses. Here the subnet is cut into `shares` equal blocks (a power of two);
// cluster index i owns block i, and the tunnel block is the LAST aligned run of blocks,
// sized so that every possible pair of maxClusters members gets its own /31. Shares
// double (each one halving) until at least maxClusters blocks stay outside the tunnel
// block. So a full mesh always fits, and no cluster share ever overlaps a tunnel.
//   10.10.0.0/16, maxClusters 10 → 16 shares of /20, clusters in .0–.159, tunnels .240.0/20
//   10.10.0.0/16, maxClusters 16 → 32 shares of /21, tunnels 10.10.248.0/21
//   10.10.0.0/16, maxClusters 64 → 128 shares of /23, tunnels the last 8: 10.10.240.0/20
import { AppError, fieldError } from "../errors";

export interface Cidr {
  /** Network address as an unsigned 32-bit integer (host bits cleared). */
  readonly network: number;
  readonly prefix: number;
}

/** A cluster share must hold at least a /28 (16 addresses) of pod overlay addresses. */
export const MIN_SHARE_PREFIX = 28;

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(addr: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(addr / 2 ** shift) % 256).join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/p"; host bits are cleared. Null for anything else (IPv6 included). */
export function parseCidr(text: string): Cidr | null {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const addr = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === null || prefix > 32 || String(prefix) !== m[2]) return null;
  return { network: (addr & mask(prefix)) >>> 0, prefix };
}

function mustParse(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new AppError("INTERNAL_SERVER_ERROR", `not an IPv4 CIDR: ${text}`);
  return c;
}

function toCidr(c: Cidr | string): Cidr {
  return typeof c === "string" ? mustParse(c) : c;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

/** True when the text is a CIDR written with its network address (10.1.0.0/16, not 10.1.2.0/16). */
export function isCanonicalCidr(text: string): boolean {
  const c = parseCidr(text);
  return c !== null && formatCidr(c) === text;
}

export function cidrSize(c: Cidr | string): number {
  return 2 ** (32 - toCidr(c).prefix);
}

export function contains(outer: Cidr | string, inner: Cidr | string): boolean {
  const o = toCidr(outer);
  const i = toCidr(inner);
  return i.prefix >= o.prefix && (i.network & mask(o.prefix)) >>> 0 === o.network;
}

/** CIDR blocks are either nested or disjoint, so overlap means one contains the other. */
export function overlaps(a: Cidr | string, b: Cidr | string): boolean {
  return contains(a, b) || contains(b, a);
}

export function isPrivateCidr(c: Cidr | string): boolean {
  return PRIVATE_RANGES.some((r) => contains(r, c));
}

export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(mustParse);

function ceilLog2(n: number): number {
  return Math.max(0, Math.ceil(Math.log2(n)));
}

export interface SliceLayout {
  readonly subnet: Cidr;
  readonly maxClusters: number;
  /** Number of equal blocks the subnet is cut into (a power of two). */
  readonly shares: number;
  readonly clusterPrefix: number;
  readonly tunnelBlock: Cidr;
  /** How many /31 tunnel pairs the tunnel block holds (≥ a full mesh of maxClusters). */
  readonly linkCapacity: number;
}

function fit(subnet: Cidr, maxClusters: number): SliceLayout | null {
  const tunnelBits = ceilLog2(Math.max(2, maxClusters * (maxClusters - 1)));
  for (let bits = ceilLog2(maxClusters + 1); subnet.prefix + bits <= MIN_SHARE_PREFIX; bits++) {
    const clusterPrefix = subnet.prefix + bits;
    const blockBits = Math.max(32 - clusterPrefix, tunnelBits);
    const tunnelShares = 2 ** (blockBits - (32 - clusterPrefix));
    if (2 ** bits - tunnelShares < maxClusters) continue;
    const tunnelNetwork = subnet.network + cidrSize(subnet) - 2 ** blockBits;
    return {
      subnet,
      maxClusters,
      shares: 2 ** bits,
      clusterPrefix,
      tunnelBlock: { network: tunnelNetwork, prefix: 32 - blockBits },
      linkCapacity: 2 ** (blockBits - 1),
    };
  }
  return null;
}

/** Why a subnet cannot hold maxClusters shares plus the tunnel block, or null when it can. */
export function layoutProblem(subnet: string, maxClusters: number): string | null {
  const c = parseCidr(subnet);
  if (!c) return `subnet must be an IPv4 CIDR such as 10.10.0.0/16, got "${subnet}"`;
  if (fit(c, maxClusters)) return null;
  let prefix = c.prefix - 1;
  while (prefix >= 0 && !fit({ network: 0, prefix }, maxClusters)) prefix--;
  const need = prefix >= 0 ? `use a /${prefix} or larger` : "no IPv4 subnet is large enough";
  return (
    `subnet ${formatCidr(c)} is too small for maxClusters ${maxClusters}: each cluster share must be ` +
    `a /${MIN_SHARE_PREFIX} or larger and a tunnel block is reserved outside the shares; ${need}`
  );
}

export function planLayout(subnet: string, maxClusters: number): SliceLayout {
  const problem = layoutProblem(subnet, maxClusters);
  if (problem) throw fieldError("subnet", problem);
  return fit(mustParse(subnet), maxClusters)!;
}

export function clusterSubnet(layout: SliceLayout, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= layout.maxClusters) {
    throw new AppError("BAD_REQUEST", `cluster index ${index} is outside 0..${layout.maxClusters - 1}`);
  }
  return formatCidr({ network: layout.subnet.network + index * 2 ** (32 - layout.clusterPrefix), prefix: layout.clusterPrefix });
}

export interface ClusterShare {
  index: number;
  subnet: string;
}

/**
 * Sticky share allocation. A member keeps its previous index (its pods keep their
 * addresses); indexes of removed members are freed; new members take the lowest free
 * index in input order, so the same inputs always give the same plan.
 */
export function allocate(
  previous: readonly { clusterId: string; index: number }[],
  members: readonly string[],
  slice: { subnet: string; maxClusters: number },
): Map<string, ClusterShare> {
  const layout = planLayout(slice.subnet, slice.maxClusters);
  const wanted = new Set(members);
  if (wanted.size !== members.length) {
    const dup = members.find((m, i) => members.indexOf(m) !== i);
    throw fieldError("members", `cluster ${dup} is listed more than once`);
  }
  if (members.length > slice.maxClusters) {
    throw new AppError(
      "CONFLICT",
      `members: the slice has room for ${slice.maxClusters} clusters (maxClusters ${slice.maxClusters}, ` +
        `subnet ${slice.subnet}); ${members.length} were requested`,
      { fieldErrors: { members: [`at most ${slice.maxClusters} clusters fit`] } },
    );
  }
  const kept = new Map<string, number>();
  const owner = new Map<number, string>();
  for (const { clusterId, index } of previous) {
    if (!wanted.has(clusterId) || !Number.isInteger(index) || index < 0 || index >= slice.maxClusters) continue;
    const holder = owner.get(index);
    if (holder !== undefined && holder !== clusterId) {
      throw new AppError("CONFLICT", `clusters ${holder} and ${clusterId} both hold share index ${index}`);
    }
    if (kept.has(clusterId) && kept.get(clusterId) !== index) {
      throw new AppError("CONFLICT", `cluster ${clusterId} holds two share indexes`);
    }
    kept.set(clusterId, index);
    owner.set(index, clusterId);
  }
  const result = new Map<string, ClusterShare>();
  let next = 0;
  for (const id of members) {
    let index = kept.get(id);
    if (index === undefined) {
      while (owner.has(next)) next++;
      index = next;
      owner.set(index, id);
    }
    result.set(id, { index, subnet: clusterSubnet(layout, index) });
  }
  return result;
}

/**
 * The tunnel slot of the link between the clusters holding share indexes a and b:
 * a triangular numbering of unordered pairs, so it needs no stored state and stays
 * the same while both ends keep their (sticky) indexes. Always < linkCapacity.
 */
export function linkIndex(a: number, b: number): number {
  if (a === b || a < 0 || b < 0) throw new AppError("BAD_REQUEST", `no link between share indexes ${a} and ${b}`);
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return (hi * (hi - 1)) / 2 + lo;
}

export interface TunnelAddresses {
  cidr: string;
  serverAddress: string;
  clientAddress: string;
}

/** A /31 per link (RFC 3021 point-to-point: both addresses usable); the server takes the even one. */
export function tunnelAddresses(layout: SliceLayout, index: number): TunnelAddresses {
  if (!Number.isInteger(index) || index < 0 || index >= layout.linkCapacity) {
    throw new AppError(
      "BAD_REQUEST",
      `link index ${index} is outside the tunnel block ${formatCidr(layout.tunnelBlock)} (capacity ${layout.linkCapacity} links)`,
    );
  }
  const network = layout.tunnelBlock.network + 2 * index;
  return { cidr: formatCidr({ network, prefix: 31 }), serverAddress: formatIpv4(network), clientAddress: formatIpv4(network + 1) };
}

export type SubnetConflict =
  | { kind: "podCidr" | "serviceCidr"; clusterName: string; cidr: string; message: string }
  | { kind: "slice"; sliceName: string; cidr: string; clusterNames: string[]; message: string };

/**
 * Everything a slice subnet would collide with on its member clusters. Pod and
 * service ranges of a member must stay routable next to the overlay; another slice
 * only conflicts when it shares a cluster, since that cluster would hold both routes.
 * IPv6 ranges are skipped: they cannot overlap an IPv4 slice subnet.
 */
export function findSubnetConflicts(
  subnet: string,
  input: {
    clusters: readonly { name: string; podCidrs: readonly string[]; serviceCidrs: readonly string[] }[];
    otherSlices?: readonly { name: string; subnet: string; members: readonly string[] }[];
  },
): SubnetConflict[] {
  const own = mustParse(subnet);
  const conflicts: SubnetConflict[] = [];
  for (const cluster of input.clusters) {
    for (const kind of ["podCidr", "serviceCidr"] as const) {
      for (const text of kind === "podCidr" ? cluster.podCidrs : cluster.serviceCidrs) {
        if (text.includes(":")) continue;
        const c = parseCidr(text);
        if (!c) throw fieldError("clusters", `cluster ${cluster.name} reports an invalid ${kind} "${text}"`);
        if (!overlaps(own, c)) continue;
        const what = kind === "podCidr" ? "pod CIDR" : "service CIDR";
        conflicts.push({ kind, clusterName: cluster.name, cidr: text, message: `subnet ${subnet} overlaps the ${what} ${text} of cluster ${cluster.name}` });
      }
    }
  }
  const names = new Set(input.clusters.map((c) => c.name));
  for (const other of input.otherSlices ?? []) {
    const shared = other.members.filter((m) => names.has(m)).sort();
    if (shared.length === 0 || !overlaps(own, mustParse(other.subnet))) continue;
    conflicts.push({
      kind: "slice",
      sliceName: other.name,
      cidr: other.subnet,
      clusterNames: shared,
      message: `subnet ${subnet} overlaps slice ${other.name} (${other.subnet}) on ${shared.join(", ")}`,
    });
  }
  return conflicts;
}

/** A cluster's ranges for overlap checks: the ones set by hand when there are any, else the reported ones. */
export function effectiveRanges(manual: readonly string[] | undefined, reported: readonly string[]): readonly string[] {
  return manual && manual.length ? manual : reported;
}

/**
 * Members whose pod or service range is not known (the agent found none: a managed
 * platform that does not show it, or a probe RBAC refused). Unknown is not "no
 * overlap": the slice is allowed, with a warning that says what was not checked.
 */
export function unknownRangeWarnings(subnet: string, clusters: readonly { name: string; podCidrs: readonly string[]; serviceCidrs: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const c of clusters) {
    const missing = [c.podCidrs.length === 0 ? "pod CIDR" : null, c.serviceCidrs.length === 0 ? "service CIDR" : null].filter(Boolean);
    if (missing.length) out.push(`the ${missing.join(" and ")} of cluster ${c.name} ${missing.length > 1 ? "are" : "is"} unknown: subnet ${subnet} was not checked against ${missing.length > 1 ? "them" : "it"}`);
  }
  return out;
}

/**
 * The first free private block of the given size: 10.0.0.0/8 in order, then
 * 172.16.0.0/12, then 192.168.0.0/16. Skips past each taken range instead of testing
 * every candidate, so a long taken list stays cheap. Null when nothing is free.
 */
export function suggestSubnet(taken: readonly string[], prefix = 16): string | null {
  if (!Number.isInteger(prefix) || prefix < 8 || prefix > 22) throw fieldError("prefix", "must be an integer between 8 and 22");
  const blocks = taken.filter((t) => !t.includes(":")).map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null);
  const size = 2 ** (32 - prefix);
  for (const range of PRIVATE_RANGES) {
    if (range.prefix > prefix) continue;
    const end = range.network + cidrSize(range);
    let cand = range.network;
    while (cand + size <= end) {
      const candidate = { network: cand, prefix };
      const hit = blocks.find((b) => overlaps(b, candidate));
      if (!hit) return formatCidr(candidate);
      const after = Math.max(cand + size, hit.network + cidrSize(hit));
      cand = Math.ceil(after / size) * size;
    }
  }
  return null;
}
