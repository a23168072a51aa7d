// The Isthmus connectivity policy (intent): who may talk to whom across clusters.
// Field rules live here, each message naming the field (those of a policy's sides and
// ports in server/netpol/rules.ts); rules that need the fleet (unknown clusters,
// shadowing, ANP support) are in validate-policy.ts.
import { z } from "zod";
import { ZEndpointSelector, ZPolicyPort } from "../netpol/rules";
import { description, dnsLabel, integer } from "../platform/field-rules";
import { ZRolloutSummary } from "../rollouts/schema";

/** ANP priorities run 0–1000; intent priorities map onto them one to one. */
export const MAX_PRIORITY = 999;
export const ZPolicyAction = z.enum(["ALLOW", "DENY"]);

const fields = {
  name: dnsLabel("name"),
  description: description().optional(),
  enabled: z.boolean().default(true),
  priority: integer("priority", 0, MAX_PRIORITY),
  action: ZPolicyAction,
  /** Bind to a slice (by name): the policy then speaks only of its members and the traffic it carries. */
  slice: dnsLabel("slice").nullish(),
  from: ZEndpointSelector,
  to: ZEndpointSelector,
  /** Empty = every port of every protocol. */
  ports: z.array(ZPolicyPort).max(64, "ports must list at most 64 entries").default([]),
};

export const ZPolicyInput = z.object(fields).strict();
export type PolicyInput = z.input<typeof ZPolicyInput>;
export type PolicySpec = z.infer<typeof ZPolicyInput>;

// Without the create defaults: a field left out of a PATCH keeps its value (a default
// here would silently re-enable a policy or drop its ports).
export const ZUpdatePolicyInput = z
  .object({
    ...z.object(fields).partial().shape,
    description: description().nullish(),
    enabled: z.boolean().optional(),
    ports: z.array(ZPolicyPort).max(64, "ports must list at most 64 entries").optional(),
  })
  .strict();
export type UpdatePolicyInput = z.input<typeof ZUpdatePolicyInput>;

export const ZSlicePosture = z.enum(["allow-within-slice", "deny-by-default"]);
export type SlicePosture = z.infer<typeof ZSlicePosture>;
export const POSTURE_TO_DB = { "allow-within-slice": "ALLOW_WITHIN_SLICE", "deny-by-default": "DENY_BY_DEFAULT" } as const;
export const POSTURE_FROM_DB = { ALLOW_WITHIN_SLICE: "allow-within-slice", DENY_BY_DEFAULT: "deny-by-default" } as const;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZPolicy = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  priority: z.number(),
  action: ZPolicyAction,
  slice: z.object({ id: z.string(), name: z.string() }).nullable(),
  from: ZEndpointSelector,
  to: ZEndpointSelector,
  ports: z.array(ZPolicyPort),
  /** Bumped by every change; the REST ETag. */
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const ZFinding = z.object({ field: z.string(), message: z.string() });
export const ZWritten = ZPolicy.extend({ warnings: z.array(ZFinding), revisions: z.record(z.string(), z.number()), rollout: ZRolloutSummary });
export const ZDecidedBy = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  rule: z.string().optional(),
  verdict: z.enum(["Allow", "Deny", "Pass"]),
});
export const ZCell = z.object({
  from: z.object({ cluster: z.string(), namespace: z.string() }),
  to: z.object({ cluster: z.string(), namespace: z.string() }),
  decision: z.enum(["ALLOW", "DENY"]),
  decidedBy: z.array(ZDecidedBy),
  current: z.enum(["ALLOW", "DENY"]).optional(),
});
export const ZManifestOut = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()) }),
  spec: z.record(z.string(), z.unknown()),
});
export const ZPolicyList = z.object({ items: z.array(ZPolicy) });
export const ZDeletedPolicy = z.object({ ok: z.literal(true), revisions: z.record(z.string(), z.number()), rollout: ZRolloutSummary });
export const ZPolicyCheck = z.object({ errors: z.array(ZFinding), warnings: z.array(ZFinding) });
export const ZConnectionVerdict = z.object({
  decision: z.enum(["ALLOW", "DENY"]),
  decidedBy: z.array(ZDecidedBy),
  path: z.array(z.string()),
  reason: z.string(),
});
export const ZReachabilityMatrix = z.object({
  protocol: z.string(),
  port: z.number(),
  endpoints: z.array(z.object({ cluster: z.string(), siteType: z.string(), namespace: z.string() })),
  cells: z.array(ZCell),
});
export const ZCompiledPolicies = z.object({
  cluster: z.string(),
  manifests: z.array(ZManifestOut),
  appliedRevision: z.number(),
  applied: z.array(ZManifestOut).describe("The policy objects of the revision the cluster last applied"),
  problems: z.array(z.object({ policy: z.string(), cluster: z.string(), field: z.string(), message: z.string() })),
});
export const ZSlicePostureSet = z.object({
  id: z.string(),
  defaultPosture: ZSlicePosture,
  version: z.number(),
  revisions: z.record(z.string(), z.number()),
  rollout: ZRolloutSummary,
});
