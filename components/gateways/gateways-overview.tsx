"use client";
// The gateways overview: sites grouped by site type and region with their score (worst
// first), the links between them coloured by status, a latency matrix, open alerts.
// Live through server-sent events (a refetch when a link changes state or an alert opens
// or resolves; numbers refresh every 30 s), falling back to polling every 5 s while the
// event stream is down. Aggregated for large fleets:
// at most 200 links are listed, the matrix shows the 30 worst-scoring sites, and the world
// map (when sites have coordinates) groups close sites and draws at most 150 arcs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { toFormError } from "@/lib/errors";
import { formatRelative } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { EChart } from "./echart";
import { HEALTH_TONE, scoreTone, SITE_LABEL } from "./meta";
import { WorldMap } from "./world-map";

const POLL_MS = 5_000;
const LIVE_POLL_MS = 30_000;
const MATRIX_SITES = 30;
type SiteType = "EDGE" | "CLOUD" | "ONPREM";
type Health = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN" | "FLAPPING" | "NOT_UP";
const ANY = "any";
const STATUS_OPTIONS = [{ value: "NOT_UP", label: "Not UP" }, ...["UP", "DEGRADED", "DOWN", "FLAPPING", "UNKNOWN"].map((v) => ({ value: v, label: v }))];

export function GatewaysOverview({ initialSliceId, initialStatus }: { initialSliceId?: string; initialStatus?: string } = {}) {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [sliceId, setSliceId] = useState<string>(initialSliceId ?? ANY);
  const [siteType, setSiteType] = useState<string>(ANY);
  const [status, setStatus] = useState<string>(STATUS_OPTIONS.some((o) => o.value === initialStatus) ? initialStatus! : ANY);
  const live = useGatewayLive(slug);
  const POLL = live ? LIVE_POLL_MS : POLL_MS;
  const slices = useQuery(trpc.slices.list.queryOptions({ tenant: slug }));
  const sites = useQuery({
    ...trpc.gateways.sites.queryOptions({ tenant: slug, limit: 500, ...(siteType !== ANY ? { siteType: siteType as SiteType } : {}) }),
    refetchInterval: POLL,
  });
  const links = useQuery({
    ...trpc.gateways.list.queryOptions({
      tenant: slug,
      limit: 200,
      ...(sliceId !== ANY ? { sliceId } : {}),
      ...(siteType !== ANY ? { siteType: siteType as SiteType } : {}),
      ...(status !== ANY ? { status: status as Health } : {}),
    }),
    refetchInterval: POLL,
  });
  const mapLinks = useQuery({
    ...trpc.gateways.mapLinks.queryOptions({
      tenant: slug,
      ...(sliceId !== ANY ? { sliceId } : {}),
      ...(siteType !== ANY ? { siteType: siteType as SiteType } : {}),
      ...(status !== ANY ? { status: status as Health } : {}),
    }),
    refetchInterval: POLL,
  });
  const alerts = useQuery({ ...trpc.alerts.list.queryOptions({ tenant: slug, state: "OPEN", limit: 20 }), refetchInterval: POLL });
  const ack = useMutation(trpc.alerts.acknowledge.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() }) }));

  const siteItems = sites.data?.items;
  const groups = useMemo(() => {
    const out = new Map<string, NonNullable<typeof siteItems>>();
    for (const s of siteItems ?? []) {
      const k = `${SITE_LABEL[s.siteType] ?? s.siteType} · ${s.region ?? "no region"}`;
      out.set(k, [...(out.get(k) ?? []), s]);
    }
    return [...out.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [siteItems]);

  // The map shows the sites of the filter: of the site type, and, when a slice or a link
  // status is chosen, only the sites at an end of a matching link.
  const mapData = useMemo(() => {
    const items = mapLinks.data?.items ?? [];
    const all = siteItems ?? [];
    const narrowed = sliceId !== ANY || status !== ANY;
    const ends = new Set(items.flatMap((l) => [l.a, l.b]));
    return { sites: narrowed ? all.filter((s) => ends.has(s.id)) : all, links: items };
  }, [siteItems, mapLinks.data, sliceId, status]);
  const anyLocated = (siteItems ?? []).some((s) => s.latitude !== null && s.longitude !== null);

  const matrix = useMemo(() => {
    const worst = (sites.data?.items ?? []).slice(0, MATRIX_SITES);
    const index = new Map(worst.map((s, i) => [s.id, i]));
    const cells: Array<[number, number, number | null, number | null]> = [];
    for (const l of links.data?.items ?? []) {
      const [a, b] = l.ends;
      const i = index.get(a!.clusterId);
      const j = index.get(b!.clusterId);
      if (i === undefined || j === undefined) continue;
      cells.push([i, j, l.rttMs, l.lossPct], [j, i, l.rttMs, l.lossPct]);
    }
    const names = worst.map((s) => s.name);
    return {
      names,
      option: {
        tooltip: {
          formatter: (p: { value: [number, number, number | null, number | null] }) =>
            `${names[p.value[0]]} ↔ ${names[p.value[1]]}<br/>RTT ${p.value[2] ?? "–"} ms · loss ${p.value[3] ?? "–"} %`,
        },
        grid: { left: 110, right: 20, top: 10, bottom: 90 },
        xAxis: { type: "category", data: names, axisLabel: { rotate: 60 } },
        yAxis: { type: "category", data: names },
        visualMap: {
          min: 0,
          max: 300,
          calculable: true,
          orient: "horizontal",
          left: "center",
          bottom: 0,
          inRange: { color: ["#16a34a", "#facc15", "#dc2626"] },
        },
        series: [{ type: "heatmap", data: cells.map((c) => [c[0], c[1], c[2] ?? 0, c[3]]) }],
      },
    };
  }, [sites.data, links.data]);

  const any = { value: ANY, label: "Any" };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters">
        <label className="text-sm">
          Slice
          <Select
            aria-label="Slice"
            value={sliceId}
            onValueChange={setSliceId}
            options={[any, ...(slices.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          />
        </label>
        <label className="text-sm">
          Site type
          <Select
            aria-label="Site type"
            value={siteType}
            onValueChange={setSiteType}
            options={[any, ...Object.entries(SITE_LABEL).map(([value, label]) => ({ value, label }))]}
          />
        </label>
        <label className="text-sm">
          Status
          <Select aria-label="Status" value={status} onValueChange={setStatus} options={[any, ...STATUS_OPTIONS]} />
        </label>
      </div>

      {(alerts.data?.items.length ?? 0) > 0 ? (
        <Card className="p-4" aria-label="Open alerts">
          <h2 className="mb-2 font-semibold">Open alerts</h2>
          <ul className="space-y-2">
            {alerts.data!.items.map((a) => (
              <li key={a.id} className="flex items-center justify-between gap-3 text-sm" data-alert={a.id}>
                <span>
                  <Badge tone="danger">{a.ruleName}</Badge> {a.message} <span className="text-muted-foreground">· {formatRelative(a.openedAt)}</span>
                </span>
                {can("OPERATOR") ? (
                  <Button size="sm" variant="secondary" onClick={() => ack.mutate({ tenant: slug, id: a.id })} disabled={ack.isPending}>
                    Acknowledge
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {anyLocated ? <WorldMap sites={mapData.sites} links={mapData.links} slug={slug} /> : null}

      <section aria-label="Sites" className="space-y-4">
        {sites.isError ? <Alert tone="danger">{toFormError(sites.error).message}</Alert> : null}
        {groups.map(([group, items]) => (
          <div key={group}>
            <h2 className="mb-2 text-sm font-semibold text-muted-foreground">{group}</h2>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {items.map((s) => (
                <Card key={s.id} className="p-3" data-site={s.name} data-score={s.score ?? ""}>
                  <div className="flex items-center justify-between gap-2">
                    <Link href={`/t/${slug}/clusters/${s.id}`} className="font-medium hover:underline">
                      {s.name}
                    </Link>
                    <Badge tone={scoreTone(s.score)} aria-label={`score ${s.score ?? "none"}`}>
                      {s.score ?? "–"}
                    </Badge>
                  </div>
                  <p className="mt-1 text-[13px] text-muted-foreground">{s.summary}</p>
                  <p className="mt-1 text-[13px] tabular-nums">
                    {s.links.up}/{s.links.total} links up{s.links.degraded ? ` · ${s.links.degraded} degraded` : ""}
                    {s.links.down ? ` · ${s.links.down} down` : ""}
                  </p>
                </Card>
              ))}
            </div>
          </div>
        ))}
      </section>

      <Card className="p-4">
        <h2 className="mb-2 font-semibold">Links</h2>
        {links.isError ? <Alert tone="danger">{toFormError(links.error).message}</Alert> : null}
        <Table aria-label="Gateway links">
          <THead>
            <TR>
              <TH>Link</TH>
              <TH>Slice</TH>
              <TH>Status</TH>
              <TH>RTT</TH>
              <TH>Loss</TH>
              <TH>Since</TH>
            </TR>
          </THead>
          <TBody>
            {(links.data?.items ?? []).map((l) => (
              <TR key={l.id} data-link={l.id} data-status={l.status}>
                <TD>
                  <Link href={`/t/${slug}/gateways/${l.id}`} className="font-medium hover:underline">
                    {l.ends.map((e) => e.clusterName).join(" ↔ ")}
                  </Link>
                </TD>
                <TD className="text-muted-foreground">{l.sliceName}</TD>
                <TD>
                  <Badge tone={HEALTH_TONE[l.status]}>{l.status}</Badge>
                  {l.reason ? <span className="ml-2 text-[13px] text-muted-foreground">{l.reason}</span> : null}
                </TD>
                <TD className="tabular-nums">{l.rttMs === null ? "–" : `${Math.round(l.rttMs)} ms`}</TD>
                <TD className="tabular-nums">{l.lossPct === null ? "–" : `${Math.round(l.lossPct * 10) / 10} %`}</TD>
                <TD className="text-muted-foreground">{formatRelative(l.since)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>

      {matrix.names.length > 1 ? (
        <Card className="p-4">
          <h2 className="mb-2 font-semibold">Latency matrix</h2>
          <p className="mb-2 text-[13px] text-muted-foreground">RTT between the {matrix.names.length} worst-scoring sites; hover a cell for loss.</p>
          <EChart label="Latency matrix" option={matrix.option} height={Math.max(260, matrix.names.length * 18 + 120)} />
        </Card>
      ) : null}
    </div>
  );
}

/** Subscribes to the tenant's gateway event stream; true while it is connected. */
function useGatewayLive(slug: string): boolean {
  const qc = useQueryClient();
  const trpc = useTRPC();
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const es = new EventSource(`/api/live/${encodeURIComponent(slug)}/gateways`);
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.addEventListener("changed", () => {
      void qc.invalidateQueries({ queryKey: trpc.gateways.sites.queryKey() });
      void qc.invalidateQueries({ queryKey: trpc.gateways.list.queryKey() });
      void qc.invalidateQueries({ queryKey: trpc.gateways.mapLinks.queryKey() });
      void qc.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() });
    });
    return () => es.close();
  }, [slug, qc, trpc]);
  return live;
}
