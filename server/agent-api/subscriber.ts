// The agent API process's one Redis subscriber: config announcements for every
// cluster (one pattern subscription, so held long-polls cost no Redis commands) and
// credential revocations from other processes.
import type { Logger } from "pino";
import { clearCredentialCache, forgetCredentials } from "../clusters/credential-cache";
import { CREDENTIALS_REVOKED_CHANNEL } from "../clusters/keys";
import { CONFIG_CHANNEL_PATTERN, clusterIdOfConfigChannel } from "../config/keys";
import type { RevisionWaiters } from "../config/revision-waiters";
import { newRedis } from "../platform/redis";

export async function startSubscriber(waiters: Pick<RevisionWaiters, "notify" | "recheckAll">, log: Logger) {
  const sub = newRedis({ maxRetriesPerRequest: null, connectionName: "isthmus-agent-api-sub" });
  let readyBefore = false;
  sub.on("error", (err) => log.warn({ err: err.message }, "redis subscriber error"));
  sub.on("ready", () => {
    // Reconnected: announcements and revocations sent meanwhile were lost.
    if (readyBefore) {
      clearCredentialCache();
      waiters.recheckAll();
    }
    readyBefore = true;
  });
  sub.on("pmessage", (_pattern: string, channel: string, message: string) => {
    const revision = Number(message);
    if (Number.isFinite(revision)) waiters.notify(clusterIdOfConfigChannel(channel), revision);
  });
  sub.on("message", (channel: string, message: string) => {
    if (channel !== CREDENTIALS_REVOKED_CHANNEL) return;
    try {
      const ids = JSON.parse(message) as unknown;
      if (Array.isArray(ids)) forgetCredentials(ids.filter((x): x is string => typeof x === "string"));
    } catch {
      clearCredentialCache();
    }
  });
  await sub.psubscribe(CONFIG_CHANNEL_PATTERN);
  await sub.subscribe(CREDENTIALS_REVOKED_CHANNEL);
  return {
    async close() {
      await sub.quit().catch(() => sub.disconnect());
    },
  };
}
