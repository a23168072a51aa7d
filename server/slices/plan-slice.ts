// Everything a slice change decides before it is written: which clusters, their
// shares, the links and their tunnel addresses. Pure apart from the reads, so the
// wizard's live preview and the save run the very same checks.
import type { Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { allocate, linkIndex, planLayout, tunnelAddresses } from "./ipam/allocate";
import { effectiveRanges, findSubnetConflicts, unknownRangeWarnings } from "./ipam/conflicts";
import { QOS_PROFILE_VALUES, qosOfProfile } from "../bundles/effective-qos";
import type { Qos } from "../bundles/stored-slice";
import type { SliceSpec } from "./schema";
import { deriveLinks } from "./topology";

export interface PlannedMember {
  clusterId: string;
  clusterName: string;
  index: number;
  subnet: string;
  availability: string;
  siteType: string;
}

export interface PlannedLink {
  id: string;
  serverClusterId: string;
  clientClusterId: string;
  serverEndpoint: string;
  tunnelIndex: number;
  serverTunnelIp: string;
  clientTunnelIp: string;
}

export interface SlicePlan {
  members: PlannedMember[];
  links: PlannedLink[];
  warnings: string[];
  /** The tenant QoS profile `spec.qosProfile` names (null for inline QoS or best effort). */
  qosProfileId: string | null;
  /** The QoS the gateways will apply: inline values, the profile's, or null (best effort). */
  qos: Qos | null;
  /** Field → problems; empty when the plan can be saved. */
  fieldErrors: Record<string, string[]>;
}

export async function planSlice(tx: Tx, tenantId: string, sliceId: string, spec: SliceSpec): Promise<SlicePlan> {
  const fieldErrors: Record<string, string[]> = {};
  const fail = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);

  const clusters = await tx.cluster.findMany({
    where: { tenantId, name: { in: spec.members } },
    select: {
      id: true,
      name: true,
      availability: true,
      siteType: true,
      behindNat: true,
      gatewayEndpoints: true,
      podCidrs: true,
      serviceCidrs: true,
      manualPodCidrs: true,
      manualServiceCidrs: true,
    },
  });
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const unknown = spec.members.filter((n) => !byName.has(n));
  if (unknown.length) fail("members", `unknown cluster${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`);
  const ordered = spec.members.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));

  // Overlaps: the members' own pod/service ranges, and other slices on the same clusters.
  const others = await tx.slice.findMany({
    where: { tenantId, id: { not: sliceId }, members: { some: { clusterId: { in: ordered.map((c) => c.id) } } } },
    select: { name: true, subnet: true, members: { where: { tenantId }, select: { cluster: { select: { name: true } } } } },
  });
  // Ranges set by hand stand in for ones the agent could not find (or got wrong).
  const ranges = ordered.map((c) => ({
    name: c.name,
    podCidrs: effectiveRanges(c.manualPodCidrs, c.podCidrs),
    serviceCidrs: effectiveRanges(c.manualServiceCidrs, c.serviceCidrs),
  }));
  const conflicts = findSubnetConflicts(spec.subnet, {
    clusters: ranges,
    otherSlices: others.map((o) => ({ name: o.name, subnet: o.subnet, members: o.members.map((m) => m.cluster.name) })),
  });
  for (const c of conflicts) fail("subnet", c.message);

  const previous = await tx.sliceMember.findMany({ where: { tenantId, sliceId }, select: { clusterId: true, index: true } });
  let shares: ReturnType<typeof allocate> = new Map();
  try {
    shares = allocate(
      previous,
      ordered.map((c) => c.id),
      spec,
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Shares are allocated by cluster id; the messages name the clusters as they are named.
    const named = (m: string) => ordered.reduce((text, c) => text.replaceAll(c.id, c.name), m);
    for (const [f, msgs] of Object.entries(err.details?.fieldErrors ?? { members: [err.message] })) msgs.forEach((m) => fail(f, named(m)));
  }

  const topo = deriveLinks({ sliceId, topology: spec.topology, members: ordered });
  for (const e of topo.errors) fail("topology", e);

  const layout = planLayout(spec.subnet, spec.maxClusters);
  const links: PlannedLink[] = [];
  for (const l of topo.links) {
    const a = shares.get(l.serverClusterId);
    const b = shares.get(l.clientClusterId);
    if (!a || !b) continue;
    const tunnelIndex = linkIndex(a.index, b.index);
    const t = tunnelAddresses(layout, tunnelIndex);
    links.push({ ...l, tunnelIndex, serverTunnelIp: t.serverAddress, clientTunnelIp: t.clientAddress });
  }

  const members = ordered.flatMap((c) => {
    const s = shares.get(c.id);
    return s ? [{ clusterId: c.id, clusterName: c.name, index: s.index, subnet: s.subnet, availability: c.availability, siteType: c.siteType }] : [];
  });

  let qos = spec.qos ?? null;
  let qosProfileId: string | null = null;
  if (spec.qosProfile) {
    const profile = await tx.qosProfile.findFirst({ where: { tenantId, name: spec.qosProfile }, select: QOS_PROFILE_VALUES });
    if (profile) [qosProfileId, qos] = [profile.id, qosOfProfile(profile)];
    else fail("qosProfile", `there is no QoS profile named ${spec.qosProfile} in this tenant`);
  }
  return { members, links, warnings: [...unknownRangeWarnings(spec.subnet, ranges), ...topo.warnings], qosProfileId, qos, fieldErrors };
}

export function assertPlanValid(plan: SlicePlan) {
  const entries = Object.entries(plan.fieldErrors);
  if (entries.length === 0) return;
  const message = entries.map(([f, m]) => `${f}: ${m.join("; ")}`).join("\n");
  throw new AppError("BAD_REQUEST", message, { fieldErrors: plan.fieldErrors });
}
