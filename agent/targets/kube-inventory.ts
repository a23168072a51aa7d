// Pure helpers behind the kube target's inventory: what can be learned about a cluster
// from the objects any agent may read, without cloud APIs or node access.

const CNI_HINTS: Array<[RegExp, string]> = [
  [/^cilium/, "cilium"],
  [/^calico|^tigera/, "calico"],
  [/^antrea/, "antrea"],
  [/^weave/, "weave"],
  [/^kube-flannel|^flannel|^canal/, "flannel"],
  [/^kindnet/, "kindnet"],
  [/^aws-node/, "aws-vpc-cni"],
  [/^azure-cns|^azure-cni/, "azure-cni"],
  [/^kube-router/, "kube-router"],
];

/** From kube-system pod names; k3s runs flannel inside its own binary, so no pod shows it. */
export function guessCni(podNames: string[], kubernetesVersion = ""): string {
  for (const [re, cni] of CNI_HINTS) if (podNames.some((n) => re.test(n))) return cni;
  if (/\+k3s/.test(kubernetesVersion)) return "flannel";
  return "unknown";
}

/** `--flag=value` or `--flag value` in a container's command line. */
export function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

export function splitCidrs(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(s));
}

function parseIp(ip: string): { v6: boolean; n: bigint } | null {
  if (ip.includes(":")) {
    const [head = "", tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = ip.includes("::") && tail ? tail.split(":") : [];
    const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    if (groups.length !== 8) return null;
    return { v6: true, n: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || "0", 16)), 0n) };
  }
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return null;
  return { v6: false, n: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
}

function formatIp(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

/**
 * Node pod CIDRs are per-node slices (often /24s) of the cluster range; the protocol
 * takes at most 16. Beyond that, report the smallest block per address family that
 * covers them all — an approximation of the cluster CIDR, never a subset of it.
 */
export function summarizeCidrs(cidrs: string[], max = 16): string[] {
  const unique = [...new Set(cidrs)];
  if (unique.length <= max) return unique;
  const out: string[] = [];
  for (const v6 of [false, true]) {
    const width = v6 ? 128n : 32n;
    let lo: bigint | null = null;
    let hi: bigint | null = null;
    for (const c of unique) {
      const [ip = "", len = ""] = c.split("/");
      const p = parseIp(ip);
      if (!p || p.v6 !== v6) continue;
      const size = 1n << (width - BigInt(len));
      const start = (p.n / size) * size;
      const end = start + size - 1n;
      lo = lo === null || start < lo ? start : lo;
      hi = hi === null || end > hi ? end : hi;
    }
    if (lo === null || hi === null) continue;
    let prefix = width;
    while (prefix > 0n && lo >> (width - prefix) !== hi >> (width - prefix)) prefix--;
    const base = prefix === 0n ? 0n : (lo >> (width - prefix)) << (width - prefix);
    out.push(`${formatIp(base, v6)}/${prefix}`);
  }
  return out;
}

/** Node spec.providerID looks like "aws:///eu-west-1a/i-0abc"; the scheme names the provider. */
export function providerFromProviderId(providerId: string | undefined): string | undefined {
  const scheme = /^([a-z0-9-]+):\/\//.exec(providerId ?? "")?.[1];
  if (!scheme) return undefined;
  return ({ gce: "gcp", azure: "azure", aws: "aws" } as Record<string, string>)[scheme] ?? scheme;
}
