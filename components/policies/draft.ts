// The editor's draft policy and its two views: a form (common fields) and YAML (all of
// them). Both produce the API's policy input; the server validates it.
import { parse, stringify } from "yaml";

export interface PolicyDraft {
  name: string;
  description?: string;
  enabled?: boolean;
  priority: number;
  action: "ALLOW" | "DENY";
  slice?: string | null;
  from: Side;
  to: Side;
  ports: Array<{ protocol: "TCP" | "UDP" | "SCTP"; port?: number | string; endPort?: number }>;
}

export interface Side {
  clusters?: { names?: string[]; selector?: string; siteTypes?: Array<"EDGE" | "CLOUD" | "ONPREM"> };
  namespaces?: { names?: string[]; selector?: string };
  pods?: string;
}

export const emptyDraft = (priority: number): PolicyDraft => ({ name: "", priority, action: "ALLOW", from: {}, to: {}, ports: [] });

/** "a, b" → ["a", "b"]; empty → undefined (the part matches everything). */
export const listOf = (text: string) => {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
};

/** "TCP 8080, UDP 53, TCP 9000-9100, TCP http" → ports. */
export function parsePorts(text: string): PolicyDraft["ports"] {
  return (listOf(text) ?? []).map((p) => {
    const [proto, spec] = p.split(/\s+/, 2);
    const protocol = (proto ?? "TCP").toUpperCase() as "TCP" | "UDP" | "SCTP";
    if (!spec) return { protocol };
    const range = /^(\d+)-(\d+)$/.exec(spec);
    if (range) return { protocol, port: Number(range[1]), endPort: Number(range[2]) };
    return { protocol, port: /^\d+$/.test(spec) ? Number(spec) : spec };
  });
}

export const portsText = (ports: PolicyDraft["ports"]) =>
  ports.map((p) => `${p.protocol}${p.port !== undefined ? ` ${p.port}${p.endPort ? `-${p.endPort}` : ""}` : ""}`).join(", ");

export function toYaml(d: PolicyDraft): string {
  return stringify(d);
}

export function fromYaml(text: string): { ok: true; draft: PolicyDraft } | { ok: false; message: string } {
  try {
    const v = parse(text) as PolicyDraft;
    if (!v || typeof v !== "object") return { ok: false, message: "the YAML must be one policy object" };
    return { ok: true, draft: { ...v, from: v.from ?? {}, to: v.to ?? {}, ports: v.ports ?? [] } };
  } catch (err) {
    return { ok: false, message: (err as Error).message.split("\n")[0] ?? "not valid YAML" };
  }
}

/** A stored policy as a draft (what the API takes back). */
export function draftOf(p: {
  name: string;
  description: string | null;
  enabled: boolean;
  priority: number;
  action: "ALLOW" | "DENY";
  slice: { name: string } | null;
  from: Side;
  to: Side;
  ports: PolicyDraft["ports"];
}): PolicyDraft {
  return {
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    enabled: p.enabled,
    priority: p.priority,
    action: p.action,
    slice: p.slice?.name ?? null,
    from: p.from,
    to: p.to,
    ports: p.ports,
  };
}

export function sideSummary(s: Side): string {
  const parts: string[] = [];
  if (s.clusters?.names) parts.push(s.clusters.names.join(","));
  if (s.clusters?.selector) parts.push(`[${s.clusters.selector}]`);
  if (s.clusters?.siteTypes) parts.push(s.clusters.siteTypes.join("/"));
  if (!parts.length) parts.push("all clusters");
  const ns = s.namespaces?.names?.join(",") ?? (s.namespaces?.selector ? `[${s.namespaces.selector}]` : "*");
  return `${parts.join(" ")} / ${ns}${s.pods ? ` / ${s.pods}` : ""}`;
}
