// The real target: a Kubernetes cluster reached through @kubernetes/client-node, from
// inside (service account) or outside (kubeconfig).
import "./node20-shim";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, VersionApi, type KubernetesObject } from "@kubernetes/client-node";
import { ZClusterInfo, ZSiteType, type Bundle, type ClusterInfo, type GatewaySample, type Manifest } from "../../protocol/index";
import { bundleLinks, type BundleLink } from "../bundle";
import { FIELD_MANAGER, planApply, refKey, refOf, type ObjectRef } from "../kube-plan";
import type { Logger } from "../logger";
import { flagValue, guessCni, providerFromProviderId, splitCidrs, summarizeCidrs } from "./kube-inventory";
import { GatewayProber, type ProberOptions } from "./probe";
import type { AckObject, ApplyResult, ComponentStatus, Target } from "./types";

export interface KubeTargetOptions {
  logger: Logger;
  kubeConfig?: KubeConfig;
  /** Site facts the API cannot tell: ISTHMUS_CLUSTER_NAME, _SITE_TYPE, _PROVIDER, _REGION, _GATEWAY_ENDPOINTS, _BEHIND_NAT. */
  env?: Record<string, string | undefined>;
  probe?: ProberOptions;
}

/** In a pod with no kubeconfig, loadFromDefault falls back to the service account. */
export function loadKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

const statusOf = (err: unknown) => (err as { code?: number }).code;
const errorText = (err: unknown): string => {
  const body = (err as { body?: unknown }).body;
  const fromBody = typeof body === "string" ? (/"message":"([^"]+)"/.exec(body)?.[1] ?? undefined) : (body as { message?: string } | undefined)?.message;
  return (fromBody ?? (err instanceof Error ? err.message : String(err))).slice(0, 300);
};
const ackRef = (r: ObjectRef, result: string): AckObject => ({
  apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), result,
});
const header = (r: ObjectRef): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) } });

export class KubeTarget implements Target {
  readonly kind = "kube" as const;
  private readonly core: CoreV1Api;
  private readonly version: VersionApi;
  private readonly objects: KubernetesObjectApi;
  private readonly prober: GatewayProber;
  private readonly env: Record<string, string | undefined>;
  private applied: ObjectRef[] = [];
  private apiError: string | undefined;

  constructor(private readonly opts: KubeTargetOptions) {
    const kc = opts.kubeConfig ?? loadKubeConfig();
    this.core = kc.makeApiClient(CoreV1Api);
    this.version = kc.makeApiClient(VersionApi);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.prober = new GatewayProber(opts.probe);
    this.env = opts.env ?? process.env;
  }

  get coreApi(): CoreV1Api {
    return this.core;
  }

  async inventory(): Promise<ClusterInfo> {
    const [ns, ver, nodes, pods] = await Promise.all([
      this.core.readNamespace({ name: "kube-system" }),
      this.version.getCode(),
      this.core.listNode(),
      this.core.listNamespacedPod({ namespace: "kube-system" }),
    ]).catch((err) => {
      this.apiError = errorText(err);
      throw err;
    });
    this.apiError = undefined;
    const args = (prefix: string) =>
      pods.items.filter((p) => p.metadata?.name?.startsWith(prefix)).flatMap((p) => p.spec?.containers.flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])]) ?? []);
    // kubeadm-style control planes show their ranges in their flags; managed ones don't.
    let podCidrs = splitCidrs(flagValue(args("kube-controller-manager"), "--cluster-cidr"));
    if (!podCidrs.length) podCidrs = summarizeCidrs(nodes.items.flatMap((n) => n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : [])));
    let serviceCidrs = splitCidrs(flagValue(args("kube-apiserver"), "--service-cluster-ip-range"));
    if (!serviceCidrs.length) serviceCidrs = await this.serviceCidrObjects();
    const first = nodes.items[0];
    const env = this.env;
    const endpoints = (env.ISTHMUS_GATEWAY_ENDPOINTS ?? "").split(",").map((s) => s.trim()).filter(Boolean).slice(0, 16);
    const site = ZSiteType.safeParse(env.ISTHMUS_SITE_TYPE?.toUpperCase());
    const info: ClusterInfo = {
      uid: ns.metadata?.uid ?? "unknown",
      kubernetesVersion: ver.gitVersion,
      cni: guessCni(pods.items.map((p) => p.metadata?.name ?? ""), ver.gitVersion),
      podCidrs: podCidrs.slice(0, 16),
      serviceCidrs: serviceCidrs.slice(0, 16),
      nodeCount: nodes.items.length,
      gatewayEndpoints: endpoints,
      // Without an endpoint peers could reach, the cluster can only dial out.
      behindNat: env.ISTHMUS_BEHIND_NAT ? env.ISTHMUS_BEHIND_NAT === "true" : endpoints.length === 0,
    };
    if (env.ISTHMUS_CLUSTER_NAME) info.name = env.ISTHMUS_CLUSTER_NAME;
    if (site.success) info.siteType = site.data;
    const provider = env.ISTHMUS_PROVIDER ?? providerFromProviderId(first?.spec?.providerID);
    if (provider) info.provider = provider.slice(0, 64);
    const region = env.ISTHMUS_REGION ?? first?.metadata?.labels?.["topology.kubernetes.io/region"];
    if (region) info.region = region.slice(0, 64);
    return ZClusterInfo.parse(info);
  }

  /** Kubernetes ≥ 1.33 publishes service ranges as ServiceCIDR objects. */
  private async serviceCidrObjects(): Promise<string[]> {
    try {
      const list = await this.objects.list<KubernetesObject & { spec?: { cidrs?: string[] } }>("networking.k8s.io/v1", "ServiceCIDR");
      return list.items.flatMap((o) => o.spec?.cidrs ?? []);
    } catch {
      return [];
    }
  }

  /** Unknown provenance counts as adopted: the agent may then fail to clean up, but never deletes someone else's object. */
  private async existedBefore(m: Manifest): Promise<boolean> {
    try {
      await this.objects.read(header(refOf(m)));
      return true;
    } catch (err) {
      return statusOf(err) !== 404;
    }
  }

  async apply(bundle: Bundle, _revision: number): Promise<ApplyResult> {
    const plan = planApply(this.applied, bundle.manifests);
    const before = new Map(this.applied.map((r) => [refKey(r), r]));
    const owned = new Map<string, ObjectRef>();
    const objects: AckObject[] = [];
    const failures: string[] = [];
    for (const m of plan.apply) {
      const ref = refOf(m);
      const prev = before.get(refKey(ref));
      try {
        const adopted = prev ? prev.adopted : await this.existedBefore(m);
        await this.objects.patch(m, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        owned.set(refKey(ref), { ...ref, ...(adopted ? { adopted: true } : {}) });
        objects.push(ackRef(ref, adopted && !prev ? "adopted" : "applied"));
      } catch (err) {
        if (prev) owned.set(refKey(ref), prev);
        failures.push(`${m.kind}/${m.metadata.name}: ${errorText(err)}`);
        objects.push(ackRef(ref, `failed: ${errorText(err)}`));
      }
    }
    if (failures.length) {
      // Prune nothing after a partial apply: what the bundle dropped is still recorded and
      // removed once a revision applies cleanly.
      for (const r of this.applied) if (!owned.has(refKey(r))) owned.set(refKey(r), r);
      this.applied = [...owned.values()];
      return { ok: false, message: `${failures.length} of ${plan.apply.length} objects failed: ${failures.join("; ")}`, objects };
    }
    for (const r of plan.prune) {
      try {
        await this.objects.delete(header(r));
        objects.push(ackRef(r, "pruned"));
      } catch (err) {
        if (statusOf(err) === 404) objects.push(ackRef(r, "pruned"));
        else {
          owned.set(refKey(r), r);
          failures.push(`delete ${r.kind}/${r.name}: ${errorText(err)}`);
          objects.push(ackRef(r, `prune failed: ${errorText(err)}`));
        }
      }
    }
    for (const r of plan.release) {
      try {
        // Applying only the identity under our field manager drops every field we owned
        // (our label included) and leaves the object to whoever had it before.
        await this.objects.patch(header(r), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        objects.push(ackRef(r, "released"));
      } catch (err) {
        if (statusOf(err) === 404) objects.push(ackRef(r, "released"));
        else {
          owned.set(refKey(r), r);
          failures.push(`release ${r.kind}/${r.name}: ${errorText(err)}`);
          objects.push(ackRef(r, `release failed: ${errorText(err)}`));
        }
      }
    }
    this.applied = [...owned.values()];
    this.prober.setLinks(bundleLinks(bundle));
    if (failures.length) return { ok: false, message: `applied, but cleanup failed: ${failures.join("; ")}`, objects };
    return { ok: true, objects };
  }

  gatewaySamples(): GatewaySample[] {
    return this.prober.samples();
  }

  components(): ComponentStatus[] {
    return [this.apiError ? { name: "kube-api", status: "DEGRADED", message: this.apiError } : { name: "kube-api", status: "OK" }];
  }

  snapshot(): unknown {
    return { applied: this.applied, links: this.prober.getLinks() };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as { applied?: ObjectRef[]; links?: BundleLink[] } | undefined;
    this.applied = Array.isArray(s?.applied) ? s.applied : [];
    if (Array.isArray(s?.links)) this.prober.setLinks(s.links);
  }

  async close(): Promise<void> {
    this.prober.stop();
  }
}
