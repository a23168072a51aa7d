// The application inventory an agent reports for the reachability preview: what decides
// traffic in its cluster besides what Isthmus compiles — namespaces with labels,
// workloads (owner, pod labels, named ports) and the NetworkPolicies / ANPs / BANP that
// Isthmus did not create. Sent only when its hash changes, and size-limited.
import { z } from "zod";
import { text } from "./index";

/** An inventory larger than this (as JSON) is not sent; the agent says so in a component status instead. */
export const MAX_APP_INVENTORY_BYTES = 256 * 1024;

const name = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a DNS-1123 name");
const labels = z.record(text(317), text(63)).refine((l) => Object.keys(l).length <= 64, "at most 64 labels");

export const ZAppWorkload = z.object({
  namespace: name,
  name,
  kind: z.enum(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]),
  labels,
  ports: z.array(z.object({ name: text(15).optional(), port: z.number().int().min(1).max(65535), protocol: z.enum(["TCP", "UDP", "SCTP"]) })).max(64),
});

export const ZAppInventory = z.object({
  /** Whether the cluster serves policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy. */
  adminNetworkPolicy: z.boolean(),
  namespaces: z.array(z.object({ name, labels })).max(2000),
  workloads: z.array(ZAppWorkload).max(5000),
  /** NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy objects not managed by Isthmus, as the API returns them. */
  policies: z.array(z.record(z.string(), z.unknown())).max(2000),
});
export type AppInventory = z.infer<typeof ZAppInventory>;

/** `POST /api/agent/v1/inventory`: the agent's application inventory and its own hash of it. */
export const ZAppInventoryReport = z.object({
  /** sha256 (hex) of the inventory's JSON as the agent serialised it: the agent's memory of what it sent. */
  hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in hex"),
  inventory: ZAppInventory,
});
export type AppInventoryReport = z.infer<typeof ZAppInventoryReport>;
export const ZAppInventoryResponse = z.object({ ok: z.literal(true), changed: z.boolean() });
