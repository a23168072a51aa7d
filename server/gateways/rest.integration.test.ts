// The gateways API (the procedures behind GET /api/v1/gateways, /gateways/{id}/series,
// /sites and /slices/{id}/convergence), called with a real API token: links with status
// and both ends, filters and cursor, a link's series, sites with score and factors, a
// slice's convergence line, and errors naming the field.
//
// Through the tRPC caller rather than the REST handler: the REST handler currently
// fails every call while building its routes (a slices.delete input it cannot map);
// rest.integration.test.ts covers the REST mapping itself.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, tokenCaller, type TenantFixture } from "../../test/fixtures";
import type { AgentPrincipal } from "../platform/agent-principal";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { db } from "../platform/db/client";
import { saveSlice } from "../slices/save-slice";
import { extendMetrics, renderMetrics } from "../platform/metrics";
import { registerGatewayMetrics } from "./metrics";
import { evaluateLinks } from "./evaluate-links";
import { flushMinutes, GRACE_MS } from "./flush-minutes";
import { sampleSpool } from "./sample-spool";

// Answers are JSON as a REST client would see them: read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Caller = Awaited<ReturnType<typeof tokenCaller>>["caller"];
let caller: Caller;
const STATUS: Record<string, number> = { BAD_REQUEST: 400, NOT_FOUND: 404 };
// "path?query" → the procedure it maps to, with the query as input (strings, as REST gives them).
async function get(path: string): Promise<{ status: number; body: Json }> {
  const [p, q = ""] = path.split("?");
  const input: Record<string, unknown> = Object.fromEntries(new URLSearchParams(q));
  let call: () => Promise<unknown>;
  const series = /^\/gateways\/([^/]+)\/series$/.exec(p!);
  const conv = /^\/slices\/([^/]+)\/convergence$/.exec(p!);
  if (series) call = () => caller.gateways.series({ ...input, id: series[1]! } as never);
  else if (conv) call = () => caller.gateways.sliceConvergence({ id: conv[1]! });
  else if (p === "/sites") call = () => caller.gateways.sites(input as never);
  else call = () => caller.gateways.list(input as never);
  try {
    return { status: 200, body: JSON.parse(JSON.stringify(await call())) };
  } catch (err) {
    const e = err as { code?: string; message: string; cause?: unknown };
    return { status: STATUS[e.code ?? ""] ?? 500, body: { message: e.message, cause: String(e.cause) } };
  }
}

let t: TenantFixture;
let sliceId: string;
let edge: { id: string; name: string };
let seq = 0;
const agent = (c: { id: string; name: string }): AgentPrincipal => ({
  credentialId: `c-${rand()}`,
  clusterId: c.id,
  clusterName: c.name,
  tenantId: t.id,
  tenantSlug: t.slug,
  leaseDurationSeconds: 15,
});

beforeAll(async () => {
  t = await makeTenant("gwrest");
  caller = (await tokenCaller(t, "VIEWER")).caller;
  edge = await makeCluster(t.id, { name: `edge-${rand(2)}`, siteType: "EDGE" });
  const core = await makeCluster(t.id, { name: `core-${rand(2)}` });
  const dc = await makeCluster(t.id, { name: `dc-${rand(2)}`, siteType: "ONPREM" });
  sliceId = (await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "10.79.0.0/16", members: [edge.name, core.name, dc.name] } })).id;
  const links = await db().gatewayLink.findMany({ where: { sliceId } });
  const now = Date.now();
  // The edge site loses 6 % on its links; the core ↔ dc link is clean.
  for (const c of [edge, core, dc]) {
    const gateways = links
      .filter((l) => l.serverClusterId === c.id || l.clientClusterId === c.id)
      .map((l) => ({
        linkId: l.id,
        status: "UP",
        rttMs: 30,
        lossPct: [l.serverClusterId, l.clientClusterId].includes(edge.id) ? 6 : 0,
        rxBps: 1000,
        txBps: 2000,
      }));
    await recordHeartbeat(
      agent(c),
      {
        seq: ++seq,
        session: `s-${c.id}`.slice(0, 60),
        sentAt: new Date(now).toISOString(),
        appliedRevision: 0,
        components: [{ name: "gateway", status: c.id === edge.id ? "DEGRADED" : "OK" }],
        gateways,
      },
      { now },
    );
  }
  await db().cluster.update({ where: { id: edge.id }, data: { components: [{ name: "gateway", status: "DEGRADED" }] } });
  await evaluateLinks(new Date(now + 1000));
  await sampleSpool().flush(); // what the agent API pushes every second on its own
  await flushMinutes({ now: new Date(Math.floor(now / 60_000) * 60_000 + 60_000 + GRACE_MS) });
});

describe("gateways REST", () => {
  test("GET /gateways: status, since, numbers and both ends; filters and a cursor", async () => {
    const all = await get(`/gateways?sliceId=${sliceId}`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    const degraded = all.body.items.filter((i: Json) => i.status === "DEGRADED");
    expect(degraded).toHaveLength(2);
    expect(degraded[0]).toMatchObject({ sliceId, reason: "loss 6 % ≥ 2 %", lossPct: 6, rttMs: 30, rxBps: 1000, txBps: 2000 });
    expect(degraded[0].ends.map((e: Json) => e.status)).toEqual(["UP", "UP"]);
    expect(degraded[0].ends.some((e: Json) => e.clusterId === edge.id && e.siteType === "EDGE")).toBe(true);

    expect((await get(`/gateways?sliceId=${sliceId}&status=UP`)).body.items).toHaveLength(1);
    expect((await get(`/gateways?sliceId=${sliceId}&siteType=ONPREM`)).body.items).toHaveLength(2);
    const p1 = await get(`/gateways?sliceId=${sliceId}&limit=2`);
    expect(p1.body.items).toHaveLength(2);
    const p2 = await get(`/gateways?sliceId=${sliceId}&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.body).toMatchObject({ nextCursor: null });
    expect(p2.body.items.map((i: Json) => i.id)).not.toContain(p1.body.items[0].id);
  });

  test("GET /gateways/{id}/series answers from the 1-minute table; bad ranges are 400s naming the field", async () => {
    const [link] = (await get(`/gateways?sliceId=${sliceId}&status=UP`)).body.items;
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const s = await get(`/gateways/${link.id}/series?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 120_000).toISOString())}`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ table: "GatewayRollup1m", stepSeconds: 60 });
    expect(s.body.points).toHaveLength(2); // one point per end
    expect(s.body.points[0]).toMatchObject({ samples: 1, rttAvg: 30, lossAvg: 0, secondsUp: 60 });

    const bad = await get(`/gateways/${link.id}/series?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("from");
    const backwards = await get(`/gateways/${link.id}/series?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(from)}`);
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain("must be before to");
    expect((await get(`/gateways/nope/series?from=${encodeURIComponent(from)}`)).status).toBe(404);
  });

  test("GET /sites: worst first, with score and factors; GET /slices/{id}/convergence names the first failing link", async () => {
    const sites = await get("/sites");
    expect(sites.status).toBe(200);
    expect(sites.body.items[0]).toMatchObject({ id: edge.id, siteType: "EDGE", summary: "60: 2 of 2 links degraded (loss 6 %), component gateway DEGRADED" });
    expect(sites.body.items[0].factors).toHaveLength(2);
    const conv = await get(`/slices/${sliceId}/convergence`);
    expect(conv.body).toMatchObject({ linksUp: 1, links: 3 });
    expect(conv.body.message).toMatch(/^1\/3 links up — .+ DEGRADED since \d\d:\d\d \(loss 6 % ≥ 2 %\) \(\+1 more\)$/);
    expect(conv.body.message).toContain(edge.name);
  });

  test("the metrics endpoint has per-link status, RTT and loss gauges", async () => {
    extendMetrics("gateways", registerGatewayMetrics); // as /api/metrics does
    const { body } = await renderMetrics();
    const mine = body.split("\n").filter((l) => l.includes(`tenant="${t.slug}"`));
    expect(mine.filter((l) => l.startsWith("isthmus_gateway_link_status{") && l.includes('status="DEGRADED"') && l.endsWith(" 1"))).toHaveLength(2);
    expect(mine.filter((l) => l.startsWith("isthmus_gateway_link_status{") && l.includes('status="UP"'))).toHaveLength(1);
    expect(mine.filter((l) => l.startsWith("isthmus_gateway_link_loss_percent{") && l.endsWith(" 6"))).toHaveLength(2);
    expect(mine.filter((l) => l.startsWith("isthmus_gateway_link_rtt_milliseconds{") && l.includes(`server_site=`) && l.endsWith(" 30"))).toHaveLength(3);
  });
});
