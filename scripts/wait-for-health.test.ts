import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { waitForHealth } from "./wait-for-health";

const servers: http.Server[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r)))));

/** A health endpoint answering these statuses in turn, then the last one forever. */
async function health(statuses: number[]) {
  let calls = 0;
  const server = http.createServer((_req, res) => {
    const status = statuses[Math.min(calls++, statuses.length - 1)]!;
    res.writeHead(status).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`, calls: () => calls };
}

describe("waiting for /api/health", () => {
  test("503 while warming up is retried; it returns once the answer is 200", async () => {
    const h = await health([503, 503, 200]);
    expect(await waitForHealth(h.url, { timeoutMs: 60_000, intervalMs: 10 })).toBe(200);
    expect(h.calls()).toBe(3);
  });

  test("never 200 within the time allowed: the last status, so the caller does not say running", async () => {
    const h = await health([503]);
    const slow: Array<number | null> = [];
    expect(await waitForHealth(h.url, { timeoutMs: 200, intervalMs: 10, slowAfterMs: 0, onSlow: (s) => slow.push(s) })).toBe(503);
    expect(slow).toEqual([503]);
  });

  test("nothing listening: null", async () => {
    expect(await waitForHealth("http://127.0.0.1:9/api/health", { timeoutMs: 100, intervalMs: 10 })).toBeNull();
  });
});
