// Labels, tones and number formats of the cluster and registration-token pages. Pure: no React.
import type { BadgeTone } from "../ui/badge";

export type SiteType = "EDGE" | "CLOUD" | "ONPREM";
export type Availability = "AVAILABLE" | "UNKNOWN" | "PENDING";

export const SITE_TYPES: readonly SiteType[] = ["EDGE", "CLOUD", "ONPREM"];
export const SITE_LABEL: Record<SiteType, string> = { EDGE: "Edge", CLOUD: "Cloud", ONPREM: "On-prem" };
export const SITE_HINT: Record<SiteType, string> = {
  EDGE: "Stores, factories, vessels: small, often behind NAT",
  CLOUD: "A managed cluster in a cloud region",
  ONPREM: "A cluster in your own data centre",
};

export const AVAILABILITIES: readonly Availability[] = ["AVAILABLE", "UNKNOWN", "PENDING"];
export const AVAILABILITY_LABEL: Record<Availability, string> = { AVAILABLE: "Available", UNKNOWN: "Unknown", PENDING: "Pending" };
export const AVAILABILITY_TONE: Record<Availability, BadgeTone> = { AVAILABLE: "success", UNKNOWN: "warning", PENDING: "neutral" };
export const AVAILABILITY_HINT: Record<Availability, string> = {
  AVAILABLE: "Heartbeats arrive within the lease",
  UNKNOWN: "No heartbeat for three leases",
  PENDING: "Registered, no heartbeat yet",
};

/** Component and gateway statuses as agents report them. */
export const STATUS_TONE: Record<string, BadgeTone> = { OK: "success", UP: "success", DEGRADED: "warning", DOWN: "danger", FAILED: "danger", UNKNOWN: "neutral" };
export const STATUS_LABEL: Record<string, string> = { OK: "OK", UP: "Up", DEGRADED: "Degraded", DOWN: "Down", FAILED: "Failed", UNKNOWN: "Unknown" };

export const SEVERITY_TONE: Record<string, BadgeTone> = { INFO: "accent", WARNING: "warning", CRITICAL: "danger" };
export const SEVERITY_LABEL: Record<string, string> = { INFO: "Info", WARNING: "Warning", CRITICAL: "Critical" };

/** How often live views poll: heartbeats land every lease (15 s by default), status changes at any time. */
export const LIVE_INTERVAL_MS = 3_000;

const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

/**
 * A compact distance between two instants, "12 s", "4 min", "3 h", "6 d". Compact on
 * purpose: it sits in table cells and ticks every second.
 */
function span(ms: number): string | null {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  const d = Math.floor(h / 24);
  if (d < 60) return `${d} d`;
  return null;
}

/** "12 s ago", "3 h ago"; a date further back than two months. */
export function formatAgo(at: Date, now: number): string {
  const delta = now - at.getTime();
  // A clock a little ahead of the server's still reads as "now", not "in 1 s".
  if (delta < 1000) return "just now";
  const text = span(delta);
  return text ? `${text} ago` : dateOnly.format(at);
}

/** "in 23 h", "in 6 d", or "3 h ago" once past. */
export function formatUntil(at: Date, now: number): string {
  const delta = at.getTime() - now;
  if (delta <= 0) return formatAgo(at, now);
  const text = span(delta);
  return text ? `in ${text}` : dateOnly.format(at);
}

/** Seconds as a lease reads: "15 s", "2 min". */
export function formatSeconds(s: number): string {
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

export function formatRtt(ms: number | null | undefined): string {
  if (ms == null) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatLoss(pct: number | null | undefined): string {
  if (pct == null) return "—";
  return pct === 0 ? "0 %" : pct < 1 ? `${pct.toFixed(2)} %` : `${pct.toFixed(1)} %`;
}

const BYTE_UNITS = ["B/s", "kB/s", "MB/s", "GB/s"];

/** Bytes per second, as the agent reports them: "1.4 MB/s". */
export function formatRate(bps: number | null | undefined): string {
  if (bps == null) return "—";
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < BYTE_UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${BYTE_UNITS[i]}`;
}
