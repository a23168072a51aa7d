// The one place that decides a request's client address: the per-address sign-in
// throttle, the enrolment rate limit, API token use and the audit log's source address
// all take it from here.
//
// Rule: the client is the socket's peer. Only when that peer (and each hop before it)
// is a proxy named in TRUSTED_PROXIES do we read X-Forwarded-For, from the right,
// stopping at the first address that is not trusted. Entries further left were written
// by the client and never count. Default: trust nothing.
//
// Next.js route handlers get no socket. Next's server fills X-Forwarded-For with the
// peer only when the client sent none (`??=` in next/dist/server/base-server.js, 16.4),
// so behind plain `next start` the header is whatever the client wrote. The web process
// is therefore started with append-peer.cjs preloaded, which appends the real peer to
// the header before Next.js runs; this module believes the header only in a process
// where that preload ran, and otherwise reports no address (logged once) rather than a
// forged one. Checked against a `next start` of this app (16.4.6): a request with
// `X-Forwarded-For: 6.6.6.6` reached the /api/agent/* rewrite target with exactly
// "6.6.6.6", the peer nowhere; with the preload, "6.6.6.6, 127.0.0.1".
import type { IncomingMessage } from "node:http";
import { env } from "../platform/env";
import { logger } from "../platform/logger";
import { clientFromChain, parseTrustedProxies, splitForwardedFor, type TrustedProxies } from "../platform/trusted-proxies";

let cached: TrustedProxies | undefined;
/** The proxies this process trusts (TRUSTED_PROXIES, validated in env.ts). */
export function trustedProxies(): TrustedProxies {
  cached ??= parseTrustedProxies(env().TRUSTED_PROXIES);
  return cached;
}

// The agent API is also reached through the web process's rewrite of /api/agent/*,
// which connects from loopback when both run on one host (`npm start`). Loopback peers
// are local processes, never a remote client, so trusting them as proxies there lets
// one host's console URL carry each agent's own address.
let agentApiCached: TrustedProxies | undefined;
export function agentApiTrustedProxies(): TrustedProxies {
  agentApiCached ??= parseTrustedProxies(["loopback", env().TRUSTED_PROXIES].filter(Boolean).join(","));
  return agentApiCached;
}

/** A node:http request, where the socket is at hand (the agent API). */
export function clientAddressOfRequest(req: IncomingMessage, trust: TrustedProxies = trustedProxies()): string | null {
  return clientFromChain([...splitForwardedFor(req.headers["x-forwarded-for"]), req.socket.remoteAddress ?? ""], trust);
}

const MARK = Symbol.for("isthmus.peerAppended");
let warned = false;

/** True in a process where append-peer.cjs made the last X-Forwarded-For entry the real peer. */
export function peerAppended(): boolean {
  return (globalThis as Record<symbol, unknown>)[MARK] === true;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderBag, name: string): string | string[] | undefined {
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name) ?? undefined;
  return (h as Record<string, string | string[] | undefined>)[name];
}

/** Request headers inside the Next.js process (route handlers, next-auth, server components). */
export function clientAddressFromHeaders(headers: HeaderBag, trust: TrustedProxies = trustedProxies()): string | null {
  if (!peerAppended()) {
    if (!warned) {
      warned = true;
      logger.warn("client addresses are unknown: start the web server with `node --require ./server/http/append-peer.cjs` (npm start and the Docker image do)");
    }
    return null;
  }
  return clientFromChain(splitForwardedFor(header(headers, "x-forwarded-for")), trust);
}
