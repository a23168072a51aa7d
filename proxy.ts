// Next.js proxy (the file convention that replaced middleware in Next 16). Two jobs:
//  * every page gets a fresh CSP nonce: set on the request's Content-Security-Policy
//    header, Next.js puts it on the scripts it renders (pages are therefore rendered
//    per request; the root layout reads it for its own inline script);
//  * a body over 1 MiB for the agent protocol (/api/agent/*, rewritten to the agent
//    API) is refused here with the protocol's 413, before the rewrite proxies it.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, NONCE_HEADER } from "./lib/csp";
import { ERROR_CODES, MAX_BODY_BYTES } from "./protocol/index";

export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/agent/")) {
    const declared = Number(request.headers.get("content-length") ?? NaN);
    if (declared > MAX_BODY_BYTES) {
      return NextResponse.json(
        { error: { code: ERROR_CODES.tooLarge, message: `request body exceeds ${MAX_BODY_BYTES} bytes (1 MiB)` } },
        { status: 413, headers: { connection: "close", "cache-control": "no-store" } },
      );
    }
    return NextResponse.next();
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    "/api/agent/:path*",
    {
      // Pages only: API routes and static files carry next.config.js's headers.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
