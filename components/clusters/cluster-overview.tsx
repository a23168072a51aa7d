"use client";
import Link from "next/link";
import { formatDateTime } from "@/lib/format";
import { useTenant } from "../shell/tenant-context";
import type { RouterOutputs } from "@/lib/trpc";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { agentIsOutdated, CURRENT_AGENT_VERSION } from "./agent-version";
import { LabelChips } from "./badges";
import { Fact, MonoList } from "../ui/fact";
import { SITE_HINT, SITE_LABEL } from "./meta";

type Cluster = RouterOutputs["clusters"]["get"];

function location(c: Cluster) {
  if (c.latitude == null || c.longitude == null) return null;
  const lat = `${Math.abs(c.latitude).toFixed(4)}° ${c.latitude >= 0 ? "N" : "S"}`;
  const long = `${Math.abs(c.longitude).toFixed(4)}° ${c.longitude >= 0 ? "E" : "W"}`;
  return `${lat}, ${long}`;
}

export function ClusterOverview({ c }: { c: Cluster }) {
  const loc = location(c);
  const { can } = useTenant();
  return (
    <div className="grid items-start gap-4 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader
          title="Inventory"
          description={can("OPERATOR") ? "As the agent last reported it. Site type, region and location are yours to edit." : "As the agent last reported it."}
        />
        <CardBody>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3">
            <Fact label="Site type">
              <span title={SITE_HINT[c.siteType]}>{SITE_LABEL[c.siteType]}</span>
            </Fact>
            <Fact label="Provider">{c.provider ?? <span className="text-muted-foreground">—</span>}</Fact>
            <Fact label="Region">{c.region ?? <span className="text-muted-foreground">—</span>}</Fact>
            <Fact label="Location">{loc ?? <span className="text-muted-foreground">Not set</span>}</Fact>
            <Fact label="Kubernetes">
              <span className="font-mono text-[12.5px]">{c.kubernetesVersion ?? "—"}</span>
            </Fact>
            <Fact label="CNI">{c.cni ?? <span className="text-muted-foreground">—</span>}</Fact>
            <Fact label="Nodes">
              <span className="tabular-nums">{c.nodeCount}</span>
            </Fact>
            <Fact label="Pod CIDRs">
              <CidrFact manual={c.manualPodCidrs} reported={c.podCidrs} />
            </Fact>
            <Fact label="Service CIDRs">
              <CidrFact manual={c.manualServiceCidrs} reported={c.serviceCidrs} />
            </Fact>
            <Fact label="Gateway endpoints">
              <MonoList items={c.gatewayEndpoints} empty="None (dials out only)" />
            </Fact>
            <Fact label="Behind NAT">
              {c.behindNat ? (
                <span className="flex flex-col gap-0.5">
                  <Badge tone="warning" className="self-start">
                    Yes
                  </Badge>
                  <span className="text-xs text-muted-foreground">Always the client end of its gateway links</span>
                </span>
              ) : (
                <Badge className="self-start">No</Badge>
              )}
            </Fact>
            <Fact label="Agent version">
              <span className="font-mono text-[12.5px]">{c.agentVersion ?? "—"}</span>
              {agentIsOutdated(c.agentVersion) ? (
                <span className="text-xs text-muted-foreground">
                  <Badge tone="warning">Outdated</Badge> this control plane ships {CURRENT_AGENT_VERSION}; apply the install manifests again to upgrade.
                </span>
              ) : null}
            </Fact>
          </dl>
        </CardBody>
      </Card>
      <div className="flex flex-col gap-4">
        <Card>
          <CardHeader title="Labels" description="Select this cluster in slices and policies by label." />
          <CardBody>
            <LabelChips labels={c.labels} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Identity" />
          <CardBody>
            <dl className="flex flex-col gap-3">
              <Fact label="Cluster id">
                <span className="font-mono text-[12.5px] break-all">{c.id}</span>
              </Fact>
              <Fact label="kube-system UID">
                <span className="font-mono text-[12.5px] break-all" title="Re-registering a cluster with this UID keeps its id">
                  {c.uid}
                </span>
              </Fact>
              <Fact label="Registered">{formatDateTime(c.createdAt)}</Fact>
            </dl>
          </CardBody>
        </Card>
        <ClusterSlices c={c} />
      </div>
    </div>
  );
}

const TOPOLOGY_LABEL: Record<string, string> = { FULL_MESH: "full mesh", HUB_SPOKE: "hub and spoke", CUSTOM: "custom" };

/** The slices this cluster is in, and how many of its links each gives it. */
function ClusterSlices({ c }: { c: Cluster }) {
  const { slug } = useTenant();
  return (
    <Card>
      <CardHeader
        title="Slices"
        description={c.slices.length ? `Member of ${c.slices.length === 1 ? "one slice" : `${c.slices.length} slices`}.` : undefined}
      />
      <CardBody>
        {c.slices.length === 0 ? (
          <p className="text-[13px] text-muted-foreground">Not in any slice yet. Add it to a slice to connect it with other clusters.</p>
        ) : (
          <ul aria-label="Slices of this cluster" className="flex flex-col gap-2 text-[13px]">
            {c.slices.map((s) => {
              const links = c.links.filter((l) => l.sliceId === s.id).length;
              return (
                <li key={s.id} className="flex items-baseline justify-between gap-2">
                  <Link href={`/t/${slug}/slices/${s.id}`} className="truncate font-medium hover:text-accent hover:underline">
                    {s.name}
                  </Link>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {TOPOLOGY_LABEL[s.topology] ?? s.topology} · {links === 1 ? "1 link" : `${links} links`}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

/** Ranges set by hand win for overlap checks; what the agent reported stays visible beside them. */
function CidrFact({ manual, reported }: { manual: string[]; reported: string[] }) {
  if (manual.length === 0) return <MonoList items={reported} empty="Unknown (not found in the cluster; overlap not checked)" />;
  return (
    <span className="flex flex-col gap-0.5">
      <MonoList items={manual} />
      <span className="text-xs text-muted-foreground">Set by hand; the agent reports {reported.length ? reported.join(", ") : "none"}</span>
    </span>
  );
}
