// The slice spec: what a user (or a KubeSlice import) asks for. Every message names
// the field and the rule, so the console can put it next to the right input.
import { z } from "zod";
import { ZGatewayService, ZNamespaceIsolation, ZQos, ZServiceExport } from "../bundles/stored-slice";
import { clusterName, description, dnsLabel, integer, list, object, required } from "../platform/field-rules";
import { layoutProblem } from "./ipam/allocate";
import { formatCidr, isCanonicalCidr, isPrivateCidr, parseCidr } from "./ipam/cidr";
import { ZRolloutSummary } from "../rollouts/schema";

const ZSubnet = z.string({ error: required("subnet", "a string") }).superRefine((value, ctx) => {
  const c = parseCidr(value);
  const fail = (message: string) => ctx.addIssue({ code: "custom", message });
  if (!c) return fail(`subnet must be an IPv4 CIDR such as 10.10.0.0/16, got "${value}"`);
  if (!isCanonicalCidr(value)) return fail(`subnet must be written with its network address: ${formatCidr(c)}, not ${value}`);
  if (c.prefix < 8 || c.prefix > 22) return fail(`subnet prefix must be between /8 and /22, got /${c.prefix}`);
  if (!isPrivateCidr(c)) return fail("subnet must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
});

export const ZGatewayType = z.enum(["OPENVPN", "WIREGUARD"], { error: "gatewayType must be OPENVPN or WIREGUARD" });

const pairMember = clusterName("topology.pairs entry");

export const ZTopology = z.discriminatedUnion(
  "kind",
  [
    object("topology", { kind: z.literal("FULL_MESH") }),
    object("topology", {
      kind: z.literal("HUB_SPOKE"),
      hubs: list("topology.hubs", clusterName("topology.hubs entry")).min(1, "topology.hubs must name at least one hub cluster"),
    }),
    object("topology", {
      kind: z.literal("CUSTOM"),
      pairs: list("topology.pairs", z.tuple([pairMember, pairMember], { error: "topology.pairs entries must be [cluster, cluster] pairs" })),
    }),
  ],
  { error: (iss) => (iss.input === undefined ? "topology is required" : "topology.kind must be FULL_MESH, HUB_SPOKE or CUSTOM") },
);

/** A tenant QoS profile by name: the alternative to inline `qos`. */
export const ZQosProfileName = dnsLabel("qosProfile");

const DEFAULT_ISOLATION = { enabled: false, applicationNamespaces: [], allowedNamespaces: [] };

/** The fields without the cross-field rules, for schemas that extend or pick from them. */
export const ZSliceSpecFields = z.strictObject(
  {
    name: dnsLabel("name"),
    description: description().optional(),
    subnet: ZSubnet,
    maxClusters: integer("maxClusters", 2, 64).default(16),
    gatewayType: ZGatewayType.default("OPENVPN"),
    gatewayService: ZGatewayService.default({ type: "NodePort", protocol: "UDP", overrides: {} }),
    topology: ZTopology.default({ kind: "FULL_MESH" }),
    // Inline values or a named tenant profile (null clears either, for a PATCH).
    qos: ZQos.nullish(),
    qosProfile: ZQosProfileName.nullish(),
    namespaceIsolation: ZNamespaceIsolation.default(DEFAULT_ISOLATION),
    serviceExports: list("serviceExports", ZServiceExport).default([]),
    members: list("members", clusterName("members entry")).default([]),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown field${iss.keys.length > 1 ? "s" : ""} ${iss.keys.join(", ")}: a slice spec has name, description, subnet, maxClusters, gatewayType, gatewayService, topology, qos, qosProfile, namespaceIsolation, serviceExports and members`
        : "a slice spec must be an object",
  },
);

/** Cross-field rules: the subnet fits maxClusters, and every cluster a field names is a member. */
export function checkSliceSpec(spec: z.infer<typeof ZSliceSpecFields>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const subnetOk = parseCidr(spec.subnet) !== null;
  const problem = subnetOk ? layoutProblem(spec.subnet, spec.maxClusters) : null;
  if (problem) issue(["subnet"], problem);

  if (spec.qos && spec.qosProfile) {
    issue(["qosProfile"], "qos and qosProfile are alternatives: give inline qos values or the name of a tenant QoS profile, not both");
  }

  const members = new Set<string>();
  spec.members.forEach((m, i) => {
    if (members.has(m)) issue(["members", i], `members lists cluster ${m} more than once`);
    members.add(m);
  });
  if (members.size > spec.maxClusters) {
    issue(["members"], `members lists ${members.size} clusters but maxClusters is ${spec.maxClusters}`);
  }
  const member = (path: (string | number)[], field: string, name: string) => {
    if (!members.has(name)) issue(path, `${field} names cluster ${name}, which is not a member of the slice`);
  };

  const t = spec.topology;
  if (t.kind === "HUB_SPOKE") {
    t.hubs.forEach((h, i) => {
      member(["topology", "hubs", i], "topology.hubs", h);
      if (t.hubs.indexOf(h) !== i) issue(["topology", "hubs", i], `topology.hubs lists ${h} more than once`);
    });
  } else if (t.kind === "CUSTOM") {
    const seen = new Set<string>();
    t.pairs.forEach(([a, b], i) => {
      member(["topology", "pairs", i, 0], "topology.pairs", a);
      member(["topology", "pairs", i, 1], "topology.pairs", b);
      if (a === b) issue(["topology", "pairs", i], `topology.pairs links ${a} to itself`);
      const key = [a, b].sort().join("\n");
      if (seen.has(key)) issue(["topology", "pairs", i], `topology.pairs lists ${a}–${b} more than once`);
      seen.add(key);
    });
  }

  for (const list of ["applicationNamespaces", "allowedNamespaces"] as const) {
    const seen = new Set<string>();
    spec.namespaceIsolation[list].forEach((entry, i) => {
      const path = ["namespaceIsolation", list, i];
      if (seen.has(entry.namespace)) issue([...path, "namespace"], `namespaceIsolation.${list} lists namespace ${entry.namespace} more than once`);
      seen.add(entry.namespace);
      entry.clusters.forEach((c, j) => c !== "*" && member([...path, "clusters", j], `namespaceIsolation.${list}.clusters`, c));
    });
  }

  for (const name of Object.keys(spec.gatewayService.overrides)) {
    member(["gatewayService", "overrides", name], "gatewayService.overrides", name);
  }

  const exports = new Set<string>();
  spec.serviceExports.forEach((e, i) => {
    member(["serviceExports", i, "sourceCluster"], "serviceExports.sourceCluster", e.sourceCluster);
    const key = `${e.namespace}/${e.name}@${e.sourceCluster}`;
    if (exports.has(key)) issue(["serviceExports", i], `serviceExports lists ${e.namespace}/${e.name} from ${e.sourceCluster} more than once`);
    exports.add(key);
    const ports = new Set<string>();
    e.ports.forEach((p, j) => {
      const k = `${p.port}/${p.protocol}`;
      if (ports.has(k)) issue(["serviceExports", i, "ports", j], `serviceExports.ports lists ${k} more than once`);
      ports.add(k);
    });
  });
}

export const ZSliceSpec = ZSliceSpecFields.superRefine(checkSliceSpec);

export type SliceSpec = z.infer<typeof ZSliceSpec>;
export type SliceSpecInput = z.input<typeof ZSliceSpec>;
export type Topology = z.infer<typeof ZTopology>;

/** Fields that fix the address plan and the tunnel software; changing them means a new slice. */
export const IMMUTABLE_FIELDS = ["subnet", "maxClusters", "gatewayType"] as const;
export type ImmutableField = (typeof IMMUTABLE_FIELDS)[number];

/** The immutable fields an update would change (empty when the update is allowed). */
export function changedImmutableFields(before: SliceSpec, after: SliceSpec): ImmutableField[] {
  return IMMUTABLE_FIELDS.filter((f) => before[f] !== after[f]);
}

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZMember = z.object({
  clusterId: z.string(),
  clusterName: z.string(),
  index: z.number(),
  subnet: z.string(),
  siteType: z.string(),
  availability: z.string(),
  desiredRevision: z.number(),
  appliedRevision: z.number(),
  applied: z.boolean(),
});
export const ZConvergence = z.object({ clusters: z.number(), clustersApplied: z.number(), links: z.number(), linksUp: z.number() });
export const ZLink = z.object({
  id: z.string(),
  serverClusterId: z.string(),
  serverClusterName: z.string().nullable(),
  clientClusterId: z.string(),
  clientClusterName: z.string().nullable(),
  serverEndpoint: z.string().nullable(),
  serverTunnelIp: z.string(),
  clientTunnelIp: z.string(),
  /** The tunnel's state; UNKNOWN until a data plane reports it. */
  status: z.enum(["UP", "DOWN", "DEGRADED", "UNKNOWN"]),
  statusReason: z.string().nullable(),
  /** Whether the server end's gateway endpoint answered a connect: not the same as the tunnel being up. */
  endpointReachable: z.boolean().nullable(),
  rttMs: z.number().nullable(),
  lossPct: z.number().nullable(),
  reportedAt: z.date().nullable(),
});
export const ZSaved = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number(),
  warnings: z.array(z.string()),
  revisions: z.record(z.string(), z.number()),
  rollout: ZRolloutSummary,
});
export const ZSliceList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      subnet: z.string(),
      gatewayType: z.string(),
      topologyKind: z.string(),
      createdAt: z.date(),
      members: z.array(ZMember),
      convergence: ZConvergence,
    }),
  ),
});
export const ZSliceDetail = z.object({
  id: z.string(),
  spec: ZSliceSpecFields,
  effectiveQos: ZQos.nullable(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  members: z.array(ZMember),
  links: z.array(ZLink),
  convergence: ZConvergence,
});
export const ZSliceLinks = z.object({ items: z.array(ZLink) });
export const ZDeletedSlice = z.object({ ok: z.literal(true), revisions: z.record(z.string(), z.number()), rollout: ZRolloutSummary });
export const ZSuggestedSubnet = z.object({ subnet: z.string() });
/** What saving a spec would do (server/slices/plan-slice.ts), or its problems by field. */
export const ZSlicePreview = z.object({
  members: z.array(
    z.object({ clusterId: z.string(), clusterName: z.string(), index: z.number(), subnet: z.string(), availability: z.string(), siteType: z.string() }),
  ),
  links: z.array(
    z.object({
      id: z.string(),
      serverClusterId: z.string(),
      clientClusterId: z.string(),
      serverEndpoint: z.string(),
      tunnelIndex: z.number(),
      serverTunnelIp: z.string(),
      clientTunnelIp: z.string(),
    }),
  ),
  warnings: z.array(z.string()),
  qosProfileId: z.string().nullable(),
  qos: ZQos.nullable(),
  fieldErrors: z.record(z.string(), z.array(z.string())),
});
export const ZImportResult = z.object({
  slices: z.array(z.object({ id: z.string(), name: z.string() })),
  qosProfiles: z.array(z.object({ id: z.string(), name: z.string(), created: z.boolean() })),
  ignoredFields: z.array(z.string()),
  warnings: z.array(z.string()),
});
export const ZSliceExport = z.object({
  name: z.string(),
  yaml: z.string().describe("KubeSlice YAML: SliceQoSConfig (when on a tenant profile), SliceConfig, ServiceExportConfigs"),
});
