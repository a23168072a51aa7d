// Who may read /api/metrics. It names clusters, queues and error rates: not for the
// internet. With METRICS_TOKEN set, a scraper sends `Authorization: Bearer <token>`
// (compared in constant time). Without it, only a direct connection from this host
// (loopback peer, no proxy in between) may read it, so `npm start` works for a local
// Prometheus without any set-up and nothing else can.
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../platform/env";
import { peerAppended } from "./client-address";
import { normalizeAddress, splitForwardedFor } from "../platform/trusted-proxies";

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time: both sides are hashed to one length first, so length leaks nothing either. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

const isLoopback = (addr: string | null) => !!addr && (addr === "::1" || addr.startsWith("127."));

export function metricsAccess(headers: Headers, token: string | undefined = env().METRICS_TOKEN): MetricsAccess {
  if (token) {
    const m = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
    if (m && tokenMatches(m[1]!, token)) return { ok: true };
    return { ok: false, status: 401, message: "send the metrics token: Authorization: Bearer <METRICS_TOKEN>" };
  }
  // The chain holds exactly the peer that append-peer.cjs added: nobody forwarded this.
  const chain = peerAppended() ? splitForwardedFor(headers.get("x-forwarded-for")) : [];
  if (chain.length === 1 && isLoopback(normalizeAddress(chain[0]))) return { ok: true };
  return { ok: false, status: 403, message: "metrics are readable from this host only; set METRICS_TOKEN to scrape them from elsewhere" };
}
