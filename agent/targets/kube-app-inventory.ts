// Reads what decides traffic in a real cluster besides what Isthmus applies: namespaces
// with labels, workloads (pod template labels and named container ports), and the
// NetworkPolicies / AdminNetworkPolicies / BaselineAdminNetworkPolicy that Isthmus did
// not create. ANP support is whether discovery serves the kind. Bounded: past the
// protocol's counts the read stops and the caller sends nothing rather than a cut-short
// picture.
import type { AppInventory } from "../../protocol/app-inventory";
import type { KubeHttp } from "./kube-http";

type Obj = {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: Array<{ controller?: boolean }> };
  spec?: Record<string, unknown>;
} & Record<string, unknown>;
type Workload = AppInventory["workloads"][number];

const MANAGED_BY = "app.kubernetes.io/managed-by";
const LIMITS = { namespaces: 2000, workloads: 5000, policies: 2000 };

const WORKLOADS: Array<{ kind: Workload["kind"]; path: string; template: string[] }> = [
  { kind: "Deployment", path: "/apis/apps/v1/deployments", template: ["spec", "template"] },
  { kind: "StatefulSet", path: "/apis/apps/v1/statefulsets", template: ["spec", "template"] },
  { kind: "DaemonSet", path: "/apis/apps/v1/daemonsets", template: ["spec", "template"] },
  { kind: "CronJob", path: "/apis/batch/v1/cronjobs", template: ["spec", "jobTemplate", "spec", "template"] },
];

const at = (o: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);

function portsOf(podSpec: unknown): Workload["ports"] {
  const out: Workload["ports"] = [];
  for (const c of (at(podSpec, ["containers"]) as unknown[] | undefined) ?? []) {
    for (const p of (at(c, ["ports"]) as Array<{ name?: string; containerPort?: number; protocol?: string }> | undefined) ?? []) {
      if (typeof p.containerPort !== "number") continue;
      out.push({ ...(p.name ? { name: p.name } : {}), port: p.containerPort, protocol: (p.protocol as Workload["ports"][number]["protocol"]) ?? "TCP" });
    }
  }
  return out.slice(0, 64);
}

class TooLarge extends Error {}

async function collect<T>(http: KubeHttp, path: string, limit: number, into: T[], map: (o: Obj) => T | null, pageSize?: number) {
  await http.listEach<Obj>(
    path,
    (items) => {
      for (const o of items) {
        const v = map(o);
        if (v !== null) into.push(v);
      }
      if (into.length > limit) throw new TooLarge(`${path}: more than ${limit}`);
    },
    pageSize,
  );
}

async function served(http: KubeHttp, apiVersion: string, kind: string): Promise<boolean> {
  return http.collectionPath(apiVersion, kind).then(
    () => true,
    () => false,
  );
}

/** The inventory, or a reason it cannot be sent (too large). */
export async function readAppInventory(http: KubeHttp, pageSize?: number): Promise<AppInventory> {
  const namespaces: AppInventory["namespaces"] = [];
  const workloads: Workload[] = [];
  const policies: AppInventory["policies"] = [];
  const notOurs = (o: Obj) => o.metadata?.labels?.[MANAGED_BY] !== "isthmus";
  const strip = (o: Obj, kind: string, apiVersion: string) => ({
    apiVersion,
    kind,
    metadata: { name: o.metadata?.name, ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), labels: o.metadata?.labels ?? {} },
    spec: o.spec ?? {},
  });

  await collect(
    http,
    "/api/v1/namespaces",
    LIMITS.namespaces,
    namespaces,
    (o) => (o.metadata?.name ? { name: o.metadata.name, labels: o.metadata.labels ?? {} } : null),
    pageSize,
  );
  for (const w of WORKLOADS) {
    await collect(
      http,
      w.path,
      LIMITS.workloads,
      workloads,
      (o) => {
        // A Deployment's ReplicaSets and a CronJob's Jobs are its pods; only the top owner is a peer.
        if (!o.metadata?.name || !o.metadata.namespace || o.metadata.ownerReferences?.some((r) => r.controller)) return null;
        const template = at(o, w.template);
        return {
          namespace: o.metadata.namespace,
          name: o.metadata.name,
          kind: w.kind,
          labels: (at(template, ["metadata", "labels"]) as Record<string, string>) ?? {},
          ports: portsOf(at(template, ["spec"])),
        };
      },
      pageSize,
    );
  }
  // Bare pods (no controller) are peers of their own.
  await collect(
    http,
    "/api/v1/pods",
    LIMITS.workloads,
    workloads,
    (o) => {
      if (!o.metadata?.name || !o.metadata.namespace || o.metadata.ownerReferences?.some((r) => r.controller)) return null;
      return { namespace: o.metadata.namespace, name: o.metadata.name, kind: "Pod" as const, labels: o.metadata.labels ?? {}, ports: portsOf(o.spec) };
    },
    pageSize,
  );
  await collect(
    http,
    "/apis/networking.k8s.io/v1/networkpolicies",
    LIMITS.policies,
    policies,
    (o) => (notOurs(o) ? strip(o, "NetworkPolicy", "networking.k8s.io/v1") : null),
    pageSize,
  );
  const anp = await served(http, "policy.networking.k8s.io/v1alpha1", "AdminNetworkPolicy");
  if (anp) {
    await collect(
      http,
      "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies",
      LIMITS.policies,
      policies,
      (o) => (notOurs(o) ? strip(o, "AdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1") : null),
      pageSize,
    );
    if (await served(http, "policy.networking.k8s.io/v1alpha1", "BaselineAdminNetworkPolicy")) {
      await collect(
        http,
        "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies",
        LIMITS.policies,
        policies,
        (o) => (notOurs(o) ? strip(o, "BaselineAdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1") : null),
        pageSize,
      );
    }
  }
  return { adminNetworkPolicy: anp, namespaces, workloads, policies };
}
