import { describe, expect, it } from "vitest";
import type { Manifest } from "../protocol/index";
import { MANAGED_BY_LABEL, planApply, refKey, refOf, type ObjectRef } from "./kube-plan";

const np = (name: string, namespace = "shop", labels?: Record<string, string>): Manifest => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { podSelector: {} },
});
const ns = (name: string): Manifest => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const ref = (m: Manifest, extra: Partial<ObjectRef> = {}): ObjectRef => ({ ...refOf(m), ...extra });
const names = (items: Array<{ kind: string; metadata?: { name: string }; name?: string }>) =>
  items.map((i) => `${i.kind}/${i.metadata?.name ?? i.name}`);

describe("planApply", () => {
  it("re-applies unchanged objects and prunes nothing", () => {
    const bundle = [np("a"), np("b")];
    const plan = planApply(bundle.map((m) => ref(m)), bundle);
    expect(names(plan.apply)).toEqual(["NetworkPolicy/a", "NetworkPolicy/b"]);
    expect(plan.prune).toEqual([]);
    expect(plan.release).toEqual([]);
  });

  it("applies added objects", () => {
    const plan = planApply([ref(np("a"))], [np("a"), np("b")]);
    expect(names(plan.apply)).toEqual(["NetworkPolicy/a", "NetworkPolicy/b"]);
    expect(plan.prune).toEqual([]);
  });

  it("prunes objects it applied before that the bundle no longer holds", () => {
    const plan = planApply([ref(np("a")), ref(np("b")), ref(np("c", "other"))], [np("a")]);
    expect(plan.prune.map(refKey)).toEqual(["networking.k8s.io/NetworkPolicy/other/c", "networking.k8s.io/NetworkPolicy/shop/b"]);
  });

  it("never prunes objects it did not apply", () => {
    // Only `previous` is ever pruned; objects in the cluster the agent never applied are unknown to the plan.
    expect(planApply([], []).prune).toEqual([]);
    expect(planApply([], [np("a")]).prune).toEqual([]);
    const plan = planApply([ref(np("mine"))], []);
    expect(plan.prune.map((r) => r.name)).toEqual(["mine"]);
  });

  it("releases instead of deleting objects that existed before the agent adopted them", () => {
    const plan = planApply([ref(ns("payments"), { adopted: true }), ref(np("x", "payments"), { adopted: true }), ref(np("y", "payments"))], []);
    expect(plan.prune.map((r) => r.name)).toEqual(["y"]);
    expect(plan.release.map((r) => r.name).sort()).toEqual(["payments", "x"]);
  });

  it("applies namespaces first and, when allowed to delete them, prunes them last", () => {
    const plan = planApply([], [np("a", "shop"), ns("shop"), np("b", "pay"), ns("pay")]);
    expect(names(plan.apply)).toEqual(["Namespace/shop", "Namespace/pay", "NetworkPolicy/a", "NetworkPolicy/b"]);
    const prev = [ref(ns("shop")), ref(np("a", "shop")), ref(ns("pay")), ref(np("b", "pay"))];
    const gone = planApply(prev, [], { deleteNamespaces: true });
    expect(names(gone.prune)).toEqual(["NetworkPolicy/b", "NetworkPolicy/a", "Namespace/pay", "Namespace/shop"]);
    expect(gone.release).toEqual([]);
  });

  it("by default releases namespaces it created rather than deleting them", () => {
    const gone = planApply([ref(ns("shop")), ref(np("a", "shop"))], []);
    expect(names(gone.prune)).toEqual(["NetworkPolicy/a"]);
    expect(names(gone.release)).toEqual(["Namespace/shop"]);
  });

  it("orders the same way whatever order the previous list came in", () => {
    const prev = [ref(np("b")), ref(ns("z")), ref(np("a")), ref(ns("y"))];
    const a = planApply(prev, [], { deleteNamespaces: true }).prune.map(refKey);
    const b = planApply([...prev].reverse(), [], { deleteNamespaces: true }).prune.map(refKey);
    expect(a).toEqual(b);
  });

  it("adds the managed-by label, keeps existing labels and leaves the input untouched", () => {
    const input = np("a", "shop", { team: "web" });
    const plan = planApply([], [input, ns("shop")]);
    expect(plan.apply.map((m) => m.metadata.labels)).toEqual([
      { [MANAGED_BY_LABEL]: "isthmus" },
      { team: "web", [MANAGED_BY_LABEL]: "isthmus" },
    ]);
    expect(input.metadata.labels).toEqual({ team: "web" });
  });

  it("treats an API version bump as the same object, and a duplicate as one object", () => {
    const v1beta = { ...np("a"), apiVersion: "networking.k8s.io/v1beta1" };
    const plan = planApply([ref(v1beta)], [np("a"), np("a")]);
    expect(plan.apply).toHaveLength(1);
    expect(plan.prune).toEqual([]);
  });

  it("tells apart objects of the same name in different namespaces or kinds", () => {
    const plan = planApply([ref(np("a", "one"))], [np("a", "two"), ns("a")]);
    expect(plan.prune.map(refKey)).toEqual(["networking.k8s.io/NetworkPolicy/one/a"]);
  });
});
