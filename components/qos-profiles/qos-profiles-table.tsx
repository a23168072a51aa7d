"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { GaugeIcon, PencilIcon, PlusIcon, TrashIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { kbps } from "./qos-meta";
import { QosProfileDialog, type QosProfile } from "./qos-profile-dialog";
import { LoadingRows, QueryError } from "../ui/query-state";
import { isStaleVersion, staleMessage } from "../slices/stale-version";

export function QosProfilesTable() {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery(trpc.qosProfiles.list.queryOptions({ tenant: slug }));
  const [editing, setEditing] = useState<{ profile?: QosProfile } | null>(null);
  const remove = useConfirmAction({
    mutation: trpc.qosProfiles.delete.mutationOptions(),
    variables: (p: QosProfile) => ({ tenant: slug, id: p.id, expectedVersion: p.version }),
    onDone: async (_, p) => {
      toast(`QoS profile ${p.name} deleted`);
      await qc.invalidateQueries(trpc.qosProfiles.pathFilter());
    },
    errorMessage: (e, p) => (isStaleVersion(e) ? staleMessage(`QoS profile ${p.name}`) : e.message),
  });
  const deleting = remove.target;
  const items = q.data?.items ?? [];
  const canEdit = can("OPERATOR");
  const createButton = canEdit ? (
    <Button onClick={() => setEditing({})}>
      <PlusIcon className="size-4" />
      Create profile
    </Button>
  ) : null;

  return (
    <Card>
      <CardHeader
        title="Profiles"
        description="Pick one in a slice's QoS step, or refer to it as qosProfile in the API and as standardQosProfileName in KubeSlice YAML."
        actions={createButton}
      />
      {q.isPending ? (
        <LoadingRows label="Loading QoS profiles" />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<GaugeIcon />}
          title="No QoS profiles yet"
          description="Create one to give several slices the same priority, rates and DSCP class, and change them all in one place."
        />
      ) : (
        <Table aria-label="QoS profiles">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH className="text-right">Priority</TH>
              <TH>DSCP</TH>
              <TH className="text-right">Guaranteed</TH>
              <TH className="text-right">Ceiling</TH>
              <TH>Used by</TH>
              {canEdit ? (
                <TH className="w-0">
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </TR>
          </THead>
          <TBody>
            {items.map((p) => (
              <TR key={p.id} data-profile={p.name}>
                <TD>
                  <div className="flex flex-col leading-tight">
                    <span className="font-mono font-medium">{p.name}</span>
                    {p.description ? <span className="text-xs text-muted-foreground">{p.description}</span> : null}
                  </div>
                </TD>
                <TD className="text-right tabular-nums">{p.priority}</TD>
                <TD className="font-mono text-[13px]">{p.dscpClass}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">{kbps(p.bandwidthGuaranteedKbps)}</TD>
                <TD className="text-right whitespace-nowrap tabular-nums">{kbps(p.bandwidthCeilingKbps)}</TD>
                <TD>
                  {p.slices.length === 0 ? (
                    <span className="text-[13px] text-muted-foreground">No slices</span>
                  ) : (
                    <ul aria-label={`Slices using ${p.name}`} className="flex flex-wrap gap-x-2 gap-y-0.5">
                      {p.slices.map((s) => (
                        <li key={s.id}>
                          <Link href={`/t/${slug}/slices/${s.id}`} className="text-[13px] font-medium text-accent hover:underline">
                            {s.name}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </TD>
                {canEdit ? (
                  <TD className="text-right whitespace-nowrap">
                    <Button variant="ghost" size="sm" aria-label={`Edit QoS profile ${p.name}`} onClick={() => setEditing({ profile: p })}>
                      <PencilIcon className="size-3.5" />
                      Edit
                    </Button>
                    <Button variant="danger-ghost" size="sm" aria-label={`Delete QoS profile ${p.name}`} onClick={() => remove.ask(p)}>
                      <TrashIcon className="size-3.5" />
                      Delete
                    </Button>
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <QosProfileDialog profile={editing?.profile} open={!!editing} onOpenChange={(o) => !o && setEditing(null)} />
      <ConfirmDialog
        {...remove.dialog}
        title={`Delete QoS profile ${deleting?.name ?? ""}?`}
        description={
          deleting?.slices.length
            ? `It is used by ${deleting.slices.map((s) => s.name).join(", ")}: a profile in use cannot be deleted.`
            : "No slice uses it. This cannot be undone."
        }
        confirmLabel="Delete profile"
      />
    </Card>
  );
}
