"use client";
// The gateways world map: countries from the packaged world-atlas data (bundled with the
// console, no tile server: it works offline), drawn with d3-geo; sites as markers
// coloured by their worst score, grouped with a count where they sit close together;
// the links between them as great-circle arcs coloured by status, at most MAX_ARCS of
// them, worst first ("N more"). Hover or click a marker for its sites' scores and factors.
import { geoPath } from "d3-geo";
import Link from "next/link";
import { useMemo, useState } from "react";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries110m from "world-atlas/countries-110m.json";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { buildMapModel, MAP_HEIGHT, MAP_WIDTH, mapProjection, scoreColor, type MapLink, type MapSite, type SiteGroup } from "./map-model";
import { HEALTH_COLOR, scoreTone } from "./meta";

const MAX_ARCS = 150;

export interface WorldMapSite extends MapSite {
  summary: string;
  factors: Array<{ penalty: number; text: string }>;
}

const projection = mapProjection();
const path = geoPath(projection);
let land: string[] | null = null;
/** The countries' outlines as SVG paths, computed once per page load. */
function countryPaths(): string[] {
  if (!land) {
    const topo = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
    const fc = feature(topo, topo.objects.countries);
    land = fc.features.map((f) => path(f) ?? "").filter(Boolean);
  }
  return land;
}

export function WorldMap({ sites, links, slug }: { sites: readonly WorldMapSite[]; links: readonly MapLink[]; slug: string }) {
  const countries = useMemo(() => countryPaths(), []);
  const model = useMemo(() => buildMapModel(sites, links, { projection, maxArcs: MAX_ARCS }), [sites, links]);
  const [selected, setSelected] = useState<string | null>(null);
  const group = model.groups.find((g) => g.key === selected) ?? null;
  const located = sites.length - model.unlocated;

  return (
    <Card className="p-4" aria-label="World map">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">World map</h2>
        <p className="text-[13px] text-muted-foreground" data-testid="map-caption">
          {located} site{located === 1 ? "" : "s"} on the map
          {model.unlocated ? ` · ${model.unlocated} without coordinates (not shown; set them on the cluster page)` : ""}
          {model.hiddenArcs ? ` · ${model.hiddenArcs} more site pairs (${model.hiddenLinks} links) not drawn, healthiest first` : ""}
        </p>
      </div>
      <svg viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`} className="h-auto w-full" role="group" aria-label="Sites and links on the world map">
        <path d={path({ type: "Sphere" }) ?? ""} fill="#f1f5f9" stroke="#cbd5e1" strokeWidth={0.5} />
        <g aria-hidden="true">
          {countries.map((d, i) => (
            <path key={i} d={d} fill="#e2e8f0" stroke="#ffffff" strokeWidth={0.5} />
          ))}
        </g>
        <g aria-label="Links" role="group">
          {model.arcs.map((a) => (
            <path
              key={a.key}
              d={
                path({
                  type: "LineString",
                  coordinates: [
                    [a.from.lon, a.from.lat],
                    [a.to.lon, a.to.lat],
                  ],
                }) ?? ""
              }
              fill="none"
              stroke={HEALTH_COLOR[a.status]}
              strokeWidth={a.status === "UP" ? 1 : 2}
              strokeOpacity={a.status === "UP" ? 0.5 : 0.9}
              data-testid="map-arc"
              data-status={a.status}
            >
              <title>{`${label(a.from)} ↔ ${label(a.to)}: ${a.links} link${a.links === 1 ? "" : "s"}, ${a.status}`}</title>
            </path>
          ))}
        </g>
        <g>
          {model.groups.map((g) => {
            const n = g.sites.length;
            const r = n === 1 ? 6 : Math.min(16, 7 + Math.sqrt(n) * 2);
            const text =
              n === 1
                ? `${g.sites[0]!.name}: score ${g.score ?? "none"}`
                : `${n} sites near ${g.sites[0]!.region ?? "here"}: worst score ${g.score ?? "none"} (${g.sites[0]!.name})`;
            return (
              <g
                key={g.key}
                role="button"
                tabIndex={0}
                aria-label={text}
                aria-pressed={selected === g.key}
                data-testid="map-site"
                data-sites={g.sites.map((s) => s.name).join(" ")}
                className="cursor-pointer outline-none"
                onMouseEnter={() => setSelected(g.key)}
                onFocus={() => setSelected(g.key)}
                onClick={() => setSelected(g.key)}
              >
                <circle cx={g.x} cy={g.y} r={r} fill={scoreColor(g.score)} stroke={selected === g.key ? "#0f172a" : "#ffffff"} strokeWidth={1.5} />
                {n > 1 ? (
                  <text x={g.x} y={g.y} dy="0.35em" textAnchor="middle" fontSize={9} fontWeight={600} fill="#ffffff" pointerEvents="none">
                    {n}
                  </text>
                ) : null}
                <title>{text}</title>
              </g>
            );
          })}
        </g>
      </svg>
      {group ? (
        <GroupDetail group={group} slug={slug} />
      ) : (
        <p className="mt-2 text-[13px] text-muted-foreground">Hover or select a marker for its sites&apos; scores and why.</p>
      )}
    </Card>
  );
}

const label = (g: SiteGroup) => (g.sites.length === 1 ? g.sites[0]!.name : `${g.sites.length} sites near ${g.sites[0]!.region ?? g.sites[0]!.name}`);

const SHOWN = 8;
function GroupDetail({ group, slug }: { group: SiteGroup<WorldMapSite>; slug: string }) {
  return (
    <ul className="mt-2 space-y-1 text-sm" aria-label="Selected sites">
      {group.sites.slice(0, SHOWN).map((s) => (
        <li key={s.id} className="flex flex-wrap items-baseline gap-2">
          <Badge tone={scoreTone(s.score)}>{s.score ?? "–"}</Badge>
          <Link href={`/t/${slug}/clusters/${s.id}`} className="font-medium hover:underline">
            {s.name}
          </Link>
          <span className="text-[13px] text-muted-foreground">
            {s.factors.length ? s.factors.map((f) => `−${f.penalty}: ${f.text}`).join(" · ") : s.summary}
          </span>
        </li>
      ))}
      {group.sites.length > SHOWN ? <li className="text-[13px] text-muted-foreground">and {group.sites.length - SHOWN} more here</li> : null}
    </ul>
  );
}
