// A small Kubernetes API server for tests (node:http on 127.0.0.1). No real API server
// can run where the tests run, and the agent's safety rules depend on exactly the
// behaviours below, so each one follows the documented behaviour of the real server
// (the page is cited beside it) rather than whatever the agent happens to send.
//
// Deliberate simplifications: lists inside an object are atomic for field ownership
// (true of the NetworkPolicy fields Isthmus emits: `ingress`, `egress`, `policyTypes`
// are `x-kubernetes-list-type: atomic`), selectors are ignored, and schemas are known
// for the kinds the agent handles only.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Meta };
interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: Array<{ manager: string; operation: "Apply" | "Update"; fields: string[] }>;
  [k: string]: unknown;
}

interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Top-level and nested keys the schema knows; `*` accepts any key below it. Used for fieldValidation=Strict. */
  fields: string[];
}

const META_FIELDS = [
  "name",
  "namespace",
  "labels",
  "labels.*",
  "annotations",
  "annotations.*",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "managedFields.*",
  "generateName",
  "finalizers",
  "ownerReferences",
];
const meta = META_FIELDS.map((f) => `metadata.${f}`);
const POLICY_FIELDS = ["spec", "spec.podSelector", "spec.podSelector.*", "spec.policyTypes", "spec.ingress", "spec.egress"];

export const RESOURCES: Resource[] = [
  { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  {
    group: "",
    version: "v1",
    plural: "secrets",
    kind: "Secret",
    namespaced: true,
    fields: [...meta, "type", "data", "data.*", "stringData", "stringData.*", "immutable"],
  },
  { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, fields: [...meta, "data", "data.*", "binaryData", "binaryData.*"] },
  { group: "networking.k8s.io", version: "v1", plural: "networkpolicies", kind: "NetworkPolicy", namespaced: true, fields: [...meta, ...POLICY_FIELDS] },
  {
    group: "networking.k8s.io",
    version: "v1",
    plural: "servicecidrs",
    kind: "ServiceCIDR",
    namespaced: false,
    fields: [...meta, "spec", "spec.cidrs", "status", "status.*"],
  },
  { group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", namespaced: true, fields: [...meta, "spec", "spec.*"] },
  { group: "crd.projectcalico.org", version: "v1", plural: "ippools", kind: "IPPool", namespaced: false, fields: [...meta, "spec", "spec.*"] },
  {
    group: "policy.networking.k8s.io",
    version: "v1alpha1",
    plural: "adminnetworkpolicies",
    kind: "AdminNetworkPolicy",
    namespaced: false,
    fields: [...meta, "spec", "spec.*"],
  },
  // Workloads, read (never written) for the application inventory.
  { group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  { group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  { group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
  { group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true, fields: [...meta, "spec", "spec.*", "status", "status.*"] },
];

const gv = (r: Resource) => (r.group ? `${r.group}/${r.version}` : r.version);

// Field paths join keys with a character no key holds: label and annotation keys contain
// dots ("app.kubernetes.io/managed-by"). Shown with dots in messages, as the API does.
const SEP = "\u001f";
const shown = (p: string) => `.${p.split(SEP).join(".")}`;

/** Leaf field paths of an object, as SSA tracks ownership (lists atomic, see above). */
export function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}${SEP}${k}` : k));
}

const IDENTITY = new Set(["apiVersion", "kind", `metadata${SEP}name`, `metadata${SEP}namespace`]);
const SERVER_SET = new RegExp(`^metadata${SEP}(uid|resourceVersion|generation|creationTimestamp|managedFields)(${SEP}|$)`);
const ownedPaths = (o: unknown) => leafPaths(o).filter((p) => !IDENTITY.has(p) && !SERVER_SET.test(p));

function getPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split(SEP)) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}
function setPath(o: Record<string, unknown>, path: string, v: unknown) {
  const keys = path.split(SEP);
  let cur = o;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[keys.at(-1) as string] = structuredClone(v);
}
function deletePath(o: Record<string, unknown>, path: string) {
  const keys = path.split(SEP);
  const stack: Array<Record<string, unknown>> = [o];
  for (const k of keys.slice(0, -1)) {
    const next = stack.at(-1)?.[k];
    if (!next || typeof next !== "object") return;
    stack.push(next as Record<string, unknown>);
  }
  delete stack.at(-1)![keys.at(-1) as string];
  // Empty parent maps disappear with their last field.
  for (let i = stack.length - 1; i > 0; i--) if (Object.keys(stack[i]!).length === 0) delete stack[i - 1]![keys[i - 1] as string];
}

function unknownFields(r: Resource, body: unknown): string[] {
  const known = new Set(r.fields);
  const out: string[] = [];
  const walk = (v: unknown, prefix: string) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!prefix && (k === "apiVersion" || k === "kind")) continue;
      if (known.has(`${prefix}.*`)) continue;
      if (!known.has(path) && !r.fields.some((f) => f.startsWith(`${path}.`))) {
        out.push(path);
        continue;
      }
      walk(child, path);
    }
  };
  walk(body, "");
  return out;
}

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  body?: unknown;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  message?: string;
  /** Fail only this many times (default: always). */
  times?: number;
  /** Only requests that would change something (not dryRun=All). */
  realOnly?: boolean;
}

export class FakeKubeApi {
  readonly objects = new Map<string, Obj>();
  readonly calls: FakeCall[] = [];
  readonly faults: Fault[] = [];
  gitVersion = "v1.33.1";
  /** Runs before each request is handled (after it is recorded): lets a test order concurrent requests. */
  beforeHandle?: (method: string, path: string) => Promise<void>;
  private rv = 100;
  private server!: http.Server;
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  reset(): void {
    this.beforeHandle = undefined;
    this.objects.clear();
    this.calls.length = 0;
    this.faults.length = 0;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "c", server: this.url, skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    return kc;
  }

  /** Path of an object, as the API addresses it. */
  pathOf(apiVersion: string, kind: string, name: string, namespace?: string): string {
    const r = RESOURCES.find((x) => gv(x) === apiVersion && x.kind === kind);
    if (!r) throw new Error(`fake API: no resource for ${apiVersion} ${kind}`);
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    return `${base}${r.namespaced ? `/namespaces/${namespace}` : ""}/${r.plural}/${name}`;
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): Obj | undefined {
    return this.objects.get(this.pathOf(apiVersion, kind, name, namespace));
  }

  /** Puts an object in place as another client would (`manager` owns all its fields, by Update). */
  seed(obj: Record<string, unknown>, manager = "kubectl", operation: "Apply" | "Update" = "Update"): Obj {
    const o = structuredClone(obj) as Obj;
    o.metadata = { ...o.metadata, uid: randomUUID(), resourceVersion: String(++this.rv) };
    o.metadata.managedFields = [{ manager, operation, fields: ownedPaths(obj) }];
    this.objects.set(this.pathOf(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace), o);
    return o;
  }

  /** An edit by another client: the fields it sets become its own (an Update takes ownership without conflict). */
  edit(apiVersion: string, kind: string, name: string, namespace: string | undefined, fields: Record<string, unknown>, manager = "kubectl"): void {
    const o = this.get(apiVersion, kind, name, namespace);
    if (!o) throw new Error("fake API: edit of a missing object");
    for (const [dotted, v] of Object.entries(fields)) {
      const p = dotted.split(".").join(SEP);
      setPath(o, p, v);
      for (const mf of o.metadata.managedFields ?? []) mf.fields = mf.fields.filter((f) => f !== p && !f.startsWith(`${p}${SEP}`));
      const mine = (o.metadata.managedFields ??= []).find((m) => m.manager === manager && m.operation === "Update");
      const leaves = leafPaths(v, p);
      if (mine) mine.fields.push(...leaves);
      else o.metadata.managedFields.push({ manager, operation: "Update", fields: leaves });
    }
    o.metadata.resourceVersion = String(++this.rv);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return status(res, 400, "BadRequest", "body is not JSON (this fake accepts the JSON subset of YAML only)");
    }
    const method = req.method ?? "GET";
    this.calls.push({ method, path: url.pathname, query: url.searchParams, contentType: req.headers["content-type"], body });
    await this.beforeHandle?.(method, url.pathname);
    for (const f of this.faults) {
      if ((f.method && f.method !== method) || !f.path.test(url.pathname) || f.times === 0) continue;
      if (f.realOnly && url.searchParams.get("dryRun") === "All") continue;
      if (f.times !== undefined) f.times--;
      const reason =
        ({ 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 422: "Invalid", 500: "InternalError" } as Record<number, string>)[
          f.status
        ] ?? "Unknown";
      return status(res, f.status, reason, f.message ?? `injected ${f.status}`);
    }
    try {
      this.route(method, url, body, req.headers["content-type"], res);
    } catch (err) {
      status(res, 500, "InternalError", String(err));
    }
  }

  private route(method: string, url: URL, body: unknown, contentType: string | undefined, res: http.ServerResponse) {
    const p = url.pathname;
    if (p === "/version") return json(res, 200, { major: "1", minor: "33", gitVersion: this.gitVersion, platform: "linux/amd64" });
    // Discovery: https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
    const disc = RESOURCES.filter((r) => (r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`) === p);
    if (method === "GET" && disc.length) {
      return json(res, 200, {
        kind: "APIResourceList",
        groupVersion: gv(disc[0]!),
        resources: disc.map((r) => ({ name: r.plural, namespaced: r.namespaced, kind: r.kind, verbs: ["get", "list", "create", "update", "patch", "delete"] })),
      });
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    const nsOnly = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(p);
    let r: Resource | undefined;
    let namespace: string | undefined;
    let name: string | undefined;
    if (nsOnly) {
      r = RESOURCES.find((x) => x.kind === "Namespace");
      name = nsOnly[1];
    } else if (m) {
      const group = m[1] ? "" : (m[2] as string);
      const version = m[1] ?? (m[3] as string);
      r = RESOURCES.find((x) => x.group === group && x.version === version && x.plural === m[5]);
      namespace = m[4];
      name = m[6];
      if (r && !r.namespaced && namespace) r = undefined;
    }
    if (!r) return status(res, 404, "NotFound", `the server could not find the requested resource ${p}`);
    const key = (n: string) => this.pathOf(gv(r), r.kind, n, namespace);
    const dryRun = url.searchParams.get("dryRun") === "All";
    const strict = url.searchParams.get("fieldValidation") === "Strict";

    if (method === "GET" && !name) return this.list(r, namespace, url, res);
    if (method === "GET") {
      const o = this.objects.get(key(name!));
      return o ? json(res, 200, o) : status(res, 404, "NotFound", `${r.plural} "${name}" not found`);
    }
    // A namespaced object cannot be written into a namespace that does not exist:
    // https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
    const nsMissing = () => r.namespaced && namespace && !this.objects.has(`/api/v1/namespaces/${namespace}`);
    const validate = (o: unknown): string | null => {
      if (!strict) return null;
      // fieldValidation=Strict: an unknown or duplicate field fails the request with 400
      // instead of being dropped. https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
      const unknown = unknownFields(r, o);
      return unknown.length ? `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(", ")}` : null;
    };

    if (method === "POST") {
      // Create: 201 Created with a new uid, 409 AlreadyExists if the name is taken.
      // https://kubernetes.io/docs/reference/using-api/api-concepts/#api-verbs and
      // https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
      const o = body as Obj;
      const bad = validate(o);
      if (bad) return status(res, 400, "BadRequest", bad);
      if (nsMissing()) return status(res, 404, "NotFound", `namespaces "${namespace}" not found`);
      if (this.objects.has(key(o.metadata.name))) return status(res, 409, "AlreadyExists", `${r.plural} "${o.metadata.name}" already exists`);
      const manager = url.searchParams.get("fieldManager") ?? "unknown";
      const created = this.stamp(structuredClone(o), r, namespace);
      created.metadata.managedFields = [{ manager, operation: "Update", fields: ownedPaths(o) }];
      // dryRun=All runs every stage but persistence and returns what would be stored:
      // https://kubernetes.io/docs/reference/using-api/api-concepts/#dry-run
      if (!dryRun) this.objects.set(key(o.metadata.name), created);
      return json(res, 201, created);
    }
    if (method === "PUT") {
      // Replace with optimistic concurrency: a stale metadata.resourceVersion gets 409.
      // https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
      const o = body as Obj;
      const cur = this.objects.get(key(name!));
      if (!cur) return status(res, 404, "NotFound", `${r.plural} "${name}" not found`);
      const bad = validate(o);
      if (bad) return status(res, 400, "BadRequest", bad);
      if (o.metadata.resourceVersion && o.metadata.resourceVersion !== cur.metadata.resourceVersion) {
        return status(
          res,
          409,
          "Conflict",
          `Operation cannot be fulfilled on ${r.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      }
      const next = structuredClone(o);
      next.metadata = { ...next.metadata, uid: cur.metadata.uid, resourceVersion: String(++this.rv), managedFields: cur.metadata.managedFields };
      if (!dryRun) this.objects.set(key(name!), next);
      return json(res, 200, next);
    }
    if (method === "PATCH" && contentType === "application/apply-patch+yaml")
      return this.apply(r, namespace, name!, body as Obj, url, res, validate, !!nsMissing());
    if (method === "DELETE") {
      const cur = this.objects.get(key(name!));
      if (!cur) return status(res, 404, "NotFound", `${r.plural} "${name}" not found`);
      // DeleteOptions.preconditions: the delete only happens if uid/resourceVersion still match (409 otherwise).
      // https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/delete-options/
      const pre = (body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        return status(res, 409, "Conflict", `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        return status(
          res,
          409,
          "Conflict",
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
        );
      }
      if (!dryRun) {
        this.objects.delete(key(name!));
        // Deleting a namespace deletes everything in it.
        if (r.kind === "Namespace") for (const k of [...this.objects.keys()]) if (k.includes(`/namespaces/${name}/`)) this.objects.delete(k);
      }
      return json(res, 200, { kind: "Status", apiVersion: "v1", status: "Success" });
    }
    return status(res, 405, "MethodNotAllowed", `${method} not supported by the fake`);
  }

  /**
   * Server-side apply: https://kubernetes.io/docs/reference/using-api/server-side-apply/
   * - `fieldManager` is required for apply; the applier owns exactly the fields it sent.
   * - A field set by another manager to a different value is a conflict (409, reason
   *   Conflict, one cause per field naming the manager) unless `force=true`, which moves
   *   ownership to the applier. The same value shared is not a conflict.
   * - A field the applier owned before and left out now is removed, unless another
   *   manager also owns it.
   * - Applying to a name that does not exist creates the object (201).
   */
  private apply(
    r: Resource,
    namespace: string | undefined,
    name: string,
    o: Obj,
    url: URL,
    res: http.ServerResponse,
    validate: (o: unknown) => string | null,
    nsMissing: boolean,
  ) {
    const manager = url.searchParams.get("fieldManager");
    if (!manager) return status(res, 422, "Invalid", 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const bad = validate(o);
    if (bad) return status(res, 400, "BadRequest", bad);
    if (nsMissing) return status(res, 404, "NotFound", `namespaces "${namespace}" not found`);
    const force = url.searchParams.get("force") === "true";
    const dryRun = url.searchParams.get("dryRun") === "All";
    const key = this.pathOf(gv(r), r.kind, name, namespace);
    const cur = this.objects.get(key);
    const mine = ownedPaths(o);
    if (!cur) {
      const created = this.stamp(structuredClone(o), r, namespace);
      created.metadata.managedFields = [{ manager, operation: "Apply", fields: mine }];
      if (!dryRun) this.objects.set(key, created);
      return json(res, 201, created);
    }
    const next = structuredClone(cur);
    const fields = structuredClone(cur.metadata.managedFields ?? []);
    const conflicts: Array<{ manager: string; field: string }> = [];
    for (const f of mine) {
      for (const mf of fields) {
        if (mf.manager === manager && mf.operation === "Apply") continue;
        const hit = mf.fields.find((x) => x === f || x.startsWith(`${f}${SEP}`) || f.startsWith(`${x}${SEP}`));
        if (hit && JSON.stringify(getPath(cur, hit)) !== JSON.stringify(getPath(o, hit))) conflicts.push({ manager: mf.manager, field: shown(hit) });
      }
    }
    if (conflicts.length && !force) {
      return json(res, 409, {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Conflict",
        code: 409,
        message: `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? "s" : ""}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join(", ")}`,
        details: {
          name,
          kind: r.plural,
          causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.manager}"`, field: c.field })),
        },
      });
    }
    const prev = fields.find((mf) => mf.manager === manager && mf.operation === "Apply");
    const others = fields.filter((mf) => mf !== prev);
    for (const mf of others) mf.fields = mf.fields.filter((x) => !mine.some((f) => x === f || x.startsWith(`${f}${SEP}`) || f.startsWith(`${x}${SEP}`)));
    for (const f of prev?.fields ?? []) {
      if (!mine.includes(f) && !others.some((mf) => mf.fields.includes(f))) deletePath(next, f);
    }
    for (const f of mine) setPath(next, f, getPath(o, f));
    next.metadata.managedFields = [...others.filter((mf) => mf.fields.length), { manager, operation: "Apply", fields: mine }];
    next.metadata.resourceVersion = String(++this.rv);
    if (!dryRun) this.objects.set(key, next);
    return json(res, 200, next);
  }

  /**
   * Lists are chunked with `limit` and `continue`: each page carries
   * `metadata.continue` until the last. https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
   */
  private list(r: Resource, namespace: string | undefined, url: URL, res: http.ServerResponse) {
    const prefix = this.pathOf(gv(r), r.kind, "", namespace);
    // A namespaced kind listed without a namespace: every namespace's objects, as the API server does.
    const base = gv(r).includes("/") ? `/apis/${gv(r)}` : `/api/${gv(r)}`;
    const across = r.namespaced && !namespace ? new RegExp(`^${base.replace(/[.]/g, "\\.")}/namespaces/[^/]+/${r.plural}/[^/]+$`) : null;
    const all = [...this.objects.entries()]
      .filter(([k]) => (across ? across.test(k) : k.startsWith(prefix) && !k.slice(prefix.length).includes("/")))
      .map(([, o]) => o)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const limit = Number(url.searchParams.get("limit") ?? 0);
    const from = url.searchParams.get("continue") ? Number(Buffer.from(url.searchParams.get("continue")!, "base64url").toString()) : 0;
    const page = limit > 0 ? all.slice(from, from + limit) : all.slice(from);
    const next = limit > 0 && from + limit < all.length ? Buffer.from(String(from + limit)).toString("base64url") : undefined;
    return json(res, 200, {
      kind: `${r.kind}List`,
      apiVersion: gv(r),
      metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) },
      items: page,
    });
  }

  private stamp(o: Obj, r: Resource, namespace: string | undefined): Obj {
    o.metadata = { ...o.metadata, uid: randomUUID(), resourceVersion: String(++this.rv), creationTimestamp: new Date(0).toISOString() };
    if (r.namespaced) o.metadata.namespace = namespace;
    return o;
  }
}

function json(res: http.ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Errors are metav1.Status objects: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/ */
function status(res: http.ServerResponse, code: number, reason: string, message: string) {
  json(res, code, { kind: "Status", apiVersion: "v1", status: "Failure", reason, code, message });
}
