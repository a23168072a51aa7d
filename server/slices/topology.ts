// Gateway links of a slice, derived from its topology and its member clusters.
//
// Problems are returned, not thrown: the console shows them all at once, and the links
// that are fine are still derived so a preview can draw them. A caller that publishes
// config must refuse to do so while `errors` is non-empty.
import { createHash } from "node:crypto";
import type { Topology } from "./schema";

export interface TopologyMember {
  id: string;
  name: string;
  behindNat: boolean;
  gatewayEndpoints: readonly string[];
}

export interface GatewayLink {
  id: string;
  serverClusterId: string;
  clientClusterId: string;
  serverEndpoint: string;
}

export interface TopologyInput {
  sliceId: string;
  topology: Topology;
  members: readonly TopologyMember[];
}

export interface TopologyResult {
  /** Sorted by id. */
  links: GatewayLink[];
  /** Every member's links (sorted by id), an empty list for a member without any. */
  adjacency: Map<string, GatewayLink[]>;
  warnings: string[];
  errors: string[];
}

/**
 * Depends only on the slice and the unordered pair of cluster ids, so a link keeps its
 * id (and its health history) while both ends stay members, whatever else changes.
 */
export function linkId(sliceId: string, a: string, b: string): string {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return "lnk_" + createHash("sha256").update(`${sliceId}\n${lo}\n${hi}`).digest("hex").slice(0, 16);
}

/** The server end accepts the tunnel, so it must be dialable: public and advertising an endpoint. */
function reachable(m: TopologyMember): boolean {
  return !m.behindNat && m.gatewayEndpoints.length > 0;
}

interface Plan {
  input: TopologyInput;
  hubs: Set<string>;
  hubMembers: TopologyMember[];
  /** CUSTOM only: declared peers per member id (valid pairs only). */
  custom?: Map<string, TopologyMember[]>;
  errors: string[];
  warnings: string[];
}

function prepare(input: TopologyInput): Plan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const byName = new Map<string, TopologyMember>();
  const ids = new Map<string, string>();
  // Messages name clusters exactly as they are named, never by id and never at the start
  // of a sentence (where a console would capitalise them).
  for (const m of input.members) {
    if (byName.has(m.name)) errors.push(`members: cluster name ${m.name} appears more than once`);
    else if (ids.has(m.id)) errors.push(`members: ${ids.get(m.id)} and ${m.name} are the same cluster`);
    byName.set(m.name, m);
    if (!ids.has(m.id)) ids.set(m.id, m.name);
  }
  const hubs = new Set<string>();
  const hubMembers: TopologyMember[] = [];
  const t = input.topology;
  if (t.kind === "HUB_SPOKE") {
    for (const h of t.hubs) {
      const m = byName.get(h);
      if (!m) errors.push(`topology.hubs: ${h} is not a member of the slice`);
      else if (!hubs.has(m.id)) hubMembers.push(m);
      if (m) hubs.add(m.id);
    }
  }
  if (t.kind !== "CUSTOM") return { input, hubs, hubMembers, errors, warnings };

  const custom = new Map<string, TopologyMember[]>(input.members.map((m) => [m.id, []]));
  const seen = new Set<string>();
  for (const [a, b] of t.pairs) {
    const label = `[${a}, ${b}]`;
    const unknown = [a, b].filter((n, i) => !byName.has(n) && (i === 0 || n !== a));
    if (unknown.length > 0) {
      errors.push(`topology.pairs: ${label} names ${unknown.join(" and ")}, not a member of the slice`);
      continue;
    }
    if (a === b) {
      errors.push(`topology.pairs: ${label} links ${a} to itself`);
      continue;
    }
    const key = [a, b].sort().join("\n");
    if (seen.has(key)) {
      errors.push(`topology.pairs: ${label} is listed more than once`);
      continue;
    }
    seen.add(key);
    const ma = byName.get(a)!;
    const mb = byName.get(b)!;
    custom.get(ma.id)!.push(mb);
    custom.get(mb.id)!.push(ma);
  }
  const islands = findIslands(input.members, custom);
  if (islands.length > 1) {
    const parts = islands.map((names) => `[${names.join(",")}]`);
    const list = parts.length === 2 ? parts.join(" and ") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
    warnings.push(`topology.pairs does not connect every member; islands: ${list}`);
  }
  return { input, hubs, hubMembers, custom, errors, warnings };
}

function findIslands(members: readonly TopologyMember[], peers: Map<string, TopologyMember[]>): string[][] {
  const seen = new Set<string>();
  const islands: string[][] = [];
  for (const start of members) {
    if (seen.has(start.id)) continue;
    const island: string[] = [];
    const stack = [start];
    seen.add(start.id);
    while (stack.length > 0) {
      const m = stack.pop()!;
      island.push(m.name);
      for (const p of peers.get(m.id) ?? []) {
        if (!seen.has(p.id)) {
          seen.add(p.id);
          stack.push(p);
        }
      }
    }
    islands.push(island.sort());
  }
  return islands.sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

/** The clusters m must have a tunnel to: work proportional to m's peers, not to the slice. */
function peersOf(plan: Plan, m: TopologyMember): readonly TopologyMember[] {
  if (plan.custom) return plan.custom.get(m.id) ?? [];
  if (plan.input.topology.kind === "HUB_SPOKE" && !plan.hubs.has(m.id)) return plan.hubMembers;
  return plan.input.members.filter((o) => o.id !== m.id);
}

function makeLink(plan: Plan, a: TopologyMember, b: TopologyMember): GatewayLink | string {
  const [x, y] = a.name < b.name ? [a, b] : [b, a];
  let server: TopologyMember;
  if (reachable(x) !== reachable(y)) {
    server = reachable(x) ? x : y;
  } else if (!reachable(x)) {
    if (x.behindNat && y.behindNat) {
      const fix =
        plan.input.topology.kind === "HUB_SPOKE"
          ? "make a cluster that is not behind NAT and has a gateway endpoint a hub"
          : "use a hub-and-spoke topology through a hub that is not behind NAT and has a gateway endpoint";
      return `the link between ${x.name} and ${y.name} cannot be made: both are behind NAT, so neither can accept the other's tunnel; ${fix}`;
    }
    const why = [x, y].map((m) => `${m.name} ${m.behindNat ? "is behind NAT" : "advertises no gateway endpoint"}`);
    return `no server end for the link between ${x.name} and ${y.name}: ${why.join(" and ")}`;
  } else if (plan.hubs.has(x.id) !== plan.hubs.has(y.id)) {
    server = plan.hubs.has(x.id) ? x : y;
  } else {
    // Between equals the smaller id serves: it depends on nothing but the two ends.
    server = x.id < y.id ? x : y;
  }
  const client = server === x ? y : x;
  return {
    id: linkId(plan.input.sliceId, x.id, y.id),
    serverClusterId: server.id,
    clientClusterId: client.id,
    serverEndpoint: server.gatewayEndpoints[0],
  };
}

const byId = (p: GatewayLink, q: GatewayLink) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0);

export function deriveLinks(input: TopologyInput): TopologyResult {
  const plan = prepare(input);
  const links: GatewayLink[] = [];
  const errors = [...plan.errors];
  const adjacency = new Map<string, GatewayLink[]>(input.members.map((m) => [m.id, []]));
  for (const m of input.members) {
    for (const peer of peersOf(plan, m)) {
      if (m.id >= peer.id) continue; // each unordered pair once
      const link = makeLink(plan, m, peer);
      if (typeof link === "string") {
        errors.push(link);
        continue;
      }
      links.push(link);
      adjacency.get(m.id)!.push(link);
      adjacency.get(peer.id)!.push(link);
    }
  }
  links.sort(byId);
  for (const list of adjacency.values()) list.sort(byId);
  return { links, adjacency, warnings: plan.warnings, errors };
}

/**
 * One member's links without deriving the whole slice (for compiling one cluster's
 * bundle). Same ids and roles as deriveLinks. Errors cover only this member's links and
 * the topology itself; an unknown cluster id gives an error and no links.
 */
export function linksForCluster(input: TopologyInput, clusterId: string): { links: GatewayLink[]; errors: string[] } {
  const plan = prepare(input);
  const m = input.members.find((x) => x.id === clusterId);
  if (!m) return { links: [], errors: [`cluster ${clusterId} is not a member of the slice`] };
  const links: GatewayLink[] = [];
  const errors = [...plan.errors];
  for (const peer of peersOf(plan, m)) {
    const link = makeLink(plan, m, peer);
    if (typeof link === "string") errors.push(link);
    else links.push(link);
  }
  return { links: links.sort(byId), errors };
}
