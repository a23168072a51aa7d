// Cross-origin mutations are refused. Cookie-authenticated requests that change state
// must come from our own origin (Origin header, or Sec-Fetch-Site for browsers that
// omit it). Bearer-token calls carry no ambient credentials and are exempt.
export function isCrossOriginMutation(req: Request): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return false;
  if (req.headers.get("authorization")) return false;
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin) {
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  return req.headers.get("sec-fetch-site") === "cross-site";
}

export function forbiddenCrossOrigin(): Response {
  return Response.json({ error: { code: "FORBIDDEN", message: "Cross-origin request refused" } }, { status: 403 });
}
