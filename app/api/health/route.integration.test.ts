import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as health } from "./route";
import { checkHealth } from "../../../server/platform/health";
import { renderMetrics } from "../../../server/platform/metrics";
import { SCHEDULES } from "../../../server/platform/queues";
import { readSchedules, recordScheduleRun, type ScheduleState } from "../../../server/platform/schedule-runs";

const allRan = async (): Promise<ScheduleState[]> =>
  Object.entries(SCHEDULES).map(([name, everyMs]) => ({
    name: name as keyof typeof SCHEDULES,
    everyMs,
    lastRunAt: new Date(),
    ageSeconds: 0,
    status: "ok" as const,
  }));

describe("/api/health", () => {
  it("is 200 with both checks ok against the real Postgres and Redis, and names every schedule", async () => {
    const res = await health(new Request("http://localhost/api/health"), {});
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.checks).toEqual({ postgres: "ok", redis: "ok" });
    expect(Object.keys(body.schedules).sort()).toEqual(Object.keys(SCHEDULES).sort());
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("is 503 naming the dependency that is down or hangs", async () => {
    const down = await checkHealth({ postgres: async () => 1, redis: () => Promise.reject(new Error("ECONNREFUSED")) }, { schedules: allRan });
    expect(down).toMatchObject({ httpStatus: 503, body: { status: "error", checks: { postgres: "ok", redis: "down" } } });
    const hung = await checkHealth({ postgres: () => new Promise(() => {}), redis: async () => "PONG" }, { timeoutMs: 50, schedules: allRan });
    expect(hung.body.checks).toEqual({ postgres: "down", redis: "ok" });
    const ok = await checkHealth({ postgres: async () => 1, redis: async () => "PONG" }, { schedules: allRan });
    expect(ok).toEqual({
      httpStatus: 200,
      body: { status: "ok", checks: { postgres: "ok", redis: "ok" }, schedules: Object.fromEntries(Object.keys(SCHEDULES).map((n) => [n, "ok"])) },
    });
  });

  it("says degraded, naming the schedule, when a schedule has not run within its interval", async () => {
    // Runs recorded under a prefix of its own, as a worker of another deployment would.
    const prefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
    const t0 = new Date();
    for (const name of Object.keys(SCHEDULES)) await recordScheduleRun(name, t0, prefix);
    const ups = { postgres: async () => 1, redis: async () => "PONG" };

    const fresh = await checkHealth(ups, { schedules: () => readSchedules(new Date(t0.getTime() + 1_000), prefix) });
    expect(fresh.body.status).toBe("ok");

    // A minute later, only the flush ran again: lease evaluation is overdue (every 5 s).
    for (const name of Object.keys(SCHEDULES)) if (name !== "clusters.evaluate-leases") await recordScheduleRun(name, new Date(t0.getTime() + 59_000), prefix);
    const later = () => readSchedules(new Date(t0.getTime() + 60_000), prefix);
    const late = await checkHealth(ups, { schedules: later });
    expect(late.httpStatus).toBe(200);
    expect(late.body).toMatchObject({
      status: "degraded",
      schedules: { "clusters.evaluate-leases": "stale", "clusters.flush": "ok", "maintenance.cleanup": "ok" },
    });
    expect(late.body.detail).toBe("clusters.evaluate-leases has not run for 60 s (every 5 s)");
    expect((await checkHealth(ups, { schedules: later, strict: true })).httpStatus).toBe(503);

    // A record never moves backwards (replicas finish out of order).
    await recordScheduleRun("clusters.flush", t0, prefix);
    expect((await later()).find((s) => s.name === "clusters.flush")?.ageSeconds).toBe(1);
  });

  it("says degraded when a schedule never ran (no worker ever started)", async () => {
    const prefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
    const res = await checkHealth({ postgres: async () => 1, redis: async () => "PONG" }, { schedules: () => readSchedules(new Date(), prefix) });
    expect(res.body).toMatchObject({ status: "degraded", schedules: { "clusters.flush": "never-run" } });
    expect(res.body.detail).toContain("clusters.flush has never run (every 250 ms): are the workers running?");
  });
});

describe("/api/metrics", () => {
  it("serves Prometheus text with queue depths, schedule ages and process metrics", async () => {
    const { body, contentType } = await renderMetrics();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/isthmus_queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
    expect(body).toContain("isthmus_queue_up 1");
    for (const name of Object.keys(SCHEDULES)) {
      expect(body).toMatch(new RegExp(`isthmus_schedule_last_run_age_seconds\\{schedule="${name}"\\} (\\+Inf|[\\d.e+-]+)`));
      expect(body).toMatch(new RegExp(`isthmus_schedule_stale\\{schedule="${name}"\\} [01]`));
    }
    expect(body).toContain('isthmus_schedule_stale_after_seconds{schedule="clusters.evaluate-leases"} 40');
    expect(body).toContain("process_cpu_user_seconds_total");
    expect(body).toContain("nodejs_heap_size_used_bytes");
  });
});
