/**
 * A callback URL we may send the browser to after signing in: a path on this origin
 * only, so a crafted link cannot bounce a fresh session to another site.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/"): string {
  if (!value) return fallback;
  let path = value;
  // next-auth may hand back an absolute URL of our own origin.
  if (/^https?:\/\//i.test(value)) {
    if (typeof window === "undefined") return fallback;
    try {
      const u = new URL(value);
      if (u.origin !== window.location.origin) return fallback;
      path = u.pathname + u.search + u.hash;
    } catch {
      return fallback;
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  if (path.startsWith("/signin") || path.startsWith("/api/")) return fallback;
  return path;
}
