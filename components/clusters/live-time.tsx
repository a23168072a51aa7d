"use client";
// Relative times that tick every second without refetching: one shared 1 s timer for
// every mounted <LiveAgo>, so a page of 200 rows still sets a single interval.
import { useSyncExternalStore } from "react";
import { formatAgo, formatDateTime, formatUntil, toDate, type DateLike } from "@/lib/format";

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let now = Date.now();

function subscribe(cb: () => void) {
  listeners.add(cb);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(cb);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

// The server renders no time at all (0): its clock and the browser's never agree to
// the second, and a mismatch would fail hydration.
const serverSnapshot = () => 0;
const clientSnapshot = () => {
  // Nothing ticking (first mount after a while): start from the real time, not the
  // last tick of a page long gone.
  if (!timer && Date.now() - now >= 1000) now = Date.now();
  return now;
};

/** The current time, updated once a second while any component listens. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, clientSnapshot, serverSnapshot);
}

/** "12 s ago", ticking; `never` when there is no time. */
export function LiveAgo({ value, never = "Never", className }: { value: DateLike; never?: string; className?: string }) {
  const t = useNow();
  const d = toDate(value);
  if (!d) return <span className={className}>{never}</span>;
  return (
    <time dateTime={d.toISOString()} title={formatDateTime(d)} className={className} suppressHydrationWarning>
      {t === 0 ? formatDateTime(d) : formatAgo(d, t)}
    </time>
  );
}

/** "in 23 h" (or "3 h ago" once past), ticking. */
export function LiveUntil({ value, className }: { value: DateLike; className?: string }) {
  const t = useNow();
  const d = toDate(value);
  if (!d) return <span className={className}>—</span>;
  return (
    <time dateTime={d.toISOString()} title={formatDateTime(d)} className={className} suppressHydrationWarning>
      {t === 0 ? formatDateTime(d) : formatUntil(d, t)}
    </time>
  );
}
