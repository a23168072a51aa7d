// Latest gateway health per link end, kept hot in Redis (one hash per link, one field
// per reporting cluster). Written from heartbeats, read by slice and gateway views.
import type { GatewaySample } from "../../protocol/index";
import { key, redis } from "../redis";

/** A report older than this no longer counts: the end is treated as silent. */
const FRESH_MS = 90_000;
/** A link hash outlives its last report by this long, then expires. */
export const LINK_HEALTH_TTL_SECONDS = 600;

interface EndReport {
  status: GatewaySample["status"];
  rttMs?: number;
  lossPct?: number;
  rxBps?: number;
  txBps?: number;
  at: number;
}

/**
 * Hash of one link's latest reports: field = reporting cluster id, value = an EndReport
 * as JSON (written by the heartbeat script).
 */
export const linkKey = (linkId: string) => key("link", linkId);

export interface LinkStatus {
  status: "UP" | "DOWN" | "DEGRADED" | "UNKNOWN";
  rttMs: number | null;
  lossPct: number | null;
  reportedAt: Date | null;
  ends: Record<string, EndReport>;
}

const RANK = { DOWN: 3, DEGRADED: 2, UNKNOWN: 1, UP: 0 } as const;

/** A link is as healthy as its worst freshly reporting end; with no fresh report it is UNKNOWN. */
export function combineEnds(ends: Record<string, EndReport>, now = Date.now()): LinkStatus {
  const fresh = Object.values(ends).filter((e) => now - e.at <= FRESH_MS);
  if (fresh.length === 0) return { status: "UNKNOWN", rttMs: null, lossPct: null, reportedAt: null, ends };
  const worst = fresh.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const rtts = fresh.flatMap((e) => (e.rttMs === undefined ? [] : [e.rttMs]));
  const losses = fresh.flatMap((e) => (e.lossPct === undefined ? [] : [e.lossPct]));
  return {
    status: worst.status,
    rttMs: rtts.length ? Math.max(...rtts) : null,
    lossPct: losses.length ? Math.max(...losses) : null,
    reportedAt: new Date(Math.max(...fresh.map((e) => e.at))),
    ends,
  };
}

/** A link and the two clusters at its ends: only their reports count. */
export interface LinkEnds {
  id: string;
  serverClusterId: string;
  clientClusterId: string;
}

/**
 * The health of each link from its two ends' latest reports. Only the link's own
 * clusters are read: an agent reports under its own cluster id, so another cluster
 * (of this tenant or any other) that claims a link id it does not belong to cannot
 * move that link's status.
 */
export async function linkStatuses(links: readonly LinkEnds[], now = Date.now()): Promise<Map<string, LinkStatus>> {
  const out = new Map<string, LinkStatus>();
  if (links.length === 0) return out;
  const pipe = redis().pipeline();
  for (const l of links) pipe.hmget(linkKey(l.id), l.serverClusterId, l.clientClusterId);
  const results = (await pipe.exec()) ?? [];
  links.forEach((l, i) => {
    const [server, client] = (results[i]?.[1] ?? []) as Array<string | null>;
    const ends: Record<string, EndReport> = {};
    if (server) ends[l.serverClusterId] = JSON.parse(server) as EndReport;
    if (client) ends[l.clientClusterId] = JSON.parse(client) as EndReport;
    out.set(l.id, combineEnds(ends, now));
  });
  return out;
}
