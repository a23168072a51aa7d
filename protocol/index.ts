// The agent wire protocol (/api/agent/v1): the one contract between the control plane
// and the agents in every cluster. Imported by both sides; nothing else is shared.
import { z } from "zod";
import { SITE_TYPES, type SiteType } from "./sites";

export const PROTOCOL_BASE_PATH = "/api/agent/v1";
export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_LEASE_SECONDS = 15;
/** A cluster with no heartbeat for this many leases is UNKNOWN. */
export const MISSED_LEASES_UNKNOWN = 3;
export const MAX_WAIT_SECONDS = 60;
/** Revisions are PostgreSQL `integer` columns: a larger number is refused here, not by the database. */
export const MAX_REVISION = 2_147_483_647;

export const ZSiteType = z.enum(SITE_TYPES);
export { SITE_TYPES, type SiteType };

// Text that PostgreSQL can store: no NUL character (text and jsonb reject it) and no
// unpaired UTF-16 surrogate (jsonb rejects the escape JSON gives it). One such string
// in a heartbeat would otherwise fail the batched write of every cluster beside it.
const UNSTORABLE = /[\0\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** True when the string has no character PostgreSQL refuses (see `text`). Ordinary text passes on the first, cheap test. */
export const storableText = (s: string) => !UNSTORABLE.test(s) || (!s.includes("\0") && !LONE_SURROGATE.test(s));
const TEXT_RULE = "must not contain NUL or unpaired surrogate characters";
/** A string of at most `max` characters that PostgreSQL can store. */
export const text = (max: number) => z.string().max(max).refine(storableText, TEXT_RULE);

const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, "must be a CIDR such as 10.244.0.0/16");

export const ZClusterInfo = z.object({
  uid: text(128).min(1),
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label (lower-case letters, digits, '-', at most 63)")
    .optional(),
  kubernetesVersion: text(64),
  cni: text(64),
  podCidrs: z.array(cidr).max(16),
  serviceCidrs: z.array(cidr).max(16),
  nodeCount: z.number().int().min(0).max(100_000),
  siteType: ZSiteType.optional(),
  provider: text(64).optional(),
  region: text(64).optional(),
  gatewayEndpoints: z.array(text(255)).max(16),
  behindNat: z.boolean(),
  // Added later, all optional so older agents stay valid. Inventory is partial by
  // design: each probe may fail on its own (RBAC, a managed platform hiding it) without
  // stopping enrolment; what it could not learn is said, never guessed.
  /** Where podCidrs came from ("kubeadm-config", "node-podCIDRs", …) or "unknown": then podCidrs is empty because nothing was found, not because there is no range. */
  podCidrsSource: text(64).optional(),
  serviceCidrsSource: text(64).optional(),
  /** The cluster's namespace names, so the control plane sends only objects whose namespace exists. Absent: not known. */
  namespaces: z
    .array(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a namespace name"))
    .max(5000)
    .optional(),
  /** The probes that failed, with their error (e.g. 403 listing nodes). */
  probeErrors: z
    .array(z.object({ probe: text(64), error: text(300) }))
    .max(16)
    .optional(),
});
export type ClusterInfo = z.infer<typeof ZClusterInfo>;

export const ZRegisterRequest = z.object({
  token: z.string().min(1).max(512),
  cluster: ZClusterInfo,
  agentVersion: text(64),
});
export type RegisterRequest = z.infer<typeof ZRegisterRequest>;

export const ZRegisterResponse = z.object({
  clusterId: z.string(),
  credential: z.string(),
  leaseDurationSeconds: z.number().int(),
});
export type RegisterResponse = z.infer<typeof ZRegisterResponse>;

export const ZComponentStatus = z.object({
  name: text(128),
  status: z.enum(["OK", "DEGRADED", "FAILED", "UNKNOWN"]),
  message: text(1024).optional(),
});

export const ZGatewayStatus = z.enum(["UP", "DOWN", "DEGRADED", "UNKNOWN"]);
export type GatewayStatus = z.infer<typeof ZGatewayStatus>;
export const ZGatewaySample = z.object({
  linkId: text(128),
  status: ZGatewayStatus,
  rttMs: z.number().min(0).max(600_000).optional(),
  lossPct: z.number().min(0).max(100).optional(),
  rxBps: z.number().min(0).optional(),
  txBps: z.number().min(0).optional(),
  lastHandshakeAt: z.string().datetime().optional(),
  // `status` is the tunnel's (data plane) state. Reaching the peer's endpoint is a
  // separate, weaker fact: a TCP connect says nothing about a UDP tunnel. An agent with
  // no data plane carrying the slice reports UNKNOWN with reason "no data plane".
  /** Why the status is what it is, e.g. "no data plane". */
  reason: text(128).optional(),
  /** Whether the peer's gateway endpoint answered a connect; absent when not probed. */
  endpointReachable: z.boolean().optional(),
});
export type GatewaySample = z.infer<typeof ZGatewaySample>;

/** How far a heartbeat's seq may be above the last accepted one of the same agent session. */
export const MAX_SEQ_JUMP = 100_000;
/**
 * Without a session (agents before sessions seeded seq from their clock in ms), a seq
 * may be at most this far above the server's clock in ms (a day of clock skew).
 */
export const MAX_LEGACY_SEQ_AHEAD_MS = 24 * 3600 * 1000;

export const ZHeartbeatRequest = z.object({
  // Rises by one per heartbeat within a session. The server ignores a seq at or below the
  // last accepted one (a delayed or replayed heartbeat) and refuses with 409
  // SEQ_OUT_OF_RANGE one too far above it (see MAX_SEQ_JUMP): it would otherwise make
  // every later real heartbeat look stale.
  seq: z.number().int().min(0),
  /**
   * Random per agent start. A new session restarts the sequence: its first seq may be
   * any value (0, or the clock in ms as this agent sends, which older control planes
   * without sessions still see rising) and becomes the new floor. Optional: older agents
   * send none (see MAX_LEGACY_SEQ_AHEAD_MS).
   */
  session: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8 to 64 letters, digits, '-' or '_'")
    .optional(),
  sentAt: z.string().datetime(),
  appliedRevision: z.number().int().min(0).max(MAX_REVISION),
  components: z.array(ZComponentStatus).max(64),
  gateways: z.array(ZGatewaySample).max(512),
  // Sent on the first heartbeat after start and whenever it changes.
  inventory: ZClusterInfo.omit({ uid: true, name: true })
    .partial()
    .extend({ agentVersion: text(64).optional() })
    .optional(),
});
export type HeartbeatRequest = z.infer<typeof ZHeartbeatRequest>;

export const ZHeartbeatResponse = z.object({
  desiredRevision: z.number().int(),
  leaseDurationSeconds: z.number().int(),
  serverTime: z.string(),
});
export type HeartbeatResponse = z.infer<typeof ZHeartbeatResponse>;

export const ZConfigQuery = z.object({
  after: z.coerce.number().int().min(0).max(MAX_REVISION).default(0),
  waitSeconds: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
});

/** A Kubernetes object as the agent applies it. */
export const ZManifest = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    metadata: z.object({ name: z.string(), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();
export type Manifest = z.infer<typeof ZManifest>;

export const ZBundle = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string(), tenant: z.string() }),
    slices: z.array(z.record(z.string(), z.unknown())).default([]),
    manifests: z.array(ZManifest),
  })
  .passthrough();
export type Bundle = z.infer<typeof ZBundle>;

export const ZConfigResponse = z.object({
  revision: z.number().int(),
  hash: z.string(),
  bundle: ZBundle,
});
export type ConfigResponse = z.infer<typeof ZConfigResponse>;

export const ZAckRequest = z.object({
  revision: z.number().int().min(1).max(MAX_REVISION),
  hash: text(128),
  status: z.enum(["APPLIED", "FAILED"]),
  message: text(4096).optional(),
  objects: z
    .array(z.object({ apiVersion: text(256), kind: text(256), namespace: text(253).optional(), name: text(253), result: text(1024).optional() }))
    .max(5000)
    .optional(),
});
export type AckRequest = z.infer<typeof ZAckRequest>;

export const ZRotateResponse = z.object({ credential: z.string() });

export const ZErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ZErrorBody>;

/** Error codes the server returns; agents branch on these, not on messages. */
export const ERROR_CODES = {
  badRequest: "BAD_REQUEST",
  tokenExpired: "TOKEN_EXPIRED",
  tokenUsedUp: "TOKEN_USED_UP",
  tokenRevoked: "TOKEN_REVOKED",
  tokenUnknown: "TOKEN_UNKNOWN",
  unauthorized: "UNAUTHORIZED",
  tooLarge: "PAYLOAD_TOO_LARGE",
  rateLimited: "RATE_LIMITED",
  notFound: "NOT_FOUND",
  /** A heartbeat seq too far above the last accepted one: start a new session. */
  seqOutOfRange: "SEQ_OUT_OF_RANGE",
} as const;
