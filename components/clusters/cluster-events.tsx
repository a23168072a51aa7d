"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc";
import { ScrollIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { LiveAgo } from "./live-time";
import { LIVE_INTERVAL_MS, SEVERITY_LABEL, SEVERITY_TONE } from "./meta";
import { LoadingRows, QueryError } from "../ui/query-state";

const BAR: Record<string, string> = { INFO: "bg-accent/60", WARNING: "bg-warning-subtle-foreground", CRITICAL: "bg-danger" };

/** The cluster's events, newest first, polled; older pages on demand. */
export function ClusterEvents({ id }: { id: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useInfiniteQuery({
    ...trpc.clusters.events.infiniteQueryOptions({ tenant: slug, id, limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    refetchInterval: LIVE_INTERVAL_MS,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <CardHeader title="Events" description="Availability changes, enrolments and configuration results, newest first." />
      {q.isPending ? (
        <LoadingRows label="Loading events" rows={3} />
      ) : q.isError && !q.data ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={<ScrollIcon />} title="No events yet" />
      ) : (
        <>
          <ol className="divide-y divide-border" aria-label="Events">
            {items.map((e) => (
              <li key={e.id} className="relative flex flex-wrap items-start gap-x-3 gap-y-1 py-3 pr-5 pl-6">
                <span aria-hidden="true" className={cn("absolute top-3 bottom-3 left-2.5 w-0.5 rounded-full", BAR[e.severity] ?? "bg-border")} />
                <span className="w-16 shrink-0">
                  <Badge tone={SEVERITY_TONE[e.severity] ?? "neutral"} className="mt-px">
                    {SEVERITY_LABEL[e.severity] ?? e.severity}
                  </Badge>
                </span>
                <div className="flex min-w-0 flex-1 flex-col gap-0.5">
                  <span className="text-[13px] break-words">{e.message}</span>
                  <span className="font-mono text-xs text-muted-foreground">{e.type}</span>
                </div>
                <LiveAgo value={e.createdAt} className="text-[13px] whitespace-nowrap text-muted-foreground tabular-nums" />
              </li>
            ))}
          </ol>
          {q.hasNextPage ? (
            <div className="flex justify-center border-t border-border p-3">
              <Button variant="secondary" size="sm" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                Load older events
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
