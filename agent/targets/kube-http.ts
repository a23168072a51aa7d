// The agent's requests to the Kubernetes API, as raw JSON over node:http(s).
//
// Why not the client library's typed APIs: their serializer rebuilds every object from
// the library's own model, silently dropping any field the model does not know (a field
// added in a newer Kubernetes, a CRD's spec). Manifests must reach the server exactly as
// compiled, so that strict field validation on the server is what judges them. The
// library is kept for what it does well: reading kubeconfig / the service account and
// putting credentials (re-read on every request, so a rotated token is picked up) and
// TLS settings on each request.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface KubeStatus {
  code: number;
  reason?: string;
  message: string;
  details?: { causes?: Array<{ reason?: string; message?: string; field?: string }> };
}

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | undefined,
    message: string,
    readonly causes: NonNullable<KubeStatus["details"]>["causes"] = [],
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

export const statusOf = (err: unknown): number | undefined => (err instanceof KubeApiError ? err.status : (err as { code?: number })?.code);
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Per request; a hung API server must not hang the agent. */
  timeoutMs?: number;
}

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

export interface TypedRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export class KubeHttp {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly kc: KubeConfig) {}

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error("kubeconfig has no current cluster");
    const url = new URL(cluster.server.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const reqOpts: https.RequestOptions = { method, headers: { accept: "application/json" } };
    await this.kc.applyToHTTPSOptions(reqOpts);
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers = reqOpts.headers as Record<string, string>;
    if (payload) {
      headers["content-type"] = opts.contentType ?? "application/json";
      headers["content-length"] = String(payload.length);
    }
    const mod = url.protocol === "https:" ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(url, { ...reqOpts, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) return resolve(parsed as T);
          const s = (parsed ?? {}) as Partial<KubeStatus>;
          reject(new KubeApiError(code, s.reason, s.message ?? (text.slice(0, 200) || `HTTP ${code}`), s.details?.causes ?? []));
        });
      });
      req.on("timeout", () => req.destroy(new Error(`kube API ${method} ${path}: timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  private resources(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.request<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>("GET", path).then(
        (list) => new Map(list.resources.filter((r) => !r.name.includes("/")).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }])),
      );
      // A failed discovery is retried on the next call, not cached.
      p.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /** The collection path (no name) and whether the kind is namespaced, from API discovery. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<{ path: string; namespaced: boolean }> {
    const info = (await this.resources(apiVersion)).get(kind);
    if (!info) throw new KubeApiError(404, "NotFound", `the server has no resource for kind ${kind} in ${apiVersion}`);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (info.namespaced && !namespace) throw new KubeApiError(400, "BadRequest", `${kind} is namespaced: metadata.namespace is required`);
    return { path: `${base}${info.namespaced ? `/namespaces/${namespace}` : ""}/${info.plural}`, namespaced: info.namespaced };
  }

  async objectPath(ref: TypedRef): Promise<string> {
    return `${(await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace)).path}/${encodeURIComponent(ref.name)}`;
  }

  /**
   * Every item of a list, read in pages of `limit` so a 5,000-node cluster never sits in
   * memory as one response. `each` sees each page's items; nothing is kept here.
   */
  async listEach<T>(path: string, each: (items: T[]) => void, limit = 500): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.request<{ items?: T[]; metadata?: { continue?: string } }>("GET", path, { query: { limit: String(limit), continue: token } });
      each(page.items ?? []);
      token = page.metadata?.continue || undefined;
    } while (token);
  }
}
