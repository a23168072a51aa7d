// Pod and service ranges the agent could not find: unknown is a warning, never "no
// overlap", and an operator can set them by hand, which the overlap check then uses.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { AppError } from "../platform/errors";
import { previewSlice } from "../slices/preview-slice";
import { getCluster } from "./get-cluster";
import { updateCluster } from "./update-cluster";

let t: TenantFixture;
beforeAll(async () => {
  t = await makeTenant("cidrs");
});

describe("pod and service ranges", () => {
  test("unknown ranges warn; ranges set by hand are checked, and the reported ones stay visible", async () => {
    const c = await makeCluster(t.id, { podCidrs: [], serviceCidrs: [] });
    const spec = { name: "over", subnet: "10.244.0.0/16", members: [c.name] };
    const before = await previewSlice(tenantCtx(t, "VIEWER"), { spec });
    expect(before.fieldErrors.subnet).toBeUndefined();
    expect(before.warnings).toContain(`the pod CIDR and service CIDR of cluster ${c.name} are unknown: subnet 10.244.0.0/16 was not checked against them`);

    const updated = await updateCluster(tenantCtx(t, "OPERATOR"), c.id, { manualPodCidrs: ["10.244.0.0/16"] });
    expect(updated).toMatchObject({ manualPodCidrs: ["10.244.0.0/16"], manualServiceCidrs: [], podCidrs: [] });
    const after = await previewSlice(tenantCtx(t, "VIEWER"), { spec });
    expect(after.fieldErrors.subnet).toEqual([`subnet 10.244.0.0/16 overlaps the pod CIDR 10.244.0.0/16 of cluster ${c.name}`]);
    expect(after.warnings).toContain(`the service CIDR of cluster ${c.name} is unknown: subnet 10.244.0.0/16 was not checked against it`);

    // Cleared: back to what the agent reports.
    await updateCluster(tenantCtx(t, "OPERATOR"), c.id, { manualPodCidrs: [] });
    expect((await getCluster(tenantCtx(t, "VIEWER"), c.id)).manualPodCidrs).toEqual([]);
  });

  test("a bad range is a 400 naming the field and the rule, and changes nothing", async () => {
    const c = await makeCluster(t.id);
    const err = await updateCluster(tenantCtx(t, "OPERATOR"), c.id, { manualServiceCidrs: ["10.96.0.0/12", "10.300.0.0/16"] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("BAD_REQUEST");
    expect((err as AppError).details?.fieldErrors).toEqual({ "manualServiceCidrs.1": ["must be a valid IPv4 CIDR such as 10.244.0.0/16"] });
    expect((await getCluster(tenantCtx(t, "VIEWER"), c.id)).manualServiceCidrs).toEqual([]);
    await expect(updateCluster(tenantCtx(t, "VIEWER"), c.id, { manualPodCidrs: ["10.1.0.0/16"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
