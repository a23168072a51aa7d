// The parts of a slice spec that are stored as JSON and read back to compile a bundle:
// gateway service, QoS values, namespace isolation and service exports. The slice spec
// (server/slices/schema.ts) is built from them, with the same messages.
import { z } from "zod";
import { clusterName, DNS_SUBDOMAIN, dnsLabel, integer, list, object, required } from "../platform/field-rules";
import { guaranteedWithinCeiling, qosValueShape } from "./qos-rules";

/** Cluster names are DNS-1123 labels, as the agent protocol registers them. */
export const ZClusterName = clusterName("cluster name");

function gatewayServiceChoice(field: string) {
  return {
    type: z.enum(["NodePort", "LoadBalancer"], { error: `${field}.type must be NodePort or LoadBalancer` }).default("NodePort"),
    protocol: z.enum(["UDP", "TCP"], { error: `${field}.protocol must be UDP or TCP` }).default("UDP"),
  };
}

export const ZGatewayService = object("gatewayService", {
  ...gatewayServiceChoice("gatewayService"),
  /** Per-cluster exceptions, keyed by cluster name. */
  overrides: z
    .record(dnsLabel("gatewayService.overrides key"), object("gatewayService.overrides entry", gatewayServiceChoice("gatewayService.overrides")), {
      error: (iss) =>
        iss.code === "invalid_key"
          ? "gatewayService.overrides keys must be cluster names (DNS-1123 labels)"
          : required("gatewayService.overrides", "an object mapping cluster names to { type, protocol }")(iss),
    })
    .default({}),
});

export const ZQos = object("qos", {
  profile: z.literal("HTB", { error: "qos.profile must be HTB" }).default("HTB"),
  ...qosValueShape("qos"),
}).superRefine(guaranteedWithinCeiling("qos"));

function namespaceList(field: string) {
  const entry = object(`${field} entry`, {
    namespace: dnsLabel(`${field}.namespace`),
    clusters: list(`${field}.clusters`, z.union([z.literal("*"), ZClusterName], { error: `${field}.clusters entries must be cluster names or "*"` }))
      .min(1, `${field}.clusters must name at least one cluster, or "*"`)
      .refine((cs) => !cs.includes("*") || cs.length === 1, `${field}.clusters: "*" means every member and must stand alone`),
  });
  return list(field, entry).default([]);
}

export const ZNamespaceIsolation = object("namespaceIsolation", {
  enabled: z.boolean({ error: "namespaceIsolation.enabled must be true or false" }).default(false),
  applicationNamespaces: namespaceList("namespaceIsolation.applicationNamespaces"),
  allowedNamespaces: namespaceList("namespaceIsolation.allowedNamespaces"),
});

export const ZServiceExport = object("serviceExports entry", {
  name: dnsLabel("serviceExports.name"),
  namespace: dnsLabel("serviceExports.namespace"),
  sourceCluster: clusterName("serviceExports.sourceCluster"),
  ports: list(
    "serviceExports.ports",
    object("serviceExports.ports entry", {
      name: dnsLabel("serviceExports.ports.name").optional(),
      port: integer("serviceExports.ports.port", 1, 65535),
      protocol: z.enum(["TCP", "UDP", "SCTP"], { error: "serviceExports.ports.protocol must be TCP, UDP or SCTP" }).default("TCP"),
    }),
  ).min(1, "serviceExports.ports must list at least one port"),
  aliases: list(
    "serviceExports.aliases",
    z
      .string({ error: "serviceExports.aliases entries must be strings" })
      .max(253, "serviceExports.aliases entries must be at most 253 characters")
      .regex(DNS_SUBDOMAIN, "serviceExports.aliases entries must be DNS names (DNS-1123 subdomains)"),
  ).optional(),
});

export type Qos = z.infer<typeof ZQos>;
export type NamespaceIsolation = z.infer<typeof ZNamespaceIsolation>;
export type ServiceExport = z.infer<typeof ZServiceExport>;
export type GatewayService = z.infer<typeof ZGatewayService>;
