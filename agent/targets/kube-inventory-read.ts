// The kube target's inventory: partial by design. The cluster's identity (kube-system's
// UID) is the one thing required; every other probe is optional, reported with its
// error, and never stops enrolment: a managed platform (GKE Autopilot, EKS) hides
// kube-system or refuses lists, and RBAC may be trimmed. Pod and service ranges come
// from where each platform keeps them; when none says, they are "unknown", which the
// control plane treats as unknown (a warning), never as "no overlap".
import { ZClusterInfo, ZSiteType, type ClusterInfo } from "../../protocol/index";
import { errorText, statusOf, type KubeHttp } from "./kube-http";
import { flagValue, guessCni, providerFromProviderId, splitCidrs, summarizeCidrs } from "./kube-inventory";

export type InventoryEnv = Record<string, string | undefined>;

export interface InventoryResult {
  info: ClusterInfo;
  errors: Array<{ probe: string; error: string }>;
}

interface Pod {
  metadata?: { name?: string };
  spec?: { containers?: Array<{ command?: string[]; args?: string[] }> };
}
interface Node {
  metadata?: { labels?: Record<string, string> };
  spec?: { podCIDR?: string; podCIDRs?: string[]; providerID?: string };
}

const MAX_NODE_CIDRS = 4096;
const MAX_NAMESPACES = 5000;

/** kubeadm's ClusterConfiguration (YAML in the kubeadm-config ConfigMap): networking.podSubnet / serviceSubnet. */
export function kubeadmSubnet(clusterConfiguration: string | undefined, key: "podSubnet" | "serviceSubnet"): string[] {
  const m = new RegExp(`^\\s*${key}:\\s*["']?([^"'\\s#]+)`, "m").exec(clusterConfiguration ?? "");
  return splitCidrs(m?.[1]);
}

export async function readInventory(http: KubeHttp, env: InventoryEnv, listLimit = 500): Promise<InventoryResult> {
  const errors: InventoryResult["errors"] = [];
  // A probe that fails is recorded and yields its fallback. A 404 (the kind or object
  // does not exist on this platform) is an answer, not an error.
  const probe = async <T>(name: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (statusOf(err) !== 404) errors.push({ probe: name, error: errorText(err) });
      return fallback;
    }
  };

  // Required: without it the agent cannot know which cluster it is in.
  const ks = await http.request<{ metadata?: { uid?: string } }>("GET", "/api/v1/namespaces/kube-system");
  const uid = ks.metadata?.uid;
  if (!uid) throw new Error("kube-system namespace has no uid");

  const version = await probe("version", "unknown", async () => (await http.request<{ gitVersion?: string }>("GET", "/version")).gitVersion ?? "unknown");

  let nodeCount = 0;
  const nodeCidrs = new Set<string>();
  let first: Node | undefined;
  const nodesOk = await probe("nodes", false, async () => {
    await http.listEach<Node>(
      "/api/v1/nodes",
      (items) => {
        nodeCount += items.length;
        first ??= items[0];
        for (const n of items)
          for (const c of n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : [])) if (nodeCidrs.size < MAX_NODE_CIDRS) nodeCidrs.add(c);
      },
      listLimit,
    );
    return true;
  });

  const podNames: string[] = [];
  const flags = new Map<string, string[]>();
  await probe("kube-system pods", null, () =>
    http.listEach<Pod>(
      "/api/v1/namespaces/kube-system/pods",
      (items) => {
        for (const p of items) {
          const name = p.metadata?.name ?? "";
          podNames.push(name);
          for (const prefix of ["kube-controller-manager", "kube-apiserver"]) {
            if (name.startsWith(prefix) && !flags.has(prefix))
              flags.set(prefix, p.spec?.containers?.flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])]) ?? []);
          }
        }
      },
      listLimit,
    ),
  );

  const configMap = (name: string) =>
    http.request<{ data?: Record<string, string> }>("GET", `/api/v1/namespaces/kube-system/configmaps/${name}`).then((c) => c.data ?? {});
  const kubeadm = await probe("kubeadm-config", {} as Record<string, string>, () => configMap("kubeadm-config"));
  const cilium = await probe("cilium-config", {} as Record<string, string>, () => configMap("cilium-config"));
  const calicoPools = await probe("calico ippools", [] as string[], async () => {
    const out: string[] = [];
    await http.listEach<{ spec?: { cidr?: string; disabled?: boolean } }>(
      "/apis/crd.projectcalico.org/v1/ippools",
      (items) => {
        for (const p of items) if (p.spec?.cidr && !p.spec.disabled) out.push(p.spec.cidr);
      },
      listLimit,
    );
    return out;
  });
  // Kubernetes >= 1.33 publishes service ranges as ServiceCIDR objects.
  const serviceCidrObjects = await probe("servicecidrs", [] as string[], async () => {
    const out: string[] = [];
    await http.listEach<{ spec?: { cidrs?: string[] } }>(
      "/apis/networking.k8s.io/v1/servicecidrs",
      (items) => out.push(...items.flatMap((o) => o.spec?.cidrs ?? [])),
      listLimit,
    );
    return out;
  });
  const namespaces = await probe("namespaces", undefined as string[] | undefined, async () => {
    const out: string[] = [];
    await http.listEach<{ metadata?: { name?: string } }>(
      "/api/v1/namespaces",
      (items) => out.push(...items.map((n) => n.metadata?.name ?? "").filter(Boolean)),
      listLimit,
    );
    // More than the protocol carries: say nothing rather than a partial list, which the
    // control plane would read as "these namespaces are missing".
    return out.length <= MAX_NAMESPACES ? out.sort() : undefined;
  });

  // The first source that answers, most authoritative first.
  const pick = (sources: Array<[string, string[]]>): [string, string[]] => sources.find(([, c]) => c.length > 0) ?? ["unknown", []];
  const [podSource, podCidrs] = pick([
    ["kubeadm-config", kubeadmSubnet(kubeadm.ClusterConfiguration, "podSubnet")],
    ["kube-controller-manager", splitCidrs(flagValue(flags.get("kube-controller-manager") ?? [], "--cluster-cidr"))],
    ["cilium-config", [...splitCidrs(cilium["cluster-pool-ipv4-cidr"]), ...splitCidrs(cilium["cluster-pool-ipv6-cidr"])]],
    ["calico-ippools", splitCidrs(calicoPools.join(","))],
    ["node-podCIDRs", summarizeCidrs([...nodeCidrs])],
  ]);
  const [serviceSource, serviceCidrs] = pick([
    ["kubeadm-config", kubeadmSubnet(kubeadm.ClusterConfiguration, "serviceSubnet")],
    ["kube-apiserver", splitCidrs(flagValue(flags.get("kube-apiserver") ?? [], "--service-cluster-ip-range"))],
    ["servicecidrs", splitCidrs(serviceCidrObjects.join(","))],
  ]);

  const endpoints = (env.ISTHMUS_GATEWAY_ENDPOINTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 16);
  const site = ZSiteType.safeParse(env.ISTHMUS_SITE_TYPE?.toUpperCase());
  const info: ClusterInfo = {
    uid,
    kubernetesVersion: version,
    // Without the pod list the CNI cannot be guessed; k3s still shows in the version.
    cni: guessCni(podNames, version),
    podCidrs: summarizeCidrs(podCidrs),
    serviceCidrs: serviceCidrs.slice(0, 16),
    podCidrsSource: podSource,
    serviceCidrsSource: serviceSource,
    nodeCount: nodesOk ? nodeCount : 0,
    gatewayEndpoints: endpoints,
    // Without an endpoint peers could reach, the cluster can only dial out.
    behindNat: env.ISTHMUS_BEHIND_NAT ? env.ISTHMUS_BEHIND_NAT === "true" : endpoints.length === 0,
  };
  if (namespaces) info.namespaces = namespaces;
  if (errors.length) info.probeErrors = errors.slice(0, 16);
  if (env.ISTHMUS_CLUSTER_NAME) info.name = env.ISTHMUS_CLUSTER_NAME;
  if (site.success) info.siteType = site.data;
  const provider = env.ISTHMUS_PROVIDER ?? providerFromProviderId(first?.spec?.providerID);
  if (provider) info.provider = provider.slice(0, 64);
  const region = env.ISTHMUS_REGION ?? first?.metadata?.labels?.["topology.kubernetes.io/region"];
  if (region) info.region = region.slice(0, 64);
  return { info: ZClusterInfo.parse(info), errors };
}
