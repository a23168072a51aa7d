// The fake API server itself: each behaviour the agent's safety relies on, as the
// Kubernetes documentation describes it (cited in fake-kube-api.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubeApiError, KubeHttp } from "../targets/kube-http";
import { FakeKubeApi } from "./fake-kube-api";

const api = new FakeKubeApi();
let http: KubeHttp;
beforeAll(async () => {
  await api.start();
  http = new KubeHttp(api.kubeConfig());
});
afterAll(() => api.close());
beforeEach(() => {
  api.reset();
  api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
});

const NPS = "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies";
const np = (spec: Record<string, unknown>, labels?: Record<string, string>) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "p", namespace: "shop", ...(labels ? { labels } : {}) },
  spec,
});
const apply = (body: unknown, manager: string, extra: Record<string, string> = {}) =>
  http.request<{ spec?: Record<string, unknown>; metadata: { labels?: Record<string, string> } }>("PATCH", `${NPS}/p`, {
    body,
    contentType: "application/apply-patch+yaml",
    query: { fieldManager: manager, ...extra },
  });
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as KubeApiError,
  );

describe("fake Kubernetes API", () => {
  it("server-side apply: a field another manager set differently is a 409 naming it, unless forced", async () => {
    await apply(np({ podSelector: {} }, { "app.kubernetes.io/managed-by": "Helm" }), "helm");
    const err = await fail(apply(np({ podSelector: {} }, { "app.kubernetes.io/managed-by": "isthmus" }), "isthmus-agent"));
    expect(err.status).toBe(409);
    expect(err.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "helm"', field: ".metadata.labels.app.kubernetes.io/managed-by" }]);
    // The same value is shared, not a conflict.
    await apply(np({ podSelector: {} }, { "app.kubernetes.io/managed-by": "Helm" }), "isthmus-agent");
    const forced = await apply(np({ podSelector: {} }, { "app.kubernetes.io/managed-by": "isthmus" }), "isthmus-agent", { force: "true" });
    expect(forced.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "isthmus" });
  });

  it("server-side apply: fields the applier owned and leaves out are removed (why applying a name alone empties a policy)", async () => {
    await apply(np({ podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [] }] }), "a");
    const after = await apply({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace: "shop" } }, "a");
    expect(after.spec).toBeUndefined();
  });

  it("create is 201 with a uid, then 409; dryRun=All persists nothing; Strict refuses unknown fields with 400", async () => {
    const created = await http.request<{ metadata: { uid: string } }>("POST", NPS, { body: np({ podSelector: {} }), query: { dryRun: "All" } });
    expect(created.metadata.uid).toBeTruthy();
    expect(api.get("networking.k8s.io/v1", "NetworkPolicy", "p", "shop")).toBeUndefined();
    await http.request("POST", NPS, { body: np({ podSelector: {} }) });
    expect((await fail(http.request("POST", NPS, { body: np({ podSelector: {} }) }))).status).toBe(409);
    const strict = await fail(http.request("POST", NPS, { body: np({ podSelector: {}, bogus: 1 }), query: { fieldValidation: "Strict" } }));
    expect([strict.status, strict.message]).toEqual([400, 'strict decoding error: unknown field "spec.bogus"']);
  });

  it("delete honours a uid precondition; a replace honours resourceVersion; lists page with limit/continue", async () => {
    await http.request("POST", NPS, { body: np({ podSelector: {} }) });
    expect((await fail(http.request("DELETE", `${NPS}/p`, { body: { preconditions: { uid: "other" } } }))).status).toBe(409);
    const live = await http.request<{ metadata: { resourceVersion: string } }>("GET", `${NPS}/p`);
    await http.request("PUT", `${NPS}/p`, {
      body: { ...np({ podSelector: {} }), metadata: { name: "p", namespace: "shop", resourceVersion: live.metadata.resourceVersion } },
    });
    expect(
      (
        await fail(
          http.request("PUT", `${NPS}/p`, {
            body: { ...np({ podSelector: {} }), metadata: { name: "p", namespace: "shop", resourceVersion: live.metadata.resourceVersion } },
          }),
        )
      ).status,
    ).toBe(409);
    for (let i = 0; i < 5; i++) api.seed({ apiVersion: "v1", kind: "Node", metadata: { name: `n${i}` } });
    const pages: number[] = [];
    await http.listEach("/api/v1/nodes", (items) => pages.push(items.length), 2);
    expect(pages).toEqual([2, 2, 1]);
  });
});
