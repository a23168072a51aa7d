// What a slice subnet would collide with on its member clusters, and which ranges were
// not known well enough to check.
import { fieldError } from "../../platform/errors";
import { mustParse, overlaps, parseCidr } from "./cidr";

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
export function unknownRangeWarnings(
  subnet: string,
  clusters: readonly { name: string; podCidrs: readonly string[]; serviceCidrs: readonly string[] }[],
): string[] {
  const out: string[] = [];
  for (const c of clusters) {
    const missing = [c.podCidrs.length === 0 ? "pod CIDR" : null, c.serviceCidrs.length === 0 ? "service CIDR" : null].filter(Boolean);
    if (missing.length)
      out.push(
        `the ${missing.join(" and ")} of cluster ${c.name} ${missing.length > 1 ? "are" : "is"} unknown: subnet ${subnet} was not checked against ${missing.length > 1 ? "them" : "it"}`,
      );
  }
  return out;
}
