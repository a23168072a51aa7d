import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { AppError } from "../platform/errors";
import { exportSliceConfig } from "./emit";
import { importSliceConfigs } from "./import";
import { ZSliceSpec, type SliceSpecInput } from "../slices/schema";

const UPSTREAM = path.resolve(import.meta.dirname, "../../schemas/upstream/kubeslice");
const upstream = (file: string) => readFileSync(path.join(UPSTREAM, file), "utf8");
const RED = upstream("controller_v1alpha1_sliceconfig.yaml");
const BLUE = upstream("controller_v1alpha1_sliceconfig_blue.yaml");
const join = (...docs: string[]) => docs.join("\n---\n");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Like the API server with strict field validation: declared objects reject unknown fields. */
function strict(node: Json): Json {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = strict(v);
  if (node.type === "object" && node.properties && !("additionalProperties" in node)) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const crdValidators = new Map<string, ValidateFunction>();
for (const file of [
  "controller.kubeslice.io_sliceconfigs.yaml",
  "controller.kubeslice.io_serviceexportconfigs.yaml",
  "controller.kubeslice.io_sliceqosconfigs.yaml",
]) {
  const crd = parse(upstream(file));
  crdValidators.set(crd.spec.names.kind, ajv.compile(strict(crd.spec.versions[0].schema.openAPIV3Schema) as object));
}

function expectValidAgainstCrds(yamlText: string): Record<string, unknown>[] {
  const docs = parseAllDocuments(yamlText).map((d) => d.toJS() as Record<string, unknown>);
  for (const doc of docs) {
    const validate = crdValidators.get(String(doc.kind))!;
    expect(validate, String(doc.kind)).toBeDefined();
    validate(doc);
    expect(validate.errors ?? [], `${String(doc.kind)} ${JSON.stringify(doc)}`).toEqual([]);
  }
  return docs;
}

test("the CRD check used below is real: it refuses what the API server would", () => {
  const validate = crdValidators.get("SliceConfig")!;
  const ok = { apiVersion: "controller.kubeslice.io/v1alpha1", kind: "SliceConfig", metadata: { name: "x" }, spec: { maxClusters: 4 } };
  expect(validate(ok)).toBe(true);
  expect(validate({ ...ok, spec: { maxClusters: 33 } })).toBe(false);
  expect(validate({ ...ok, spec: { maxClusters: 4, sliceGatewayProvider: { sliceGatewayType: "OpenVPN" } } })).toBe(false); // sliceCaType required
  expect(validate({ ...ok, spec: { maxClusters: 4, topology: "FULL_MESH" } })).toBe(false);
  expect(validate({ ...ok, spec: {} })).toBe(false); // maxClusters required
  const qos = crdValidators.get("SliceQoSConfig")!;
  const profile = { queueType: "HTB", priority: 1, tcType: "BANDWIDTH_CONTROL", bandwidthCeilingKbps: 10, bandwidthGuaranteedKbps: 5, dscpClass: "EF" };
  expect(qos({ apiVersion: ok.apiVersion, kind: "SliceQoSConfig", metadata: { name: "q" }, spec: profile })).toBe(true);
  expect(qos({ apiVersion: ok.apiVersion, kind: "SliceQoSConfig", metadata: { name: "q" }, spec: { ...profile, dscpClass: "AF44" } })).toBe(false);
  expect(qos({ apiVersion: ok.apiVersion, kind: "SliceQoSConfig", metadata: { name: "q" }, spec: { ...profile, profile: "HTB" } })).toBe(false);
});

describe("importing the upstream samples", () => {
  test("blue maps every supported field", () => {
    const r = importSliceConfigs(BLUE);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.slices).toEqual([
      {
        name: "blue",
        subnet: "10.2.0.0/16",
        maxClusters: 16,
        gatewayType: "OPENVPN",
        gatewayService: { type: "NodePort", protocol: "UDP", overrides: {} },
        topology: { kind: "FULL_MESH" },
        qos: { profile: "HTB", priority: 1, bandwidthCeilingKbps: 5120, bandwidthGuaranteedKbps: 2560, dscpClass: "AF11" },
        namespaceIsolation: { enabled: false, applicationNamespaces: [], allowedNamespaces: [] },
        serviceExports: [],
        members: ["cluster-1", "cluster-2", "cluster-3"],
      },
    ]);
    expect(r.ignoredFields).toEqual(["blue: spec.sliceType", "blue: spec.sliceIpamType", "blue: spec.externalGatewayConfig"]);
  });

  test("red (no-network, no subnet) gets a free subnet and says so", () => {
    const r = importSliceConfigs(join(RED, BLUE));
    expect(r.errors).toEqual([]);
    const red = r.slices.find((s) => s.name === "red")!;
    expect(red).toMatchObject({
      subnet: "10.0.0.0/16",
      maxClusters: 14,
      members: ["worker-1", "worker-2"],
      namespaceIsolation: {
        enabled: false,
        applicationNamespaces: [
          { namespace: "test-01", clusters: ["worker-1"] },
          { namespace: "test-02", clusters: ["worker-1"] },
          { namespace: "test-04", clusters: ["worker-2"] },
        ],
        allowedNamespaces: [],
      },
    });
    expect(r.ignoredFields).toEqual(expect.arrayContaining(["red: spec.sliceType", "red: spec.overlayNetworkDeploymentMode"]));
    expect(r.warnings).toEqual([
      "red: overlayNetworkDeploymentMode no-network is not supported: Isthmus always builds the overlay, so this slice gets a subnet and gateways",
      "red: spec.sliceSubnet is missing; assigned 10.0.0.0/16, the first private /16 not used by another slice",
    ]);
  });

  test("the assigned subnet avoids the caller's subnets and the other slices in the import", () => {
    const r = importSliceConfigs(join(RED, BLUE.replace("10.2.0.0/16", "10.1.0.0/16")), { takenSubnets: ["10.0.0.0/16"] });
    expect(r.slices.find((s) => s.name === "red")!.subnet).toBe("10.2.0.0/16");
  });

  test("round trip: import both, export (valid against the upstream CRD), re-import → the same specs", () => {
    const first = importSliceConfigs(join(RED, BLUE));
    expect(first.slices).toHaveLength(2);
    const exported = first.slices.map((s) => exportSliceConfig(s));
    for (const text of exported) expectValidAgainstCrds(text);
    const again = importSliceConfigs(exported.join("---\n"));
    expect(again.errors).toEqual([]);
    expect(again.warnings).toEqual([]);
    expect(again.slices).toEqual(first.slices);
    // Nothing Isthmus wrote itself is reported back (the CA type "Local" is what it does anyway).
    expect(again.ignoredFields).toEqual([]);
  });
});

describe("exportSliceConfig", () => {
  const rich: SliceSpecInput = {
    name: "payments",
    description: "Card payments: edge shops to the ledger",
    subnet: "172.20.0.0/16",
    maxClusters: 8,
    gatewayType: "WIREGUARD",
    gatewayService: {
      type: "LoadBalancer",
      protocol: "TCP",
      overrides: { "edge-1": { type: "NodePort", protocol: "UDP" }, "cloud-1": { type: "LoadBalancer", protocol: "TCP" } },
    },
    topology: { kind: "HUB_SPOKE", hubs: ["cloud-1"] },
    qos: { priority: 2, bandwidthCeilingKbps: 10000, bandwidthGuaranteedKbps: 0, dscpClass: "EF" },
    namespaceIsolation: {
      enabled: true,
      applicationNamespaces: [{ namespace: "shop", clusters: ["*"] }],
      allowedNamespaces: [{ namespace: "monitoring", clusters: ["cloud-1", "edge-1"] }],
    },
    serviceExports: [
      {
        name: "ledger",
        namespace: "shop",
        sourceCluster: "cloud-1",
        ports: [
          { name: "grpc", port: 9090, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
        aliases: ["ledger.payments.example"],
      },
      { name: "cache", namespace: "shop", sourceCluster: "edge-1", ports: [{ port: 6379 }] },
    ],
    members: ["edge-1", "cloud-1", "edge-2"],
  };

  test("writes a SliceConfig and one ServiceExportConfig per export, all valid against the CRDs", () => {
    const docs = expectValidAgainstCrds(exportSliceConfig(ZSliceSpec.parse(rich)));
    expect(docs.map((d) => d.kind)).toEqual(["SliceConfig", "ServiceExportConfig", "ServiceExportConfig"]);
    expect(docs[0]).toEqual({
      apiVersion: "controller.kubeslice.io/v1alpha1",
      kind: "SliceConfig",
      metadata: {
        name: "payments",
        annotations: {
          "isthmus.io/description": "Card payments: edge shops to the ledger",
          "isthmus.io/topology": '{"kind":"HUB_SPOKE","hubs":["cloud-1"]}',
        },
      },
      spec: {
        sliceSubnet: "172.20.0.0/16",
        maxClusters: 8,
        sliceGatewayProvider: {
          sliceGatewayType: "Wireguard",
          sliceCaType: "Local",
          sliceGatewayServiceType: [
            { cluster: "*", type: "LoadBalancer", protocol: "TCP" },
            { cluster: "cloud-1", type: "LoadBalancer", protocol: "TCP" },
            { cluster: "edge-1", type: "NodePort", protocol: "UDP" },
          ],
        },
        clusters: ["edge-1", "cloud-1", "edge-2"],
        qosProfileDetails: {
          queueType: "HTB",
          priority: 2,
          tcType: "BANDWIDTH_CONTROL",
          bandwidthCeilingKbps: 10000,
          bandwidthGuaranteedKbps: 0,
          dscpClass: "EF",
        },
        namespaceIsolationProfile: {
          isolationEnabled: true,
          applicationNamespaces: [{ namespace: "shop", clusters: ["*"] }],
          allowedNamespaces: [{ namespace: "monitoring", clusters: ["cloud-1", "edge-1"] }],
        },
      },
    });
    expect(docs[1]).toEqual({
      apiVersion: "controller.kubeslice.io/v1alpha1",
      kind: "ServiceExportConfig",
      metadata: { name: "ledger-shop-payments-cloud-1" },
      spec: {
        serviceName: "ledger",
        serviceNamespace: "shop",
        sourceCluster: "cloud-1",
        sliceName: "payments",
        serviceDiscoveryPorts: [
          { name: "grpc", port: 9090, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
        aliases: ["ledger.payments.example"],
      },
    });
  });

  test("everything round-trips, topology and description included", () => {
    const spec = ZSliceSpec.parse(rich);
    const r = importSliceConfigs(exportSliceConfig(spec));
    expect(r.errors).toEqual([]);
    expect(r.slices).toEqual([spec]);
  });

  test("a slice on a tenant profile exports standardQosProfileName and the SliceQoSConfig, valid against the CRDs, and round-trips", () => {
    const { qos: _inline, ...rest } = rich;
    const spec = ZSliceSpec.parse({ ...rest, qosProfile: "gold" });
    const gold = { priority: 0, bandwidthCeilingKbps: 100000, bandwidthGuaranteedKbps: 40000, dscpClass: "EF" as const };
    const docs = expectValidAgainstCrds(exportSliceConfig(spec, { name: "gold", values: gold }));
    expect(docs.map((d) => d.kind)).toEqual(["SliceQoSConfig", "SliceConfig", "ServiceExportConfig", "ServiceExportConfig"]);
    expect(docs[0]).toEqual({
      apiVersion: "controller.kubeslice.io/v1alpha1",
      kind: "SliceQoSConfig",
      metadata: { name: "gold" },
      spec: { queueType: "HTB", priority: 0, tcType: "BANDWIDTH_CONTROL", bandwidthCeilingKbps: 100000, bandwidthGuaranteedKbps: 40000, dscpClass: "EF" },
    });
    expect(docs[1]!.spec).toMatchObject({ standardQosProfileName: "gold" });
    expect(docs[1]!.spec).not.toHaveProperty("qosProfileDetails");

    const r = importSliceConfigs(exportSliceConfig(spec, { name: "gold", values: gold }));
    expect(r.errors).toEqual([]);
    expect(r.slices).toEqual([spec]);
    expect(r.qosProfiles).toEqual([{ document: "gold", name: "gold", values: gold }]);
    // The values are needed: a slice on a profile cannot be exported without them.
    expect(() => exportSliceConfig(spec)).toThrow(/QoS profile gold/);
  });

  test("a slice over KubeSlice's 32-cluster limit is refused, naming maxClusters", () => {
    const spec = ZSliceSpec.parse({ name: "wide", subnet: "10.0.0.0/16", maxClusters: 33 });
    let err: unknown;
    try {
      exportSliceConfig(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/^maxClusters: KubeSlice allows at most 32 clusters per slice; this slice allows 33/);
    expect((err as AppError).details?.fieldErrors?.maxClusters).toHaveLength(1);
    expect(() => exportSliceConfig({ ...spec, maxClusters: 32 })).not.toThrow();
  });
});
