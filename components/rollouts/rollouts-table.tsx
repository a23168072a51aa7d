"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { toFormError } from "@/lib/errors";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ActivityIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { ACTIVE, label, STATUS_TONE, STRATEGY_LABEL } from "./rollout-meta";

export function RolloutsTable() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.rollouts.list.queryOptions({ tenant: slug, limit: 50 }),
    // Live while anything is in flight (the console's polling, as other live views do).
    refetchInterval: (query) => ((query.state.data?.items ?? []).some((r) => ACTIVE.includes(r.status)) ? 1_500 : 10_000),
  });
  const items = q.data?.items ?? [];
  const base = `/t/${slug}/rollouts`;
  if (q.isPending) return <Card className="h-40 animate-pulse" aria-busy="true" aria-label="Loading rollouts" />;
  if (q.isError) return <Alert tone="danger">{toFormError(q.error).message}</Alert>;
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={<ActivityIcon />}
          title="No rollouts yet"
          description="Every change that alters what clusters run (a slice, a QoS profile, a cluster's rename) is delivered as a rollout and shows here."
        />
      </Card>
    );
  }
  return (
    <Card>
      <Table aria-label="Rollouts">
        <THead>
          <TR>
            <TH>Change</TH>
            <TH>Status</TH>
            <TH>Strategy</TH>
            <TH>Progress</TH>
            <TH>Started by</TH>
            <TH>Created</TH>
          </TR>
        </THead>
        <TBody>
          {items.map((r) => {
            const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
            const applied = (r.counts.APPLIED ?? 0) + (r.counts.UNCHANGED ?? 0);
            return (
              <TR key={r.id} className="transition-colors hover:bg-surface-2/60">
                <TD className="max-w-72">
                  <Link href={`${base}/${r.id}`} className="font-medium hover:text-accent hover:underline">
                    {r.reason}
                  </Link>
                  {r.failure ? <p className="truncate text-[13px] text-danger-subtle-foreground">{r.failure}</p> : null}
                </TD>
                <TD>
                  <Badge tone={STATUS_TONE[r.status]}>{r.outcome}</Badge>
                  {r.status === "QUEUED" && r.blockedById ? <p className="text-[13px] text-muted-foreground">queued behind another rollout</p> : null}
                </TD>
                <TD className="whitespace-nowrap text-muted-foreground">
                  {STRATEGY_LABEL[r.strategy] ?? r.strategy}
                  {r.waveCount > 1 ? ` · wave ${Math.min(r.currentWave + 1, r.waveCount)}/${r.waveCount}` : ""}
                </TD>
                <TD className="tabular-nums whitespace-nowrap">
                  {applied}/{total} applied
                  {Object.entries(r.counts)
                    .filter(([s]) => !["APPLIED", "UNCHANGED"].includes(s))
                    .map(([s, n]) => ` · ${n} ${label(s)}`)
                    .join("")}
                </TD>
                <TD className="text-muted-foreground">{r.actorLabel ?? r.actorType.toLowerCase()}</TD>
                <TD className="whitespace-nowrap text-muted-foreground">
                  <time dateTime={new Date(r.createdAt).toISOString()} title={formatDateTime(r.createdAt)}>
                    {formatRelative(r.createdAt)}
                  </time>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </Card>
  );
}
