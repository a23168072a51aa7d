// Live updates: a link transition published by the evaluation reaches the tenant's
// event stream as a "changed" event, through the one Redis subscription of this
// process; another tenant's stream hears nothing.
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { db } from "../platform/db/client";
import { saveSlice } from "../slices/save-slice";
import { evaluateLinks } from "./evaluate-links";
import { closeGatewayLive, gatewayEventStream, onGatewayChanges } from "./live";

let t: TenantFixture;
let other: TenantFixture;
beforeAll(async () => {
  t = await makeTenant("live");
  other = await makeTenant("live-other");
});
afterAll(() => closeGatewayLive());

async function read(stream: ReadableStream<Uint8Array>, until: string, ms = 10_000): Promise<string> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = "";
  const end = Date.now() + ms;
  while (!text.includes(until) && Date.now() < end) {
    const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), end - Date.now()))]);
    if (!r || r.done) break;
    text += dec.decode(r.value);
  }
  reader.releaseLock();
  return text;
}

test("a link transition reaches the tenant's event stream, and only that tenant's", async () => {
  const a = await makeCluster(t.id);
  const b = await makeCluster(t.id);
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "10.83.0.0/16", members: [a.name, b.name] } });
  const link = await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } });
  const ac = new AbortController();
  const mine = gatewayEventStream(t.id, ac.signal);
  let otherHeard = 0;
  const off = onGatewayChanges(other.id, () => otherHeard++);
  // Subscribed (the first listener opens the subscription): wait for it to be ready.
  await new Promise((r) => setTimeout(r, 300));
  const now = Date.now();
  for (const c of [a, b]) {
    await recordHeartbeat(
      { credentialId: "x", clusterId: c.id, clusterName: c.name, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 },
      {
        seq: 1,
        session: `s-${c.id}`.slice(0, 60),
        sentAt: new Date(now).toISOString(),
        appliedRevision: 0,
        components: [],
        gateways: [{ linkId: link.id, status: "DOWN", lossPct: 100 }],
      },
      { now },
    );
  }
  await evaluateLinks(new Date(now));
  const text = await read(mine, "event: changed");
  expect(text).toContain("retry: 5000");
  expect(text).toContain("event: changed");
  expect(otherHeard).toBe(0);
  off();
  ac.abort();
});
