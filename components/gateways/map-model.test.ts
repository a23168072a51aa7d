import { describe, expect, test } from "vitest";
import { buildMapModel, mapProjection, type Health, type MapLink, type MapSite } from "./map-model";

const projection = mapProjection();
const site = (id: string, lat: number | null, lon: number | null, score: number | null = 100): MapSite => ({
  id,
  name: id,
  region: null,
  latitude: lat,
  longitude: lon,
  score,
});

describe("gateways map model", () => {
  test("sites at the same place share one marker coloured by the worst of them; sites without coordinates are counted, not drawn", () => {
    const m = buildMapModel([site("dub-1", 53.3, -6.3, 100), site("dub-2", 53.31, -6.29, 55), site("nyc", 40.7, -74), site("nowhere", null, null)], [], {
      projection,
    });
    expect(m.groups).toHaveLength(2);
    const dublin = m.groups.find((g) => g.sites.length === 2)!;
    expect(dublin.sites.map((s) => s.id)).toEqual(["dub-2", "dub-1"]);
    expect(dublin.score).toBe(55);
    expect(m.unlocated).toBe(1);
  });

  test("links between two places become one arc with the worst status; at most maxArcs are drawn, worst first, and the rest are counted", () => {
    const sites = Array.from({ length: 20 }, (_, i) => site(`s${i}`, -60 + i * 6, -170 + i * 17));
    const links: MapLink[] = [];
    for (let i = 1; i < 20; i++) links.push({ id: `l${i}`, a: "s0", b: `s${i}`, status: (i === 7 ? "DOWN" : i === 3 ? "DEGRADED" : "UP") as Health });
    links.push({ id: "dup", a: `s7`, b: "s0", status: "UP" });
    links.push({ id: "self", a: "s0", b: "s0", status: "DOWN" });
    const m = buildMapModel(sites, links, { projection, maxArcs: 5 });
    expect(m.arcs.map((a) => a.status)).toEqual(["DOWN", "DEGRADED", "UP", "UP", "UP"]);
    expect(m.arcs[0]!.links).toBe(2);
    expect(m.hiddenArcs).toBe(14);
    expect(m.hiddenLinks).toBe(14);
  });

  test("500 sites and 2,000 links stay readable: a bounded number of markers and arcs", () => {
    const sites = Array.from({ length: 500 }, (_, i) => site(`s${i}`, ((i * 37) % 140) - 60, ((i * 91) % 340) - 170, i % 100));
    const links = Array.from({ length: 2000 }, (_, i) => ({ id: `l${i}`, a: `s${i % 500}`, b: `s${(i * 7 + 1) % 500}`, status: "UP" as Health }));
    const m = buildMapModel(sites, links, { projection });
    expect(m.arcs.length).toBeLessThanOrEqual(150);
    expect(m.groups.reduce((n, g) => n + g.sites.length, 0)).toBe(500);
    expect(m.hiddenLinks + m.arcs.reduce((n, a) => n + a.links, 0)).toBeLessThanOrEqual(2000);
  });
});
