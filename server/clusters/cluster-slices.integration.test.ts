// The cluster page names what a cluster is part of: the slices it belongs to, and for
// each gateway link the slice and the cluster at the other end (not `lnk_…` ids).
import { describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx } from "../../test/fixtures";
import { saveSlice } from "../slices/save-slice";
import { getCluster } from "./get-cluster";

describe("cluster detail: slices and links", () => {
  test("lists its slices and names the peer and slice of each link; another cluster's slice is not listed", async () => {
    const t = await makeTenant("cl-slices");
    const [a, b, c, lone] = await Promise.all([
      makeCluster(t.id, { name: "alpha" }),
      makeCluster(t.id, { name: "bravo" }),
      makeCluster(t.id, { name: "charlie" }),
      makeCluster(t.id, { name: "lone" }),
    ]);
    await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: "payments", subnet: "10.40.0.0/16", members: [a.name, b.name] } });
    await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: "shop", subnet: "10.41.0.0/16", members: [a.name, c.name] } });

    const got = await getCluster(tenantCtx(t, "VIEWER"), a.id);
    expect(got.slices.map((s) => s.name)).toEqual(["payments", "shop"]);
    expect(got.links.map((l) => [l.sliceName, l.peerName]).sort()).toEqual([
      ["payments", "bravo"],
      ["shop", "charlie"],
    ]);
    for (const l of got.links) expect(["SERVER", "CLIENT"]).toContain(l.role);

    const other = await getCluster(tenantCtx(t, "VIEWER"), lone.id);
    expect(other.slices).toEqual([]);
    expect(other.links).toEqual([]);
  });
});
