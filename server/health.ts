// Readiness of this process's dependencies, for /api/health (load balancers,
// Kubernetes probes, docker compose). Each probe has a short deadline, so a hung
// dependency gives a quick 503 rather than a hung probe.
import { db } from "./db/client";
import { logger } from "./logger";
import { withTimeout } from "./queues";
import { redis } from "./redis";

export type CheckName = "postgres" | "redis";
export type Probes = Record<CheckName, () => Promise<unknown>>;

const defaultProbes: Probes = {
  postgres: () => db().$queryRaw`SELECT 1`,
  redis: () => redis().ping(),
};

export async function checkHealth(probes: Probes = defaultProbes, timeoutMs = 1_500) {
  const names = Object.keys(probes) as CheckName[];
  const results = await Promise.all(
    names.map(async (name) => {
      try {
        await withTimeout(probes[name](), timeoutMs, `no answer within ${timeoutMs} ms`);
        return [name, "ok"] as const;
      } catch (err) {
        // The reason goes to the log, not to an unauthenticated caller.
        logger.warn({ check: name, err: (err as Error).message }, "health check failed");
        return [name, "down"] as const;
      }
    }),
  );
  const checks = Object.fromEntries(results) as Record<CheckName, "ok" | "down">;
  const ok = results.every(([, r]) => r === "ok");
  return { httpStatus: ok ? 200 : 503, body: { status: ok ? ("ok" as const) : ("error" as const), checks } };
}
