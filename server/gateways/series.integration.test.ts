// A link's 24 h chart across two day partitions, read through the procedure behind
// GET /api/v1/gateways/{id}/series: every 2-minute bucket of the range, from both
// partitions, for both ends. The range is asked for as a client sends it — `from` and
// `to` read off the clock a few milliseconds apart — which once turned the step into
// 3 minutes and dropped a third of the chart.
//
// The day lies 40-60 days ahead at a random offset, so no other test's rows (or the
// workers of another run) share its partitions' link.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { saveSlice } from "../slices/save-slice";
import { ensurePartition } from "./partitions";

const MINUTE = 60_000;
const DAY = 86_400_000;
let t: TenantFixture;
let linkId: string;
let ends: string[];
// Midnight UTC between the two day partitions the chart spans.
const midnight = (Math.floor(Date.now() / DAY) + 40 + Math.floor(Math.random() * 20)) * DAY;

beforeAll(async () => {
  t = await makeTenant("gwseries");
  const a = await makeCluster(t.id, { siteType: "EDGE" });
  const b = await makeCluster(t.id);
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "192.168.40.0/22", members: [a.name, b.name] } });
  const link = await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } });
  linkId = link.id;
  ends = [link.serverClusterId, link.clientClusterId].sort();
  // One row per end and minute from 13 h before midnight to 13 h after: 26 h over two partitions.
  const start = new Date(midnight - 13 * 60 * MINUTE);
  const end = new Date(midnight + 13 * 60 * MINUTE);
  await ensurePartition("GatewayRollup1m", start);
  await ensurePartition("GatewayRollup1m", end);
  await db().$executeRawUnsafe(
    `INSERT INTO "GatewayRollup1m" ("tenantId", "linkId", "clusterId", "bucket", "samples", "rttAvg", "rttMin", "rttMax", "rttP95", "rttCount",
       "lossAvg", "lossMax", "lossCount", "rxAvg", "txAvg", "secondsUp", "secondsDegraded", "secondsDown", "secondsUnknown", "rttHist")
     SELECT $1, $2, e, m, 4, 20, 15, 40, 35, 4, 0, 0, 4, 1000, 500, 60, 0, 0, 0, '{0,0,0,4}'::integer[]
     FROM unnest($3::text[]) AS e CROSS JOIN generate_series($4::timestamptz, $5::timestamptz - interval '1 minute', interval '1 minute') AS m`,
    t.id,
    linkId,
    ends,
    start.toISOString(),
    end.toISOString(),
  );
});

describe("a link's 24 h series", () => {
  test("answers every 2-minute bucket of both day partitions, for both ends, when from and to are a few ms more than 24 h apart", async () => {
    const { caller } = await tokenCaller(t, "VIEWER");
    const from = midnight - 12 * 60 * MINUTE;
    const to = from + DAY + 7;
    const s = await caller.gateways.series({ id: linkId, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(s).toMatchObject({ table: "GatewayRollup1m", stepSeconds: 120 });
    for (const clusterId of ends) {
      const points = s.points.filter((p) => p.clusterId === clusterId);
      // 720 whole buckets of 2 minutes from `from` on, without a gap at the partition
      // boundary, and the minute that starts 24 h later (before `to`) in a 721st.
      expect(points.map((p) => Date.parse(p.t))).toEqual(Array.from({ length: 721 }, (_, i) => from + i * 2 * MINUTE));
      expect(points.slice(0, 720).every((p) => p.samples === 8 && p.secondsUp === 120 && p.rttAvg === 20)).toBe(true);
      expect(points[720]).toMatchObject({ samples: 4, secondsUp: 60 });
    }
    // Both partitions answered: the 12 hours before midnight and the 12 after, both ends.
    const before = s.points.filter((p) => Date.parse(p.t) < midnight).length;
    expect([before, s.points.length - before]).toEqual([720, 722]);
  });

  test("the same range a few ms short of 24 h answers the same buckets", async () => {
    const { caller } = await tokenCaller(t, "VIEWER");
    const from = midnight - 12 * 60 * MINUTE + 5;
    const s = await caller.gateways.series({ id: linkId, from: new Date(from).toISOString(), to: new Date(from + DAY - 10).toISOString() });
    expect(s.stepSeconds).toBe(120);
    // The first bucket (its minute starts before `from`) holds one minute; the others two.
    expect(s.points.filter((p) => p.clusterId === ends[0])).toHaveLength(720);
  });
});
