// The slice's clusters and tunnels, drawn by hand in SVG: one band per site type
// (edge, cloud, on-prem, left to right), one curve per gateway link coloured by its
// health. A dot marks the server end of each link — the end that listens; the other
// end dials out to it.
import { cn } from "@/lib/cn";
import { formatLoss, formatRtt } from "@/lib/format";
import { LINK_LABEL, SITE_LABEL, SITE_ORDER, type LinkStatus } from "./slice-meta";

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
  /** Why the status is what it is, e.g. "no data plane". */
  statusReason?: string | null;
  /** The server end's endpoint answered a connect: shown apart from the tunnel, which it does not prove up. */
  endpointReachable?: boolean | null;
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

type Side = -1 | 1;
interface Planned {
  edge: GraphEdge;
  a: Placed;
  b: Placed;
  kind: "same" | "skip" | "next";
  sideA: Side;
  sideB: Side;
  ya: number;
  yb: number;
}

/**
 * Curves that keep clear of the nodes in between: neighbours bow gently, a skipped band
 * is passed underneath, same-band links bulge outward. Links leaving the same side of a
 * node fan out along it, ordered by where they go, so they neither overlap nor cross there.
 */
function route(edges: GraphEdge[], byId: Map<string, Placed>, bottomOf: number[]): Routed[] {
  const planned: Planned[] = [];
  for (const edge of edges) {
    const s = byId.get(edge.serverId);
    const c = byId.get(edge.clientId);
    if (!s || !c) continue;
    const [a, b] = s.col < c.col || (s.col === c.col && s.row <= c.row) ? [s, c] : [c, s];
    const kind = a.col === b.col ? "same" : b.col - a.col === 2 && bottomOf[1]! > 0 ? "skip" : "next";
    // The left band bulges left, the others right, so same-band curves stay out of the middle.
    const sameSide: Side = a.col === 0 ? -1 : 1;
    planned.push({ edge, a, b, kind, sideA: kind === "same" ? sameSide : 1, sideB: kind === "same" ? sameSide : -1, ya: a.y, yb: b.y });
  }
  // Detours nest like U shapes: the one starting highest runs innermost (lane 0), so no
  // detour has to cross another's arm to reach its lane.
  const lane = new Map<Planned, number>();
  planned
    .filter((p) => p.kind === "skip")
    .sort((x, y) => x.a.y - y.a.y || x.b.y - y.b.y)
    .forEach((p, k) => lane.set(p, k));
  const ends = new Map<string, Array<{ p: Planned; end: "a" | "b"; toward: number }>>();
  for (const p of planned) {
    for (const end of ["a", "b"] as const) {
      const node = p[end];
      const key = `${node.id}:${end === "a" ? p.sideA : p.sideB}`;
      const other = end === "a" ? p.b : p.a;
      // Detours leave downwards, so they take the bottom of the fan, inner lanes first.
      const toward = p.kind === "skip" ? 1e6 + lane.get(p)! : other.y;
      (ends.get(key) ?? ends.set(key, []).get(key)!).push({ p, end, toward });
    }
  }
  for (const list of ends.values()) {
    list.sort((x, y) => x.toward - y.toward);
    const step = Math.min(7, (NODE_H - 16) / Math.max(list.length - 1, 1));
    list.forEach((e, i) => {
      const y = e.p[e.end].y + (i - (list.length - 1) / 2) * step;
      if (e.end === "a") e.p.ya = y;
      else e.p.yb = y;
    });
  }

  // One floor for every detour lane: below the middle band and below every end it starts from.
  const busTop = Math.max(bottomOf[1]! + 20, ...[...lane.keys()].map((p) => Math.max(p.a.y, p.b.y) + NODE_H / 2 + 8));
  const out: Routed[] = [];
  const sameBand = new Map<number, number>();
  for (const p of planned) {
    const { a, b } = p;
    const pa = { x: a.x + (p.sideA * NODE_W) / 2, y: p.ya };
    const pb = { x: b.x + (p.sideB * NODE_W) / 2, y: p.yb };
    let d: string;
    let lowest = Math.max(a.y, b.y) + NODE_H / 2;
    if (p.kind === "same") {
      const n = sameBand.get(a.col) ?? 0;
      sameBand.set(a.col, n + 1);
      const off = p.sideA * (26 + 10 * Math.abs(b.row - a.row) + 6 * n);
      d = `M${pa.x},${pa.y} C${pa.x + off},${pa.y} ${pb.x + off},${pb.y} ${pb.x},${pb.y}`;
    } else if (p.kind === "skip") {
      // Edge to on-prem with cloud clusters in the way: out to the gutter, down below
      // the middle band, across, and up the far gutter, in the detour's own lane.
      const k = lane.get(p)!;
      const r = 8;
      const g1 = (COL_X[0]! + COL_X[1]!) / 2 - 5 * k;
      const g2 = (COL_X[1]! + COL_X[2]!) / 2 + 5 * k;
      const bus = busTop + 8 * k;
      d = [
        `M${pa.x},${pa.y}`,
        `H${g1 - r}`,
        `Q${g1},${pa.y} ${g1},${pa.y + r}`,
        `V${bus - r}`,
        `Q${g1},${bus} ${g1 + r},${bus}`,
        `H${g2 - r}`,
        `Q${g2},${bus} ${g2},${bus - r}`,
        `V${pb.y + r}`,
        `Q${g2},${pb.y} ${g2 + r},${pb.y}`,
        `H${pb.x}`,
      ].join(" ");
      lowest = Math.max(lowest, bus);
    } else {
      const mx = (pa.x + pb.x) / 2;
      d = `M${pa.x},${pa.y} C${mx},${pa.y} ${mx},${pb.y} ${pb.x},${pb.y}`;
    }
    out.push({ edge: p.edge, d, server: a.id === p.edge.serverId ? pa : pb, lowest });
  }
  return out;
}

export function reachableLabel(r: boolean | null | undefined): string {
  return r === true ? "yes" : r === false ? "no" : "not probed";
}

function edgeTitle(e: GraphEdge, byId: Map<string, Placed>) {
  const s = byId.get(e.serverId)?.name ?? e.serverId;
  const c = byId.get(e.clientId)?.name ?? e.clientId;
  const lines = [`${s} (server) ⇄ ${c} (client)`];
  if (e.status) {
    lines.push(`Tunnel: ${LINK_LABEL[e.status]}${e.statusReason ? ` (${e.statusReason})` : ""}`, `Endpoint reachable: ${reachableLabel(e.endpointReachable)}`);
    lines.push(`RTT: ${formatRtt(e.rttMs)}`, `Loss: ${formatLoss(e.lossPct)}`);
  } else lines.push("Planned link");
  if (e.serverTunnelIp && e.clientTunnelIp) lines.push(`Tunnel: ${e.serverTunnelIp} ⇄ ${e.clientTunnelIp}`);
  return lines.join("\n");
}

export function TopologyGraph({
  nodes,
  edges,
  label = "Topology graph",
  className,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  label?: string;
  className?: string;
}) {
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
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        className="mx-auto block max-w-[760px]"
        role="img"
        aria-label={`${label}: ${nodes.length} clusters, ${edges.length} links`}
      >
        {cols.map((c, i) => (
          <g key={SITE_ORDER[i]}>
            <rect
              x={COL_X[i]! - NODE_W / 2 - 18}
              y={4}
              width={NODE_W + 36}
              height={height - 8}
              rx={12}
              className="fill-surface-2/60 stroke-border"
              strokeWidth={1}
            />
            <text x={COL_X[i]} y={26} textAnchor="middle" className="fill-muted-foreground text-[11px] font-medium tracking-wide uppercase">
              {SITE_LABEL[SITE_ORDER[i]!]} · {c.length}
            </text>
          </g>
        ))}
        {routed.map(({ edge, d }) => {
          const kind = edge.status ?? "PLANNED";
          return (
            <g
              key={edge.id}
              data-link={edge.id}
              data-status={kind}
              data-endpoint-reachable={edge.status ? reachableLabel(edge.endpointReachable) : undefined}
              className="group"
            >
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
            </g>
          );
        })}
        {placed.map((n) => (
          <g key={n.id} data-node={n.name} transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}>
            <title>{`${n.name} · ${SITE_LABEL[n.siteType] ?? n.siteType}${n.availability ? ` · ${n.availability.toLowerCase()}` : ""}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={9} className="fill-surface stroke-border-strong" strokeWidth={1} />
            {n.availability ? (
              <circle cx={14} cy={n.detail ? 15 : NODE_H / 2} r={3.5} className={AVAILABILITY_DOT[n.availability] ?? "fill-muted-foreground"} />
            ) : null}
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
        {/* Server ends on top of the nodes' borders, where the eye looks for them. */}
        {routed.map(({ edge, server }) => (
          <circle
            key={edge.id}
            cx={server.x}
            cy={server.y}
            r={4}
            className={cn(DOT_CLASS[edge.status ?? "PLANNED"], "stroke-surface")}
            strokeWidth={1.75}
            aria-hidden="true"
          />
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
