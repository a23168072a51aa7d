import { createRequire } from "node:module";
import { beforeAll, describe, expect, test } from "vitest";
import { metricsAccess, tokenMatches } from "./metrics-access";

// In the web process append-peer.cjs has made the last X-Forwarded-For entry the peer.
beforeAll(() => createRequire(import.meta.url)("./append-peer.cjs"));
const h = (init: Record<string, string>) => new Headers(init);
const TOKEN = "metrics-token-0123456789abcdef";

describe("/api/metrics access", () => {
  test("with METRICS_TOKEN, only the bearer of that token reads it, from anywhere", () => {
    expect(metricsAccess(h({ "x-forwarded-for": "127.0.0.1" }), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(h({ authorization: `Bearer ${TOKEN}x`, "x-forwarded-for": "127.0.0.1" }), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(h({ authorization: `Basic ${TOKEN}` }), TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(h({ authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.4" }), TOKEN)).toEqual({ ok: true });
  });

  test("without a token, only a direct connection from this host reads it", () => {
    expect(metricsAccess(h({ "x-forwarded-for": "127.0.0.1" }), undefined)).toEqual({ ok: true });
    expect(metricsAccess(h({ "x-forwarded-for": "::ffff:127.0.0.1" }), undefined)).toEqual({ ok: true });
    expect(metricsAccess(h({ "x-forwarded-for": "198.51.100.4" }), undefined)).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining("METRICS_TOKEN"),
    });
    // a remote client claiming to be local, and anything a local proxy forwarded
    expect(metricsAccess(h({ "x-forwarded-for": "127.0.0.1, 198.51.100.4" }), undefined)).toMatchObject({ ok: false, status: 403 });
    expect(metricsAccess(h({ "x-forwarded-for": "198.51.100.4, 127.0.0.1" }), undefined)).toMatchObject({ ok: false, status: 403 });
    expect(metricsAccess(h({}), undefined)).toMatchObject({ ok: false, status: 403 });
  });

  test("token comparison does not depend on length", () => {
    expect(tokenMatches("a", TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
  });
});
