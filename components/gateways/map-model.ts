// What the gateways world map draws, computed from the sites and links it is given:
// sites projected onto the map and grouped when they fall within a few pixels of each
// other (one marker with a count, coloured by its worst site), and the links between
// groups merged into one arc per pair, worst status first, at most `maxArcs` of them.
// Pure, so it is tested without a browser (map-model.test.ts).
import { geoNaturalEarth1, type GeoProjection } from "d3-geo";

export type Health = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN" | "FLAPPING";
export const WORST_FIRST: Record<Health, number> = { DOWN: 0, FLAPPING: 1, DEGRADED: 2, UNKNOWN: 3, UP: 4 };

export interface MapSite {
  id: string;
  name: string;
  region: string | null;
  latitude: number | null;
  longitude: number | null;
  score: number | null;
}
export interface MapLink {
  id: string;
  a: string;
  b: string;
  status: Health;
}

export interface SiteGroup<S extends MapSite = MapSite> {
  key: string;
  /** Worst score first. */
  sites: S[];
  x: number;
  y: number;
  /** Mean position, for the arcs. */
  lon: number;
  lat: number;
  /** The worst score of its sites (null when none has one). */
  score: number | null;
}

export interface MapArc {
  key: string;
  from: SiteGroup;
  to: SiteGroup;
  status: Health;
  links: number;
}

export interface MapModel<S extends MapSite = MapSite> {
  groups: SiteGroup<S>[];
  arcs: MapArc[];
  /** Sites without coordinates (not on the map). */
  unlocated: number;
  /** Arcs (site pairs) left out, and the links in them. */
  hiddenArcs: number;
  hiddenLinks: number;
}

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 480;

export function mapProjection(): GeoProjection {
  return geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { type: "Sphere" },
  );
}

const scoreOf = (s: { score: number | null }) => s.score ?? 101;

export function buildMapModel<S extends MapSite>(
  sites: readonly S[],
  links: readonly MapLink[],
  opts: { projection: GeoProjection; cellPx?: number; maxArcs?: number },
): MapModel<S> {
  const cell = opts.cellPx ?? 14;
  const maxArcs = opts.maxArcs ?? 150;
  const byCell = new Map<string, { sites: S[]; xs: number; ys: number; lons: number; lats: number }>();
  const groupOfSite = new Map<string, string>();
  let unlocated = 0;
  for (const s of sites) {
    if (s.latitude === null || s.longitude === null) {
      unlocated++;
      continue;
    }
    const p = opts.projection([s.longitude, s.latitude]);
    if (!p) {
      unlocated++;
      continue;
    }
    const key = `${Math.floor(p[0] / cell)}:${Math.floor(p[1] / cell)}`;
    const g = byCell.get(key) ?? { sites: [], xs: 0, ys: 0, lons: 0, lats: 0 };
    g.sites.push(s);
    g.xs += p[0];
    g.ys += p[1];
    g.lons += s.longitude;
    g.lats += s.latitude;
    byCell.set(key, g);
    groupOfSite.set(s.id, key);
  }
  const groups = new Map<string, SiteGroup<S>>();
  for (const [key, g] of byCell) {
    const n = g.sites.length;
    const sorted = [...g.sites].sort((a, b) => scoreOf(a) - scoreOf(b) || a.name.localeCompare(b.name));
    groups.set(key, { key, sites: sorted, x: g.xs / n, y: g.ys / n, lon: g.lons / n, lat: g.lats / n, score: sorted[0]!.score });
  }

  const pairs = new Map<string, { from: string; to: string; status: Health; links: number }>();
  for (const l of links) {
    const ga = groupOfSite.get(l.a);
    const gb = groupOfSite.get(l.b);
    if (!ga || !gb || ga === gb) continue;
    const [from, to] = ga < gb ? [ga, gb] : [gb, ga];
    const key = `${from}|${to}`;
    const p = pairs.get(key);
    if (!p) pairs.set(key, { from, to, status: l.status, links: 1 });
    else {
      p.links++;
      if (WORST_FIRST[l.status] < WORST_FIRST[p.status]) p.status = l.status;
    }
  }
  const all = [...pairs.entries()].sort((x, y) => WORST_FIRST[x[1].status] - WORST_FIRST[y[1].status] || y[1].links - x[1].links || x[0].localeCompare(y[0]));
  const shown = all.slice(0, maxArcs);
  const hidden = all.slice(maxArcs);
  return {
    // Worst last, so it is drawn on top.
    groups: [...groups.values()].sort((a, b) => scoreOf(b) - scoreOf(a)),
    arcs: shown.map(([key, p]) => ({ key, from: groups.get(p.from)!, to: groups.get(p.to)!, status: p.status, links: p.links })),
    unlocated,
    hiddenArcs: hidden.length,
    hiddenLinks: hidden.reduce((n, [, p]) => n + p.links, 0),
  };
}

/** A marker's colour by its worst score: green ≥ 90, amber ≥ 60, red below, grey without one. */
export function scoreColor(score: number | null): string {
  if (score === null) return "#9ca3af";
  return score >= 90 ? "#16a34a" : score >= 60 ? "#d97706" : "#dc2626";
}
