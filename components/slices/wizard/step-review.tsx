"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { qosSummary } from "../../qos-profiles/qos-meta";
import { RolloutPlan } from "../../rollouts/rollout-plan";
import { useTenant } from "../../shell/tenant-context";
import { GATEWAY_LABEL, TOPOLOGY_LABEL } from "../slice-meta";
import { ClusterList } from "../slice-tables";
import { draftToSpec, splitAliases, type Draft, type StepId } from "./draft";
import { LivePreview } from "./live-preview";
import type { StepProps } from "./step-props";

function Row({ label, step, onGo, children }: { label: string; step: StepId; onGo: (s: StepId) => void; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)_auto] items-baseline gap-3 py-2.5">
      <dt className="text-[13px] text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-[13px]">{children}</dd>
      <button type="button" onClick={() => onGo(step)} className="text-xs font-medium text-accent hover:underline" aria-label={`Change ${label.toLowerCase()}`}>
        Change
      </button>
    </div>
  );
}

const none = <span className="text-muted-foreground">None</span>;

function QosText({ draft }: { draft: Draft }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const profiles = useQuery({ ...trpc.qosProfiles.list.queryOptions({ tenant: slug }), enabled: draft.qosMode === "profile" });
  if (draft.qosMode === "custom")
    return (
      <>
        HTB, priority {draft.qos.priority}, {draft.qos.guaranteed}–{draft.qos.ceiling} kbps, DSCP {draft.qos.dscpClass}
      </>
    );
  if (draft.qosMode === "none") return <>Best effort</>;
  const p = profiles.data?.items.find((x) => x.name === draft.qosProfile);
  return (
    <>
      Profile <span className="font-mono font-medium">{draft.qosProfile || "?"}</span>
      {p ? <span className="text-muted-foreground"> · {qosSummary(p)}</span> : null}
    </>
  );
}

export function StepReview({ draft, preview, previewLoading, onGo, sliceId }: StepProps & { onGo: (step: StepId) => void; sliceId?: string }) {
  const overrides = Object.entries(draft.gatewayService.overrides).sort(([a], [b]) => (a < b ? -1 : 1));
  const topo =
    draft.topologyKind === "HUB_SPOKE"
      ? `${TOPOLOGY_LABEL.HUB_SPOKE}, hubs: ${draft.hubs.join(", ") || "none"}`
      : draft.topologyKind === "CUSTOM"
        ? `${TOPOLOGY_LABEL.CUSTOM}: ${draft.pairs.map(([a, b]) => `${a || "?"}–${b || "?"}`).join(", ") || "none"}`
        : TOPOLOGY_LABEL.FULL_MESH;
  const ns = (list: typeof draft.applicationNamespaces) =>
    list.length === 0 ? (
      none
    ) : (
      <ul className="flex flex-col gap-1">
        {list.map((e) => (
          <li key={e.key} className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{e.namespace || "?"}</span>
            <ClusterList clusters={e.everywhere ? ["*"] : e.clusters} />
          </li>
        ))}
      </ul>
    );
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <dl className="flex flex-col divide-y divide-border">
        <Row label="Name" step="basics" onGo={onGo}>
          <span className="font-medium">{draft.name || "?"}</span>
          {draft.description ? <p className="text-muted-foreground">{draft.description}</p> : null}
        </Row>
        <Row label="Subnet" step="basics" onGo={onGo}>
          <span className="font-mono">{draft.subnet || "?"}</span> · up to {draft.maxClusters || "16"} clusters
        </Row>
        <Row label="Gateway" step="basics" onGo={onGo}>
          {GATEWAY_LABEL[draft.gatewayType]} · {draft.gatewayService.type} / {draft.gatewayService.protocol}
        </Row>
        <Row label="Members" step="members" onGo={onGo}>
          {draft.members.length ? <ClusterList clusters={draft.members} /> : none}
        </Row>
        <Row label="Delivery" step="members" onGo={onGo}>
          <RolloutPlan clusters={draft.members} slice={{ id: sliceId, spec: draftToSpec(draft) }} />
        </Row>
        <Row label="Topology" step="topology" onGo={onGo}>
          {topo}
        </Row>
        <Row label="Gateway overrides" step="members" onGo={onGo}>
          {overrides.length === 0 ? (
            none
          ) : (
            <ul className="flex flex-col gap-0.5">
              {overrides.map(([name, o]) => (
                <li key={name}>
                  <span className="font-mono">{name}</span>: {o.type} / {o.protocol}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="QoS" step="qos" onGo={onGo}>
          <QosText draft={draft} />
        </Row>
        <Row label="Isolation" step="namespaces" onGo={onGo}>
          {draft.isolationEnabled ? "On" : "Off"}
        </Row>
        <Row label="Application namespaces" step="namespaces" onGo={onGo}>
          {ns(draft.applicationNamespaces)}
        </Row>
        <Row label="Allowed namespaces" step="namespaces" onGo={onGo}>
          {ns(draft.allowedNamespaces)}
        </Row>
        <Row label="Service exports" step="services" onGo={onGo}>
          {draft.serviceExports.length === 0 ? (
            none
          ) : (
            <ul className="flex flex-col gap-1">
              {draft.serviceExports.map((e) => (
                <li key={e.key}>
                  <span className="font-mono">
                    {e.namespace || "?"}/{e.name || "?"}
                  </span>{" "}
                  from <span className="font-mono">{e.sourceCluster || "?"}</span>:{" "}
                  {e.ports.map((p) => `${p.name ? `${p.name} ` : ""}${p.port || "?"}/${p.protocol}`).join(", ") || "no ports"}
                  {splitAliases(e.aliases).length ? <span className="text-muted-foreground"> · aliases {splitAliases(e.aliases).join(", ")}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Row>
      </dl>
      <LivePreview preview={preview} loading={previewLoading} members={draft.members} onGo={onGo} />
    </div>
  );
}
