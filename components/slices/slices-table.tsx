"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { toFormError } from "@/lib/errors";
import { formatDate, formatDateTime } from "@/lib/format";
import { scope, useTRPC } from "@/lib/trpc";
import { PlusIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { UploadIcon } from "@/components/icons";
import { GATEWAY_LABEL, TOPOLOGY_LABEL } from "./slice-meta";
import { SlicesIcon } from "../icons";
import { ConvergenceBadges } from "./status-badges";

/** How often live views poll: link health and acks move on their own. */
export const LIVE_INTERVAL_MS = 5_000;

export function SlicesTable() {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.slices.list.queryOptions(scope(slug)), refetchInterval: LIVE_INTERVAL_MS });
  const items = q.data?.items ?? [];
  const base = `/t/${slug}/slices`;

  if (q.isPending) {
    return (
      <Card className="flex flex-col gap-2 p-5" aria-busy="true" aria-label="Loading slices">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-9 animate-pulse rounded-md bg-surface-2" />
        ))}
      </Card>
    );
  }
  if (q.isError) return <Alert tone="danger">{toFormError(q.error).message}</Alert>;
  if (items.length === 0) {
    return (
      <Card>
        <EmptyState
          icon={<SlicesIcon />}
          title="No slices yet"
          description="A slice joins namespaces across clusters into one private overlay network, with its own subnet, gateways and topology."
          action={
            can("OPERATOR") ? (
              <div className="flex flex-wrap justify-center gap-2">
                <Button asChild>
                  <Link href={`${base}/new`}>
                    <PlusIcon className="size-4" />
                    Create slice
                  </Link>
                </Button>
                <Button asChild variant="secondary">
                  <Link href={`${base}/import`}>
                    <UploadIcon className="size-4" />
                    Import KubeSlice YAML
                  </Link>
                </Button>
              </div>
            ) : (
              <p className="text-[13px] text-muted-foreground">Operators and above can create slices.</p>
            )
          }
        />
      </Card>
    );
  }
  return (
    <Card>
      <Table aria-label="Slices">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Subnet</TH>
            <TH>Gateway</TH>
            <TH>Topology</TH>
            <TH className="text-right">Members</TH>
            <TH>Convergence</TH>
            <TH>Created</TH>
          </TR>
        </THead>
        <TBody>
          {items.map((s) => (
            <TR key={s.id} className="transition-colors hover:bg-surface-2/60">
              <TD className="max-w-64">
                <Link href={`${base}/${s.id}`} className="font-medium hover:text-accent hover:underline">
                  {s.name}
                </Link>
                {s.description ? <p className="truncate text-[13px] text-muted-foreground">{s.description}</p> : null}
              </TD>
              <TD className="font-mono text-[13px] whitespace-nowrap">{s.subnet}</TD>
              <TD>
                <Badge>{GATEWAY_LABEL[s.gatewayType] ?? s.gatewayType}</Badge>
              </TD>
              <TD className="whitespace-nowrap text-muted-foreground">{TOPOLOGY_LABEL[s.topologyKind] ?? s.topologyKind}</TD>
              <TD className="text-right tabular-nums">{s.members.length}</TD>
              <TD>
                <ConvergenceBadges convergence={s.convergence} />
              </TD>
              <TD className="whitespace-nowrap text-muted-foreground">
                <time dateTime={s.createdAt} title={formatDateTime(s.createdAt)}>
                  {formatDate(s.createdAt)}
                </time>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
