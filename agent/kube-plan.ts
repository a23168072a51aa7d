// Pure planning for the kube target: what it owns, in which order to apply, what to
// prune. Kept free of I/O so the rules that can destroy things are unit-tested.
//
// Ownership is decided once, when an object is created: a create that answers 201 made
// the object Isthmus's (its UID is recorded); a 409 means someone else's, and that
// object is never modified or deleted. Ownership is never inferred from a label alone
// (anyone can set one), and never "given back" by applying a partial object: that
// leaves whatever the server defaults the rest to (a NetworkPolicy with no rules
// selects every pod and denies all ingress).
import type { Manifest } from "../protocol/index";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "isthmus";
/** Isthmus's own marker: `managed-by` is shared by convention with Helm, Argo CD and Flux tooling. */
export const OWNED_LABEL = "isthmus.io/owned";
/** The cluster (Isthmus id) whose agent created the object: lets a reinstalled agent recognise its own objects. */
export const OWNER_ANNOTATION = "isthmus.io/owner-cluster";
export const FIELD_MANAGER = "isthmus-agent";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** An object Isthmus created (201), with the UID it got: a later delete is conditional on it. */
export interface OwnedRef extends ObjectRef {
  uid: string;
  /** A policy that only denies: removed before the ones that allow, so pruning never cuts traffic either. */
  deny?: boolean;
  /**
   * Recorded by an agent from before UIDs were kept (uid ""): it created the object (it
   * did not mark it adopted), and marked it only with the common managed-by label. Its
   * UID is read from the object, and only while that label is still there.
   */
  legacy?: boolean;
}

/** API group without the version: moving networking.k8s.io/v1beta1 → v1 is the same object. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function refOf(m: Manifest): ObjectRef {
  const ref: ObjectRef = { apiVersion: m.apiVersion, kind: m.kind, name: m.metadata.name };
  if (m.metadata.namespace) ref.namespace = m.metadata.namespace;
  return ref;
}

export function refKey(r: Pick<ObjectRef, "apiVersion" | "kind" | "namespace" | "name">): string {
  return `${apiGroup(r.apiVersion)}/${r.kind}/${r.namespace ?? ""}/${r.name}`;
}

export const isNamespace = (r: { apiVersion: string; kind: string }) => r.kind === "Namespace" && apiGroup(r.apiVersion) === "";

/** The manifest with Isthmus's ownership markers, as it is created and applied. */
export function withOwnership(m: Manifest, clusterId: string): Manifest {
  const copy = structuredClone(m);
  const labels = (copy.metadata.labels ?? {}) as Record<string, string>;
  const annotations = (copy.metadata.annotations ?? {}) as Record<string, string>;
  copy.metadata.labels = { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [OWNED_LABEL]: "true" };
  copy.metadata.annotations = { ...annotations, [OWNER_ANNOTATION]: clusterId };
  return copy;
}

/** True when the live object carries the markers this cluster's agent puts on what it creates. */
export function carriesOwnership(live: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }, clusterId: string): boolean {
  return live.metadata?.labels?.[OWNED_LABEL] === "true" && live.metadata?.annotations?.[OWNER_ANNOTATION] === clusterId;
}

type Rules = { ingress?: unknown[]; egress?: unknown[]; policyTypes?: string[] } | undefined;

/**
 * A policy that only denies: a NetworkPolicy with policy types but no rule for them, or
 * an (Baseline)AdminNetworkPolicy whose every rule denies. Applied last, so traffic is
 * never cut before the policies that allow it are in place.
 */
export function isDenyPolicy(m: Manifest): boolean {
  const spec = (m as { spec?: unknown }).spec as Record<string, unknown> | undefined;
  if (m.kind === "NetworkPolicy") {
    const s = spec as Rules;
    const types = s?.policyTypes ?? ["Ingress"];
    return types.every((t) => ((t === "Ingress" ? s?.ingress : s?.egress) ?? []).length === 0);
  }
  if (m.kind === "AdminNetworkPolicy" || m.kind === "BaselineAdminNetworkPolicy") {
    const rules = [...((spec?.ingress as Array<{ action?: string }>) ?? []), ...((spec?.egress as Array<{ action?: string }>) ?? [])];
    return rules.length > 0 && rules.every((r) => r.action === "Deny");
  }
  return false;
}

/** 0 namespaces, 1 everything that allows (or is not a policy), 2 deny policies. */
export function applyPhase(m: Manifest): 0 | 1 | 2 {
  if (isNamespace(m)) return 0;
  return isDenyPolicy(m) ? 2 : 1;
}

/** The bundle's objects once each (a later duplicate wins, as kubectl does), in apply order. */
export function orderForApply(manifests: Manifest[]): Manifest[] {
  const desired = new Map<string, Manifest>();
  for (const m of manifests) {
    const key = refKey(refOf(m));
    desired.delete(key);
    desired.set(key, m);
  }
  const all = [...desired.values()];
  return [0, 1, 2].flatMap((phase) => all.filter((m) => applyPhase(m) === phase));
}

export interface PrunePlan {
  /** Created by Isthmus, gone from the bundle: delete (conditional on the recorded UID). Policies that deny go first. */
  remove: OwnedRef[];
  /**
   * Namespaces Isthmus created and no longer needs: left in place and forgotten.
   * Deleting one would delete every workload teams put there, and the shipped RBAC
   * grants no namespace delete.
   */
  forget: OwnedRef[];
}

export function planPrune(owned: OwnedRef[], desired: Manifest[]): PrunePlan {
  const keep = new Set(desired.map((m) => refKey(refOf(m))));
  const stale = owned.filter((r) => !keep.has(refKey(r))).sort((a, b) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0));
  const remove = stale.filter((r) => !isNamespace(r));
  return { remove: [...remove.filter((r) => r.deny), ...remove.filter((r) => !r.deny)], forget: stale.filter((r) => isNamespace(r)) };
}
