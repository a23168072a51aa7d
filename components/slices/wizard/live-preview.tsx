"use client";
// What saving would build, recomputed by the server on every change: the links with
// their server and client ends and tunnel addresses, the warnings, and every problem
// by field.
import { Alert } from "../../ui/alert";
import { Badge } from "../../ui/badge";
import { SpinnerIcon } from "../../icons";
import { ArrowRightIcon } from "@/components/icons";
import { errorsAt, hasErrors, labelOf, sentence, type FieldErrors } from "../slice-meta";
import { TopologyGraph } from "../topology-graph";
import { STEPS, stepOf, type StepId } from "./draft";
import type { Preview } from "./step-props";

export function ProblemList({ errors, onGo, only }: { errors: FieldErrors; onGo?: (step: StepId) => void; only?: StepId[] }) {
  const rows = Object.entries(errors).flatMap(([path, list]) => (list ?? []).map((m) => ({ path, step: stepOf(path), message: m })));
  const shown = only ? rows.filter((r) => only.includes(r.step)) : rows;
  if (shown.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1">
      {shown.map((r, i) => (
        <li key={i} className="flex flex-wrap items-baseline gap-x-2">
          <span>{sentence(r.message, labelOf(r.path))}</span>
          {onGo ? (
            <button type="button" className="text-xs font-medium underline underline-offset-2" onClick={() => onGo(r.step)}>
              Go to {STEPS.find((s) => s.id === r.step)!.label}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function LivePreview({
  preview,
  loading,
  members,
  onGo,
}: {
  preview: Preview | undefined;
  loading: boolean;
  members: string[];
  onGo?: (step: StepId) => void;
}) {
  const names = new Map((preview?.members ?? []).map((m) => [m.clusterId, m.clusterName]));
  const topologyProblems = errorsAt(preview?.fieldErrors, "topology", true);
  const otherProblems = Object.fromEntries(Object.entries(preview?.fieldErrors ?? {}).filter(([k]) => stepOf(k) !== "topology"));
  const blocked = !!preview && preview.members.length === 0 && members.length > 0 && hasErrors(otherProblems);

  return (
    <section aria-label="Live preview" aria-busy={loading || undefined} className="flex flex-col gap-3 rounded-lg border border-border bg-surface-2/40 p-4">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-[13px] font-semibold">Preview</h3>
        <span className="flex items-center gap-1.5 text-xs text-muted-foreground" aria-live="polite">
          {loading ? (
            <>
              <SpinnerIcon className="size-3.5" /> Planning…
            </>
          ) : preview ? (
            `${preview.links.length} ${preview.links.length === 1 ? "link" : "links"} across ${preview.members.length} ${preview.members.length === 1 ? "cluster" : "clusters"}`
          ) : null}
        </span>
      </div>

      {topologyProblems.length ? (
        <Alert tone="danger" title="Topology problems">
          <ul className="flex flex-col gap-0.5">
            {topologyProblems.map((m, i) => (
              <li key={i}>{sentence(m, "Topology")}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {blocked ? (
        <Alert tone="warning" title="Fix these to see the plan">
          <ProblemList errors={otherProblems} onGo={onGo} />
        </Alert>
      ) : null}
      {preview?.warnings.length ? (
        <Alert tone="warning" title={preview.warnings.length === 1 ? "Warning" : "Warnings"}>
          <ul className="flex flex-col gap-0.5">
            {preview.warnings.map((w, i) => (
              <li key={i}>{sentence(w, "")}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {preview && preview.members.length > 0 ? (
        <TopologyGraph
          label="Planned topology"
          nodes={preview.members.map((m) => ({
            id: m.clusterId,
            name: m.clusterName,
            siteType: m.siteType,
            availability: m.availability,
            detail: `#${m.index} ${m.subnet}`,
          }))}
          edges={preview.links.map((l) => ({
            id: l.id,
            serverId: l.serverClusterId,
            clientId: l.clientClusterId,
            serverTunnelIp: l.serverTunnelIp,
            clientTunnelIp: l.clientTunnelIp,
          }))}
        />
      ) : members.length === 0 ? (
        <p className="text-[13px] text-muted-foreground">Add member clusters to see their links.</p>
      ) : null}

      {preview && preview.links.length > 0 ? (
        <ul aria-label="Planned links" className="flex flex-col divide-y divide-border rounded-md border border-border bg-surface">
          {preview.links.map((l) => (
            <li key={l.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-[13px]">
              <span className="flex min-w-0 items-center gap-1.5">
                <span className="font-medium">{names.get(l.serverClusterId) ?? l.serverClusterId}</span>
                <Badge tone="accent">server</Badge>
                <ArrowRightIcon className="size-3.5 text-muted-foreground" aria-label="to" />
                <span className="font-medium">{names.get(l.clientClusterId) ?? l.clientClusterId}</span>
                <Badge>client</Badge>
              </span>
              <span className="ml-auto flex flex-wrap items-center gap-x-3 font-mono text-[12px] text-muted-foreground">
                <span title="Tunnel addresses: server ⇄ client">
                  {l.serverTunnelIp} ⇄ {l.clientTunnelIp}
                </span>
                <span title="Server gateway endpoint">{l.serverEndpoint}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
