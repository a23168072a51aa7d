import { formatRelative } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc";
import { Badge } from "../ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { formatLoss, formatRtt } from "@/lib/format";
import { AvailabilityBadge, LinkStatusBadge, RevisionStatus, SiteBadge } from "./status-badges";

type Slice = RouterOutputs["slices"]["get"];

/** Each member's share of the slice subnet, its gateway service, and whether it runs the revision made for it. */
export function IpamTable({ members, gatewayService }: { members: Slice["members"]; gatewayService: Slice["spec"]["gatewayService"] }) {
  return (
    <Table aria-label="IPAM">
      <THead>
        <TR>
          <TH>Cluster</TH>
          <TH className="text-right">Index</TH>
          <TH>Share subnet</TH>
          <TH>Gateway service</TH>
          <TH>Site type</TH>
          <TH>Availability</TH>
          <TH>Revision</TH>
        </TR>
      </THead>
      <TBody>
        {members.map((m) => {
          const override = gatewayService.overrides[m.clusterName];
          const g = override ?? gatewayService;
          return (
            <TR key={m.clusterId} data-cluster={m.clusterName}>
              <TD className="font-medium">{m.clusterName}</TD>
              <TD className="text-right font-mono text-[13px] tabular-nums">{m.index}</TD>
              <TD className="font-mono text-[13px] whitespace-nowrap">{m.subnet}</TD>
              <TD className="whitespace-nowrap text-[13px]" data-gateway-service>
                <span className="flex items-center gap-1.5">
                  {g.type} / {g.protocol}
                  {override ? <Badge title="Differs from the slice default">override</Badge> : null}
                </span>
              </TD>
              <TD>
                <SiteBadge siteType={m.siteType} />
              </TD>
              <TD>
                <AvailabilityBadge availability={m.availability} />
              </TD>
              <TD>
                <RevisionStatus applied={m.appliedRevision} desired={m.desiredRevision} />
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}

export function LinksTable({ links, now }: { links: Slice["links"]; now: number }) {
  return (
    <Table aria-label="Gateway links">
      <THead>
        <TR>
          <TH>Link</TH>
          <TH>Server</TH>
          <TH>Client</TH>
          <TH>Endpoint</TH>
          <TH>Tunnel IPs</TH>
          <TH>Status</TH>
          <TH className="text-right">RTT</TH>
          <TH className="text-right">Loss</TH>
        </TR>
      </THead>
      <TBody>
        {links.map((l) => (
          <TR key={l.id}>
            <TD className="max-w-[8.5rem] truncate font-mono text-[12px] text-muted-foreground" title={l.id}>
              {l.id}
            </TD>
            <TD className="font-medium whitespace-nowrap">{l.serverClusterName ?? l.serverClusterId}</TD>
            <TD className="whitespace-nowrap">{l.clientClusterName ?? l.clientClusterId}</TD>
            <TD className="font-mono text-[12.5px] whitespace-nowrap">{l.serverEndpoint ?? <span className="text-muted-foreground">none advertised</span>}</TD>
            <TD className="font-mono text-[12px] leading-4 whitespace-nowrap">
              <span className="block" title="Server end">
                {l.serverTunnelIp}
              </span>
              <span className="block text-muted-foreground" title="Client end">
                {l.clientTunnelIp}
              </span>
            </TD>
            <TD className="whitespace-nowrap">
              <span className="flex flex-col gap-0.5">
                <LinkStatusBadge status={l.status} />
                {l.reportedAt ? <span className="text-xs text-muted-foreground">{formatRelative(l.reportedAt, now)}</span> : null}
              </span>
            </TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatRtt(l.rttMs)}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatLoss(l.lossPct)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

export function ClusterList({ clusters }: { clusters: string[] }) {
  if (clusters.includes("*")) return <span className="text-muted-foreground">Every member</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {clusters.map((c) => (
        <span key={c} className="rounded border border-border bg-surface-2 px-1.5 font-mono text-[12px]">
          {c}
        </span>
      ))}
    </span>
  );
}
