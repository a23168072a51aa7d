// The kube target against a fake Kubernetes API (agent/testing/fake-kube-api.ts) that
// behaves as the documented API does: server-side apply ownership and conflicts, dry
// run, strict field validation, create 201/409, UIDs, paginated lists.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Bundle, Manifest } from "../protocol/index";
import { silentLogger } from "./logger";
import { KubeTarget } from "./targets/kube";
import { KubeHttp } from "./targets/kube-http";
import { LeaderElector } from "./targets/kube-leader";
import { SecretStore } from "./targets/kube-store";
import { FakeKubeApi } from "./testing/fake-kube-api";

const api = new FakeKubeApi();
beforeAll(() => api.start());
afterAll(() => api.close());

const NP = "networking.k8s.io/v1";
const allow = (namespace = "shop", name = "isthmus-s-allow-slice"): Manifest => ({
  apiVersion: NP,
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.90.0.0/16" } }] }] },
});
const deny = (namespace = "shop", name = "isthmus-s-default-deny-ingress"): Manifest => ({
  apiVersion: NP,
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec: { podSelector: {}, policyTypes: ["Ingress"] },
});
const ns = (name: string): Manifest => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const bundle = (manifests: Manifest[]): Bundle => ({ cluster: { id: "cl1", name: "c", tenant: "t" }, slices: [], manifests });
const target = () => new KubeTarget({ logger: silentLogger, kubeConfig: api.kubeConfig(), env: { ISTHMUS_CLUSTER_NAME: "prod-eu" }, listLimit: 2 });
const results = (r: { objects: Array<{ kind: string; name: string; namespace?: string; result?: string }> }) =>
  r.objects.map((o) => `${o.kind}/${o.namespace ? `${o.namespace}/` : ""}${o.name}: ${o.result}`);
const writes = () => api.calls.filter((c) => c.method !== "GET");
const realWrites = () => writes().filter((c) => c.query.get("dryRun") !== "All");

beforeEach(() => {
  api.reset();
  api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system", uid: "x" } });
  api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});

describe("ownership: create first, never harm what is not Isthmus's", () => {
  it("creates what does not exist (201), records its UID, and marks it as Isthmus's", async () => {
    const t = target();
    const res = await t.apply(bundle([allow()]), 1);
    expect(res.ok).toBe(true);
    expect(results(res)).toEqual(["NetworkPolicy/shop/isthmus-s-allow-slice: created"]);
    const live = api.get(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop")!;
    expect(live.metadata.labels).toMatchObject({ "isthmus.io/owned": "true", "app.kubernetes.io/managed-by": "isthmus" });
    expect(live.metadata.annotations).toMatchObject({ "isthmus.io/owner-cluster": "cl1" });
    const create = realWrites().find((c) => c.method === "POST")!;
    expect(create.query.get("fieldValidation")).toBe("Strict");
    expect((t.snapshot() as { owned: Array<{ uid: string }> }).owned[0]!.uid).toBe(live.metadata.uid);
  });

  it("never modifies or deletes an object someone else created under the same name", async () => {
    const theirs = api.seed({ ...allow(), spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{}] } }, "helm");
    const t = target();
    const res = await t.apply(bundle([allow()]), 1);
    expect(res.ok).toBe(false);
    expect(results(res)[0]).toMatch(/not created by Isthmus \(managed by helm\)/);
    expect(realWrites()).toEqual([]);
    // And a later bundle without it does not prune it.
    const res2 = await t.apply(bundle([]), 2);
    expect(res2.ok).toBe(true);
    expect(api.get(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop")).toEqual(theirs);
  });

  it("never turns a policy it did not create into deny-all (the old release path)", async () => {
    // A policy the agent once listed as "adopted" (state from before ownership by UID).
    const theirs = api.seed(allow("shop", "team-allow"), "kubectl");
    const t = target();
    t.restore({ applied: [{ apiVersion: NP, kind: "NetworkPolicy", namespace: "shop", name: "team-allow", adopted: true }] });
    const res = await t.apply(bundle([]), 1);
    expect(res.ok).toBe(true);
    expect(realWrites()).toEqual([]);
    expect(api.get(NP, "NetworkPolicy", "team-allow", "shop")!.spec).toEqual(theirs.spec);
  });

  it("after an upgrade, objects the previous agent created stay Isthmus's; what it had adopted stays untouched", async () => {
    const oldLabel = { "app.kubernetes.io/managed-by": "isthmus" };
    api.seed({ ...allow("shop", "mine"), metadata: { name: "mine", namespace: "shop", labels: oldLabel } }, "isthmus-agent", "Apply");
    api.seed({ ...allow("shop", "also-mine"), metadata: { name: "also-mine", namespace: "shop", labels: oldLabel } }, "isthmus-agent", "Apply");
    const teams = api.seed(allow("shop", "teams"), "kubectl");
    const t = target();
    t.restore({
      applied: [
        { apiVersion: NP, kind: "NetworkPolicy", namespace: "shop", name: "mine" },
        { apiVersion: NP, kind: "NetworkPolicy", namespace: "shop", name: "also-mine" },
        { apiVersion: NP, kind: "NetworkPolicy", namespace: "shop", name: "teams", adopted: true },
      ],
    });
    const res = await t.apply(bundle([allow("shop", "mine")]), 1);
    expect(results(res)).toEqual(["NetworkPolicy/shop/mine: applied", "NetworkPolicy/shop/also-mine: pruned"]);
    expect(api.get(NP, "NetworkPolicy", "mine", "shop")!.metadata.labels).toMatchObject({ "isthmus.io/owned": "true" });
    expect(api.get(NP, "NetworkPolicy", "teams", "shop")).toEqual(teams);
  });

  it("leaves an existing namespace untouched and applies the objects inside it", async () => {
    const res = await target().apply(bundle([ns("shop"), allow()]), 1);
    expect(res.ok).toBe(true);
    expect(results(res)).toEqual(["Namespace/shop: present: not created by Isthmus, left unchanged", "NetworkPolicy/shop/isthmus-s-allow-slice: created"]);
    expect(realWrites().map((c) => c.path)).toEqual([`/apis/${NP}/namespaces/shop/networkpolicies`]);
  });

  it("recognises its own objects after losing its state (reinstall) by its ownership markers", async () => {
    await target().apply(bundle([allow()]), 1);
    const fresh = target();
    const res = await fresh.apply(bundle([{ ...allow(), spec: { ...(allow() as unknown as { spec: object }).spec, policyTypes: ["Ingress"] } }]), 2);
    expect(res.ok).toBe(true);
    expect(results(res)).toEqual(["NetworkPolicy/shop/isthmus-s-allow-slice: applied"]);
    const patch = realWrites()
      .filter((c) => c.method === "PATCH")
      .at(-1)!;
    expect(patch.contentType).toBe("application/apply-patch+yaml");
    expect(patch.query.get("force")).toBe("true");
    expect(patch.query.get("fieldManager")).toBe("isthmus-agent");
  });

  it("does not delete an object re-created by someone else since Isthmus created it (UID precondition)", async () => {
    const t = target();
    await t.apply(bundle([allow()]), 1);
    api.objects.delete(api.pathOf(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop"));
    api.seed(allow(), "kubectl");
    const res = await t.apply(bundle([]), 2);
    expect(results(res)).toEqual(["NetworkPolicy/shop/isthmus-s-allow-slice: left in place: re-created by someone else since Isthmus created it"]);
    expect(api.get(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop")).toBeDefined();
  });

  it("sends fields the client library does not know, and the server's strict validation judges them", async () => {
    const future = { ...allow(), spec: { ...(allow() as unknown as { spec: object }).spec, newField: true } };
    const res = await target().apply(bundle([future]), 1);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(/unknown field "spec.newField"/);
    const dry = api.calls.find((c) => c.method === "POST")!;
    expect((dry.body as { spec: Record<string, unknown> }).spec.newField).toBe(true);
    expect(realWrites()).toEqual([]);
  });

  it("reports a field conflict with another manager on an object it does not own instead of taking it", async () => {
    api.seed(allow("shop", "isthmus-s-allow-slice"), "argocd", "Apply");
    const res = await target().apply(bundle([allow()]), 1);
    expect(res.ok).toBe(false);
    expect(results(res)[0]).toMatch(/managed by argocd/);
    expect(api.calls.some((c) => c.query.get("force") === "true")).toBe(false);
  });
});

describe("apply: dry run first, dependency order, stop on failure", () => {
  it("dry-runs the whole bundle on the server before changing anything", async () => {
    const res = await target().apply(bundle([allow(), deny()]), 1);
    expect(res.ok).toBe(true);
    const w = writes();
    const firstReal = w.findIndex((c) => c.query.get("dryRun") !== "All");
    expect(w.slice(0, firstReal).map((c) => c.query.get("dryRun"))).toEqual(["All", "All"]);
    expect(w.slice(0, firstReal).every((c) => c.query.get("fieldValidation") === "Strict")).toBe(true);
  });

  it("applies namespaces, then allow policies, then deny policies, whatever the bundle's order", async () => {
    const res = await target().apply(bundle([deny("new"), allow("new"), ns("new")]), 1);
    expect(res.ok).toBe(true);
    expect(realWrites().map((c) => c.path)).toEqual([
      "/api/v1/namespaces",
      `/apis/${NP}/namespaces/new/networkpolicies`,
      `/apis/${NP}/namespaces/new/networkpolicies`,
    ]);
    expect(realWrites().map((c) => (c.body as Manifest).metadata.name)).toEqual(["new", "isthmus-s-allow-slice", "isthmus-s-default-deny-ingress"]);
  });

  it("changes nothing when one object fails the dry run, and reports each object", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "old")]), 1);
    api.calls.length = 0;
    const bad = { ...deny(), spec: { podSelector: {}, policyTypes: ["Ingress"], bogus: 1 } };
    const res = await t.apply(bundle([allow(), bad]), 2);
    expect(res.ok).toBe(false);
    expect(results(res)).toEqual([
      "NetworkPolicy/shop/isthmus-s-allow-slice: not applied: the revision failed its dry run",
      expect.stringMatching(/^NetworkPolicy\/shop\/isthmus-s-default-deny-ingress: failed: dry run: .*unknown field "spec.bogus"/),
    ]);
    expect(realWrites()).toEqual([]);
    expect(api.get(NP, "NetworkPolicy", "old", "shop")).toBeDefined();
  });

  it("stops at a failing write: no deny policy without its allow, previous revision's objects kept", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "old")]), 1);
    api.calls.length = 0;
    api.faults.push({ method: "POST", path: /\/networkpolicies$/, status: 500, message: "etcdserver: request timed out", realOnly: true });
    const res = await t.apply(bundle([allow(), deny()]), 2);
    expect(res.ok).toBe(false);
    expect(results(res)).toEqual([
      "NetworkPolicy/shop/isthmus-s-allow-slice: failed: etcdserver: request timed out",
      "NetworkPolicy/shop/isthmus-s-default-deny-ingress: not applied: stopped at an earlier failure",
    ]);
    expect(api.get(NP, "NetworkPolicy", "isthmus-s-default-deny-ingress", "shop")).toBeUndefined();
    expect(api.get(NP, "NetworkPolicy", "old", "shop")).toBeDefined();
  });

  it("after a failed apply, a drift check keeps what went in and does not undo it", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "a")]), 1);
    const changed = {
      ...allow("shop", "a"),
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.91.0.0/16" } }] }] },
    };
    api.faults.push({ method: "POST", path: /\/networkpolicies$/, status: 500, message: "etcdserver: request timed out", realOnly: true });
    const res = await t.apply(bundle([changed, deny()]), 2);
    expect(res.ok).toBe(false);
    expect(await t.reconcile()).toEqual([]);
    expect(api.get(NP, "NetworkPolicy", "a", "shop")!.spec).toEqual(changed.spec);
  });

  it("skips objects whose namespace is absent instead of failing the revision, and still prunes", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "old")]), 1);
    const res = await t.apply(bundle([allow("gone"), allow()]), 2);
    expect(res.ok).toBe(true);
    expect(results(res)).toEqual([
      "NetworkPolicy/gone/isthmus-s-allow-slice: skipped: namespace absent",
      "NetworkPolicy/shop/isthmus-s-allow-slice: created",
      "NetworkPolicy/shop/old: pruned",
    ]);
  });

  it("one failing delete does not stop the cleanup of the others", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "a"), allow("shop", "b"), allow("shop", "c")]), 1);
    api.faults.push({ method: "DELETE", path: /\/networkpolicies\/a$/, status: 403, message: "forbidden" });
    const res = await t.apply(bundle([]), 2);
    expect(results(res)).toEqual(["NetworkPolicy/shop/a: prune failed: forbidden", "NetworkPolicy/shop/b: pruned", "NetworkPolicy/shop/c: pruned"]);
    expect(res.ok).toBe(false);
    api.faults.length = 0;
    const retry = await t.apply(bundle([]), 3);
    expect(results(retry)).toEqual(["NetworkPolicy/shop/a: pruned"]);
  });

  it("prunes deny policies before the allow policies, and never deletes a namespace it created", async () => {
    const t = target();
    await t.apply(bundle([ns("new"), allow("new"), deny("new")]), 1);
    const res = await t.apply(bundle([]), 2);
    expect(results(res)).toEqual([
      "NetworkPolicy/new/isthmus-s-default-deny-ingress: pruned",
      "NetworkPolicy/new/isthmus-s-allow-slice: pruned",
      "Namespace/new: left in place: Isthmus never deletes a namespace",
    ]);
    expect(api.get("v1", "Namespace", "new")).toBeDefined();
    expect(
      realWrites()
        .filter((c) => c.method === "DELETE")
        .every((c) => (c.body as { preconditions: { uid: string } }).preconditions.uid),
    ).toBe(true);
  });

  it("never patches a namespace, even one it created (the agent holds no namespace patch)", async () => {
    const t = target();
    await t.apply(bundle([ns("new"), allow("new")]), 1);
    api.calls.length = 0;
    const res = await t.apply(
      bundle([{ ...ns("new"), metadata: { name: "new", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } }, allow("new")]),
      2,
    );
    expect(results(res)).toEqual(["Namespace/new: present: left unchanged", "NetworkPolicy/new/isthmus-s-allow-slice: applied"]);
    expect(writes().some((c) => c.path.startsWith("/api/v1/namespaces/new") && c.path.split("/").length === 5)).toBe(false);
    expect(api.get("v1", "Namespace", "new")!.metadata.labels).not.toHaveProperty("pod-security.kubernetes.io/enforce");
  });

  it("a 403 in a namespace it was not granted says how to grant it", async () => {
    api.faults.push({
      method: "POST",
      path: /\/namespaces\/shop\/networkpolicies$/,
      status: 403,
      message: 'networkpolicies.networking.k8s.io is forbidden: cannot create resource "networkpolicies" in the namespace "shop"',
    });
    const res = await target().apply(bundle([allow()]), 1);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(/bind ClusterRole isthmus-agent-policies with a RoleBinding there/);
  });

  it("survives a restart between revisions: what it created is pruned later", async () => {
    const first = target();
    await first.apply(bundle([allow("shop", "a"), allow("shop", "b")]), 1);
    const second = target();
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    const res = await second.apply(bundle([allow("shop", "a")]), 2);
    expect(results(res)).toEqual(["NetworkPolicy/shop/a: applied", "NetworkPolicy/shop/b: pruned"]);
  });
});

describe("drift", () => {
  it("re-creates a deleted object and re-applies an edited one, and says so", async () => {
    const t = target();
    await t.apply(bundle([allow(), deny()]), 1);
    api.objects.delete(api.pathOf(NP, "NetworkPolicy", "isthmus-s-default-deny-ingress", "shop"));
    api.edit(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop", { "spec.ingress": [] });
    const drift = await t.reconcile();
    expect(drift.map((d) => `${d.name}: ${d.drift} → ${d.result}`).sort()).toEqual([
      "isthmus-s-allow-slice: edited → re-applied",
      "isthmus-s-default-deny-ingress: deleted → re-created",
    ]);
    expect(api.get(NP, "NetworkPolicy", "isthmus-s-allow-slice", "shop")!.spec).toEqual((allow() as unknown as { spec: unknown }).spec);
    expect(await t.reconcile()).toEqual([]);
  });
});

describe("drift and apply together", () => {
  it("a drift check running during an apply never re-creates what the apply prunes", async () => {
    const t = target();
    await t.apply(bundle([allow("shop", "a"), allow("shop", "b")]), 1);
    // Hold any read of b until the apply's delete of b has been handled: the worst order.
    let deleted!: () => void;
    const deletedOnce = new Promise<void>((r) => (deleted = r));
    api.beforeHandle = async (method, path) => {
      if (method === "GET" && path.endsWith("/networkpolicies/b")) await deletedOnce;
      if (method === "DELETE" && path.endsWith("/networkpolicies/b")) setImmediate(deleted);
    };
    const [res, drift] = await Promise.all([t.apply(bundle([allow("shop", "a")]), 2), t.reconcile()]);
    expect(results(res)).toContain("NetworkPolicy/shop/b: pruned");
    expect(drift).toEqual([]);
    expect(api.get(NP, "NetworkPolicy", "b", "shop")).toBeUndefined();
  });
});

describe("inventory: partial by design", () => {
  it("reads identity, CIDRs from kubeadm config, nodes in pages, and namespaces", async () => {
    api.seed({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kubeadm-config", namespace: "kube-system" },
      data: { ClusterConfiguration: "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n" },
    });
    for (let i = 0; i < 5; i++)
      api.seed({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: `n${i}`, labels: { "topology.kubernetes.io/region": "eu-west-1" } },
        spec: { podCIDR: `10.244.${i}.0/24`, providerID: "aws:///eu-west-1a/i-1" },
      });
    api.seed({ apiVersion: "v1", kind: "Pod", metadata: { name: "calico-node-abc", namespace: "kube-system" }, spec: { containers: [{ name: "c" }] } });
    const t = target();
    const info = await t.inventory();
    const ksUid = api.get("v1", "Namespace", "kube-system")!.metadata.uid;
    expect(info).toMatchObject({
      uid: ksUid,
      name: "prod-eu",
      cni: "calico",
      podCidrs: ["10.244.0.0/16"],
      podCidrsSource: "kubeadm-config",
      serviceCidrs: ["10.96.0.0/12"],
      serviceCidrsSource: "kubeadm-config",
      nodeCount: 5,
      provider: "aws",
      region: "eu-west-1",
      namespaces: ["kube-system", "shop"],
    });
    expect(info.probeErrors).toBeUndefined();
    const nodePages = api.calls.filter((c) => c.path === "/api/v1/nodes");
    expect(nodePages.length).toBe(3);
    expect(nodePages.every((c) => c.query.get("limit") === "2")).toBe(true);
  });

  it("a 403 on one list is reported and does not stop the inventory (enrolment goes on)", async () => {
    api.faults.push({
      method: "GET",
      path: /^\/api\/v1\/nodes$/,
      status: 403,
      message: 'nodes is forbidden: User "system:serviceaccount:isthmus-system:isthmus-agent" cannot list resource "nodes"',
    });
    api.faults.push({ method: "GET", path: /kube-system\/pods$/, status: 403, message: "pods is forbidden" });
    const t = target();
    const info = await t.inventory();
    expect(info.probeErrors?.map((e) => e.probe)).toEqual(["nodes", "kube-system pods"]);
    expect(info).toMatchObject({ podCidrs: [], podCidrsSource: "unknown", serviceCidrsSource: "unknown", cni: "unknown" });
    expect(t.components()).toEqual([{ name: "kube-api", status: "OK" }, expect.objectContaining({ name: "inventory", status: "DEGRADED" })]);
  });

  it("finds pod ranges in Cilium's config, Calico's IP pools, node podCIDRs, and service ranges in ServiceCIDR objects", async () => {
    api.seed({ apiVersion: "networking.k8s.io/v1", kind: "ServiceCIDR", metadata: { name: "kubernetes" }, spec: { cidrs: ["10.43.0.0/16"] } });
    api.seed({ apiVersion: "crd.projectcalico.org/v1", kind: "IPPool", metadata: { name: "default" }, spec: { cidr: "192.168.0.0/16" } });
    expect(await target().inventory()).toMatchObject({
      podCidrs: ["192.168.0.0/16"],
      podCidrsSource: "calico-ippools",
      serviceCidrs: ["10.43.0.0/16"],
      serviceCidrsSource: "servicecidrs",
    });
    api.seed({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cilium-config", namespace: "kube-system" },
      data: { "cluster-pool-ipv4-cidr": "10.0.0.0/8" },
    });
    expect(await target().inventory()).toMatchObject({ podCidrs: ["10.0.0.0/8"], podCidrsSource: "cilium-config" });
  });
});

describe("SecretStore", () => {
  const store = () => new SecretStore(new KubeHttp(api.kubeConfig()), "isthmus-system");
  beforeEach(() => api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "isthmus-system" } }));

  it("keeps credential and state in one Secret in its namespace", async () => {
    const s = store();
    expect(await s.loadCredential()).toBeNull();
    await Promise.all([
      s.saveCredential({ clusterId: "c1", credential: "isa_x.y", uid: "u", server: "http://cp" }),
      s.saveState({ appliedRevision: 3, appliedHash: "h", seq: 9 }),
    ]);
    expect(await s.loadCredential()).toMatchObject({ clusterId: "c1" });
    expect(await s.loadState()).toMatchObject({ appliedRevision: 3 });
    expect(Object.keys(api.get("v1", "Secret", "isthmus-agent-state", "isthmus-system")!.data as object).sort()).toEqual(["credential.json", "state.json"]);
  });

  it("writes with the resourceVersion it read, and older state never overwrites newer", async () => {
    const a = store();
    const b = store();
    await a.saveState({ appliedRevision: 7, appliedHash: "h7", seq: 70 });
    await b.saveState({ appliedRevision: 5, appliedHash: "h5", seq: 50 });
    expect(await a.loadState()).toMatchObject({ appliedRevision: 7 });
    const puts = api.calls.filter((c) => c.method === "PUT");
    expect(puts.every((c) => (c.body as { metadata: { resourceVersion?: string } }).metadata.resourceVersion)).toBe(true);
    await expect(a.saveState({ appliedRevision: 8, appliedHash: "h", seq: 1, target: { big: "x".repeat(600 * 1024) } })).rejects.toThrow(/limit/);
  });
});

describe("leader election (coordination.k8s.io Lease)", () => {
  beforeEach(() => api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "isthmus-system" } }));
  let clock = Date.parse("2026-12-06T12:00:00Z");
  const elector = (identity: string) =>
    new LeaderElector(new KubeHttp(api.kubeConfig()), { namespace: "isthmus-system", identity, leaseDurationSeconds: 15, now: () => clock });

  it("one agent holds the Lease; another takes it only after it expired, and of two racing exactly one wins", async () => {
    const a = elector("a");
    const b = elector("b");
    const c = elector("c");
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock += 10_000;
    expect(await a.tryAcquireOrRenew()).toBe(true); // renewed
    clock += 10_000;
    expect(await b.tryAcquireOrRenew()).toBe(false); // a renewed 10 s ago: still valid
    clock += 6_000; // a silent for 16 s: expired
    const [rb, rc] = await Promise.all([b.tryAcquireOrRenew(), c.tryAcquireOrRenew()]);
    expect([rb, rc].filter(Boolean)).toHaveLength(1);
    const lease = api.get("coordination.k8s.io/v1", "Lease", "isthmus-agent", "isthmus-system")!;
    expect(lease.spec).toMatchObject({ holderIdentity: rb ? "b" : "c", leaseTransitions: 1 });
    expect(await a.tryAcquireOrRenew()).toBe(false); // the old leader does not act again
  });

  it("lead() waits for the Lease, keeps renewing, and says so when another agent took it", async () => {
    const holder = elector("h");
    expect(await holder.tryAcquireOrRenew()).toBe(true);
    const standby = elector("s");
    const stop = new AbortController();
    let lost = false;
    let leading = false;
    const led = standby.lead(stop.signal, () => (lost = true), 5).then(() => (leading = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(leading).toBe(false); // the holder's Lease is still valid
    clock += 16_000; // the holder stopped renewing
    await led;
    expect(api.get("coordination.k8s.io/v1", "Lease", "isthmus-agent", "isthmus-system")!.spec).toMatchObject({ holderIdentity: "s" });
    // Someone else holds it now (e.g. the standby was partitioned and the Lease expired).
    api.edit("coordination.k8s.io/v1", "Lease", "isthmus-agent", "isthmus-system", {
      "spec.holderIdentity": "x",
      "spec.renewTime": new Date(clock).toISOString(),
    });
    for (let i = 0; i < 200 && !lost; i++) await new Promise((r) => setTimeout(r, 5));
    expect(lost).toBe(true);
    stop.abort();
  });

  it("a released Lease is taken at once", async () => {
    const a = elector("a2");
    expect(await a.tryAcquireOrRenew()).toBe(true);
    await a.release();
    expect(await elector("b2").tryAcquireOrRenew()).toBe(true);
  });
});
