"use client";
// One link over time: status timeline, RTT p50/p95, loss and throughput per end, over
// 1 h / 24 h / 7 d / 30 d. The series comes from the coarsest rollup table that
// answers the range (server/gateways/series.ts); the chosen table and step are shown.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { toFormError } from "@/lib/errors";
import { formatRelative } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EChart } from "./echart";
import { HEALTH_COLOR, HEALTH_TONE } from "./meta";

const RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
type Range = keyof typeof RANGES;
const startOf = (r: Range) => new Date(Math.floor((Date.now() - RANGES[r]) / 60_000) * 60_000).toISOString();

export function LinkDetail({ linkId }: { linkId: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("24h");
  // Set when a range is picked (rounded to the minute), not at every render.
  const [from, setFrom] = useState(() => startOf("24h"));
  const link = useQuery({ ...trpc.gateways.list.queryOptions({ tenant: slug, linkId, limit: 1 }), refetchInterval: 5_000 });
  const series = useQuery({ ...trpc.gateways.series.queryOptions({ tenant: slug, id: linkId, from }), refetchInterval: 60_000 });
  const l = link.data?.items[0];
  const names = useMemo(() => new Map(l?.ends.map((e) => [e.clusterId, e.clusterName]) ?? []), [l]);

  const charts = useMemo(() => {
    const pts = series.data?.points ?? [];
    const ends = [...new Set(pts.map((p) => p.clusterId))];
    const line = (name: string, pick: (p: (typeof pts)[number]) => number | null) =>
      ends.map((id) => ({
        type: "line",
        name: `${names.get(id) ?? id} ${name}`,
        showSymbol: false,
        connectNulls: false,
        data: pts.filter((p) => p.clusterId === id).map((p) => [p.t, pick(p)]),
      }));
    const base = { tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 30, bottom: 30 }, xAxis: { type: "time" } };
    const first = ends[0];
    const statusPts = pts.filter((p) => p.clusterId === first);
    return {
      rtt: { ...base, yAxis: { type: "value", name: "ms" }, series: [...line("p50", (p) => p.rttP50), ...line("p95", (p) => p.rttP95)] },
      loss: { ...base, yAxis: { type: "value", name: "%" }, series: line("loss", (p) => p.lossAvg) },
      throughput: { ...base, yAxis: { type: "value", name: "B/s" }, series: [...line("rx", (p) => p.rxBps), ...line("tx", (p) => p.txBps)] },
      status: {
        ...base,
        yAxis: { type: "value", name: "s", show: false },
        series: (["UP", "DEGRADED", "DOWN", "UNKNOWN"] as const).map((s) => ({
          type: "bar",
          stack: "status",
          name: s,
          barCategoryGap: 0,
          itemStyle: { color: HEALTH_COLOR[s] },
          data: statusPts.map((p) => [p.t, { UP: p.secondsUp, DEGRADED: p.secondsDegraded, DOWN: p.secondsDown, UNKNOWN: p.secondsUnknown }[s]]),
        })),
      },
    };
  }, [series.data, names]);

  return (
    <div className="space-y-4">
      {l ? (
        <Card className="flex flex-wrap items-center gap-3 p-4" aria-label="Link now">
          <span className="font-semibold">{l.ends.map((e) => e.clusterName).join(" ↔ ")}</span>
          <Badge tone={HEALTH_TONE[l.status]}>{l.status}</Badge>
          {l.reason ? <span className="text-sm text-muted-foreground">{l.reason}</span> : null}
          <span className="text-sm text-muted-foreground">
            since {formatRelative(l.since)} · slice {l.sliceName}
          </span>
          {l.ends.map((e) => (
            <span key={e.clusterId} className="text-sm">
              {e.clusterName} ({e.role}): <Badge tone={HEALTH_TONE[e.status] ?? "neutral"}>{e.status}</Badge>
            </span>
          ))}
        </Card>
      ) : null}
      <div className="flex gap-2" role="group" aria-label="Range">
        {(Object.keys(RANGES) as Range[]).map((r) => (
          <Button
            key={r}
            size="sm"
            variant={r === range ? "primary" : "secondary"}
            onClick={() => (setRange(r), setFrom(startOf(r)))}
            aria-pressed={r === range}
          >
            {r}
          </Button>
        ))}
        {series.data ? (
          <span className="self-center text-[13px] text-muted-foreground">
            {series.data.points.length} points · step {series.data.stepSeconds / 60} min · {series.data.table === "GatewayRollup1h" ? "hourly" : "1-minute"}{" "}
            rollups
          </span>
        ) : null}
      </div>
      {series.isError ? <Alert tone="danger">{toFormError(series.error).message}</Alert> : null}
      <Card className="p-4">
        <h2 className="mb-2 font-semibold">Status</h2>
        <EChart label="Status timeline" option={charts.status} height={140} />
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 font-semibold">RTT p50 / p95</h2>
        <EChart label="RTT" option={charts.rtt} />
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 font-semibold">Loss</h2>
        <EChart label="Loss" option={charts.loss} />
      </Card>
      <Card className="p-4">
        <h2 className="mb-2 font-semibold">Throughput</h2>
        <EChart label="Throughput" option={charts.throughput} />
      </Card>
    </div>
  );
}
