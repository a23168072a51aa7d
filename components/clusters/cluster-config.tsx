"use client";
// Desired vs applied configuration: the revisions, the agent's acks, and a revision's
// bundle as YAML (the manifests the agent applies, or the whole bundle).
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { isScalar, stringify, type Pair } from "yaml";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/format";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { FileIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Badge } from "../ui/badge";
import { Card, CardBody, CardHeader } from "../ui/card";
import { CopyButton } from "../ui/copy-button";
import { EmptyState } from "../ui/empty-state";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { RevisionStatus } from "./badges";
import { Fact } from "../ui/fact";
import { LiveAgo } from "./live-time";
import { QueryError } from "../ui/query-state";

type Cluster = RouterOutputs["clusters"]["get"];
type View = "manifests" | "bundle";

export function ClusterConfig({ c }: { c: Cluster }) {
  const latest = c.latestRevision;
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardHeader
          title="Revisions"
          description="The control plane publishes a new revision when this cluster's slices or policies change; the agent applies it and acks."
        />
        <CardBody>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-4">
            <Fact label="Convergence">
              <RevisionStatus applied={c.appliedRevision} desired={c.desiredRevision} />
            </Fact>
            <Fact label="Desired revision">
              {latest ? (
                <span className="flex flex-col">
                  <span className="tabular-nums">{latest.revision}</span>
                  <span className="text-xs text-muted-foreground">
                    published <LiveAgo value={latest.createdAt} />
                  </span>
                </span>
              ) : (
                <span className="text-muted-foreground">None yet</span>
              )}
            </Fact>
            <Fact label="Content hash">
              {latest ? (
                <span className="font-mono text-[12.5px]" title={latest.hash}>
                  {latest.hash.slice(0, 16)}…
                </span>
              ) : (
                "—"
              )}
            </Fact>
            <Fact label="Running, per last heartbeat">
              <span className="tabular-nums">{c.heartbeat.reportedAppliedRevision ?? <span className="text-muted-foreground">—</span>}</span>
            </Fact>
          </dl>
        </CardBody>
      </Card>
      <AcksCard acks={c.acks} />
      {latest ? <BundleCard clusterId={c.id} latest={latest.revision} /> : null}
    </div>
  );
}

function AcksCard({ acks }: { acks: Cluster["acks"] }) {
  return (
    <Card>
      <CardHeader title="Latest acks" description="What the agent said after applying each revision." />
      {acks.length === 0 ? (
        <p className="px-5 py-4 text-[13px] text-muted-foreground">No ack yet.</p>
      ) : (
        <Table aria-label="Acks">
          <THead>
            <TR>
              <TH>Revision</TH>
              <TH>Result</TH>
              <TH>Message</TH>
              <TH className="hidden md:table-cell">Hash</TH>
              <TH>When</TH>
            </TR>
          </THead>
          <TBody>
            {acks.map((a) => (
              <TR key={a.id}>
                <TD className="tabular-nums">{a.revision}</TD>
                <TD>
                  <Badge tone={a.status === "APPLIED" ? "success" : "danger"}>{a.status === "APPLIED" ? "Applied" : "Failed"}</Badge>
                </TD>
                <TD className={cn("max-w-md text-[13px] break-words", !a.message && "text-muted-foreground")}>{a.message ?? "—"}</TD>
                <TD className="hidden font-mono text-[12.5px] text-muted-foreground md:table-cell" title={a.hash}>
                  {a.hash.slice(0, 12)}…
                </TD>
                <TD className="whitespace-nowrap text-muted-foreground tabular-nums">
                  <LiveAgo value={a.createdAt} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

// The bundle comes back from a jsonb column, which stores keys shortest first; put
// them back in the order a Kubernetes reader expects, the rest alphabetically.
const FIRST = ["apiVersion", "kind", "metadata", "id", "name", "namespace", "labels", "annotations", "spec", "cluster", "slices"];
const LAST = ["manifests"];
const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : LAST.includes(k) ? 1000 + LAST.indexOf(k) : 100);
const keyOf = (p: Pair) => String(isScalar(p.key) ? p.key.value : p.key);
const YAML_OPTIONS = {
  lineWidth: 0,
  sortMapEntries: (a: Pair, b: Pair) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0);
  },
};

function toYaml(bundle: Record<string, unknown>, view: View): string {
  if (view === "bundle") return stringify(bundle, YAML_OPTIONS);
  const manifests = Array.isArray(bundle.manifests) ? (bundle.manifests as unknown[]) : [];
  if (manifests.length === 0) return "# No Kubernetes objects in this revision. Its slices and gateway links are in the full bundle.\n";
  return manifests.map((m) => stringify(m, YAML_OPTIONS)).join("---\n");
}

function BundleCard({ clusterId, latest }: { clusterId: string; latest: number }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [picked, setPicked] = useState<number | null>(null);
  const [chosen, setView] = useState<View | null>(null);
  const revision = picked ?? latest;
  // A revision never changes once published: fetch each one once.
  const q = useQuery({ ...trpc.clusters.revision.queryOptions({ tenant: slug, id: clusterId, revision: String(revision) }), staleTime: Infinity });
  // Until the user picks, show the manifests when there are any, else the whole bundle.
  const hasManifests = Array.isArray(q.data?.bundle.manifests) && (q.data.bundle.manifests as unknown[]).length > 0;
  const view: View = chosen ?? (hasManifests ? "manifests" : "bundle");
  const yaml = useMemo(() => (q.data ? toYaml(q.data.bundle, view) : ""), [q.data, view]);
  const choices = Array.from({ length: Math.min(latest, 20) }, (_, i) => latest - i);

  return (
    <Card>
      <CardHeader
        title="Bundle"
        description={q.data ? `Revision ${q.data.revision}, published ${formatDateTime(q.data.createdAt)}.` : "The desired state the agent applies."}
        actions={
          <>
            <Select<string>
              aria-label="Revision"
              size="sm"
              className="w-48 whitespace-nowrap"
              value={String(revision)}
              onValueChange={(v) => setPicked(Number(v) === latest ? null : Number(v))}
              options={choices.map((n) => ({ value: String(n), label: n === latest ? `Revision ${n} (latest)` : `Revision ${n}` }))}
            />
            <div role="radiogroup" aria-label="Show" className="flex h-7 items-center rounded-md border border-border bg-surface-2 p-0.5 text-[12.5px]">
              {(["manifests", "bundle"] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  role="radio"
                  aria-checked={view === v}
                  onClick={() => setView(v)}
                  className={cn(
                    "h-full rounded px-2 font-medium",
                    view === v ? "bg-surface text-foreground shadow-card" : "text-muted-foreground hover:text-foreground",
                  )}
                >
                  {v === "manifests" ? "Manifests" : "Full bundle"}
                </button>
              ))}
            </div>
            <CopyButton value={yaml} label="Copy YAML" />
          </>
        }
      />
      {q.isPending ? (
        <div className="h-40 animate-pulse bg-surface-2/60" aria-busy="true" aria-label="Loading the bundle" />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : yaml ? (
        <pre
          aria-label="Bundle YAML"
          className="max-h-[32rem] overflow-auto rounded-b-xl bg-surface-2/60 px-5 py-4 font-mono text-[12px] leading-5 text-foreground"
        >
          {yaml}
        </pre>
      ) : (
        <EmptyState icon={<FileIcon />} title="Empty bundle" />
      )}
    </Card>
  );
}
