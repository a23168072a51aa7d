"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { toFormError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { PageHeader } from "../ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { label, pollMs, STATUS_TONE, STRATEGY_LABEL, TARGET_TONE } from "./rollout-meta";

type Rollout = RouterOutputs["rollouts"]["get"];
type Action = "pause" | "resume" | "cancel" | "rollback";

const ACTIONS: Array<{ action: Action; label: string; when: string[]; confirm?: string; variant: "secondary" | "danger" }> = [
  { action: "pause", label: "Pause", when: ["PENDING", "QUEUED", "RUNNING"], variant: "secondary" },
  { action: "resume", label: "Resume", when: ["PAUSED"], variant: "secondary" },
  {
    action: "cancel",
    label: "Cancel",
    when: ["PENDING", "QUEUED", "RUNNING", "PAUSED"],
    variant: "secondary",
    confirm: "Targets not yet published never will be; those already published keep their new revision.",
  },
  {
    action: "rollback",
    label: "Roll back",
    when: ["RUNNING", "PAUSED", "DONE"],
    variant: "danger",
    confirm: "Every cluster this rollout changed gets its previous content back, published as a new revision.",
  },
];

function Controls({ r }: { r: Rollout }) {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const client = useTRPCClient();
  const act = useConfirmAction({
    mutation: { mutationFn: (a: Action): Promise<Rollout> => client.rollouts[a].mutate({ tenant: slug, id: r.id }) },
    variables: (a: (typeof ACTIONS)[number]) => a.action,
    onDone: (next) => {
      qc.setQueryData(trpc.rollouts.get.queryKey({ tenant: slug, id: r.id }), next);
      toast(`Rollout ${label(next.status)}`);
    },
  });
  if (!can("OPERATOR")) return null;
  const confirm = act.target;
  const shown = ACTIONS.filter((a) => a.when.includes(r.status));
  return (
    <div className="flex flex-wrap gap-2">
      {shown.map((a) => (
        <Button
          key={a.action}
          variant={a.variant}
          size="sm"
          disabled={act.isPending && act.variables === a.action}
          onClick={() => (a.confirm ? act.ask(a) : act.run(a))}
        >
          {a.label}
        </Button>
      ))}
      {act.error && !confirm ? <Alert tone="danger">{act.error}</Alert> : null}
      {confirm ? <ConfirmDialog {...act.dialog} title={`${confirm.label} this rollout?`} description={confirm.confirm} confirmLabel={confirm.label} /> : null}
    </div>
  );
}

export function RolloutDetail({ id }: { id: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.rollouts.get.queryOptions({ tenant: slug, id }),
    refetchInterval: (query) => pollMs(query.state.data?.status),
  });
  if (q.isPending) return <Card className="h-60 animate-pulse" aria-busy="true" aria-label="Loading rollout" />;
  if (q.isError) return <Alert tone="danger">{toFormError(q.error).message}</Alert>;
  const r = q.data;
  // Clusters whose bundle did not change (or that are gone) sit in no wave: listed apart.
  const isUntouched = (state: string) => state === "UNCHANGED" || state === "GONE";
  const waves = Array.from({ length: Math.max(1, r.waveCount) }, (_, w) => r.targets.filter((t) => t.wave === w && !isUntouched(t.state)));
  const untouched = r.targets.filter((t) => isUntouched(t.state));
  return (
    <>
      <PageHeader
        title={r.reason}
        description={
          <>
            {STRATEGY_LABEL[r.strategy] ?? r.strategy} · started by {r.actorLabel ?? r.actorType.toLowerCase()} · {formatDateTime(r.createdAt)} ·{" "}
            <Link className="hover:underline" href={`/t/${slug}/rollouts`}>
              all rollouts
            </Link>
          </>
        }
        actions={<Controls r={r} />}
      />
      <div className="flex flex-col gap-4">
        <Card>
          <CardBody className="flex flex-wrap items-center gap-3">
            <Badge tone={STATUS_TONE[r.status]} data-testid="rollout-status">
              {r.outcome}
            </Badge>
            {r.waveCount > 1 ? (
              <span className="text-[13px] text-muted-foreground">
                wave {Math.min(r.currentWave + 1, r.waveCount)} of {r.waveCount}
              </span>
            ) : null}
            {r.soakUntil && r.status === "RUNNING" ? (
              <span className="text-[13px] text-muted-foreground">soaking until {formatDateTime(r.soakUntil)}</span>
            ) : null}
            {r.status === "QUEUED" && r.blockedById ? (
              <span className="text-[13px] text-warning-subtle-foreground">
                Queued: waits for{" "}
                <Link className="underline" href={`/t/${slug}/rollouts/${r.blockedById}`}>
                  the rollout
                </Link>{" "}
                that holds some of its clusters (one rollout at a time per cluster).
              </span>
            ) : null}
          </CardBody>
        </Card>
        {r.failure ? (
          <Alert tone={r.status === "FAILED" ? "danger" : "warning"} title={r.status === "FAILED" ? "Stopped and rolled back" : "Stopped"}>
            <p data-testid="rollout-failure">{r.failure}</p>
            {r.evidence ? (
              <pre className="mt-2 max-h-48 overflow-auto rounded bg-surface-2 p-2 font-mono text-xs">{JSON.stringify(r.evidence, null, 2)}</pre>
            ) : null}
          </Alert>
        ) : null}
        {waves.map((targets, w) =>
          targets.length === 0 ? null : (
            <Card key={w}>
              <CardHeader
                title={r.waveCount > 1 ? (w === 0 && r.strategy === "WAVES" ? "Wave 1 (canary)" : `Wave ${w + 1}`) : "Targets"}
                description={`${targets.filter((t) => t.state === "APPLIED").length}/${targets.length} applied`}
              />
              <Table aria-label={`Wave ${w + 1}`}>
                <THead>
                  <TR>
                    <TH>Cluster</TH>
                    <TH>State</TH>
                    <TH>Revision</TH>
                    <TH>Manifests</TH>
                    <TH>Reason</TH>
                  </TR>
                </THead>
                <TBody>
                  {targets.map((t) => {
                    const diff = t.diff as { added?: number; removed?: number; changed?: number } | null;
                    return (
                      <TR key={t.clusterId}>
                        <TD>
                          <Link href={`/t/${slug}/clusters/${t.clusterId}`} className="font-medium hover:underline">
                            {t.clusterName}
                          </Link>
                        </TD>
                        <TD>
                          <Badge tone={TARGET_TONE[t.state]}>{label(t.state)}</Badge>
                        </TD>
                        <TD className="font-mono text-[13px] whitespace-nowrap">
                          {t.fromRevision ?? "—"} → {t.toRevision ?? "…"}
                          {t.rollbackRevision ? ` ↩ ${t.rollbackRevision}` : ""}
                        </TD>
                        <TD className="text-[13px] whitespace-nowrap text-muted-foreground">
                          {diff ? `+${diff.added ?? 0} −${diff.removed ?? 0} ~${diff.changed ?? 0}` : "—"}
                        </TD>
                        <TD className="max-w-96 text-[13px] text-muted-foreground">{t.reason ?? ""}</TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
            </Card>
          ),
        )}
        {untouched.length > 0 ? (
          <p className="text-[13px] text-muted-foreground">
            {untouched.length} cluster(s) had nothing to change: {untouched.map((t) => t.clusterName).join(", ")}.
          </p>
        ) : null}
      </div>
    </>
  );
}
