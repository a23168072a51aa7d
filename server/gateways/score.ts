// A site's health score, 0-100, with the factors that took points off, so "why is this
// site red?" has an answer: "62: 2 of 5 links degraded (loss 4 %), component gateway
// DEGRADED". Pure; the weights are here and nowhere else.
//
// * Availability first: a cluster whose lease expired (UNKNOWN) scores 0: nothing it
//   reported can be trusted any more. A PENDING one (never heard from) has no score.
// * Components: -30 for each FAILED, -15 for each DEGRADED, -5 for each UNKNOWN.
// * Links, by the share of the site's links in each state: up to -50 for DOWN, -35 for
//   FLAPPING, -25 for DEGRADED, -15 for UNKNOWN (all links down costs 50 points).
import type { LinkHealth } from "./evaluate";

export interface ScoreInput {
  availability: "AVAILABLE" | "UNKNOWN" | "PENDING";
  components: ReadonlyArray<{ name: string; status: string }>;
  links: ReadonlyArray<{ status: LinkHealth; lossPct: number | null; rttMs: number | null }>;
}

export interface ScoreFactor {
  /** Points taken off. */
  penalty: number;
  text: string;
}

export interface SiteScore {
  score: number | null;
  factors: ScoreFactor[];
  /** The score and its factors in one line. */
  summary: string;
}

const LINK_WEIGHT: Record<Exclude<LinkHealth, "UP">, number> = { DOWN: 50, FLAPPING: 35, DEGRADED: 25, UNKNOWN: 15 };
const COMPONENT_PENALTY: Record<string, number> = { FAILED: 30, DEGRADED: 15, UNKNOWN: 5 };
const round1 = (n: number) => Math.round(n * 10) / 10;

export function siteScore(input: ScoreInput): SiteScore {
  if (input.availability === "PENDING") return { score: null, factors: [], summary: "no score: the agent has not reported yet" };
  if (input.availability === "UNKNOWN") {
    const factors = [{ penalty: 100, text: "cluster UNKNOWN (no heartbeat for 3 leases)" }];
    return { score: 0, factors, summary: "0: cluster UNKNOWN (no heartbeat for 3 leases)" };
  }
  const factors: ScoreFactor[] = [];
  const total = input.links.length;
  for (const status of ["DOWN", "FLAPPING", "DEGRADED", "UNKNOWN"] as const) {
    const hit = input.links.filter((l) => l.status === status);
    if (!hit.length) continue;
    const penalty = Math.round((LINK_WEIGHT[status] * hit.length) / total);
    let detail = "";
    if (status === "DEGRADED") {
      const loss = Math.max(...hit.map((l) => l.lossPct ?? 0));
      const rtt = Math.max(...hit.map((l) => l.rttMs ?? 0));
      detail = loss >= 1 ? ` (loss ${round1(loss)} %)` : rtt > 0 ? ` (RTT ${Math.round(rtt)} ms)` : "";
    }
    factors.push({ penalty, text: `${hit.length} of ${total} links ${status.toLowerCase()}${detail}` });
  }
  for (const c of input.components) {
    const penalty = COMPONENT_PENALTY[c.status];
    if (penalty) factors.push({ penalty, text: `component ${c.name} ${c.status}` });
  }
  const score = Math.max(0, 100 - factors.reduce((a, f) => a + f.penalty, 0));
  return { score, factors, summary: factors.length ? `${score}: ${factors.map((f) => f.text).join(", ")}` : `${score}: all links up, all components OK` };
}
