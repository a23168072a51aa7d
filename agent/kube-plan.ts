// Pure planning for the kube target: what to server-side apply, what to prune. Kept
// free of I/O so the rules that can destroy things are unit-tested.
import type { Manifest } from "../protocol/index";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "isthmus";
export const FIELD_MANAGER = "isthmus-agent";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /**
   * The object existed before the agent first applied it (e.g. an app namespace the
   * team created). Adopted objects are released, never deleted: the agent must only
   * destroy what it created.
   */
  adopted?: boolean;
}

export interface ApplyPlan {
  /** In apply order, each with the managed-by label added. */
  apply: Manifest[];
  /** Previously applied, created by the agent, gone from the bundle: delete, in this order. */
  prune: ObjectRef[];
  /** Gone from the bundle but not the agent's to delete (adopted, or a namespace): give up ownership, keep the object. */
  release: ObjectRef[];
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

const isNamespace = (r: { apiVersion: string; kind: string }) => r.kind === "Namespace" && apiGroup(r.apiVersion) === "";

export function withManagedLabel(m: Manifest): Manifest {
  const copy = structuredClone(m);
  const labels = (copy.metadata.labels ?? {}) as Record<string, string>;
  copy.metadata.labels = { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  return copy;
}

export interface PlanOptions {
  /**
   * Off by default: deleting a namespace deletes every workload in it, including ones
   * teams put there after the agent created it, and the shipped RBAC grants no
   * namespace delete. Dropped namespaces are then released instead.
   */
  deleteNamespaces?: boolean;
}

export function planApply(previous: ObjectRef[], manifests: Manifest[], opts: PlanOptions = {}): ApplyPlan {
  // A duplicate in the bundle is the same object twice; the later one wins, as kubectl does.
  const desired = new Map<string, Manifest>();
  for (const m of manifests) {
    const key = refKey(refOf(m));
    desired.delete(key);
    desired.set(key, m);
  }
  // Namespaces first: the objects inside them cannot be created before they exist.
  const ordered = [...desired.values()];
  const apply = [...ordered.filter((m) => isNamespace(m)), ...ordered.filter((m) => !isNamespace(m))].map(withManagedLabel);

  const gone = new Map<string, ObjectRef>();
  for (const ref of previous) {
    const key = refKey(ref);
    if (!desired.has(key)) gone.set(key, ref);
  }
  const byKey = (a: ObjectRef, b: ObjectRef) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0);
  const stale = [...gone.values()].sort(byKey);
  // Namespaces last: deleting one takes its contents with it, so everything the agent
  // owns inside is removed explicitly (and reported) first.
  const deletable = (r: ObjectRef) => !r.adopted && (opts.deleteNamespaces || !isNamespace(r));
  const owned = stale.filter(deletable);
  const prune = [...owned.filter((r) => !isNamespace(r)), ...owned.filter((r) => isNamespace(r))];
  const release = stale.filter((r) => !deletable(r));
  return { apply, prune, release };
}
