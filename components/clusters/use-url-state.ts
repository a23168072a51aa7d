"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";

/**
 * Read and patch the page's query string. Writes go through history.replaceState,
 * which Next.js folds into useSearchParams without a server round trip: a filter or a
 * keystroke in a search box must not re-render the page on the server.
 */
export function useQueryParams() {
  const params = useSearchParams();
  const pathname = usePathname();
  const set = useCallback(
    (patch: Record<string, string | undefined>) => {
      const next = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      const qs = next.toString();
      // `null`, not the current state: Next.js only folds a call into its router when the
      // state is not one of its own entries.
      window.history.replaceState(null, "", qs ? `${pathname}?${qs}` : pathname);
    },
    [pathname],
  );
  return { params, set };
}

/**
 * A text box bound to a query parameter after `ms` of quiet. Typing stays local and
 * instant; the URL (and so the query) follows once the user pauses. A change of the
 * parameter from elsewhere (back button, "clear filters") shows up in the box.
 */
export function useDebouncedParam(value: string, commit: (v: string) => void, ms = 300) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  // Adjust during render, React's pattern for state derived from a changing prop.
  if (value !== synced) {
    setSynced(value);
    setText(value);
  }
  useEffect(() => {
    if (text === synced) return;
    const t = setTimeout(() => {
      setSynced(text);
      commit(text);
    }, ms);
    return () => clearTimeout(t);
  }, [text, synced, commit, ms]);
  return [text, setText] as const;
}

const noSubscribe = () => () => {};

/** The console's origin in the browser ("" while rendering on the server). */
export function useOrigin(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => "",
  );
}
