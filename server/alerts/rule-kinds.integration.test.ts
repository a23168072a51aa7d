// Each alert rule kind opens on what it watches and stays shut otherwise: site
// unavailable, loss above X for Y minutes (from the 1-minute rollups), slice not
// converged for Z, score below S. Deliveries are not sent here (alerts.integration.test.ts).
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, type TenantFixture } from "../../test/fixtures";
import type { AgentPrincipal } from "../platform/agent-principal";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { db } from "../platform/db/client";
import { evaluateLinks } from "../gateways/evaluate-links";
import { saveSlice } from "../slices/save-slice";
import { evaluateAlerts } from "./evaluate-alerts";
import { createRule } from "./rules";

let t: TenantFixture;
let linkId: string;
let sliceName: string;
let edge: { id: string; name: string };
let ends: AgentPrincipal[];
let seq = 0;
const noSend = async () => undefined;
const open = async (kind: string) => db().alert.findMany({ where: { tenantId: t.id, state: "OPEN", rule: { kind: kind as "LINK_DOWN" } } });

beforeAll(async () => {
  t = await makeTenant("rulekinds");
  edge = await makeCluster(t.id, { name: `edge-${rand(2)}`, siteType: "EDGE" });
  const core = await makeCluster(t.id, { name: `core-${rand(2)}` });
  sliceName = `s-${rand(2)}`;
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: sliceName, subnet: "10.82.0.0/16", members: [edge.name, core.name] } });
  linkId = (await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } })).id;
  ends = [edge, core].map((c) => ({
    credentialId: `c-${rand()}`,
    clusterId: c.id,
    clusterName: c.name,
    tenantId: t.id,
    tenantSlug: t.slug,
    leaseDurationSeconds: 15,
  }));
});

describe("alert rule kinds", () => {
  test("loss above X for Y minutes: every minute of the window above X", async () => {
    await createRule(tenantCtx(t, "ADMIN"), { name: "lossy", kind: "LOSS_ABOVE", threshold: 5, forSeconds: 180, enabled: true });
    const m = Math.floor(Date.now() / 60_000) * 60_000;
    const row = (minute: number, loss: number) => db().$executeRaw`
      INSERT INTO "GatewayRollup1m" ("tenantId","linkId","clusterId","bucket","samples","rttCount","lossAvg","lossMax","lossCount","secondsUp","secondsDegraded","secondsDown","secondsUnknown","rttHist")
      VALUES (${t.id}, ${linkId}, ${edge.id}, ${new Date(minute)}, 4, 0, ${loss}, ${loss}, 4, 0, 60, 0, 0, '{0,0,0,0,0,0,0,0,0,0,0,0,0,0}')`;
    const { ensurePartition } = await import("../gateways/partitions");
    await ensurePartition("GatewayRollup1m", new Date(m - 5 * 60_000));
    await ensurePartition("GatewayRollup1m", new Date(m));
    // Minutes -4..-2 above 5 %, minute -5 below: a 3-minute window ending a minute ago holds.
    await row(m - 5 * 60_000, 1);
    for (const k of [4, 3, 2]) await row(m - k * 60_000, 7);
    await evaluateAlerts({ tenantId: t.id, now: new Date(m + 1000), enqueue: noSend });
    const [a] = await open("LOSS_ABOVE");
    expect(a).toMatchObject({ subjectId: linkId, subjectType: "link" });
    expect(a!.message).toContain("loss above 5 % for 3 min");
    // A minute later the window reaches the clean minute -1 (no row): resolved.
    await evaluateAlerts({ tenantId: t.id, now: new Date(m + 60_000 + 1000), enqueue: noSend });
    expect(await open("LOSS_ABOVE")).toHaveLength(0);
  });

  test("slice not converged for Z, site unavailable, score below S", async () => {
    await createRule(tenantCtx(t, "ADMIN"), { name: "unconverged", kind: "SLICE_NOT_CONVERGED", forSeconds: 60, enabled: true });
    await createRule(tenantCtx(t, "ADMIN"), { name: "gone", kind: "SITE_UNAVAILABLE", forSeconds: 0, enabled: true });
    await createRule(tenantCtx(t, "ADMIN"), { name: "low score", kind: "SCORE_BELOW", threshold: 40, forSeconds: 0, enabled: true });
    const t0 = Date.now();
    for (const e of ends)
      await recordHeartbeat(
        e,
        {
          seq: ++seq,
          session: `s-${e.clusterId}`.slice(0, 60),
          sentAt: new Date(t0).toISOString(),
          appliedRevision: 0,
          components: [],
          gateways: [{ linkId, status: "DOWN", lossPct: 100 }],
        },
        { now: t0 },
      );
    await evaluateLinks(new Date(t0));
    await evaluateAlerts({ tenantId: t.id, now: new Date(t0 + 30_000), enqueue: noSend });
    expect(await open("SLICE_NOT_CONVERGED")).toHaveLength(0);
    await evaluateAlerts({ tenantId: t.id, now: new Date(t0 + 61_000), enqueue: noSend });
    const [slice] = await open("SLICE_NOT_CONVERGED");
    expect(slice!.message).toMatch(new RegExp(`^${sliceName}: 0/1 links up — .+ DOWN since`));
    // One link, DOWN: 50 points off each site, still not below 40.
    expect((await open("SCORE_BELOW")).map((a) => a.subjectName).sort()).toEqual([]);
    await db().cluster.update({ where: { id: edge.id }, data: { components: [{ name: "gateway", status: "FAILED" }] } });
    await evaluateAlerts({ tenantId: t.id, now: new Date(t0 + 62_000), enqueue: noSend });
    expect((await open("SCORE_BELOW")).map((a) => a.subjectName)).toEqual([edge.name]);
    expect(await open("SITE_UNAVAILABLE")).toHaveLength(0);
    await db().cluster.update({ where: { id: edge.id }, data: { availability: "UNKNOWN", lastSeenAt: new Date(t0) } });
    await evaluateAlerts({ tenantId: t.id, now: new Date(t0 + 63_000), enqueue: noSend });
    expect((await open("SITE_UNAVAILABLE")).map((a) => [a.subjectName, (a.evidence as { availability: string }).availability])).toEqual([
      [edge.name, "UNKNOWN"],
    ]);
  });
});
