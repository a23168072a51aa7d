// GET /api/metrics as the web process serves it (append-peer.cjs preloaded, no
// METRICS_TOKEN in the test environment): this host may read it, nobody else.
import { createRequire } from "node:module";
import { beforeAll, describe, expect, test } from "vitest";
import { GET } from "@/app/api/metrics/route";

beforeAll(() => createRequire(import.meta.url)("../../../server/http/append-peer.cjs"));

// The X-Forwarded-For the route sees: what the client sent, then the real peer.
const get = (xff: string) => GET(new Request("http://localhost:3000/api/metrics", { headers: { "x-forwarded-for": xff } }), undefined);

describe.skipIf(!!process.env.METRICS_TOKEN)("GET /api/metrics without METRICS_TOKEN", () => {
  test("a remote peer is refused, also when it claims to be local", async () => {
    const remote = await get("198.51.100.8");
    expect(remote.status).toBe(403);
    expect(await remote.text()).not.toContain("isthmus_");
    expect((await get("127.0.0.1, 198.51.100.8")).status).toBe(403);
  });

  test("a direct connection from this host reads it", async () => {
    const local = await get("127.0.0.1");
    expect(local.status).toBe(200);
    expect(await local.text()).toContain("isthmus_queue_up");
  });
});
