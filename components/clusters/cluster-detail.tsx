"use client";
import { SiteScore } from "../gateways/site-score";
import * as Tabs from "@radix-ui/react-tabs";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { cn } from "@/lib/cn";
import { toFormError } from "@/lib/errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { ChevronRightIcon, ClusterIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { AvailabilityBadge, RevisionStatus, SiteBadge } from "./badges";
import { DeleteClusterButton, EditClusterButton } from "./cluster-actions";
import { ClusterConfig } from "./cluster-config";
import { ClusterEvents } from "./cluster-events";
import { ClusterComponents, ClusterGateways } from "./cluster-health";
import { ClusterOverview } from "./cluster-overview";
import { LiveAgo } from "./live-time";
import { formatSeconds } from "@/lib/format";
import { LIVE_INTERVAL_MS } from "./meta";
import { useQueryParams } from "./use-url-state";

type Cluster = RouterOutputs["clusters"]["get"];

const TABS = ["overview", "components", "gateways", "config", "events"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = { overview: "Overview", components: "Components", gateways: "Gateways", config: "Config", events: "Events" };

export function ClusterDetail({ id }: { id: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.clusters.get.queryOptions({ tenant: slug, id }), refetchInterval: LIVE_INTERVAL_MS });
  const base = `/t/${slug}/clusters`;

  if (q.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true" aria-label="Loading the cluster">
        <div className="h-8 w-64 animate-pulse rounded-md bg-surface-2" />
        <div className="h-24 animate-pulse rounded-xl bg-surface-2" />
        <div className="h-64 animate-pulse rounded-xl bg-surface-2" />
      </div>
    );
  }
  const err = q.error ? toFormError(q.error) : null;
  // Deleted while open (here or elsewhere): say so instead of showing the last copy.
  if (!q.data || err?.code === "NOT_FOUND") {
    return (
      <>
        <Breadcrumb base={base} name="Cluster" />
        <Card>
          {err?.code === "NOT_FOUND" ? (
            <EmptyState
              icon={<ClusterIcon />}
              title="Cluster not found"
              description="It may have been deleted, or it belongs to another tenant."
              action={
                <Button asChild variant="secondary">
                  <Link href={base}>Back to clusters</Link>
                </Button>
              }
            />
          ) : (
            <div className="p-5">
              <Alert tone="danger">{err?.message ?? "The cluster could not be loaded."}</Alert>
            </div>
          )}
        </Card>
      </>
    );
  }
  return <ClusterPage c={q.data} base={base} stale={err?.message ?? null} />;
}

function Breadcrumb({ base, name }: { base: string; name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="-mb-3 flex items-center gap-1 text-[13px] text-muted-foreground">
      <Link href={base} className="hover:text-foreground hover:underline">
        Clusters
      </Link>
      <ChevronRightIcon className="size-3.5" />
      <span aria-current="page" className="truncate">
        {name}
      </span>
    </nav>
  );
}

function ClusterPage({ c, base, stale }: { c: Cluster; base: string; stale: string | null }) {
  const { can } = useTenant();
  const { params, set } = useQueryParams();
  const requested = params.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(requested ?? "") ? (requested as Tab) : "overview";
  const ok = c.components.filter((x) => x.status === "OK").length;
  const gws = c.heartbeat.gateways;
  const up = gws.filter((g) => g.status === "UP").length;
  const counts: Partial<Record<Tab, string>> = {
    ...(c.components.length ? { components: `${ok}/${c.components.length}` } : {}),
    ...(gws.length ? { gateways: `${up}/${gws.length}` } : {}),
  };

  return (
    <>
      <Breadcrumb base={base} name={c.name} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 flex-col gap-1.5">
          <div className="flex flex-wrap items-center gap-2.5">
            <h1 className="truncate font-mono text-xl font-semibold tracking-tight">{c.name}</h1>
            <AvailabilityBadge availability={c.availability} />
            <SiteBadge siteType={c.siteType} />
          </div>
          <p className="text-sm text-muted-foreground">
            {[c.provider, c.region, c.kubernetesVersion].filter(Boolean).join(" · ") || "No inventory reported yet"}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {can("OPERATOR") ? <EditClusterButton c={c} /> : null}
          {can("ADMIN") ? <DeleteClusterButton c={c} /> : null}
        </div>
      </div>

      {stale ? <Alert tone="warning">Live updates paused: {stale}</Alert> : null}
      {c.availability === "UNKNOWN" ? (
        <Alert tone="warning" title="No heartbeat for three leases">
          The agent may be stopped, or the cluster cannot reach this console. It turns Available again at its next heartbeat.
        </Alert>
      ) : c.availability === "PENDING" ? (
        <Alert tone="info">Registered; waiting for the agent&apos;s first heartbeat.</Alert>
      ) : null}

      <SiteScore clusterId={c.id} />

      <Card className="grid grid-cols-2 divide-border sm:grid-cols-4 sm:divide-x">
        <Stat label="Last seen">
          <LiveAgo value={c.lastSeenAt} className="tabular-nums" />
        </Stat>
        <Stat label="Lease" hint="Heartbeat interval; Unknown after three missed">
          {formatSeconds(c.leaseDurationSeconds)}
        </Stat>
        <Stat label="Configuration">
          <RevisionStatus applied={c.appliedRevision} desired={c.desiredRevision} compact />
        </Stat>
        <Stat label="Gateways up">
          <span className="tabular-nums">{gws.length ? `${up} of ${gws.length}` : "No links"}</span>
        </Stat>
      </Card>

      <Tabs.Root value={tab} onValueChange={(v) => set({ tab: v === "overview" ? undefined : v })} className="flex flex-col gap-4">
        <Tabs.List aria-label="Cluster sections" className="flex gap-1 overflow-x-auto border-b border-border">
          {TABS.map((t) => (
            <Tabs.Trigger
              key={t}
              value={t}
              className={cn(
                "-mb-px flex h-9 items-center gap-1.5 border-b-2 border-transparent px-3 text-[13px] font-medium whitespace-nowrap text-muted-foreground transition-colors hover:text-foreground",
                "data-[state=active]:border-accent data-[state=active]:text-foreground",
              )}
            >
              {TAB_LABEL[t]}
              {counts[t] ? <span className="rounded-full bg-surface-2 px-1.5 text-[11px] tabular-nums text-muted-foreground">{counts[t]}</span> : null}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="overview">
          <ClusterOverview c={c} />
        </Tabs.Content>
        <Tabs.Content value="components">
          <ClusterComponents c={c} />
        </Tabs.Content>
        <Tabs.Content value="gateways">
          <ClusterGateways c={c} />
        </Tabs.Content>
        <Tabs.Content value="config">
          <ClusterConfig c={c} />
        </Tabs.Content>
        <Tabs.Content value="events">
          <ClusterEvents id={c.id} />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}

function Stat({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1 px-5 py-3.5" title={hint}>
      <span className="text-xs text-muted-foreground">{label}</span>
      <span className="text-sm font-medium">{children}</span>
    </div>
  );
}
