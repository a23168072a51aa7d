import { describe, expect, it } from "vitest";
import type { Manifest } from "../protocol/index";
import { applyPhase, carriesOwnership, isDenyPolicy, orderForApply, planPrune, refKey, refOf, withOwnership, type OwnedRef } from "./kube-plan";

const np = (name: string, namespace = "shop", spec: Record<string, unknown> = { podSelector: {}, policyTypes: ["Ingress"] }): Manifest => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});
const allowNp = (name: string, namespace = "shop") => np(name, namespace, { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [] }] });
const ns = (name: string): Manifest => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const owned = (m: Manifest, extra: Partial<OwnedRef> = {}): OwnedRef => ({ ...refOf(m), uid: `uid-${m.metadata.name}`, ...extra });
const names = (items: Array<{ kind: string; metadata?: { name: string }; name?: string }>) => items.map((i) => `${i.kind}/${i.metadata?.name ?? i.name}`);

describe("apply order", () => {
  it("namespaces, then allow policies (and anything else), then deny policies", () => {
    const out = orderForApply([np("deny"), allowNp("allow"), ns("shop"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "shop" } }]);
    expect(names(out)).toEqual(["Namespace/shop", "NetworkPolicy/allow", "ConfigMap/cm", "NetworkPolicy/deny"]);
  });

  it("a later duplicate wins, once", () => {
    const later = allowNp("a");
    expect(orderForApply([np("a"), later])).toEqual([later]);
  });

  it("tells deny policies from allow policies", () => {
    expect(isDenyPolicy(np("d"))).toBe(true);
    expect(isDenyPolicy(np("d", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] }))).toBe(false);
    expect(isDenyPolicy(allowNp("a"))).toBe(false);
    const anp = (action: string): Manifest => ({
      apiVersion: "policy.networking.k8s.io/v1alpha1",
      kind: "AdminNetworkPolicy",
      metadata: { name: "x" },
      spec: { priority: 1, subject: {}, ingress: [{ action, from: [] }] },
    });
    expect(isDenyPolicy(anp("Deny"))).toBe(true);
    expect(isDenyPolicy(anp("Allow"))).toBe(false);
    expect(applyPhase(ns("x"))).toBe(0);
  });
});

describe("ownership markers", () => {
  it("adds Isthmus's own label and owner annotation, keeping the manifest's", () => {
    const m = withOwnership({ ...np("a"), metadata: { name: "a", namespace: "shop", labels: { team: "x" } } }, "cl1");
    expect(m.metadata.labels).toEqual({ team: "x", "app.kubernetes.io/managed-by": "isthmus", "isthmus.io/owned": "true" });
    expect(carriesOwnership(m as never, "cl1")).toBe(true);
    expect(carriesOwnership(m as never, "other-cluster")).toBe(false);
    // The common managed-by label alone (set by anyone) is not ownership.
    expect(carriesOwnership({ metadata: { labels: { "app.kubernetes.io/managed-by": "isthmus" } } }, "cl1")).toBe(false);
  });
});

describe("planPrune", () => {
  it("removes only what Isthmus created and the bundle dropped", () => {
    const plan = planPrune([owned(np("a")), owned(np("b"))], [np("a")]);
    expect(names(plan.remove)).toEqual(["NetworkPolicy/b"]);
    expect(plan.remove[0]!.uid).toBe("uid-b");
  });

  it("removes deny policies before allow policies, and forgets namespaces instead of deleting them", () => {
    const plan = planPrune([owned(ns("shop")), owned(allowNp("allow")), owned(np("deny"), { deny: true })], []);
    expect(names(plan.remove)).toEqual(["NetworkPolicy/deny", "NetworkPolicy/allow"]);
    expect(names(plan.forget)).toEqual(["Namespace/shop"]);
  });

  it("treats an API version move as the same object", () => {
    const old = { ...refOf(np("a")), apiVersion: "networking.k8s.io/v1beta1", uid: "u" };
    expect(planPrune([old], [np("a")]).remove).toEqual([]);
    expect(refKey(old)).toBe(refKey(refOf(np("a"))));
  });
});
