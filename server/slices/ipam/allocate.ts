// The address plan of one slice: per-cluster shares with sticky indexes and the tunnel
// addresses of each gateway link.
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
import { AppError, fieldError } from "../../platform/errors";
import { cidrSize, formatCidr, formatIpv4, mustParse, parseCidr, type Cidr } from "./cidr";

/** A cluster share must hold at least a /28 (16 addresses) of pod overlay addresses. */
export const MIN_SHARE_PREFIX = 28;

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
