import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { parseCidr } from "../slices/ipam/cidr";
import { ZLabels } from "../platform/labels";

export const ZAvailability = z.enum(["PENDING", "AVAILABLE", "UNKNOWN"]);

export const ZListClustersInput = z.object({
  /** Part of the name, any case. */
  search: z.string().trim().max(100, "must be at most 100 characters").optional(),
  siteType: ZSiteType.optional(),
  availability: ZAvailability.optional(),
  /** Label selector: `key=value[,key=value…]`, every pair must match. */
  labels: z.string().max(1000, "must be at most 1000 characters").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
});
export type ListClustersInput = z.input<typeof ZListClustersInput>;

export const ZClusterName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, alphanumeric at both ends)");

// A pod or service range set by hand: what the agent would have reported.
const ZManualCidr = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, "must be a CIDR such as 10.244.0.0/16")
  .refine((s) => s.includes(":") || parseCidr(s) !== null, "must be a valid IPv4 CIDR such as 10.244.0.0/16");
const ZManualCidrs = z.array(ZManualCidr).max(16, "must be at most 16 ranges");

export const ZUpdateClusterInput = z
  .object({
    name: ZClusterName.optional(),
    labels: ZLabels.optional(),
    siteType: ZSiteType.optional(),
    region: z.string().trim().min(1, "must not be empty (use null to clear)").max(64, "must be at most 64 characters").nullable().optional(),
    latitude: z.number().min(-90, "must be between -90 and 90").max(90, "must be between -90 and 90").nullable().optional(),
    longitude: z.number().min(-180, "must be between -180 and 180").max(180, "must be between -180 and 180").nullable().optional(),
    /** Used instead of the reported pod ranges for slice overlap checks while not empty; [] goes back to the reported ones. */
    manualPodCidrs: ZManualCidrs.optional(),
    manualServiceCidrs: ZManualCidrs.optional(),
  })
  .strict();
export type UpdateClusterInput = z.input<typeof ZUpdateClusterInput>;

export const ZClusterEventsInput = z.object({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  cursor: z.string().max(64).optional(),
});
export type ClusterEventsInput = z.input<typeof ZClusterEventsInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZClusterItem = z.object({
  id: z.string(),
  name: z.string(),
  uid: z.string(),
  siteType: ZSiteType,
  availability: ZAvailability,
  lastSeenAt: z.date().nullable(),
  labels: z.record(z.string(), z.string()),
  desiredRevision: z.number(),
  appliedRevision: z.number(),
  converged: z.boolean(),
  provider: z.string().nullable(),
  region: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  kubernetesVersion: z.string().nullable(),
  cni: z.string().nullable(),
  nodeCount: z.number(),
  agentVersion: z.string().nullable(),
  behindNat: z.boolean(),
  leaseDurationSeconds: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const ZEvent = z.object({
  id: z.string(),
  type: z.string(),
  severity: z.enum(["INFO", "WARNING", "CRITICAL"]),
  message: z.string(),
  data: z.unknown(),
  createdAt: z.date(),
});
export const ZGatewayState = z.object({
  linkId: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  endpointReachable: z.boolean().optional(),
  rttMs: z.number().optional(),
  lossPct: z.number().optional(),
  rxBps: z.number().optional(),
  txBps: z.number().optional(),
  lastHandshakeAt: z.string().optional(),
});
export const ZClusterDetail = ZClusterItem.extend({
  /** Of the user-editable fields (name, labels, site facts): bumped by every change of them; the REST ETag. */
  version: z.number(),
  /** As the agent reported them; empty when it found none (unknown). */
  podCidrs: z.array(z.string()),
  serviceCidrs: z.array(z.string()),
  /** Set by hand; used instead of the reported ranges for slice overlap checks while not empty. */
  manualPodCidrs: z.array(z.string()),
  manualServiceCidrs: z.array(z.string()),
  gatewayEndpoints: z.array(z.string()),
  components: z.array(z.object({ name: z.string(), status: z.string(), message: z.string().optional() })),
  heartbeat: z.object({ seq: z.number(), lastSeenAt: z.date().nullable(), reportedAppliedRevision: z.number().nullable(), gateways: z.array(ZGatewayState) }),
  latestRevision: z.object({ revision: z.number(), hash: z.string(), createdAt: z.date() }).nullable(),
  events: z.array(ZEvent),
  acks: z.array(
    z.object({
      id: z.string(),
      revision: z.number(),
      hash: z.string(),
      status: z.enum(["APPLIED", "FAILED"]),
      message: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
  /** The slices it is a member of. */
  slices: z.array(z.object({ id: z.string(), name: z.string(), topology: z.string(), gatewayType: z.string() })),
  /** Its gateway links: the slice and the cluster at the other end of each (peerName null if that cluster is gone). */
  links: z.array(
    z.object({
      id: z.string(),
      sliceId: z.string(),
      sliceName: z.string(),
      peerId: z.string(),
      peerName: z.string().nullable(),
      role: z.enum(["SERVER", "CLIENT"]),
    }),
  ),
});
export const ZClusterPage = z.object({ items: z.array(ZClusterItem), nextCursor: z.string().nullable() });
export const ZClusterEventPage = z.object({ items: z.array(ZEvent), nextCursor: z.string().nullable() });
export const ZClusterRevision = z.object({ revision: z.number(), hash: z.string(), bundle: z.record(z.string(), z.unknown()), createdAt: z.date() });
export const ZOk = z.object({ ok: z.literal(true) });
