// The one line that says whether a slice's tunnels are all up, and if not, which one to
// look at first: "3/4 links up — eu-edge-7 ↔ us-core-1 DOWN since 12:04 (handshake
// timeout)". Deterministic: the same state always gives the same line (worst status
// first, then the longest-failing, then by the two names), so it can be compared, shown
// in an alert, and tested.
import { HEALTH_RANK, type LinkHealth } from "./evaluate";

export interface ConvergenceLink {
  serverName: string;
  clientName: string;
  status: LinkHealth;
  since: Date | null;
  reason: string | null;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

export function convergenceMessage(links: readonly ConvergenceLink[]): string {
  if (links.length === 0) return "no links (a slice needs two members for a tunnel)";
  const up = links.filter((l) => l.status === "UP").length;
  const head = `${up}/${links.length} links up`;
  if (up === links.length) return head;
  const pair = (l: ConvergenceLink) => [l.serverName, l.clientName].sort().join(" ↔ ");
  const first = links
    .filter((l) => l.status !== "UP")
    .sort(
      (a, b) =>
        HEALTH_RANK[b.status] - HEALTH_RANK[a.status] || (a.since?.getTime() ?? Infinity) - (b.since?.getTime() ?? Infinity) || pair(a).localeCompare(pair(b)),
    )[0]!;
  const since = first.since ? ` since ${hhmm(first.since)}` : "";
  const reason = first.reason ? ` (${first.reason})` : "";
  const more = links.length - up > 1 ? ` (+${links.length - up - 1} more)` : "";
  return `${head} — ${pair(first)} ${first.status}${since}${reason}${more}`;
}
