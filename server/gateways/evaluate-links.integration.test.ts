// Link evaluation on real Redis and Postgres: the ends' heartbeats through the ingest
// path, the tenant's thresholds, silence, and an event per transition.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, type TenantFixture } from "../../test/fixtures";
import type { AgentPrincipal } from "../platform/agent-principal";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { db } from "../platform/db/client";
import { saveSlice } from "../slices/save-slice";
import { evaluateLinks } from "./evaluate-links";

let t: TenantFixture;
let linkId: string;
let ends: AgentPrincipal[];
let seq = 0;
const t0 = Date.now();

const heartbeat = (agent: AgentPrincipal, at: number, g: Record<string, unknown>) =>
  recordHeartbeat(
    agent,
    {
      seq: ++seq,
      session: `s-${agent.clusterId}`.slice(0, 60),
      sentAt: new Date(at).toISOString(),
      appliedRevision: 0,
      components: [],
      gateways: [{ linkId, ...g }],
    },
    { now: at },
  );
const state = () => db().gatewayLinkState.findUniqueOrThrow({ where: { linkId } });
const events = () => db().event.findMany({ where: { tenantId: t.id, type: "link.status" }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  t = await makeTenant("gweval");
  // The tenant's own threshold: loss from 5 %.
  await db().tenant.update({ where: { id: t.id }, data: { settings: { gateways: { degradedLossPct: 5 } } } });
  const a = await makeCluster(t.id, { name: `eu-edge-${rand(2)}`, siteType: "EDGE" });
  const b = await makeCluster(t.id, { name: `us-core-${rand(2)}` });
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "10.78.0.0/16", members: [a.name, b.name] } });
  linkId = (await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } })).id;
  ends = [a, b].map((c) => ({
    credentialId: `c-${rand()}`,
    clusterId: c.id,
    clusterName: c.name,
    tenantId: t.id,
    tenantSlug: t.slug,
    leaseDurationSeconds: 15,
  }));
});

describe("link evaluation", () => {
  test("UP, DEGRADED past the tenant's loss threshold, UP again, UNKNOWN after 3 silent leases: each change one event", async () => {
    for (const e of ends) await heartbeat(e, t0, { status: "UP", rttMs: 20, lossPct: 3 });
    await evaluateLinks(new Date(t0 + 1000), { tenantId: t.id });
    // 3 % is below this tenant's 5 %: UP, and a link simply UP from the start is no news.
    expect(await state()).toMatchObject({ status: "UP", tenantId: t.id });
    expect(await events()).toHaveLength(0);

    await heartbeat(ends[0]!, t0 + 15_000, { status: "UP", rttMs: 20, lossPct: 6 });
    await evaluateLinks(new Date(t0 + 16_000), { tenantId: t.id });
    expect(await state()).toMatchObject({ status: "DEGRADED", reason: "loss 6 % ≥ 5 %", since: new Date(t0 + 16_000) });
    // Evaluating again with nothing new writes nothing.
    const before = await state();
    await evaluateLinks(new Date(t0 + 17_000), { tenantId: t.id });
    expect((await state()).updatedAt).toEqual(before.updatedAt);

    for (const e of ends) await heartbeat(e, t0 + 30_000, { status: "UP", rttMs: 20, lossPct: 0 });
    await evaluateLinks(new Date(t0 + 31_000), { tenantId: t.id });
    expect((await state()).status).toBe("UP");

    // Last heard at t0 + 30 s; 3 leases (45 s) later the link is UNKNOWN.
    await evaluateLinks(new Date(t0 + 30_000 + 45_000), { tenantId: t.id });
    expect((await state()).status).toBe("UP");
    await evaluateLinks(new Date(t0 + 30_000 + 45_001), { tenantId: t.id });
    expect((await state()).status).toBe("UNKNOWN");

    const ev = await events();
    expect(ev.map((e) => [(e.data as { from: string }).from, (e.data as { to: string }).to, e.severity])).toEqual([
      ["UP", "DEGRADED", "WARNING"],
      ["DEGRADED", "UP", "INFO"],
      ["UP", "UNKNOWN", "WARNING"],
    ]);
    expect(ev[0]!.message).toContain("DEGRADED (loss 6 % ≥ 5 %)");
    expect(ev[0]!.message).toContain(`${ends[0]!.clusterName} ↔ ${ends[1]!.clusterName}`);
  });

  test("a link that keeps changing is FLAPPING, with one event rather than one per change", async () => {
    // Past the first test's changes' 10-minute window.
    const base = t0 + 15 * 60_000;
    const before = (await events()).length;
    for (let i = 0; i < 6; i++) {
      const at = base + i * 15_000;
      for (const e of ends) await heartbeat(e, at, i % 2 ? { status: "DOWN", lossPct: 100 } : { status: "UP", rttMs: 10, lossPct: 0 });
      await evaluateLinks(new Date(at + 500), { tenantId: t.id });
    }
    const s = await state();
    expect(s.status).toBe("FLAPPING");
    const added = (await events()).slice(before).map((e) => (e.data as { to: string }).to);
    // UNKNOWN→UP, then 3 changes shown as they are, then FLAPPING (the 5th change in 10 min), then no more.
    expect(added).toEqual(["UP", "DOWN", "UP", "DOWN", "FLAPPING"]);
  });
});
