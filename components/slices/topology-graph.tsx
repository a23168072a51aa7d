// The slice's clusters and tunnels, drawn by hand in SVG: one band per site type
// (edge, cloud, on-prem, left to right), one curve per gateway link coloured by its
// health. A dot marks the server end of each link — the end that listens; the other
// end dials out to it.
import { cn } from "@/lib/cn";
import { formatLoss, formatRtt, LINK_LABEL, SITE_LABEL, SITE_ORDER, type LinkStatus } from "./slice-meta";

export interface GraphNode {
  id: string;
  name: string;
  siteType: string;
  availability?: string;
  /** A short second line, e.g. the cluster's share of the slice subnet. */
  detail?: string;
}

export interface GraphEdge {
  id: string;
  serverId: string;
  clientId: string;
  /** Absent for a planned link (the wizard's preview): drawn in the accent colour. */
  status?: LinkStatus;
  rttMs?: number | null;
  lossPct?: number | null;
  serverTunnelIp?: string;
  clientTunnelIp?: string;
}

const W = 760;
const COL_X = [W / 6, W / 2, (5 * W) / 6];
const NODE_W = 164;
const NODE_H = 44;
const TOP = 44;
const ROW = 68;

const EDGE_CLASS: Record<LinkStatus | "PLANNED", string> = {
  UP: "stroke-emerald-500 dark:stroke-emerald-400",
  DEGRADED: "stroke-amber-500 dark:stroke-amber-400",
  DOWN: "stroke-red-500 dark:stroke-red-400",
  UNKNOWN: "stroke-muted-foreground",
  PLANNED: "stroke-accent",
};
const DOT_CLASS: Record<LinkStatus | "PLANNED", string> = {
  UP: "fill-emerald-500 dark:fill-emerald-400",
  DEGRADED: "fill-amber-500 dark:fill-amber-400",
  DOWN: "fill-red-500 dark:fill-red-400",
  UNKNOWN: "fill-muted-foreground",
  PLANNED: "fill-accent",
};
const AVAILABILITY_DOT: Record<string, string> = {
  AVAILABLE: "fill-emerald-500 dark:fill-emerald-400",
  UNKNOWN: "fill-amber-500 dark:fill-amber-400",
  PENDING: "fill-muted-foreground",
};

interface Placed extends GraphNode {
  col: number;
  row: number;
  x: number;
  y: number;
}

function columnOf(siteType: string): number {
  const i = SITE_ORDER.indexOf(siteType as (typeof SITE_ORDER)[number]);
  return i < 0 ? 1 : i;
}

function truncate(text: string, max: number) {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

interface Routed {
  edge: GraphEdge;
  d: string;
  server: { x: number; y: number };
  lowest: number;
}

/** Curves that keep clear of the nodes in between: neighbours bow gently, a skipped band is passed underneath, same-band links bulge outward. */
function route(edges: GraphEdge[], byId: Map<string, Placed>, bottomOf: number[]): Routed[] {
  const out: Routed[] = [];
  let detours = 0;
  const sameBand = new Map<number, number>();
  for (const edge of edges) {
    const s = byId.get(edge.serverId);
    const c = byId.get(edge.clientId);
    if (!s || !c) continue;
    const [a, b] = s.col < c.col || (s.col === c.col && s.row <= c.row) ? [s, c] : [c, s];
    let d: string;
    let pa: { x: number; y: number };
    let pb: { x: number; y: number };
    let lowest = Math.max(a.y, b.y) + NODE_H / 2;
    if (a.col === b.col) {
      // Left band bulges left, the others right, so the curve stays out of the middle.
      const side = a.col === 0 ? -1 : 1;
      const n = sameBand.get(a.col) ?? 0;
      sameBand.set(a.col, n + 1);
      const off = side * (26 + 10 * Math.abs(b.row - a.row) + 6 * n);
      pa = { x: a.x + (side * NODE_W) / 2, y: a.y };
      pb = { x: b.x + (side * NODE_W) / 2, y: b.y };
      d = `M${pa.x},${pa.y} C${pa.x + off},${pa.y} ${pb.x + off},${pb.y} ${pb.x},${pb.y}`;
    } else if (b.col - a.col === 2 && bottomOf[1]! > 0) {
      // Edge to on-prem with cloud clusters in the way: dip below the middle band.
      pa = { x: a.x, y: a.y + NODE_H / 2 };
      pb = { x: b.x, y: b.y + NODE_H / 2 };
      const mid = bottomOf[1]! + 22 + 12 * detours++;
      const cy = (mid - 0.125 * (pa.y + pb.y)) / 0.75;
      d = `M${pa.x},${pa.y} C${pa.x},${cy} ${pb.x},${cy} ${pb.x},${pb.y}`;
      lowest = Math.max(lowest, mid);
    } else {
      pa = { x: a.x + NODE_W / 2, y: a.y };
      pb = { x: b.x - NODE_W / 2, y: b.y };
      const mx = (pa.x + pb.x) / 2;
      d = `M${pa.x},${pa.y} C${mx},${pa.y} ${mx},${pb.y} ${pb.x},${pb.y}`;
    }
    out.push({ edge, d, server: a === s ? pa : pb, lowest });
  }
  return out;
}

function edgeTitle(e: GraphEdge, byId: Map<string, Placed>) {
  const s = byId.get(e.serverId)?.name ?? e.serverId;
  const c = byId.get(e.clientId)?.name ?? e.clientId;
  const lines = [`${s} (server) ⇄ ${c} (client)`];
  if (e.status) lines.push(`Status: ${LINK_LABEL[e.status]}`, `RTT: ${formatRtt(e.rttMs)}`, `Loss: ${formatLoss(e.lossPct)}`);
  else lines.push("Planned link");
  if (e.serverTunnelIp && e.clientTunnelIp) lines.push(`Tunnel: ${e.serverTunnelIp} ⇄ ${e.clientTunnelIp}`);
  return lines.join("\n");
}

export function TopologyGraph({ nodes, edges, label = "Topology graph", className }: { nodes: GraphNode[]; edges: GraphEdge[]; label?: string; className?: string }) {
  const cols: Placed[][] = [[], [], []];
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const col = columnOf(n.siteType);
    const row = cols[col]!.length;
    cols[col]!.push({ ...n, col, row, x: COL_X[col]!, y: TOP + NODE_H / 2 + row * ROW });
  }
  const placed = cols.flat();
  const byId = new Map(placed.map((p) => [p.id, p]));
  const bottomOf = cols.map((c) => (c.length ? TOP + (c.length - 1) * ROW + NODE_H : 0));
  const routed = route(edges, byId, bottomOf);
  const height = Math.max(TOP + NODE_H + 24, ...bottomOf.map((b) => b + 24), ...routed.map((r) => r.lowest + 16));

  return (
    <figure className={cn("flex flex-col gap-3", className)} data-testid="topology-graph" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" className="mx-auto block max-w-[760px]" role="img" aria-label={`${label}: ${nodes.length} clusters, ${edges.length} links`}>
        {cols.map((c, i) => (
          <g key={SITE_ORDER[i]}>
            <rect x={COL_X[i]! - NODE_W / 2 - 18} y={4} width={NODE_W + 36} height={height - 8} rx={12} className="fill-surface-2/60 stroke-border" strokeWidth={1} />
            <text x={COL_X[i]} y={26} textAnchor="middle" className="fill-muted-foreground text-[11px] font-medium tracking-wide uppercase">
              {SITE_LABEL[SITE_ORDER[i]!]} · {c.length}
            </text>
          </g>
        ))}
        {routed.map(({ edge, d, server }) => {
          const kind = edge.status ?? "PLANNED";
          return (
            <g key={edge.id} data-link={edge.id} data-status={kind} className="group">
              <title>{edgeTitle(edge, byId)}</title>
              <path d={d} fill="none" stroke="transparent" strokeWidth={14} />
              <path
                d={d}
                fill="none"
                strokeWidth={2.25}
                strokeLinecap="round"
                strokeDasharray={kind === "UNKNOWN" ? "6 5" : undefined}
                className={cn(EDGE_CLASS[kind], "transition-[stroke-width] group-hover:[stroke-width:3.5]")}
              />
              <circle cx={server.x} cy={server.y} r={4.5} className={cn(DOT_CLASS[kind], "stroke-surface")} strokeWidth={2} />
            </g>
          );
        })}
        {placed.map((n) => (
          <g key={n.id} data-node={n.name} transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}>
            <title>{`${n.name} · ${SITE_LABEL[n.siteType] ?? n.siteType}${n.availability ? ` · ${n.availability.toLowerCase()}` : ""}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={9} className="fill-surface stroke-border-strong" strokeWidth={1} />
            {n.availability ? <circle cx={14} cy={n.detail ? 15 : NODE_H / 2} r={3.5} className={AVAILABILITY_DOT[n.availability] ?? "fill-muted-foreground"} /> : null}
            <text x={n.availability ? 24 : 12} y={n.detail ? 19 : NODE_H / 2 + 4.5} className="fill-foreground text-[12.5px] font-medium">
              {truncate(n.name, n.availability ? 20 : 22)}
            </text>
            {n.detail ? (
              <text x={n.availability ? 24 : 12} y={34} className="fill-muted-foreground font-mono text-[10.5px]">
                {truncate(n.detail, 24)}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <figcaption className="flex flex-wrap items-center justify-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {(edges.some((e) => !e.status) ? (["PLANNED"] as const) : (["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const)).map((k) => (
          <span key={k} className="flex items-center gap-1.5">
            <svg width="22" height="8" aria-hidden="true">
              <path d="M1,4 H21" strokeWidth={2.25} strokeLinecap="round" strokeDasharray={k === "UNKNOWN" ? "5 4" : undefined} className={EDGE_CLASS[k]} />
            </svg>
            {k === "PLANNED" ? "Planned link" : LINK_LABEL[k]}
          </span>
        ))}
        <span className="flex items-center gap-1.5">
          <svg width="10" height="10" aria-hidden="true">
            <circle cx="5" cy="5" r="4" className="fill-muted-foreground" />
          </svg>
          Server end (listens; the client dials it)
        </span>
      </figcaption>
    </figure>
  );
}
