import { describe, expect, it } from "vitest";
import { GET as health } from "../app/api/health/route";
import { GET as metricsRoute } from "../app/api/metrics/route";
import { checkHealth } from "./health";

describe("/api/health", () => {
  it("is 200 with both checks ok against the real Postgres and Redis", async () => {
    const res = await health(new Request("http://localhost/api/health"), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("is 503 naming the dependency that is down or hangs", async () => {
    const down = await checkHealth({ postgres: async () => 1, redis: () => Promise.reject(new Error("ECONNREFUSED")) });
    expect(down).toEqual({ httpStatus: 503, body: { status: "error", checks: { postgres: "ok", redis: "down" } } });
    const hung = await checkHealth({ postgres: () => new Promise(() => {}), redis: async () => "PONG" }, 50);
    expect(hung.body.checks).toEqual({ postgres: "down", redis: "ok" });
  });
});

describe("/api/metrics", () => {
  it("serves Prometheus text with queue depths and process metrics", async () => {
    const res = await metricsRoute(new Request("http://localhost/api/metrics"), {});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toMatch(/isthmus_queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
    expect(body).toContain("isthmus_queue_up 1");
    expect(body).toContain("process_cpu_user_seconds_total");
    expect(body).toContain("nodejs_heap_size_used_bytes");
  });
});
