// Manifests (YAML or JSON text, several documents per file, Lists) into an Inventory.
// Pure: the caller reads the files. Anything that cannot be analysed is skipped with
// a warning naming the file and the object, so a partial folder still gives a report.
import { parseAllDocuments } from "yaml";
import type { Protocol } from "./conn-set";
import { FieldError, adminPolicy, networkPolicy } from "./parse-policies";
import type { AdminPolicy, ContainerPort, Inventory, Labels, NetworkPolicy, Workload } from "./types";

export interface ManifestFile {
  path: string;
  text: string;
}

export interface ParseResult {
  inventory: Inventory;
  warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATH: Record<string, string[]> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

const POLICY_API: Record<string, string> = {
  NetworkPolicy: "networking.k8s.io/v1",
  AdminNetworkPolicy: "policy.networking.k8s.io/v1alpha1",
  BaselineAdminNetworkPolicy: "policy.networking.k8s.io/v1alpha1",
};

function labelsOf(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, val]) => typeof val === "string" || typeof val === "number" || typeof val === "boolean")
      .map(([k, val]) => [k, String(val)]),
  );
}

function portsOf(podSpec: unknown): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of Array.isArray(get(podSpec, "containers")) ? (get(podSpec, "containers") as unknown[]) : []) {
    for (const p of Array.isArray(get(c, "ports")) ? (get(c, "ports") as unknown[]) : []) {
      const port = get(p, "containerPort");
      if (typeof port !== "number") continue;
      const name = get(p, "name");
      const protocol = (get(p, "protocol") as Protocol | undefined) ?? "TCP";
      out.push({ name: typeof name === "string" ? name : undefined, port, protocol });
    }
  }
  return out;
}

interface Raw {
  obj: Obj;
  where: string;
}

type Document = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * A file's documents. A `.json` file is one JSON text, read with JSON.parse (a YAML
 * parser is several times slower on a large export); anything JSON.parse refuses (YAML
 * in a .json file, several documents) goes through the YAML reader, which also reads JSON.
 */
function documents(file: ManifestFile): Document[] {
  if (/\.json$/i.test(file.path)) {
    try {
      return [{ ok: true, value: JSON.parse(file.text) }];
    } catch {
      // Not plain JSON: the YAML reader says what is wrong, as for any other file.
    }
  }
  const docs = parseAllDocuments(file.text);
  return (Array.isArray(docs) ? docs : [docs]).map((doc): Document =>
    doc.errors.length ? { ok: false, error: doc.errors[0].message.split("\n")[0] } : { ok: true, value: doc.toJS() },
  );
}

/** Documents flattened: Lists (kind List or any *List with items) are opened. */
function* objects(files: readonly ManifestFile[], warnings: string[]): Generator<Raw> {
  for (const file of files) {
    for (const [i, doc] of documents(file).entries()) {
      if (!doc.ok) {
        warnings.push(`${file.path}: document ${i + 1} is not valid YAML or JSON (${doc.error}); skipped`);
        continue;
      }
      const stack: unknown[] = [doc.value];
      while (stack.length) {
        const v = stack.shift();
        if (v === null || v === undefined) continue;
        if (Array.isArray(v)) {
          stack.push(...v); // a bare JSON array of objects, as some exporters write
          continue;
        }
        if (!isObj(v) || typeof v.kind !== "string") {
          warnings.push(`${file.path}: document ${i + 1} has no kind; skipped`);
          continue;
        }
        if (v.kind.endsWith("List") && Array.isArray(v.items)) {
          // Items of a typed list (kubectl get -o yaml writes NamespaceList, PodList…)
          // carry no kind of their own: they are of the list's item kind.
          const itemKind = v.kind === "List" ? undefined : v.kind.slice(0, -"List".length);
          stack.push(
            ...v.items.map((item) => (itemKind && isObj(item) && item.kind === undefined ? { apiVersion: v.apiVersion, ...item, kind: itemKind } : item)),
          );
        } else yield { obj: v, where: file.path };
      }
    }
  }
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export function parseManifests(files: readonly ManifestFile[]): ParseResult {
  const warnings: string[] = [];
  const namespaces = new Map<string, Labels>();
  const workloads = new Map<string, Workload & { owner?: string }>();
  const pods: Array<{ ns: string; name: string; labels: Labels; ports: ContainerPort[]; owner?: { kind: string; name: string } }> = [];
  const nps = new Map<string, NetworkPolicy>();
  const anps = new Map<string, AdminPolicy>();
  const banps = new Map<string, AdminPolicy>();

  // Files in a stable order, so which duplicate wins never depends on the file system.
  const sorted = [...files].sort(byKey((f) => f.path));
  for (const { obj, where } of objects(sorted, warnings)) {
    const kind = obj.kind as string;
    const name = String(get(obj, "metadata", "name") ?? "");
    const ns = String(get(obj, "metadata", "namespace") ?? "default");
    const label = `${kind} ${kind === "Namespace" || kind.endsWith("AdminNetworkPolicy") ? name : `${ns}/${name}`} (${where})`;
    if (!name) {
      warnings.push(`${kind} without metadata.name (${where}); skipped`);
      continue;
    }
    const controller =
      ((get(obj, "metadata", "ownerReferences") as unknown[] | undefined) ?? []).find((r) => get(r, "controller") === true) ??
      (get(obj, "metadata", "ownerReferences") as unknown[] | undefined)?.[0];
    // Only a workload controller makes pods one peer: a static pod's owner is its Node.
    const owner =
      controller && TEMPLATE_PATH[String(get(controller, "kind"))]
        ? { kind: String(get(controller, "kind")), name: String(get(controller, "name")) }
        : undefined;
    try {
      if (kind === "Namespace") {
        namespaces.set(name, { ...labelsOf(get(obj, "metadata", "labels")), "kubernetes.io/metadata.name": name });
      } else if (kind === "Pod") {
        pods.push({ ns, name, labels: labelsOf(get(obj, "metadata", "labels")), ports: portsOf(get(obj, "spec")), owner });
      } else if (TEMPLATE_PATH[kind]) {
        const template = get(obj, ...TEMPLATE_PATH[kind]);
        const key = `${ns}/${kind}/${name}`;
        if (workloads.has(key)) warnings.push(`${label}: duplicate; the first one is kept`);
        else
          workloads.set(key, {
            namespace: ns,
            name,
            kind,
            labels: labelsOf(get(template, "metadata", "labels")),
            ports: portsOf(get(template, "spec")),
            owner: owner && `${ns}/${owner.kind}/${owner.name}`,
          });
      } else if (POLICY_API[kind]) {
        if (obj.apiVersion !== POLICY_API[kind]) throw new FieldError(`apiVersion: expected ${POLICY_API[kind]}, got ${String(obj.apiVersion)}`);
        if (kind === "NetworkPolicy") setOnce(nps, `${ns}/${name}`, networkPolicy(obj, ns, name), label, warnings);
        else if (kind === "AdminNetworkPolicy") setOnce(anps, name, adminPolicy(obj, kind, name), label, warnings);
        // The CRD admits one BaselineAdminNetworkPolicy per cluster, named "default".
        else if (name !== "default") throw new FieldError(`metadata.name: must be "default"`);
        else setOnce(banps, name, adminPolicy(obj, "BaselineAdminNetworkPolicy", name), label, warnings);
      } else {
        warnings.push(`${label}: kind ${kind} is not analysed; skipped`);
      }
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      warnings.push(`${label}: ${e.message}; skipped`);
    }
  }

  // A ReplicaSet owned by a Deployment in the same folder is that Deployment's pods, not
  // a peer of its own; likewise a Job of a CronJob.
  const top = (key: string): string => {
    const seen = new Set<string>();
    let k = key;
    while (workloads.get(k)?.owner && workloads.has(workloads.get(k)!.owner!) && !seen.has(k)) {
      seen.add(k);
      k = workloads.get(k)!.owner!;
    }
    return k;
  };
  const peers = new Map<string, Workload>();
  for (const [key, w] of workloads)
    if (top(key) === key) peers.set(key, { namespace: w.namespace, name: w.name, kind: w.kind, labels: w.labels, ports: w.ports });
  // Pods join their owning workload. A pod whose owner is not in the folder stands for
  // that owner (as a live cluster's ReplicaSet would); an unowned pod is its own peer.
  const declared = new Set(peers.keys());
  for (const p of pods.sort(byKey((x) => `${x.ns}/${x.name}`))) {
    const ownerKey = p.owner ? top(`${p.ns}/${p.owner.kind}/${p.owner.name}`) : undefined;
    if (ownerKey && declared.has(ownerKey)) continue;
    const key = ownerKey ?? `${p.ns}/Pod/${p.name}`;
    const seen = peers.get(key);
    if (!seen) peers.set(key, { namespace: p.ns, name: p.owner?.name ?? p.name, kind: p.owner?.kind ?? "Pod", labels: p.labels, ports: p.ports });
    else if (podShape(seen.labels, seen.ports) !== podShape(p.labels, p.ports)) {
      // One peer per owner assumes its pods look alike; say so when they do not.
      warnings.push(
        `Pod ${p.ns}/${p.name}: its labels or ports differ from those of its owner's other pods; ${seen.kind} ${p.ns}/${seen.name} is analysed with the first pod's`,
      );
    }
  }
  for (const w of peers.values()) if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, { "kubernetes.io/metadata.name": w.namespace });

  // "If two (or more) policies with the same priority could both match a connection,
  // then the implementation can apply any of the matching policies": say so.
  const byPriority = new Map<number, string[]>();
  for (const p of anps.values()) byPriority.set(p.priority, [...(byPriority.get(p.priority) ?? []), p.name]);
  for (const [priority, names] of byPriority) {
    if (names.length > 1)
      warnings.push(
        `AdminNetworkPolicies ${names.sort().join(", ")} share priority ${priority}: where both match, the result depends on the implementation (evaluated here in name order)`,
      );
  }

  return {
    inventory: {
      namespaces: [...namespaces].map(([name, labels]) => ({ name, labels })).sort(byKey((n) => n.name)),
      workloads: [...peers.values()].sort(byKey((w) => `${w.namespace}/${w.name}[${w.kind}]`)),
      networkPolicies: [...nps.values()].sort(byKey((p) => `${p.namespace}/${p.name}`)),
      adminPolicies: [...anps.values()].sort(byKey((p) => p.name)),
      baselinePolicies: [...banps.values()].sort(byKey((p) => p.name)),
    },
    warnings,
  };
}

// Labels that differ between the pods of one StatefulSet by design.
const PER_POD_LABELS = new Set(["statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"]);
const podShape = (labels: Labels, ports: ContainerPort[]) =>
  JSON.stringify([
    Object.entries(labels)
      .filter(([k]) => !PER_POD_LABELS.has(k))
      .sort(),
    [...ports].map((p) => `${p.name}/${p.port}/${p.protocol}`).sort(),
  ]);

function setOnce<T>(map: Map<string, T>, key: string, value: T, label: string, warnings: string[]) {
  if (map.has(key)) warnings.push(`${label}: duplicate; the first one is kept`);
  else map.set(key, value);
}
