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
