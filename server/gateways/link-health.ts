// Latest gateway health per link end. Nothing is written for it: each heartbeat already
// leaves the cluster's gateway samples in its hot state in Redis, and a link's health
// is read from the hot state of its two ends (one read per cluster however many links it
// has). A per-link copy written on every heartbeat cost Redis more than all the rest
// of the heartbeat together.
import type { GatewaySample } from "../../protocol/index";
import { readLatestGateways } from "../hot-state/hot-state";

/** A report older than this no longer counts: the end is treated as silent. */
const FRESH_MS = 90_000;

export interface EndReport {
  status: GatewaySample["status"];
  reason?: string;
  endpointReachable?: boolean;
  rttMs?: number;
  lossPct?: number;
  rxBps?: number;
  txBps?: number;
  at: number;
}

export interface LinkStatus {
  /** The tunnel's state, as the data plane reports it. */
  status: "UP" | "DOWN" | "DEGRADED" | "UNKNOWN";
  /** Why, when an end said (e.g. "no data plane"). */
  reason: string | null;
  /**
   * Whether the server end's gateway endpoint answered a connect from the other end: a
   * separate, weaker fact than the tunnel being up. False if any fresh end says so,
   * null when no end probed it.
   */
  endpointReachable: boolean | null;
  rttMs: number | null;
  lossPct: number | null;
  reportedAt: Date | null;
  ends: Record<string, EndReport>;
}

const RANK = { DOWN: 3, DEGRADED: 2, UNKNOWN: 1, UP: 0 } as const;

export interface CombineOptions {
  /** A report older than this is silence (ms): 3 leases of the ends' clusters where known. */
  freshMs?: number;
  /** An UP link with loss (%) or RTT (ms) at or above these is DEGRADED: the tenant's thresholds (gateways/settings.ts). */
  degradedLossPct?: number;
  degradedRttMs?: number;
}

/** The thresholds every tenant starts with (gateways/settings.ts holds the tenant's own). */
export const DEFAULT_DEGRADED_LOSS_PCT = 2;
export const DEFAULT_DEGRADED_RTT_MS = 250;

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/**
 * A link is as healthy as its worst freshly reporting end; with no fresh report it is
 * UNKNOWN. A tunnel its ends call UP but that loses or lags past the thresholds is
 * DEGRADED, with the measured value as its reason.
 */
export function combineEnds(ends: Record<string, EndReport>, now = Date.now(), opts: CombineOptions = {}): LinkStatus {
  const freshMs = opts.freshMs ?? FRESH_MS;
  const fresh = Object.values(ends).filter((e) => now - e.at <= freshMs);
  if (fresh.length === 0) return { status: "UNKNOWN", reason: null, endpointReachable: null, rttMs: null, lossPct: null, reportedAt: null, ends };
  const worst = fresh.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const rtts = fresh.flatMap((e) => (e.rttMs === undefined ? [] : [e.rttMs]));
  const losses = fresh.flatMap((e) => (e.lossPct === undefined ? [] : [e.lossPct]));
  const probed = fresh.flatMap((e) => (e.endpointReachable === undefined ? [] : [e.endpointReachable]));
  const rttMs = rtts.length ? Math.max(...rtts) : null;
  const lossPct = losses.length ? Math.max(...losses) : null;
  let status: LinkStatus["status"] = worst.status;
  let reason = worst.reason ?? null;
  if (status === "UP") {
    const lossLimit = opts.degradedLossPct ?? DEFAULT_DEGRADED_LOSS_PCT;
    const rttLimit = opts.degradedRttMs ?? DEFAULT_DEGRADED_RTT_MS;
    const over = [
      lossPct !== null && lossPct >= lossLimit ? `loss ${fmt(lossPct)} % ≥ ${fmt(lossLimit)} %` : null,
      rttMs !== null && rttMs >= rttLimit ? `RTT ${fmt(rttMs)} ms ≥ ${fmt(rttLimit)} ms` : null,
    ].filter((x): x is string => x !== null);
    if (over.length) {
      status = "DEGRADED";
      reason = over.join(", ");
    }
  }
  return {
    status,
    reason,
    endpointReachable: probed.length ? probed.every(Boolean) : null,
    rttMs,
    lossPct,
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
 * The health of each link from its two ends' latest heartbeats. Only the link's own
 * clusters are read, so a cluster that reports a link id it does not belong to (of
 * this tenant or any other) cannot move that link's status.
 */
export async function linkStatuses(
  links: readonly LinkEnds[],
  now = Date.now(),
  opts: (link: LinkEnds) => CombineOptions = () => ({}),
): Promise<Map<string, LinkStatus>> {
  const out = new Map<string, LinkStatus>();
  if (links.length === 0) return out;
  const latest = await readLatestGateways([...new Set(links.flatMap((l) => [l.serverClusterId, l.clientClusterId]))]);
  // Per cluster: its latest samples by link id, stamped with that heartbeat's time.
  const reports = new Map<string, Map<string, EndReport>>();
  for (const [id, { at, gateways }] of latest) {
    reports.set(
      id,
      new Map(
        gateways.map((g) => [
          g.linkId,
          {
            status: g.status,
            reason: g.reason,
            endpointReachable: g.endpointReachable,
            rttMs: g.rttMs,
            lossPct: g.lossPct,
            rxBps: g.rxBps,
            txBps: g.txBps,
            at,
          },
        ]),
      ),
    );
  }
  for (const l of links) {
    const ends: Record<string, EndReport> = {};
    const server = reports.get(l.serverClusterId)?.get(l.id);
    const client = reports.get(l.clientClusterId)?.get(l.id);
    if (server) ends[l.serverClusterId] = server;
    if (client) ends[l.clientClusterId] = client;
    out.set(l.id, combineEnds(ends, now, opts(l)));
  }
  return out;
}
