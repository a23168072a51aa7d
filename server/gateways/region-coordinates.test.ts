import { describe, expect, test } from "vitest";
import { PROFILES } from "../../agent/targets/profiles";
import { placeInRegion, REGION_COORDINATES } from "./region-coordinates";

describe("region coordinates", () => {
  test("every region a simulated demo cluster can be in has coordinates, so the whole demo fleet is on the map", () => {
    const regions = Object.values(PROFILES).flatMap((p) => Object.values(p.regions).flat());
    expect(regions.filter((r) => !REGION_COORDINATES[r])).toEqual([]);
  });

  test("a cluster is placed near its region, the same place every time; an unknown region is not placed", () => {
    const a = placeInRegion("eu-west-1", "cluster-a")!;
    expect(placeInRegion("eu-west-1", "cluster-a")).toEqual(a);
    expect(Math.abs(a.latitude - 53.3)).toBeLessThanOrEqual(0.6);
    expect(Math.abs(a.longitude + 6.3)).toBeLessThanOrEqual(0.6);
    expect(placeInRegion("eu-west-1", "cluster-b")).not.toEqual(a);
    expect(placeInRegion("moon-base-1", "x")).toBeNull();
    expect(placeInRegion(null, "x")).toBeNull();
  });
});
