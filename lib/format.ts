// Dates arrive from tRPC as ISO strings (no transformer is configured), from server
// components as Date objects; every formatter accepts both.
export type DateLike = string | Date | null | undefined;

export function toDate(v: DateLike): Date | null {
  if (v == null) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function formatDateTime(v: DateLike, empty = "—"): string {
  const d = toDate(v);
  return d ? dateTime.format(d) : empty;
}

export function formatDate(v: DateLike, empty = "—"): string {
  const d = toDate(v);
  return d ? dateOnly.format(d) : empty;
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** "3 minutes ago", "in 89 days". */
export function formatRelative(v: DateLike, now: number = Date.now(), empty = "—"): string {
  const d = toDate(v);
  if (!d) return empty;
  let delta = (d.getTime() - now) / 1000;
  if (Math.abs(delta) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(delta) < size) return rtf.format(Math.round(delta), unit);
    delta /= size;
  }
  return dateOnly.format(d);
}

/** Value for an <input type="datetime-local"> → ISO string in UTC (or undefined when empty). */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

// Compact forms for table cells and live views: distances in time, lease lengths, link quality, throughput.

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
