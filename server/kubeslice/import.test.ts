import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { importSliceConfigs } from "./import";

const UPSTREAM = path.resolve(import.meta.dirname, "../../schemas/upstream/kubeslice");
const upstream = (file: string) => readFileSync(path.join(UPSTREAM, file), "utf8");
const RED = upstream("controller_v1alpha1_sliceconfig.yaml");
const join = (...docs: string[]) => docs.join("\n---\n");

const slice = (spec: string, meta = "") => `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: s1${meta}
spec:
  sliceSubnet: 10.5.0.0/16
  clusters: [c1, c2]
${spec}`;

describe("field mapping", () => {
  test("gateway service types apply in order, as KubeSlice applies them", () => {
    const r = importSliceConfigs(
      slice(`  sliceGatewayProvider:
    sliceGatewayType: Wireguard
    sliceCaType: Local
    sliceGatewayServiceType:
      - { cluster: c2, type: LoadBalancer, protocol: UDP }
      - { cluster: "*", type: LoadBalancer, protocol: TCP }
      - { cluster: c1, type: NodePort, protocol: UDP }`),
    );
    expect(r.errors).toEqual([]);
    expect(r.slices[0].gatewayType).toBe("WIREGUARD");
    // c2's entry came before "*", which overwrote it.
    expect(r.slices[0].gatewayService).toEqual({ type: "LoadBalancer", protocol: "TCP", overrides: { c1: { type: "NodePort", protocol: "UDP" } } });
  });

  test("sliceCaType Local is what Isthmus does and passes silently; another CA type is listed as ignored", () => {
    expect(importSliceConfigs(slice("  sliceGatewayProvider: { sliceGatewayType: OpenVPN, sliceCaType: Local }")).ignoredFields).toEqual([]);
    expect(importSliceConfigs(slice("  sliceGatewayProvider: { sliceGatewayType: OpenVPN, sliceCaType: Vault }")).ignoredFields).toEqual([
      "s1: spec.sliceGatewayProvider.sliceCaType",
    ]);
  });

  test("an unknown gateway type is an error at its path", () => {
    const r = importSliceConfigs(slice("  sliceGatewayProvider: { sliceGatewayType: IPsec, sliceCaType: Local }"));
    expect(r.slices).toEqual([]);
    expect(r.errors).toEqual([
      {
        document: "s1",
        path: "spec.sliceGatewayProvider.sliceGatewayType",
        message: "spec.sliceGatewayProvider.sliceGatewayType must be OpenVPN or Wireguard, got IPsec",
      },
    ]);
  });

  test("a SliceQoSConfig becomes a QoS profile, and standardQosProfileName makes the slice use it", () => {
    const qos = upstream("controller_v1alpha1_sliceqosconfig.yaml");
    const r = importSliceConfigs(join(slice("  standardQosProfileName: profile1"), qos));
    expect(r.errors).toEqual([]);
    expect(r.qosProfiles).toEqual([
      { document: "profile1", name: "profile1", values: { priority: 1, bandwidthCeilingKbps: 5120, bandwidthGuaranteedKbps: 2562, dscpClass: "AF11" } },
    ]);
    expect(r.slices[0]!.qosProfile).toBe("profile1");
    expect(r.slices[0]!.qos).toBeUndefined();
    expect(r.ignoredFields).toEqual([]);

    // A profile on its own is imported too.
    const alone = importSliceConfigs(qos);
    expect([alone.slices, alone.qosProfiles.map((p) => p.name), alone.errors]).toEqual([[], ["profile1"], []]);
  });

  test("standardQosProfileName may name an existing tenant profile; any other name is an error", () => {
    const known = importSliceConfigs(slice("  standardQosProfileName: gold"), { knownQosProfiles: ["gold"] });
    expect(known.errors).toEqual([]);
    expect(known.slices[0]!.qosProfile).toBe("gold");
    expect(known.qosProfiles).toEqual([]);

    const missing = importSliceConfigs(slice("  standardQosProfileName: gold"), { knownQosProfiles: ["silver"] });
    expect(missing.errors).toEqual([
      {
        document: "s1",
        path: "spec.standardQosProfileName",
        message: "spec.standardQosProfileName refers to SliceQoSConfig gold, which is neither in this import nor a QoS profile of this tenant",
      },
    ]);
    expect(missing.slices).toEqual([]);
    const both = importSliceConfigs(
      join(
        slice(`  standardQosProfileName: profile1
  qosProfileDetails: { queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 1, bandwidthCeilingKbps: 1, bandwidthGuaranteedKbps: 1, dscpClass: EF }`),
        upstream("controller_v1alpha1_sliceqosconfig.yaml"),
      ),
    );
    expect(both.errors.map((e) => e.message)).toEqual(["set either spec.qosProfileDetails or spec.standardQosProfileName, not both"]);
  });

  test("a bad SliceQoSConfig is reported on its own document, by KubeSlice path", () => {
    const qos = (name: string, spec: string) => `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceQoSConfig
metadata:
  name: ${name}
spec: ${spec}`;
    const r = importSliceConfigs(
      join(
        slice("  standardQosProfileName: loud"),
        qos("loud", "{ queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 9, bandwidthCeilingKbps: 100, bandwidthGuaranteedKbps: 200, dscpClass: EF }"),
        qos("Gold.Tier", "{ queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 1, bandwidthCeilingKbps: 100, bandwidthGuaranteedKbps: 50, dscpClass: EF }"),
        qos("twice", "{ queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 1, bandwidthCeilingKbps: 100, bandwidthGuaranteedKbps: 50, dscpClass: EF }"),
        qos("twice", "{ queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 2, bandwidthCeilingKbps: 100, bandwidthGuaranteedKbps: 50, dscpClass: EF }"),
      ),
    );
    expect(r.errors.map((e) => `${e.document}: ${e.path}: ${e.message}`)).toEqual([
      "loud: spec.priority: spec.priority must be at most 7",
      "loud: spec.bandwidthGuaranteedKbps: spec.bandwidthGuaranteedKbps must not exceed spec.bandwidthCeilingKbps",
      "Gold.Tier: metadata.name: metadata.name must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
      "twice: metadata.name: another SliceQoSConfig in this import is also named twice",
    ]);
    expect(r.qosProfiles.map((p) => p.name)).toEqual(["twice"]);
  });

  test("QoS other than HTB bandwidth control is refused", () => {
    const r = importSliceConfigs(
      slice("  qosProfileDetails: { queueType: FQ, tcType: SHAPING, priority: 1, bandwidthCeilingKbps: 10, bandwidthGuaranteedKbps: 5, dscpClass: EF }"),
    );
    expect(r.errors.map((e) => e.path)).toEqual(["spec.qosProfileDetails.queueType", "spec.qosProfileDetails.tcType"]);
    expect(r.slices).toEqual([]);
  });

  test("validation errors point at the KubeSlice field the user wrote", () => {
    const r = importSliceConfigs(
      slice(`  qosProfileDetails: { queueType: HTB, tcType: BANDWIDTH_CONTROL, priority: 1, bandwidthCeilingKbps: 10, bandwidthGuaranteedKbps: 50, dscpClass: EF }
  namespaceIsolationProfile:
    isolationEnabled: "yes"
    applicationNamespaces:
      - { namespace: shop, clusters: [c9] }`).replace("10.5.0.0/16", "8.8.0.0/16"),
    );
    expect(r.slices).toEqual([]);
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "spec.sliceSubnet: subnet must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
      "spec.qosProfileDetails.bandwidthGuaranteedKbps: qos.bandwidthGuaranteedKbps must not exceed qos.bandwidthCeilingKbps",
      "spec.namespaceIsolationProfile.isolationEnabled: namespaceIsolation.enabled must be true or false",
    ]);
    const refs = importSliceConfigs(
      slice(`  namespaceIsolationProfile:
    applicationNamespaces:
      - { namespace: shop, clusters: [c9] }`).replace("[c1, c2]", "[c1, c1]"),
    );
    expect(refs.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "spec.clusters[1]: members lists cluster c1 more than once",
      "spec.namespaceIsolationProfile.applicationNamespaces[0].clusters[0]: namespaceIsolation.applicationNamespaces.clusters names cluster c9, which is not a member of the slice",
    ]);
  });

  test("isthmus annotations are read; other metadata is reported, server-written metadata skipped", () => {
    const r = importSliceConfigs(
      slice(
        "",
        `
  namespace: kubeslice-acme
  uid: 1234
  resourceVersion: "99"
  labels: { team: payments }
  annotations:
    isthmus.io/description: from KubeSlice
    isthmus.io/topology: '{"kind":"CUSTOM","pairs":[["c1","c2"]]}'
    owner: alice`,
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.slices[0]).toMatchObject({ description: "from KubeSlice", topology: { kind: "CUSTOM", pairs: [["c1", "c2"]] } });
    expect(r.ignoredFields).toEqual(["s1: metadata.namespace", "s1: metadata.labels", "s1: metadata.annotations.owner"]);
  });

  test("a topologyConfig (not in the upstream CRD) is reported and the slice stays a full mesh", () => {
    const r = importSliceConfigs(slice("  topologyConfig: { topologyType: hub-spoke, hubCluster: c1 }"));
    expect(r.slices[0].topology).toEqual({ kind: "FULL_MESH" });
    expect(r.ignoredFields).toEqual(["s1: spec.topologyConfig"]);
    expect(r.warnings).toEqual(["s1: spec.topologyConfig is not part of the upstream SliceConfig CRD; the slice is imported as a full mesh"]);
  });
});

describe("service exports", () => {
  const sec = (sliceName: string, cluster: string) => `apiVersion: controller.kubeslice.io/v1alpha1
kind: ServiceExportConfig
metadata:
  name: db-${cluster}
spec:
  serviceName: db
  serviceNamespace: shop
  sourceCluster: ${cluster}
  sliceName: ${sliceName}
  serviceDiscoveryPorts:
    - { name: pg, protocol: tcp, port: 5432 }
  serviceDiscoveryEndpoints:
    - { port: 5432, podName: db-0, nsmIp: 10.5.0.7, dnsName: db.s1.slice.local, cluster: ${cluster} }`;

  test("ServiceExportConfigs become the slice's serviceExports", () => {
    const r = importSliceConfigs(join(slice(""), sec("s1", "c2")));
    expect(r.errors).toEqual([]);
    expect(r.slices[0].serviceExports).toEqual([{ name: "db", namespace: "shop", sourceCluster: "c2", ports: [{ name: "pg", port: 5432, protocol: "TCP" }] }]);
    expect(r.ignoredFields).toEqual(["db-c2: spec.serviceDiscoveryEndpoints"]);
  });

  test("a bad export is reported on its own document and the slice still imports", () => {
    // The upstream sample exports from cluster-1, which is not a member of the red sample.
    const r = importSliceConfigs(join(RED, upstream("controller_v1alpha1_serviceexportconfig.yaml")));
    expect(r.errors).toEqual([
      {
        document: "mysql-alpha-red-cluster-1",
        path: "spec.sourceCluster",
        message: "serviceExports.sourceCluster names cluster cluster-1, which is not a member of the slice",
      },
    ]);
    expect(r.slices.map((s) => [s.name, s.serviceExports])).toEqual([["red", []]]);
  });

  test("an export for a slice that is not in the import is an error", () => {
    const r = importSliceConfigs(join(slice(""), sec("other", "c1")));
    expect(r.errors).toEqual([{ document: "db-c1", path: "spec.sliceName", message: "spec.sliceName refers to slice other, which is not in this import" }]);
    expect(r.slices).toHaveLength(1);
  });
});

describe("documents that are not SliceConfigs", () => {
  test("other kinds and other versions are errors that say so; empty documents are skipped", () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: {}";
    const old = slice("").replace("v1alpha1", "v1beta1").replace("name: s1", "name: s2");
    const r = importSliceConfigs(["", deployment, old, slice(""), ""].join("\n---\n"));
    expect(r.errors).toEqual([
      { document: "web", path: "kind", message: "apps/v1 Deployment is not a KubeSlice SliceConfig; the document was skipped" },
      {
        document: "s2",
        path: "apiVersion",
        message: "SliceConfig must be controller.kubeslice.io/v1alpha1, got controller.kubeslice.io/v1beta1; the document was skipped",
      },
    ]);
    expect(r.slices.map((s) => s.name)).toEqual(["s1"]);
  });

  test("broken YAML, scalars and duplicate names are reported per document", () => {
    const r = importSliceConfigs(join("just text", "a: [unclosed", slice(""), slice("")));
    expect(r.errors).toEqual([
      { document: "document 1", path: "", message: "a document must be a Kubernetes object (a mapping)" },
      { document: "document 2", path: "", message: expect.stringMatching(/^not valid YAML: /) },
      { document: "s1", path: "metadata.name", message: "another SliceConfig in this import is also named s1" },
    ]);
    expect(r.slices).toHaveLength(1);
  });

  test("an empty text imports nothing", () => {
    expect(importSliceConfigs("")).toEqual({ slices: [], qosProfiles: [], ignoredFields: [], warnings: [], errors: [] });
  });
});
