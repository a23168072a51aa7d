// Live updates for the gateways views: the workers publish which tenants' gateway state
// changed (a link transition, an alert opened or resolved) on one Redis channel; each
// web process holds ONE subscription and fans the news out to its open event streams
// (server-sent events), so a browser refetches when something changed instead of
// polling every few seconds. The message carries tenant ids only, no state.
import type { Redis } from "ioredis";
import { logger } from "../platform/logger";
import { key, newRedis, redis } from "../platform/redis";

export const GATEWAYS_CHANGED_CHANNEL = key("gateways", "changed");

/** Tells every web process that these tenants' gateway state changed. Never throws: live updates are a convenience. */
export async function publishGatewayChanges(tenantIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(tenantIds)];
  if (ids.length === 0) return;
  await redis()
    .publish(GATEWAYS_CHANGED_CHANNEL, JSON.stringify(ids))
    .catch((err: Error) => logger.warn({ err: err.message }, "could not publish gateway changes"));
}

type Listener = () => void;
const globalForLive = globalThis as unknown as { isthmusGatewayLive?: { sub: Redis; listeners: Map<string, Set<Listener>> } };

function hub() {
  if (!globalForLive.isthmusGatewayLive) {
    const sub = newRedis({ maxRetriesPerRequest: null });
    const listeners = new Map<string, Set<Listener>>();
    sub.on("error", () => {});
    sub.on("message", (_channel: string, message: string) => {
      let ids: unknown;
      try {
        ids = JSON.parse(message);
      } catch {
        return;
      }
      if (!Array.isArray(ids)) return;
      for (const id of ids) for (const l of listeners.get(String(id)) ?? []) l();
    });
    void sub.subscribe(GATEWAYS_CHANGED_CHANNEL).catch((err: Error) => logger.warn({ err: err.message }, "gateway live updates unavailable"));
    globalForLive.isthmusGatewayLive = { sub, listeners };
  }
  return globalForLive.isthmusGatewayLive;
}

/** Calls `listener` whenever the tenant's gateway state changes; returns the unsubscribe. */
export function onGatewayChanges(tenantId: string, listener: Listener): () => void {
  const { listeners } = hub();
  let set = listeners.get(tenantId);
  if (!set) listeners.set(tenantId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(tenantId);
  };
}

/** For tests and shutdown: drop the subscription. */
export async function closeGatewayLive(): Promise<void> {
  const h = globalForLive.isthmusGatewayLive;
  globalForLive.isthmusGatewayLive = undefined;
  await h?.sub.quit().catch(() => h.sub.disconnect());
}

const enc = new TextEncoder();

/**
 * A server-sent event stream for one tenant: "changed" when its gateway state changed
 * (coalesced to at most one a second), a comment every 25 s so proxies keep it open.
 */
export function gatewayEventStream(tenantId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let pending: NodeJS.Timeout | null = null;
      const send = (text: string) => {
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          stop();
        }
      };
      send("retry: 5000\n\n");
      const off = onGatewayChanges(tenantId, () => {
        pending ??= setTimeout(() => {
          pending = null;
          send("event: changed\ndata: {}\n\n");
        }, 1_000);
      });
      const ping = setInterval(() => send(": ping\n\n"), 25_000);
      stop = () => {
        off();
        clearInterval(ping);
        if (pending) clearTimeout(pending);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener("abort", () => stop(), { once: true });
    },
    cancel() {
      stop();
    },
  });
}
