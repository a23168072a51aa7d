import { describe, expect, test } from "vitest";
import { compileIsolationManifests, validateManifest, type IsolationSlice, type NetworkPolicy } from "./manifests";

const slice: IsolationSlice = {
  name: "payments",
  subnet: "10.10.0.0/16",
  namespaceIsolation: {
    enabled: true,
    applicationNamespaces: [
      { namespace: "shop", clusters: ["*"] },
      { namespace: "billing", clusters: ["edge-1"] },
      { namespace: "ledger", clusters: ["cloud-1"] },
    ],
    allowedNamespaces: [
      { namespace: "monitoring", clusters: ["*"] },
      { namespace: "ingress", clusters: ["edge-1", "cloud-1"] },
      { namespace: "backup", clusters: ["cloud-1"] },
    ],
  },
};

const inSelector = (values: string[]) => ({
  namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values }] },
});

describe("compileIsolationManifests", () => {
  test("nothing when isolation is off, or when no application namespace lives on the cluster", () => {
    expect(compileIsolationManifests({ ...slice, namespaceIsolation: { ...slice.namespaceIsolation, enabled: false } }, "edge-1")).toEqual([]);
    const onlyCloud = {
      ...slice,
      namespaceIsolation: { ...slice.namespaceIsolation, applicationNamespaces: [{ namespace: "ledger", clusters: ["cloud-1"] }] },
    };
    expect(compileIsolationManifests(onlyCloud, "edge-1")).toEqual([]);
  });

  test("a default-deny and an allow policy per application namespace on this cluster", () => {
    const out = compileIsolationManifests(slice, "edge-1");
    expect(out.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      "billing/isthmus-payments-allow-slice",
      "billing/isthmus-payments-default-deny-ingress",
      "shop/isthmus-payments-allow-slice",
      "shop/isthmus-payments-default-deny-ingress",
    ]);
  });

  test("default deny selects every pod and allows no ingress", () => {
    const deny = compileIsolationManifests(slice, "edge-1").find((p) => p.metadata.name.endsWith("default-deny-ingress"))!;
    expect(deny).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: "isthmus-payments-default-deny-ingress",
        namespace: "billing",
        labels: { "app.kubernetes.io/managed-by": "isthmus", "isthmus.io/slice": "payments" },
      },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
  });

  test("allow admits the slice's namespaces here, the allowed namespaces here, and the slice subnet", () => {
    const allow = compileIsolationManifests(slice, "edge-1").find((p) => p.metadata.namespace === "shop" && p.metadata.name.endsWith("allow-slice"))!;
    expect(allow.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [inSelector(["billing", "shop"]), inSelector(["ingress", "monitoring"]), { ipBlock: { cidr: "10.10.0.0/16" } }] }],
    });
    const cloud = compileIsolationManifests(slice, "cloud-1").find((p) => p.metadata.name.endsWith("allow-slice"))!;
    expect(cloud.spec.ingress![0].from).toEqual([
      inSelector(["ledger", "shop"]),
      inSelector(["backup", "ingress", "monitoring"]),
      { ipBlock: { cidr: "10.10.0.0/16" } },
    ]);
  });

  test("without allowed namespaces only the slice itself is admitted", () => {
    const bare = { ...slice, namespaceIsolation: { ...slice.namespaceIsolation, allowedNamespaces: [] } };
    const allow = compileIsolationManifests(bare, "edge-1").find((p) => p.metadata.name.endsWith("allow-slice"))!;
    expect(allow.spec.ingress![0].from).toEqual([inSelector(["billing", "shop"]), { ipBlock: { cidr: "10.10.0.0/16" } }]);
  });

  test("output does not depend on input order", () => {
    const shuffled: IsolationSlice = {
      ...slice,
      namespaceIsolation: {
        enabled: true,
        applicationNamespaces: [...slice.namespaceIsolation.applicationNamespaces].reverse(),
        allowedNamespaces: [...slice.namespaceIsolation.allowedNamespaces].reverse(),
      },
    };
    expect(JSON.stringify(compileIsolationManifests(shuffled, "edge-1"))).toBe(JSON.stringify(compileIsolationManifests(slice, "edge-1")));
  });

  test("the policies of one cluster do not share objects, so a caller may edit one safely", () => {
    const out = compileIsolationManifests(slice, "edge-1");
    out[0].spec.ingress![0].from.pop();
    out[0].metadata.labels.extra = "x";
    expect(out[2].spec.ingress![0].from).toHaveLength(3);
    expect(out[2].metadata.labels.extra).toBeUndefined();
  });

  test("names stay valid for the longest slice name", () => {
    const long = "s".repeat(63);
    for (const p of compileIsolationManifests({ ...slice, name: long }, "edge-1")) {
      expect(p.metadata.name.startsWith(`isthmus-${long}-`)).toBe(true);
      expect(validateManifest(p)).toEqual({ valid: true, errors: [] });
    }
  });

  test("every compiled policy validates against the upstream schema", () => {
    for (const cluster of ["edge-1", "cloud-1", "anywhere"]) {
      for (const p of compileIsolationManifests(slice, cluster))
        expect(validateManifest(p), `${cluster} ${p.metadata.name}`).toEqual({ valid: true, errors: [] });
    }
  });
});

describe("validateManifest", () => {
  const good = (): NetworkPolicy => structuredClone(compileIsolationManifests(slice, "edge-1")[0]);
  const withPorts = (ports: unknown) => {
    const p = good() as unknown as { spec: { ingress: Record<string, unknown>[] } };
    p.spec.ingress[0].ports = ports;
    return p;
  };

  test("a string where a selector belongs fails", () => {
    const p = good() as unknown as { spec: Record<string, unknown> };
    p.spec.podSelector = "x";
    expect(validateManifest(p)).toEqual({ valid: false, errors: ["/spec/podSelector must be object"] });
  });

  test("ports are int-or-string: numbers and names pass, objects fail", () => {
    expect(validateManifest(withPorts([{ port: 8080, protocol: "TCP" }, { port: "https" }, { port: 30000, endPort: 32767 }])).valid).toBe(true);
    const bad = validateManifest(withPorts([{ port: { number: 80 } }]));
    expect(bad.valid).toBe(false);
    expect(bad.errors).toContain("/spec/ingress/0/ports/0/port must be integer");
    expect(bad.errors).toContain("/spec/ingress/0/ports/0/port must be string");
  });

  test("int32 fields are range-checked", () => {
    expect(validateManifest(withPorts([{ port: 1, endPort: 2 ** 31 }])).errors).toEqual(['/spec/ingress/0/ports/0/endPort must match format "int32"']);
  });

  test("unknown fields fail, as under strict field validation", () => {
    const p = good() as unknown as { spec: Record<string, unknown> };
    p.spec.podSelecter = {};
    expect(validateManifest(p)).toEqual({ valid: false, errors: ["/spec must NOT have additional properties: podSelecter"] });
  });

  test("required fields are enforced", () => {
    const p = good() as unknown as { spec: { ingress: { from: Record<string, unknown>[] }[] } };
    p.spec.ingress[0].from = [{ ipBlock: { except: ["10.10.1.0/24"] } }];
    expect(validateManifest(p).errors).toEqual(["/spec/ingress/0/from/0/ipBlock must have required property 'cidr'"]);
    const unnamed = good() as unknown as { metadata: Record<string, unknown> };
    delete unnamed.metadata.name;
    expect(validateManifest(unnamed).errors).toEqual(["/metadata/name must be a DNS-1123 subdomain of at most 253 characters"]);
  });

  test("labels must be strings", () => {
    const p = good() as unknown as { metadata: { labels: Record<string, unknown> } };
    p.metadata.labels.tier = 3;
    expect(validateManifest(p).errors).toEqual(["/metadata/labels/tier must be string"]);
  });

  test("dispatches on apiVersion and kind", () => {
    expect(
      validateManifest({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } }),
    ).toEqual({
      valid: true,
      errors: [],
    });
    expect(validateManifest({ ...good(), apiVersion: "networking.k8s.io/v1beta1" }).errors).toEqual([
      '/apiVersion must be networking.k8s.io/v1, got "networking.k8s.io/v1beta1"',
    ]);
    expect(validateManifest({ ...good(), kind: "Gateway" }).errors).toEqual(['/kind "Gateway" is not a kind of networking.k8s.io/v1']);
    expect(validateManifest([good()]).valid).toBe(false);
    expect(validateManifest(null).valid).toBe(false);
  });
});
