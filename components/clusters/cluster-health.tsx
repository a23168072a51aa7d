"use client";
// The Components and Gateways tabs: what the agent said in its latest heartbeat.
import Link from "next/link";
import type { RouterOutputs } from "@/lib/trpc";
import { ActivityIcon, LayersIcon } from "../icons";
import { Card, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useTenant } from "../shell/tenant-context";
import { StatusBadge } from "./badges";
import { LiveAgo } from "./live-time";
import { formatLoss, formatRate, formatRtt } from "@/lib/format";

type Cluster = RouterOutputs["clusters"]["get"];

const RANK: Record<string, number> = { FAILED: 0, DOWN: 0, DEGRADED: 1, UNKNOWN: 2, OK: 3, UP: 3 };
// Worst first, so a problem is the first thing on screen.
const worstFirst = <T extends { status: string }>(a: T, b: T, name: (x: T) => string) =>
  (RANK[a.status] ?? 2) - (RANK[b.status] ?? 2) || name(a).localeCompare(name(b));

function ReportedAt({ c }: { c: Cluster }) {
  return (
    <span>
      From the latest heartbeat, <LiveAgo value={c.heartbeat.lastSeenAt} never="none yet" />.
    </span>
  );
}

export function ClusterComponents({ c }: { c: Cluster }) {
  const items = [...c.components].sort((a, b) => worstFirst(a, b, (x) => x.name));
  // "gateway OK" speaks of the agent's gateway process; a tunnel can still be down or
  // degraded, which the Gateways tab shows per link. Say so beside it.
  const notUp = c.heartbeat.gateways.filter((g) => g.status !== "UP").length;
  return (
    <Card>
      <CardHeader title="Components" description={<ReportedAt c={c} />} />
      {items.length === 0 ? (
        <EmptyState
          icon={<LayersIcon />}
          title="No components reported"
          description="The agent reports its components (gateway, policy enforcement, …) with every heartbeat."
        />
      ) : (
        <ul className="divide-y divide-border" aria-label="Components">
          {items.map((x) => (
            <li key={x.name} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3">
              <span className="min-w-40 font-mono text-[13px]">{x.name}</span>
              <StatusBadge status={x.status} />
              {x.message ? <span className="min-w-0 flex-1 text-[13px] text-muted-foreground">{x.message}</span> : null}
              {x.name === "gateway" && x.status === "OK" && notUp > 0 ? (
                <span className="min-w-0 flex-1 text-[13px] text-muted-foreground">
                  The agent&apos;s gateway process runs, but {notUp} of {c.heartbeat.gateways.length} tunnels {notUp === 1 ? "is" : "are"} not up: see the
                  Gateways tab.
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** "to cloud-1" (this end dials) or "with edge-2" (this end serves), and the slice, linked; the id only for a link the control plane no longer has. */
function LinkName({ c, linkId }: { c: Cluster; linkId: string }) {
  const { slug } = useTenant();
  const link = c.links.find((l) => l.id === linkId);
  if (!link)
    return (
      <span className="font-mono text-[12.5px]" title="Not a link of this cluster's slices any more">
        {linkId}
      </span>
    );
  return (
    <span className="flex flex-col gap-0.5" title={linkId}>
      <span>
        {link.role === "SERVER" ? "with " : "to "}
        {link.peerName ? (
          <Link href={`/t/${slug}/clusters/${link.peerId}`} className="font-medium hover:text-accent hover:underline">
            {link.peerName}
          </Link>
        ) : (
          <span className="text-muted-foreground">a deleted cluster</span>
        )}
      </span>
      <span className="text-xs text-muted-foreground">
        slice{" "}
        <Link href={`/t/${slug}/slices/${link.sliceId}`} className="hover:text-accent hover:underline">
          {link.sliceName}
        </Link>
      </span>
    </span>
  );
}

export function ClusterGateways({ c }: { c: Cluster }) {
  const items = [...c.heartbeat.gateways].sort((a, b) => worstFirst(a, b, (x) => x.linkId));
  const up = items.filter((g) => g.status === "UP").length;
  return (
    <Card>
      <CardHeader
        title="Gateways"
        description={
          <span>
            One row per tunnel end on this cluster{items.length ? `, ${up} of ${items.length} up` : ""}. <ReportedAt c={c} />
          </span>
        }
      />
      {items.length === 0 ? (
        <EmptyState
          icon={<ActivityIcon />}
          title="No gateway links"
          description="Links appear when this cluster shares a slice with another cluster; the agent then reports each tunnel's state, latency and throughput."
        />
      ) : (
        <Table aria-label="Gateway links">
          <THead>
            <TR>
              <TH>Link</TH>
              <TH>Tunnel</TH>
              <TH>Endpoint reachable</TH>
              <TH className="text-right">RTT</TH>
              <TH className="text-right">Loss</TH>
              <TH className="text-right">Rx</TH>
              <TH className="text-right">Tx</TH>
              <TH>Last handshake</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((g) => (
              <TR key={g.linkId}>
                <TD>
                  <LinkName c={c} linkId={g.linkId} />
                </TD>
                <TD>
                  <span className="flex flex-col gap-0.5">
                    <StatusBadge status={g.status} />
                    {g.reason ? <span className="text-xs text-muted-foreground">{g.reason}</span> : null}
                  </span>
                </TD>
                {/* A connect to the peer's endpoint: a weaker fact than the tunnel being up, shown apart. */}
                <TD>{g.endpointReachable === undefined ? <span className="text-muted-foreground">—</span> : g.endpointReachable ? "Yes" : "No"}</TD>
                <TD className="text-right tabular-nums">{formatRtt(g.rttMs)}</TD>
                <TD className="text-right tabular-nums">{formatLoss(g.lossPct)}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">{formatRate(g.rxBps)}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">{formatRate(g.txBps)}</TD>
                <TD className="whitespace-nowrap text-muted-foreground tabular-nums">
                  <LiveAgo value={g.lastHandshakeAt} never="—" />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
