// Checks of one policy against the tenant's fleet and its other policies. Errors refuse
// the save; warnings are returned with it. Each names the field it is about.
import { clusterMatches, namespaceMatches } from "../netpol/compile";
import type { Fleet, FleetClusterInfo } from "../netpol/fleet";
import { EndpointSelector, PolicyPort, PolicyRule } from "../netpol/rules";

export interface Finding {
  field: string;
  message: string;
}

const list = (names: string[], max = 5) => (names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`);

/** The clusters one side selects, within the bound slice's members when there is one. */
export function sideClusters(fleet: Fleet, p: Pick<PolicyRule, "sliceId">, side: EndpointSelector): FleetClusterInfo[] {
  const within = p.sliceId ? new Set(fleet.slices.find((s) => s.id === p.sliceId)?.members.map((m) => m.id) ?? []) : null;
  return fleet.clusters.filter((c) => (!within || within.has(c.id)) && clusterMatches(side.clusters, c));
}

function portCovers(a: PolicyPort, b: PolicyPort): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.port === undefined) return true;
  if (b.port === undefined) return false;
  if (typeof a.port === "string" || typeof b.port === "string") return a.port === b.port;
  return a.port <= b.port && (b.endPort ?? b.port) <= (a.endPort ?? a.port);
}

function sideCovers(fleet: Fleet, q: PolicyRule, p: PolicyRule, side: "from" | "to"): boolean {
  const qs = q[side];
  const ps = p[side];
  const qClusters = new Set(sideClusters(fleet, q, qs).map((c) => c.id));
  if (!sideClusters(fleet, p, ps).every((c) => qClusters.has(c.id))) return false;
  if (qs.namespaces.names && !(ps.namespaces.names && ps.namespaces.names.every((n) => qs.namespaces.names!.includes(n)))) return false;
  if (qs.namespaces.selector && qs.namespaces.selector !== ps.namespaces.selector) return false;
  return qs.pods === "" || qs.pods === ps.pods;
}

/** True when every connection `p` speaks of, `q` speaks of too (on the fleet as it is). */
export function covers(fleet: Fleet, q: PolicyRule, p: PolicyRule): boolean {
  if (q.sliceId && q.sliceId !== p.sliceId) return false;
  if (!sideCovers(fleet, q, p, "from") || !sideCovers(fleet, q, p, "to")) return false;
  if (q.ports.length === 0) return true;
  return p.ports.length > 0 && p.ports.every((b) => q.ports.some((a) => portCovers(a, b)));
}

/** Policies evaluated before `p`: lower priority number first (priorities are unique). */
const before = (q: PolicyRule, p: PolicyRule) => q.priority < p.priority;

function sharesSlice(fleet: Fleet, p: PolicyRule, a: string, b: string): boolean {
  return fleet.slices.some((s) => (!p.sliceId || s.id === p.sliceId) && s.members.some((m) => m.id === a) && s.members.some((m) => m.id === b));
}

/** True when some source and destination of `p` are different clusters a slice links. */
function crossesClusters(fleet: Fleet, p: PolicyRule): boolean {
  const destinations = sideClusters(fleet, p, p.to);
  return sideClusters(fleet, p, p.from).some((a) => destinations.some((b) => a.id !== b.id && sharesSlice(fleet, p, a.id, b.id)));
}

export function validatePolicy(fleet: Fleet, p: PolicyRule): { errors: Finding[]; warnings: Finding[] } {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const others = fleet.policies.filter((q) => q.id !== p.id);

  const taken = others.find((q) => q.priority === p.priority);
  if (taken)
    errors.push({
      field: "priority",
      message: `priority ${p.priority} is already policy ${taken.name}'s: priorities are unique, so the order between two policies is never left open`,
    });

  for (const side of ["from", "to"] as const) {
    const sel = p[side];
    const known = new Set(fleet.clusters.map((c) => c.name));
    const unknown = (sel.clusters.names ?? []).filter((n) => !known.has(n));
    if (unknown.length) warnings.push({ field: `${side}.clusters.names`, message: `no cluster is named ${list(unknown)} (yet)` });
    const clusters = sideClusters(fleet, p, sel);
    if (clusters.length === 0) warnings.push({ field: `${side}.clusters`, message: `selects no cluster${p.sliceId ? " of the slice" : ""} today` });
    const reported = clusters.filter((c) => c.namespaces);
    if (sel.namespaces.names && reported.length > 0) {
      const missing = sel.namespaces.names.filter((n) => !reported.some((c) => c.namespaces!.some((ns) => ns.name === n)));
      if (missing.length) warnings.push({ field: `${side}.namespaces.names`, message: `no selected cluster reports a namespace ${list(missing)}` });
    } else if (sel.namespaces.selector && reported.length > 0 && !reported.some((c) => c.namespaces!.some((ns) => namespaceMatches(sel.namespaces, ns)))) {
      warnings.push({ field: `${side}.namespaces.selector`, message: "matches no namespace any selected cluster reports" });
    }
  }

  const sources = sideClusters(fleet, p, p.from);
  const destinations = sideClusters(fleet, p, p.to);
  if (p.action === "DENY") {
    const unable = sources.filter((c) => c.adminNetworkPolicy !== true).map((c) => c.name);
    if (unable.length) {
      errors.push({
        field: "action",
        message: `a DENY is enforced as an AdminNetworkPolicy on each source cluster, and ${list(unable)} report${unable.length === 1 ? "s" : ""} no AdminNetworkPolicy support`,
      });
    }
    p.ports.forEach((port, i) => {
      if (typeof port.port === "string")
        errors.push({
          field: `ports.${i}.port`,
          message: "a DENY compiles to an AdminNetworkPolicy, whose standard channel has no named ports: use a port number",
        });
    });
  }

  // An ALLOW evaluated before a DENY of the same source cluster must also be an ANP rule
  // there (so the DENY below cannot cut it), and ANP rules cannot name ports.
  const named = p.ports.findIndex((x) => typeof x.port === "string");
  if (p.action === "ALLOW" && p.enabled && named >= 0) {
    const sourceIds = new Set(sources.map((c) => c.id));
    const later = others.find(
      (q) => q.enabled && q.action === "DENY" && q.priority > p.priority && sideClusters(fleet, q, q.from).some((c) => sourceIds.has(c.id)),
    );
    if (later)
      errors.push({
        field: `ports.${named}.port`,
        message: `this ALLOW comes before DENY ${later.name} on the same source clusters, so it is also enforced as an AdminNetworkPolicy, which cannot name ports: use a port number`,
      });
  }

  // Across clusters the slice carries the traffic, and identity at the far end is the
  // sending cluster's share, not its pods: say what that means for this policy.
  const uncarried: string[] = [];
  let crosses = false;
  for (const a of sources) {
    for (const b of destinations) {
      if (a.id === b.id) continue;
      if (sharesSlice(fleet, p, a.id, b.id)) crosses = true;
      else if (uncarried.length < 6) uncarried.push(`${a.name} → ${b.name}`);
    }
  }
  if (uncarried.length) {
    warnings.push({
      field: "to.clusters",
      message: `${list(uncarried)}: no ${p.sliceId ? "path in the bound slice" : "slice both clusters are members of"} carries this traffic, and a policy cannot open what the slice does not carry`,
    });
  }
  if (crosses && p.action === "ALLOW" && (p.from.pods || p.from.namespaces.names || p.from.namespaces.selector)) {
    warnings.push({
      field: "from",
      message:
        "traffic from another cluster arrives from that cluster's slice share: at the destination, from.namespaces and from.pods cannot narrow it, so every pod of the source cluster's share is allowed",
    });
  }
  if (crosses && p.action === "DENY" && (p.to.pods || p.to.namespaces.names || p.to.namespaces.selector)) {
    warnings.push({
      field: "to",
      message:
        "towards another cluster a DENY is enforced at the source, where the destination is its whole slice share: to.namespaces and to.pods cannot narrow it there",
    });
  }

  // An ALLOW before a DENY is also an ANP egress Allow at the source, and an ANP cannot
  // name another cluster's namespaces or pods: there it opens the destination's whole
  // share ahead of the DENY, and only the destination's ingress narrows it again.
  if (p.enabled) {
    const overlap = (q: PolicyRule) => {
      const ids = new Set(sideClusters(fleet, q, q.from).map((c) => c.id));
      return sources.some((c) => ids.has(c.id));
    };
    const narrowed = (q: PolicyRule) => Boolean(q.to.pods || q.to.namespaces.names || q.to.namespaces.selector);
    if (crosses && p.action === "ALLOW" && narrowed(p)) {
      const later = others.find((q) => q.enabled && q.action === "DENY" && q.priority > p.priority && overlap(q));
      if (later)
        warnings.push({
          field: "to",
          message: `this ALLOW comes before DENY ${later.name} on the same source clusters, so at the source it opens another cluster's whole slice share ahead of that DENY (to.namespaces and to.pods cannot narrow it there); only the destination's own ingress narrows it again`,
        });
    }
    if (p.action === "DENY") {
      const earlier = others.find(
        (q) => q.enabled && q.action === "ALLOW" && q.priority < p.priority && narrowed(q) && overlap(q) && crossesClusters(fleet, q),
      );
      if (earlier)
        warnings.push({
          field: "priority",
          message: `ALLOW ${earlier.name} comes before this DENY on the same source clusters and names destination namespaces or pods: towards another cluster it opens that cluster's whole slice share at the source, so this DENY cannot cut what the ALLOW leaves out there`,
        });
    }
  }

  if (p.enabled) {
    const shadow = others.find((q) => q.enabled && before(q, p) && covers(fleet, q, p));
    if (shadow) {
      warnings.push({
        field: "priority",
        message: `shadowed by policy ${shadow.name} (priority ${shadow.priority}, ${shadow.action}), which covers every connection this one speaks of: it never decides anything`,
      });
    }
  }
  return { errors, warnings };
}
