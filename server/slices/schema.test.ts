import { describe, expect, test } from "vitest";
import { IMMUTABLE_FIELDS, ZSliceSpec, changedImmutableFields, type SliceSpecInput } from "./schema";

const base: SliceSpecInput = { name: "payments", subnet: "10.10.0.0/16", members: ["edge-1", "cloud-1", "onprem-1"] };

function issues(input: unknown): { path: string; message: string }[] {
  const r = ZSliceSpec.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

function messagesAt(input: unknown, path: string): string[] {
  return issues(input)
    .filter((i) => i.path === path)
    .map((i) => i.message);
}

describe("ZSliceSpec defaults", () => {
  test("a minimal spec gets KubeSlice-like defaults", () => {
    expect(ZSliceSpec.parse({ name: "a", subnet: "192.168.0.0/16" })).toEqual({
      name: "a",
      subnet: "192.168.0.0/16",
      maxClusters: 16,
      gatewayType: "OPENVPN",
      gatewayService: { type: "NodePort", protocol: "UDP", overrides: {} },
      topology: { kind: "FULL_MESH" },
      namespaceIsolation: { enabled: false, applicationNamespaces: [], allowedNamespaces: [] },
      serviceExports: [],
      members: [],
    });
  });

  test("a full spec parses unchanged", () => {
    const full = {
      ...base,
      description: "card payments across sites",
      maxClusters: 8,
      gatewayType: "WIREGUARD",
      gatewayService: { type: "LoadBalancer", protocol: "TCP", overrides: { "edge-1": { type: "NodePort", protocol: "UDP" } } },
      topology: { kind: "HUB_SPOKE", hubs: ["cloud-1"] },
      qos: { profile: "HTB", priority: 3, bandwidthCeilingKbps: 20480, bandwidthGuaranteedKbps: 10240, dscpClass: "EF" },
      namespaceIsolation: {
        enabled: true,
        applicationNamespaces: [{ namespace: "pay", clusters: ["*"] }],
        allowedNamespaces: [{ namespace: "monitoring", clusters: ["cloud-1", "edge-1"] }],
      },
      serviceExports: [
        {
          name: "ledger",
          namespace: "pay",
          sourceCluster: "onprem-1",
          ports: [{ name: "grpc", port: 9090, protocol: "TCP" }],
          aliases: ["ledger.example.com"],
        },
      ],
    };
    expect(ZSliceSpec.parse(full)).toEqual(full);
  });
});

describe("field rules", () => {
  test("name is a DNS-1123 label of at most 63 characters", () => {
    expect(messagesAt({ ...base, name: "Payments" }, "name")[0]).toMatch(/^name must be a DNS-1123 label/);
    expect(messagesAt({ ...base, name: "-pay" }, "name")[0]).toMatch(/^name must be a DNS-1123 label/);
    expect(messagesAt({ ...base, name: "a".repeat(64) }, "name")).toContain("name must be at most 63 characters");
    expect(messagesAt({ ...base, name: "" }, "name")).toContain("name must not be empty");
    expect(messagesAt({ subnet: "10.0.0.0/16" }, "name")).toEqual(["name is required"]);
    expect(issues({ ...base, name: "a".repeat(63) })).toEqual([]);
  });

  test("description is at most 500 characters", () => {
    expect(messagesAt({ ...base, description: "x".repeat(501) }, "description")).toEqual(["description must be at most 500 characters"]);
    expect(issues({ ...base, description: "x".repeat(500) })).toEqual([]);
  });

  test.each([
    ["10.10.0.0", 'subnet must be an IPv4 CIDR such as 10.10.0.0/16, got "10.10.0.0"'],
    ["fd00::/64", 'subnet must be an IPv4 CIDR such as 10.10.0.0/16, got "fd00::/64"'],
    ["10.10.3.0/16", "subnet must be written with its network address: 10.10.0.0/16, not 10.10.3.0/16"],
    ["10.10.0.0/23", "subnet prefix must be between /8 and /22, got /23"],
    ["10.0.0.0/7", "subnet prefix must be between /8 and /22, got /7"],
    ["100.64.0.0/16", "subnet must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"],
    ["172.32.0.0/16", "subnet must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"],
  ])("subnet %s is refused", (subnet, message) => {
    expect(messagesAt({ ...base, subnet }, "subnet")).toEqual([message]);
  });

  test("subnet must hold maxClusters shares plus the tunnel block", () => {
    const [message] = messagesAt({ ...base, subnet: "10.10.0.0/22", maxClusters: 64 }, "subnet");
    expect(message).toContain("subnet 10.10.0.0/22 is too small for maxClusters 64");
    expect(message).toContain("use a /19 or larger");
    expect(issues({ ...base, subnet: "10.10.0.0/22", maxClusters: 16 })).toEqual([]);
  });

  test("maxClusters is an integer between 2 and 64", () => {
    expect(messagesAt({ ...base, maxClusters: 1 }, "maxClusters")).toEqual(["maxClusters must be at least 2"]);
    expect(messagesAt({ ...base, maxClusters: 65 }, "maxClusters")).toEqual(["maxClusters must be at most 64"]);
    expect(messagesAt({ ...base, maxClusters: 2.5 }, "maxClusters")).toEqual(["maxClusters must be an integer"]);
    expect(messagesAt({ ...base, maxClusters: "8" }, "maxClusters")).toEqual(["maxClusters must be an integer"]);
  });

  test("gateway type and service", () => {
    expect(messagesAt({ ...base, gatewayType: "IPSEC" }, "gatewayType")).toEqual(["gatewayType must be OPENVPN or WIREGUARD"]);
    expect(messagesAt({ ...base, gatewayService: { type: "ClusterIP" } }, "gatewayService.type")).toEqual([
      "gatewayService.type must be NodePort or LoadBalancer",
    ]);
    expect(messagesAt({ ...base, gatewayService: { protocol: "SCTP" } }, "gatewayService.protocol")).toEqual(["gatewayService.protocol must be UDP or TCP"]);
    expect(ZSliceSpec.parse({ ...base, gatewayService: { type: "LoadBalancer" } }).gatewayService).toEqual({
      type: "LoadBalancer",
      protocol: "UDP",
      overrides: {},
    });
    const withOverride = ZSliceSpec.parse({ ...base, gatewayService: { overrides: { "edge-1": { type: "LoadBalancer" } } } });
    expect(withOverride.gatewayService.overrides).toEqual({ "edge-1": { type: "LoadBalancer", protocol: "UDP" } });
    expect(messagesAt({ ...base, gatewayService: { overrides: { "Edge 1": {} } } }, "gatewayService.overrides.Edge 1")).toEqual([
      "gatewayService.overrides keys must be cluster names (DNS-1123 labels)",
    ]);
    expect(messagesAt({ ...base, gatewayService: { overrides: { stranger: {} } } }, "gatewayService.overrides.stranger")).toEqual([
      "gatewayService.overrides names cluster stranger, which is not a member of the slice",
    ]);
  });

  test("qos: priority 0–7, DSCP classes, guaranteed bandwidth within the ceiling", () => {
    const qos = { priority: 1, bandwidthCeilingKbps: 5120, bandwidthGuaranteedKbps: 2560, dscpClass: "AF11" };
    expect(ZSliceSpec.parse({ ...base, qos }).qos).toEqual({ profile: "HTB", ...qos });
    expect(messagesAt({ ...base, qos: { ...qos, bandwidthGuaranteedKbps: 6000 } }, "qos.bandwidthGuaranteedKbps")).toEqual([
      "qos.bandwidthGuaranteedKbps must not exceed qos.bandwidthCeilingKbps",
    ]);
    expect(issues({ ...base, qos: { ...qos, bandwidthGuaranteedKbps: 5120 } })).toEqual([]);
    expect(messagesAt({ ...base, qos: { ...qos, priority: 8 } }, "qos.priority")).toEqual(["qos.priority must be at most 7"]);
    expect(messagesAt({ ...base, qos: { ...qos, priority: -1 } }, "qos.priority")).toEqual(["qos.priority must be at least 0"]);
    expect(messagesAt({ ...base, qos: { ...qos, dscpClass: "AF44" } }, "qos.dscpClass")[0]).toMatch(/^qos\.dscpClass must be one of Default, AF11,.*, EF$/);
    expect(messagesAt({ ...base, qos: { ...qos, profile: "FQ" } }, "qos.profile")).toEqual(["qos.profile must be HTB"]);
    expect(messagesAt({ ...base, qos: { priority: 1 } }, "qos.dscpClass")).toEqual(["qos.dscpClass is required"]);
    expect(messagesAt({ ...base, qos: { priority: 1 } }, "qos.bandwidthCeilingKbps")).toEqual(["qos.bandwidthCeilingKbps is required"]);
    for (const dscpClass of ["Default", "AF11", "AF12", "AF13", "AF21", "AF22", "AF23", "AF31", "AF32", "AF33", "AF41", "AF42", "AF43", "EF"]) {
      expect(issues({ ...base, qos: { ...qos, dscpClass } })).toEqual([]);
    }
  });

  test("qos bandwidths fit the 32-bit columns profiles are stored in", () => {
    const qos = { priority: 1, bandwidthCeilingKbps: 2_147_483_647, bandwidthGuaranteedKbps: 0, dscpClass: "EF" };
    expect(issues({ ...base, qos })).toEqual([]);
    expect(messagesAt({ ...base, qos: { ...qos, bandwidthCeilingKbps: 2_147_483_648 } }, "qos.bandwidthCeilingKbps")).toEqual([
      "qos.bandwidthCeilingKbps must be at most 2147483647",
    ]);
  });

  test("qosProfile names a tenant profile instead of inline qos; both at once are refused, naming both", () => {
    const qos = { priority: 1, bandwidthCeilingKbps: 5120, bandwidthGuaranteedKbps: 2560, dscpClass: "AF11" };
    expect(ZSliceSpec.parse({ ...base, qosProfile: "gold" }).qosProfile).toBe("gold");
    expect(messagesAt({ ...base, qosProfile: "Gold!" }, "qosProfile")[0]).toMatch(/^qosProfile must be a DNS-1123 label/);
    expect(messagesAt({ ...base, qosProfile: "gold", qos }, "qosProfile")).toEqual([
      "qos and qosProfile are alternatives: give inline qos values or the name of a tenant QoS profile, not both",
    ]);
    // null is "not set" (how a PATCH clears either one).
    expect(issues({ ...base, qosProfile: null, qos })).toEqual([]);
    expect(issues({ ...base, qosProfile: "gold", qos: null })).toEqual([]);
  });
});

describe("topology", () => {
  test("hub-spoke needs at least one hub, each a member, listed once", () => {
    expect(messagesAt({ ...base, topology: { kind: "HUB_SPOKE", hubs: [] } }, "topology.hubs")).toEqual(["topology.hubs must name at least one hub cluster"]);
    expect(messagesAt({ ...base, topology: { kind: "HUB_SPOKE", hubs: ["hq"] } }, "topology.hubs.0")).toEqual([
      "topology.hubs names cluster hq, which is not a member of the slice",
    ]);
    expect(messagesAt({ ...base, topology: { kind: "HUB_SPOKE", hubs: ["edge-1", "edge-1"] } }, "topology.hubs.1")).toEqual([
      "topology.hubs lists edge-1 more than once",
    ]);
  });

  test("custom pairs name members, never a cluster with itself, never twice", () => {
    const t = (pairs: [string, string][]) => ({ ...base, topology: { kind: "CUSTOM", pairs } });
    expect(
      issues(
        t([
          ["edge-1", "cloud-1"],
          ["cloud-1", "onprem-1"],
        ]),
      ),
    ).toEqual([]);
    expect(messagesAt(t([["edge-1", "mars"]]), "topology.pairs.0.1")).toEqual(["topology.pairs names cluster mars, which is not a member of the slice"]);
    expect(messagesAt(t([["edge-1", "edge-1"]]), "topology.pairs.0")).toEqual(["topology.pairs links edge-1 to itself"]);
    expect(
      messagesAt(
        t([
          ["edge-1", "cloud-1"],
          ["cloud-1", "edge-1"],
        ]),
        "topology.pairs.1",
      ),
    ).toEqual(["topology.pairs lists cloud-1–edge-1 more than once"]);
  });

  test("an unknown kind is named", () => {
    expect(messagesAt({ ...base, topology: { kind: "RING" } }, "topology.kind")).toEqual(["topology.kind must be FULL_MESH, HUB_SPOKE or CUSTOM"]);
  });
});

describe("namespace isolation", () => {
  const iso = (applicationNamespaces: unknown, allowedNamespaces: unknown = []) => ({
    ...base,
    namespaceIsolation: { enabled: true, applicationNamespaces, allowedNamespaces },
  });

  test('"*" means every member and must stand alone', () => {
    expect(issues(iso([{ namespace: "shop", clusters: ["*"] }]))).toEqual([]);
    expect(messagesAt(iso([{ namespace: "shop", clusters: ["*", "edge-1"] }]), "namespaceIsolation.applicationNamespaces.0.clusters")).toEqual([
      'namespaceIsolation.applicationNamespaces.clusters: "*" means every member and must stand alone',
    ]);
    expect(messagesAt(iso([], [{ namespace: "mon", clusters: ["edge-1", "*"] }]), "namespaceIsolation.allowedNamespaces.0.clusters")).toEqual([
      'namespaceIsolation.allowedNamespaces.clusters: "*" means every member and must stand alone',
    ]);
  });

  test("clusters are members, at least one, and each namespace is listed once", () => {
    expect(messagesAt(iso([{ namespace: "shop", clusters: ["mars"] }]), "namespaceIsolation.applicationNamespaces.0.clusters.0")).toEqual([
      "namespaceIsolation.applicationNamespaces.clusters names cluster mars, which is not a member of the slice",
    ]);
    expect(messagesAt(iso([{ namespace: "shop", clusters: [] }]), "namespaceIsolation.applicationNamespaces.0.clusters")).toEqual([
      'namespaceIsolation.applicationNamespaces.clusters must name at least one cluster, or "*"',
    ]);
    const dup = iso([
      { namespace: "shop", clusters: ["edge-1"] },
      { namespace: "shop", clusters: ["cloud-1"] },
    ]);
    expect(messagesAt(dup, "namespaceIsolation.applicationNamespaces.1.namespace")).toEqual([
      "namespaceIsolation.applicationNamespaces lists namespace shop more than once",
    ]);
    expect(messagesAt(iso([{ namespace: "Shop", clusters: ["*"] }]), "namespaceIsolation.applicationNamespaces.0.namespace")[0]).toMatch(
      /^namespaceIsolation\.applicationNamespaces\.namespace must be a DNS-1123 label/,
    );
  });
});

describe("service exports", () => {
  const exp = (over: Record<string, unknown> = {}) => ({
    ...base,
    serviceExports: [{ name: "db", namespace: "shop", sourceCluster: "edge-1", ports: [{ port: 5432 }], ...over }],
  });

  test("ports default to TCP and are checked", () => {
    expect(ZSliceSpec.parse(exp()).serviceExports[0].ports).toEqual([{ port: 5432, protocol: "TCP" }]);
    expect(messagesAt(exp({ ports: [] }), "serviceExports.0.ports")).toEqual(["serviceExports.ports must list at least one port"]);
    expect(messagesAt(exp({ ports: [{ port: 70000 }] }), "serviceExports.0.ports.0.port")).toEqual(["serviceExports.ports.port must be at most 65535"]);
    expect(messagesAt(exp({ ports: [{ port: 53, protocol: "ICMP" }] }), "serviceExports.0.ports.0.protocol")).toEqual([
      "serviceExports.ports.protocol must be TCP, UDP or SCTP",
    ]);
    expect(messagesAt(exp({ ports: [{ port: 53 }, { port: 53, protocol: "TCP" }] }), "serviceExports.0.ports.1")).toEqual([
      "serviceExports.ports lists 53/TCP more than once",
    ]);
    expect(
      issues(
        exp({
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        }),
      ),
    ).toEqual([]);
  });

  test("the source is a member, aliases are DNS names, no export twice", () => {
    expect(messagesAt(exp({ sourceCluster: "mars" }), "serviceExports.0.sourceCluster")).toEqual([
      "serviceExports.sourceCluster names cluster mars, which is not a member of the slice",
    ]);
    expect(messagesAt(exp({ aliases: ["db.Example.com"] }), "serviceExports.0.aliases.0")).toEqual([
      "serviceExports.aliases entries must be DNS names (DNS-1123 subdomains)",
    ]);
    const one = { name: "db", namespace: "shop", sourceCluster: "edge-1", ports: [{ port: 5432 }] };
    expect(messagesAt({ ...base, serviceExports: [one, one] }, "serviceExports.1")).toEqual(["serviceExports lists shop/db from edge-1 more than once"]);
  });
});

describe("members", () => {
  test("no duplicates, no more than maxClusters", () => {
    expect(messagesAt({ ...base, members: ["a", "b", "a"] }, "members.2")).toEqual(["members lists cluster a more than once"]);
    expect(messagesAt({ ...base, maxClusters: 2 }, "members")).toEqual(["members lists 3 clusters but maxClusters is 2"]);
    expect(messagesAt({ ...base, members: ["UPPER"] }, "members.0")[0]).toMatch(/^members entry "UPPER" must be a DNS-1123 label/);
    expect(messagesAt({ ...base, members: "edge-1" }, "members")).toEqual(["members must be a list"]);
  });
});

test("a name that cannot be a cluster's is quoted exactly as given, wherever a spec names a cluster", () => {
  const bad = "Edge-West";
  const msg = (field: string) =>
    `${field} "${bad}" must be a DNS-1123 label, as cluster names are: lower-case letters, digits and '-', starting and ending with a letter or digit`;
  expect(messagesAt({ ...base, members: ["edge-1", bad] }, "members.1")).toContain(msg("members entry"));
  expect(messagesAt({ ...base, topology: { kind: "HUB_SPOKE", hubs: [bad] } }, "topology.hubs.0")).toContain(msg("topology.hubs entry"));
  expect(messagesAt({ ...base, topology: { kind: "CUSTOM", pairs: [["edge-1", bad]] } }, "topology.pairs.0.1")).toContain(msg("topology.pairs entry"));
  const exp = { name: "db", namespace: "shop", sourceCluster: bad, ports: [{ port: 5432 }] };
  expect(messagesAt({ ...base, serviceExports: [exp] }, "serviceExports.0.sourceCluster")).toContain(msg("serviceExports.sourceCluster"));
  expect(messagesAt({ ...base, members: ["x".repeat(64)] }, "members.0")[0]).toBe(`members entry "${"x".repeat(64)}" must be at most 63 characters`);
});

test("unknown fields are refused by name, not dropped", () => {
  expect(issues({ ...base, maxCluster: 4 })).toEqual([{ path: "", message: expect.stringMatching(/^unknown field maxCluster: a slice spec has name, /) }]);
});

test("every message names the field it is about", () => {
  const bad = {
    name: "X",
    description: 5,
    subnet: "8.8.8.0/24",
    maxClusters: 99,
    gatewayType: "GRE",
    gatewayService: { type: 1, protocol: 2, overrides: { "c-1": { type: "x" } } },
    topology: { kind: "HUB_SPOKE", hubs: [7] },
    qos: { priority: "high", bandwidthCeilingKbps: -1, bandwidthGuaranteedKbps: 1.5, dscpClass: 3 },
    namespaceIsolation: { enabled: "yes", applicationNamespaces: [{ namespace: 1, clusters: [2] }], allowedNamespaces: 3 },
    serviceExports: [{ name: "", namespace: "n", sourceCluster: "c", ports: [{ name: "Bad", port: 0, protocol: 4 }], aliases: [5] }],
    members: [1, "ok"],
  };
  const found = issues(bad);
  expect(found.length).toBeGreaterThan(20);
  for (const { path, message } of found) {
    const field = path
      .split(".")
      .filter((p) => !/^\d+$/.test(p))
      .slice(0, 2)
      .join(".");
    expect(message, `${path}: ${message}`).toContain(field);
  }
});

describe("immutability", () => {
  test("IMMUTABLE_FIELDS are the address plan and the tunnel software", () => {
    expect(IMMUTABLE_FIELDS).toEqual(["subnet", "maxClusters", "gatewayType"]);
  });

  test("changedImmutableFields lists exactly the immutable fields an update changes", () => {
    const before = ZSliceSpec.parse(base);
    expect(changedImmutableFields(before, ZSliceSpec.parse({ ...base, description: "new", members: ["edge-1"] }))).toEqual([]);
    const after = ZSliceSpec.parse({ ...base, subnet: "10.11.0.0/16", gatewayType: "WIREGUARD" });
    expect(changedImmutableFields(before, after)).toEqual(["subnet", "gatewayType"]);
  });
});
