// The rule language of a connectivity policy: which endpoints each side selects and which
// ports, as users write them and as stored rows are read back for compiling. The policy
// services (server/policies/) add the rest of a policy (name, priority, slice) around it.
import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { DNS_LABEL, dnsLabel } from "../platform/field-rules";
import { PROTOCOLS } from "./engine/conn-set";
import { parseSelector } from "./label-selector";

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
