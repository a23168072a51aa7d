// The Isthmus connectivity policy (intent): who may talk to whom across clusters.
// Field rules live here, each message naming the field; rules that need the fleet
// (unknown clusters, shadowing, ANP support) are in validate-policy.ts.
import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { ZRolloutSummary } from "../rollouts/schema";
import { DNS_LABEL, description, dnsLabel, integer } from "../slices/field-rules";
import { PROTOCOLS } from "./engine/conn-set";
import { parseSelector } from "./label-selector";

/** ANP priorities run 0–1000; intent priorities map onto them one to one. */
export const MAX_PRIORITY = 999;
const MAX_NAMES = 500;
// IANA_SVC_NAME, as a container port name must be: at most 15, lower-case letters, digits, '-', at least one letter.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?=[a-z0-9])){0,14}$/;

const selectorText = (field: string) =>
  z
    .string()
    .max(1000, `${field} must be at most 1000 characters`)
    .superRefine((text, ctx) => {
      const parsed = parseSelector(text);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: `${field}: ${parsed.message}` });
    });

const ZClusterSelector = z
  .object({
    /** Cluster names; absent = not restricted by name. */
    names: z.array(dnsLabel("cluster name")).max(MAX_NAMES).optional(),
    /** Label selector on the clusters' labels, e.g. `env=prod,region in (eu-west,eu-central)`. */
    selector: selectorText("clusters.selector").optional(),
    siteTypes: z.array(ZSiteType).max(3).optional(),
  })
  .strict();

const ZNamespaceSelector = z
  .object({
    names: z.array(z.string().max(63).regex(DNS_LABEL, "namespace names must be DNS-1123 labels")).max(MAX_NAMES).optional(),
    /** Label selector on the namespaces' labels. */
    selector: selectorText("namespaces.selector").optional(),
  })
  .strict();

/** One side of a policy. Every part that is given must hold; an absent part matches everything. */
export const ZEndpointSelector = z
  .object({
    clusters: ZClusterSelector.default({}),
    namespaces: ZNamespaceSelector.default({}),
    /** Label selector on the pods' labels; empty = every pod. */
    pods: selectorText("pods").default(""),
  })
  .strict();
export type EndpointSelector = z.infer<typeof ZEndpointSelector>;

export const ZPolicyPort = z
  .object({
    protocol: z.enum(PROTOCOLS).default("TCP"),
    /** A number (1–65535) or a named container port of the destination; absent = every port of the protocol. */
    port: z.union([z.int(), z.string()]).optional(),
    /** With a numeric port: the last port of the range. */
    endPort: z.int().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (typeof p.port === "number" && (p.port < 1 || p.port > 65535))
      ctx.addIssue({ code: "custom", path: ["port"], message: "port must be between 1 and 65535" });
    if (typeof p.port === "string" && !PORT_NAME.test(p.port)) {
      ctx.addIssue({
        code: "custom",
        path: ["port"],
        message: "a named port must be at most 15 lower-case letters, digits and '-', with at least one letter (IANA_SVC_NAME)",
      });
    }
    if (p.endPort !== undefined) {
      if (typeof p.port !== "number") ctx.addIssue({ code: "custom", path: ["endPort"], message: "endPort needs a numeric port" });
      else if (p.endPort < p.port || p.endPort > 65535)
        ctx.addIssue({ code: "custom", path: ["endPort"], message: `endPort must be between port (${p.port}) and 65535` });
    }
  });
export type PolicyPort = z.infer<typeof ZPolicyPort>;

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

/** A policy as the compiler and the intent evaluator see it (stored row, parsed). */
export interface PolicyRule {
  id: string;
  name: string;
  enabled: boolean;
  priority: number;
  action: "ALLOW" | "DENY";
  sliceId: string | null;
  from: EndpointSelector;
  to: EndpointSelector;
  ports: PolicyPort[];
}

export const ZStoredSide = ZEndpointSelector;
export const ZStoredPorts = z.array(ZPolicyPort);

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
