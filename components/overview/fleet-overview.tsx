"use client";
// The fleet at a glance, refreshed every few seconds: availability per site type,
// clusters that applied their latest config, slices converged (linked to the links
// that keep them from it), and recent warnings.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AlertIcon, ClusterIcon, LayersIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

const SITE_LABEL = { EDGE: "Edge", CLOUD: "Cloud", ONPREM: "On-prem" } as const;

function Bar({ available, unknown, pending, total }: { available: number; unknown: number; pending: number; total: number }) {
  if (total === 0) return <div className="h-2 rounded-full bg-surface-2" aria-hidden="true" />;
  const pct = (n: number) => `${(n / total) * 100}%`;
  return (
    <div className="flex h-2 overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
      <span className="bg-success-subtle-foreground" style={{ width: pct(available) }} />
      <span className="bg-warning-subtle-foreground" style={{ width: pct(unknown) }} />
      <span className="bg-muted-foreground/40" style={{ width: pct(pending) }} />
    </div>
  );
}

export function FleetOverview({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.overview.fleet.queryOptions({ tenant: slug }), refetchInterval: 5_000 });
  const base = `/t/${slug}`;
  if (q.isError) return <p className="text-[13px] text-danger">Could not load the fleet: {q.error.message}</p>;
  const o = q.data;
  const now = Date.now();
  return (
    <section aria-label="Fleet" className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <Card className="p-5 lg:col-span-2">
        <div className="mb-4 flex items-center justify-between">
          <h2 className="flex items-center gap-2 text-sm font-medium [&>svg]:size-4">
            <ClusterIcon /> Clusters
          </h2>
          <Link href={`${base}/clusters`} className="text-[13px] font-medium text-accent hover:underline">
            All clusters
          </Link>
        </div>
        {!o ? (
          <p className="text-[13px] text-muted-foreground">Loading…</p>
        ) : o.clusters.total === 0 ? (
          <p className="text-[13px] text-muted-foreground">
            No clusters yet. Create a{" "}
            <Link className="text-accent hover:underline" href={`${base}/registration-tokens`}>
              registration token
            </Link>{" "}
            and run the agent in a cluster.
          </p>
        ) : (
          <>
            <p className="mb-4 text-[13px] text-muted-foreground">
              <span className="text-2xl font-semibold text-foreground tabular-nums" data-testid="clusters-available">
                {o.clusters.available}/{o.clusters.total}
              </span>{" "}
              available · {o.clusters.converged} applied their latest config
              {o.clusters.unknown ? (
                <Badge tone="warning" className="ml-2">
                  {o.clusters.unknown} unknown
                </Badge>
              ) : null}
              {o.clusters.pending ? <Badge className="ml-2">{o.clusters.pending} pending</Badge> : null}
            </p>
            <ul className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              {o.clusters.sites.map((s) => (
                <li key={s.siteType} className="space-y-2">
                  <div className="flex items-baseline justify-between text-[13px]">
                    <Link href={`${base}/clusters?site=${s.siteType}`} className="font-medium hover:underline">
                      {SITE_LABEL[s.siteType]}
                    </Link>
                    <span className="text-muted-foreground tabular-nums">
                      {s.AVAILABLE}/{s.total} up
                    </span>
                  </div>
                  <Bar available={s.AVAILABLE} unknown={s.UNKNOWN} pending={s.PENDING} total={s.total} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <Card className="p-5">
        <div className="mb-4 flex items-center justify-between">
          <h2 className="flex items-center gap-2 text-sm font-medium [&>svg]:size-4">
            <LayersIcon /> Slices
          </h2>
          <Link href={`${base}/slices`} className="text-[13px] font-medium text-accent hover:underline">
            All slices
          </Link>
        </div>
        {o ? (
          <div className="space-y-1 text-[13px] text-muted-foreground">
            <p>
              {o.slices.linksUp < o.slices.links ? (
                // The count leads to what keeps it down: every link that is not up.
                <Link
                  href={`${base}/gateways?status=NOT_UP`}
                  aria-label={`${o.slices.converged} of ${o.slices.total} slices converged: show the links not up`}
                  className="text-2xl font-semibold text-foreground tabular-nums hover:underline"
                >
                  {o.slices.converged}/{o.slices.total}
                </Link>
              ) : (
                <span className="text-2xl font-semibold text-foreground tabular-nums">
                  {o.slices.converged}/{o.slices.total}
                </span>
              )}{" "}
              converged
            </p>
            <p className="tabular-nums">
              {o.slices.linksUp}/{o.slices.links} gateway links up
            </p>
            {o.slices.notConverged.length ? (
              <ul aria-label="Slices not converged" className="mt-2 space-y-1">
                {o.slices.notConverged.map((s) => (
                  <li key={s.id} className="flex items-baseline justify-between gap-2">
                    <Link
                      // A slice held back by its tunnels opens on them; one waiting for clusters to apply, on its page.
                      href={s.linksUp < s.links ? `${base}/gateways?slice=${encodeURIComponent(s.id)}&status=NOT_UP` : `${base}/slices/${s.id}`}
                      className="truncate font-medium text-foreground hover:underline"
                    >
                      {s.name}
                    </Link>
                    <span className="shrink-0 tabular-nums">
                      {s.linksUp < s.links
                        ? `${s.links - s.linksUp} of ${s.links} links not up`
                        : `${s.clusters - s.clustersApplied} of ${s.clusters} clusters not applied`}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </Card>
      {o && o.warnings.length ? (
        <Card className="lg:col-span-3">
          <CardHeader title="Warnings in the last 24 hours" description="Clusters that stopped reporting, failed applies and other problems." />
          <ul className="divide-y divide-border">
            {o.warnings.map((w) => (
              <li key={w.id} className="flex items-center gap-3 px-5 py-2.5 text-[13px]">
                <AlertIcon className={w.severity === "CRITICAL" ? "size-4 text-danger" : "size-4 text-warning-subtle-foreground"} />
                <span className="min-w-0 flex-1">
                  {w.clusterId ? (
                    <Link href={`${base}/clusters/${w.clusterId}`} className="hover:underline">
                      {w.message}
                    </Link>
                  ) : (
                    w.message
                  )}
                </span>
                <time dateTime={String(w.createdAt)} title={formatDateTime(w.createdAt)} className="text-muted-foreground tabular-nums">
                  {formatRelative(w.createdAt, now)}
                </time>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </section>
  );
}
