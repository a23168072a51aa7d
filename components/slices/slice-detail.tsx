"use client";
import { SliceConvergence } from "../gateways/slice-convergence";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { toFormError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { ChevronRightIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { PageHeader } from "../ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { PencilIcon } from "@/components/icons";
import { DeleteSliceButton, ExportYamlButton } from "./slice-actions";
import { GATEWAY_LABEL, TOPOLOGY_LABEL } from "./slice-meta";
import { Fact } from "../ui/fact";
import { ClusterList, IpamTable, LinksTable } from "./slice-tables";
import { LIVE_INTERVAL_MS } from "./slices-table";
import { SlicesIcon } from "../icons";
import { ConvergenceBadges } from "./status-badges";
import { TopologyGraph } from "./topology-graph";

type Slice = RouterOutputs["slices"]["get"];

export function Breadcrumb({ items }: { items: Array<{ label: string; href?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" className="-mb-3 flex items-center gap-1 text-[13px] text-muted-foreground">
      {items.map((it, i) => (
        <span key={i} className="flex items-center gap-1">
          {i > 0 ? <ChevronRightIcon className="size-3.5" /> : null}
          {it.href ? (
            <Link href={it.href} className="hover:text-foreground hover:underline">
              {it.label}
            </Link>
          ) : (
            <span aria-current="page">{it.label}</span>
          )}
        </span>
      ))}
    </nav>
  );
}

function topologyText(t: Slice["spec"]["topology"]) {
  if (t.kind === "HUB_SPOKE") return `${TOPOLOGY_LABEL.HUB_SPOKE} (hubs: ${t.hubs.join(", ")})`;
  if (t.kind === "CUSTOM") return `${TOPOLOGY_LABEL.CUSTOM} (${t.pairs.length} ${t.pairs.length === 1 ? "pair" : "pairs"})`;
  return TOPOLOGY_LABEL.FULL_MESH;
}

function NamespacesSection({ isolation }: { isolation: Slice["spec"]["namespaceIsolation"] }) {
  const lists = [
    { title: "Application namespaces", hint: "Joined to the slice on these clusters.", items: isolation.applicationNamespaces },
    { title: "Allowed namespaces", hint: "May reach the application namespaces from outside the slice.", items: isolation.allowedNamespaces },
  ];
  return (
    <Card>
      <CardHeader
        title="Namespaces"
        description={
          isolation.enabled
            ? "Isolation is on: application namespaces accept traffic only from the slice and the allowed namespaces."
            : "Isolation is off: application namespaces keep their usual network policies."
        }
        actions={<Badge tone={isolation.enabled ? "success" : "neutral"}>{isolation.enabled ? "Isolated" : "Not isolated"}</Badge>}
      />
      <div className="grid gap-0 md:grid-cols-2 md:divide-x divide-border">
        {lists.map((l) => (
          <div key={l.title} className="flex flex-col gap-2 px-5 py-4">
            <div>
              <h3 className="text-[13px] font-medium">{l.title}</h3>
              <p className="text-xs text-muted-foreground">{l.hint}</p>
            </div>
            {l.items.length === 0 ? (
              <p className="text-[13px] text-muted-foreground">None</p>
            ) : (
              <ul className="flex flex-col gap-1.5">
                {l.items.map((e) => (
                  <li key={e.namespace} className="flex flex-wrap items-center gap-2 text-[13px]">
                    <span className="font-mono">{e.namespace}</span>
                    <span className="text-muted-foreground">on</span>
                    <ClusterList clusters={e.clusters} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </Card>
  );
}

function QosSection({ qos, profile }: { qos: Slice["effectiveQos"]; profile: string | null | undefined }) {
  const { slug } = useTenant();
  const profileLink = profile ? (
    <Link href={`/t/${slug}/qos-profiles`} className="font-mono font-medium text-accent hover:underline">
      {profile}
    </Link>
  ) : null;
  return (
    <Card>
      <CardHeader
        title="Quality of service"
        description={
          profile ? (
            <>Traffic shaping on every gateway of the slice, from the tenant QoS profile {profileLink}: a change to the profile reaches this slice too.</>
          ) : qos ? (
            "Traffic shaping on every gateway of the slice, with values of its own."
          ) : (
            "No QoS: slice traffic is best effort."
          )
        }
      />
      {qos ? (
        <CardBody>
          <dl aria-label="QoS values" className="grid grid-cols-2 gap-4 sm:grid-cols-3">
            <Fact label="Source">{profile ? <>Profile {profileLink}</> : "Custom values"}</Fact>
            <Fact label="Queue">{qos.profile}</Fact>
            <Fact label="Priority">{qos.priority}</Fact>
            <Fact label="DSCP class">{qos.dscpClass}</Fact>
            <Fact label="Bandwidth ceiling">{qos.bandwidthCeilingKbps.toLocaleString("en")} kbps</Fact>
            <Fact label="Guaranteed bandwidth">{qos.bandwidthGuaranteedKbps.toLocaleString("en")} kbps</Fact>
          </dl>
        </CardBody>
      ) : null}
    </Card>
  );
}

function ServiceExportsSection({ exports }: { exports: Slice["spec"]["serviceExports"] }) {
  return (
    <Card>
      <CardHeader title="Service exports" description="Services one member offers to the whole slice." />
      {exports.length === 0 ? (
        <p className="px-5 py-4 text-[13px] text-muted-foreground">
          No services exported. Add them in the slice's Services step; KubeSlice imports bring their ServiceExportConfigs here.
        </p>
      ) : (
        <Table aria-label="Service exports">
          <THead>
            <TR>
              <TH>Service</TH>
              <TH>Source cluster</TH>
              <TH>Ports</TH>
              <TH>Aliases</TH>
            </TR>
          </THead>
          <TBody>
            {exports.map((e) => (
              <TR key={`${e.namespace}/${e.name}@${e.sourceCluster}`}>
                <TD className="font-mono text-[13px]">
                  {e.namespace}/{e.name}
                </TD>
                <TD>{e.sourceCluster}</TD>
                <TD className="font-mono text-[12.5px]">{e.ports.map((p) => `${p.name ? `${p.name} ` : ""}${p.port}/${p.protocol}`).join(", ")}</TD>
                <TD className="font-mono text-[12.5px]">{e.aliases?.length ? e.aliases.join(", ") : <span className="text-muted-foreground">—</span>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

export function SliceDetail({ id }: { id: string }) {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.slices.get.queryOptions({ tenant: slug, id }), refetchInterval: LIVE_INTERVAL_MS });
  const base = `/t/${slug}/slices`;
  const crumbs = [{ label: "Slices", href: base }, { label: q.data?.spec.name ?? "Slice" }];

  if (q.isPending) {
    return (
      <>
        <Breadcrumb items={crumbs} />
        <div className="flex flex-col gap-4" aria-busy="true" aria-label="Loading slice">
          <div className="h-10 w-64 animate-pulse rounded-md bg-surface-2" />
          <div className="h-72 animate-pulse rounded-xl bg-surface-2" />
        </div>
      </>
    );
  }
  if (q.isError) {
    const e = toFormError(q.error);
    return (
      <>
        <Breadcrumb items={crumbs} />
        {e.code === "NOT_FOUND" ? (
          <Card>
            <EmptyState
              icon={<SlicesIcon />}
              title="Slice not found"
              description="It may have been deleted."
              action={
                <Link href={base} className="text-[13px] font-medium text-accent hover:underline">
                  Back to slices
                </Link>
              }
            />
          </Card>
        ) : (
          <Alert tone="danger">{e.message}</Alert>
        )}
      </>
    );
  }

  const s = q.data;
  const spec = s.spec;
  // Relative times ("just now") are measured from the last poll, so they move with the data.
  const now = q.dataUpdatedAt;
  const nodes = s.members.map((m) => ({
    id: m.clusterId,
    name: m.clusterName,
    siteType: m.siteType,
    availability: m.availability,
    detail: `#${m.index} ${m.subnet}`,
  }));
  const edges = s.links.map((l) => ({
    id: l.id,
    serverId: l.serverClusterId,
    clientId: l.clientClusterId,
    status: l.status,
    statusReason: l.statusReason,
    endpointReachable: l.endpointReachable,
    rttMs: l.rttMs,
    lossPct: l.lossPct,
    serverTunnelIp: l.serverTunnelIp,
    clientTunnelIp: l.clientTunnelIp,
  }));

  return (
    <>
      <Breadcrumb items={crumbs} />
      <PageHeader
        title={spec.name}
        description={
          <span className="flex flex-col gap-2">
            {spec.description ? <span>{spec.description}</span> : null}
            <ConvergenceBadges convergence={s.convergence} />
            <SliceConvergence sliceId={s.id} />
          </span>
        }
        actions={
          <>
            <ExportYamlButton id={s.id} />
            {can("OPERATOR") ? (
              <>
                <Button asChild variant="secondary">
                  <Link href={`${base}/${s.id}/edit`}>
                    <PencilIcon className="size-4" />
                    Edit
                  </Link>
                </Button>
                <DeleteSliceButton id={s.id} name={spec.name} memberCount={s.members.length} version={s.version} />
              </>
            ) : null}
          </>
        }
      />

      <Card>
        <CardBody>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            <Fact label="Subnet">
              <span className="font-mono">{spec.subnet}</span>
            </Fact>
            <Fact label="Gateway">
              {GATEWAY_LABEL[spec.gatewayType]} · {spec.gatewayService.type} / {spec.gatewayService.protocol}
            </Fact>
            <Fact label="Topology">{topologyText(spec.topology)}</Fact>
            <Fact label="Members">
              {s.members.length} of at most {spec.maxClusters}
            </Fact>
            <Fact label="Created">{formatDateTime(s.createdAt)}</Fact>
            <Fact label="Updated">{formatDateTime(s.updatedAt)}</Fact>
          </dl>
        </CardBody>
      </Card>

      <Card>
        <CardHeader
          title="Topology"
          description="Member clusters by site type; each line is one gateway tunnel, coloured by its health. Hover a line for RTT and loss."
        />
        {s.members.length === 0 ? (
          <EmptyState title="No member clusters" description="Add clusters to the slice to build its tunnels." />
        ) : (
          <CardBody>
            <TopologyGraph nodes={nodes} edges={edges} />
          </CardBody>
        )}
      </Card>

      <Card>
        <CardHeader
          title="IPAM"
          description={`Each member's share of ${spec.subnet}, how its gateway is exposed, and whether it runs the latest revision made for it.`}
        />
        {s.members.length === 0 ? (
          <p className="px-5 py-4 text-[13px] text-muted-foreground">No members, so no shares are allocated.</p>
        ) : (
          <IpamTable members={s.members} gatewayService={spec.gatewayService} />
        )}
      </Card>

      <Card>
        <CardHeader
          title="Gateway links"
          description="The server end listens on its gateway endpoint; the client end dials it. Tunnel addresses come from the slice's tunnel block."
        />
        {s.links.length === 0 ? (
          <p className="px-5 py-4 text-[13px] text-muted-foreground">No links: a slice needs at least two connected members.</p>
        ) : (
          <LinksTable links={s.links} now={now} />
        )}
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <QosSection qos={s.effectiveQos} profile={spec.qosProfile} />
        <ServiceExportsSection exports={spec.serviceExports} />
      </div>
      <NamespacesSection isolation={spec.namespaceIsolation} />
    </>
  );
}
