// The kube target against a fake Kubernetes API on 127.0.0.1: checks what actually goes
// over the wire (server-side apply, field manager, force, label) and the prune rules.
import "./targets/node20-shim";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Bundle, Manifest } from "../protocol/index";
import { silentLogger } from "./logger";
import { KubeTarget } from "./targets/kube";
import { SecretStore } from "./targets/kube-store";

const objects = new Map<string, Record<string, unknown>>();
const calls: Array<{ method: string; path: string; query: string; contentType?: string }> = [];
let server: http.Server;
let kc: KubeConfig;

const DISCOVERY: Record<string, unknown> = {
  "/api/v1": { kind: "APIResourceList", groupVersion: "v1", resources: [
    { name: "namespaces", namespaced: false, kind: "Namespace", verbs: [] },
    { name: "secrets", namespaced: true, kind: "Secret", verbs: [] },
  ] },
  "/apis/networking.k8s.io/v1": { kind: "APIResourceList", groupVersion: "networking.k8s.io/v1", resources: [
    { name: "networkpolicies", namespaced: true, kind: "NetworkPolicy", verbs: [] },
  ] },
};
const LISTS: Record<string, unknown> = {
  "/api/v1/nodes": { items: [
    { metadata: { name: "n1", labels: { "topology.kubernetes.io/region": "eu-west-1" } }, spec: { podCIDRs: ["10.244.0.0/24"], providerID: "aws:///eu-west-1a/i-1" } },
    { metadata: { name: "n2" }, spec: { podCIDR: "10.244.1.0/24" } },
  ] },
  "/api/v1/namespaces/kube-system/pods": { items: [
    { metadata: { name: "kube-apiserver-n1" }, spec: { containers: [{ name: "a", command: ["kube-apiserver", "--service-cluster-ip-range=10.96.0.0/12"] }] } },
    { metadata: { name: "calico-node-abc" }, spec: { containers: [{ name: "c" }] } },
  ] },
};

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    calls.push({ method: req.method!, path: url.pathname, query: url.search, contentType: req.headers["content-type"] });
    const p = url.pathname;
    if (req.method === "GET" && DISCOVERY[p]) return send(res, 200, DISCOVERY[p]);
    if (req.method === "GET" && LISTS[p]) return send(res, 200, LISTS[p]);
    if (p === "/version") return send(res, 200, { major: "1", minor: "33", gitVersion: "v1.33.1", gitCommit: "x", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.24", compiler: "gc", platform: "linux/amd64" });
    if (p === "/api/v1/namespaces/kube-system" && req.method === "GET") return send(res, 200, { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system", uid: "ks-uid-1" } });
    const notFound = () => send(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${p} not found` });
    if (req.method === "GET") return objects.has(p) ? send(res, 200, objects.get(p)) : notFound();
    if (req.method === "PATCH" || req.method === "PUT") {
      objects.set(p, body);
      return send(res, 200, body);
    }
    if (req.method === "POST") {
      objects.set(`${p}/${body.metadata.name}`, body);
      return send(res, 201, body);
    }
    if (req.method === "DELETE") {
      if (!objects.delete(p)) return notFound();
      return send(res, 200, { kind: "Status", apiVersion: "v1", status: "Success" });
    }
    return notFound();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  objects.clear();
  calls.length = 0;
});

const np = (name: string, namespace = "shop"): Manifest => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
const ns = (name: string): Manifest => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const bundle = (manifests: Manifest[]): Bundle => ({ cluster: { id: "c", name: "c", tenant: "t" }, slices: [], manifests });
const target = () => new KubeTarget({ logger: silentLogger, kubeConfig: kc, env: { ISTHMUS_CLUSTER_NAME: "prod-eu" } });

describe("KubeTarget", () => {
  it("reads inventory from the cluster", async () => {
    expect(await target().inventory()).toEqual({
      uid: "ks-uid-1",
      name: "prod-eu",
      kubernetesVersion: "v1.33.1",
      cni: "calico",
      podCidrs: ["10.244.0.0/24", "10.244.1.0/24"],
      serviceCidrs: ["10.96.0.0/12"],
      nodeCount: 2,
      gatewayEndpoints: [],
      behindNat: true,
      provider: "aws",
      region: "eu-west-1",
    });
  });

  it("server-side applies with its field manager, forced, labelled managed-by isthmus", async () => {
    const t = target();
    const res = await t.apply(bundle([np("allow-dns"), ns("shop")]), 1);
    expect(res).toMatchObject({ ok: true });
    expect(res.objects.map((o) => `${o.kind}/${o.name}:${o.result}`)).toEqual(["Namespace/shop:applied", "NetworkPolicy/allow-dns:applied"]);
    const patches = calls.filter((c) => c.method === "PATCH");
    expect(patches.map((c) => c.path)).toEqual(["/api/v1/namespaces/shop", "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/allow-dns"]);
    for (const c of patches) {
      expect(c.contentType).toBe("application/apply-patch+yaml");
      expect(new URLSearchParams(c.query).get("fieldManager")).toBe("isthmus-agent");
      expect(new URLSearchParams(c.query).get("force")).toBe("true");
    }
    const stored = objects.get("/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/allow-dns") as { metadata: { labels: Record<string, string> } };
    expect(stored.metadata.labels["app.kubernetes.io/managed-by"]).toBe("isthmus");
  });

  it("prunes what it applied and the bundle dropped, and survives a restart in between", async () => {
    const first = target();
    await first.apply(bundle([ns("shop"), np("a"), np("b")]), 1);
    const second = target();
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    const res = await second.apply(bundle([ns("shop"), np("a")]), 2);
    expect(res.objects.filter((o) => o.result === "pruned").map((o) => o.name)).toEqual(["b"]);
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/b"]);
    expect(objects.has("/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/a")).toBe(true);
  });

  it("never deletes what existed before it: a team's namespace is released, not removed", async () => {
    objects.set("/api/v1/namespaces/payments", { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } });
    const t = target();
    const applied = await t.apply(bundle([ns("payments"), np("p", "payments")]), 1);
    expect(applied.objects.map((o) => `${o.name}:${o.result}`)).toEqual(["payments:adopted", "p:applied"]);
    const res = await t.apply(bundle([]), 2);
    expect(res.objects.map((o) => `${o.name}:${o.result}`)).toEqual(["p:pruned", "payments:released"]);
    expect(objects.has("/api/v1/namespaces/payments")).toBe(true);
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies/p"]);
  });

  it("releases a namespace it created instead of deleting it with everything inside", async () => {
    const t = target();
    await t.apply(bundle([ns("shop"), np("a")]), 1);
    const res = await t.apply(bundle([]), 2);
    expect(res.objects.map((o) => `${o.kind}/${o.name}:${o.result}`)).toEqual(["NetworkPolicy/a:pruned", "Namespace/shop:released"]);
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/a"]);
    expect(t.snapshot()).toMatchObject({ applied: [] });
  });

  it("reports a failed object and prunes nothing after a partial apply", async () => {
    const t = target();
    await t.apply(bundle([np("a"), np("b")]), 1);
    const bogus = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "shop" } };
    const res = await t.apply(bundle([np("a"), bogus]), 2);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(/Widget\/w/);
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    const fixed = await t.apply(bundle([np("a")]), 3);
    expect(fixed.objects.filter((o) => o.result === "pruned").map((o) => o.name)).toEqual(["b"]);
  });
});

describe("SecretStore", () => {
  it("keeps credential and state in one Secret in its namespace", async () => {
    const store = new SecretStore(target().coreApi, "isthmus-system");
    expect(await store.loadCredential()).toBeNull();
    await Promise.all([
      store.saveCredential({ clusterId: "c1", credential: "isa_x.y", uid: "u", server: "http://cp" }),
      store.saveState({ appliedRevision: 3, appliedHash: "h", seq: 9 }),
    ]);
    expect(await store.loadCredential()).toMatchObject({ clusterId: "c1" });
    expect(await store.loadState()).toMatchObject({ appliedRevision: 3 });
    const secret = objects.get("/api/v1/namespaces/isthmus-system/secrets/isthmus-agent-state") as { data: Record<string, string> };
    expect(Object.keys(secret.data).sort()).toEqual(["credential.json", "state.json"]);
  });
});
