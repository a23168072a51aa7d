"use client";
// Policies: the list, a draft (new or an edit of one), what the draft changes in the
// reachability matrix and in each cluster's compiled objects, and publish.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { toFormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { LoadingRows, QueryError } from "../ui/query-state";
import { CompiledManifests } from "./compiled-manifests";
import { draftOf, emptyDraft, sideSummary, type PolicyDraft } from "./draft";
import { PolicyEditor } from "./policy-editor";
import { ReachabilityMatrix } from "./reachability-matrix";

export function PoliciesWorkbench() {
  const { slug, can } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuery(trpc.policies.list.queryOptions({ tenant: slug }));
  const clusters = useQuery(trpc.clusters.list.queryOptions({ tenant: slug }));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const [draft, setDraft] = useState<{ id?: string; version?: number; policy: PolicyDraft } | null>(null);
  const [port, setPort] = useState(8080);
  const [protocol, setProtocol] = useState<"TCP" | "UDP" | "SCTP">("TCP");
  const [error, setError] = useState<string | null>(null);

  const proposed = useMemo(() => {
    if (!draft) return null;
    const rest = items.filter((p) => p.id !== draft.id).map((p) => draftOf(p));
    return [...rest, draft.policy];
  }, [draft, items]);

  const done = async (what: string) => {
    toast(what);
    setDraft(null);
    setError(null);
    await qc.invalidateQueries(trpc.policies.pathFilter());
  };
  const create = useMutation(
    trpc.policies.create.mutationOptions({ onSuccess: (p) => done(`Policy ${p.name} published`), onError: (e) => setError(toFormError(e).message) }),
  );
  const update = useMutation(
    trpc.policies.update.mutationOptions({ onSuccess: (p) => done(`Policy ${p.name} published`), onError: (e) => setError(toFormError(e).message) }),
  );
  const remove = useMutation(trpc.policies.delete.mutationOptions({ onSuccess: () => done("Policy deleted") }));
  const publish = () => {
    if (!draft) return;
    if (draft.id) update.mutate({ tenant: slug, id: draft.id, expectedVersion: draft.version, ...draft.policy });
    else create.mutate({ tenant: slug, ...draft.policy });
  };
  const canEdit = can("OPERATOR");
  const nextPriority = items.length ? Math.min(999, Math.max(...items.map((p) => p.priority)) + 10) : 100;
  const clusterNames = (clusters.data as { items?: Array<{ name: string }> } | undefined)?.items?.map((c) => c.name) ?? [];

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardHeader
          title="Policies"
          description="Evaluated in priority order (lower first): the first that matches a connection decides. ALLOW compiles to NetworkPolicy at the destination, DENY to AdminNetworkPolicy at each source."
          actions={canEdit && !draft ? <Button onClick={() => setDraft({ policy: emptyDraft(nextPriority) })}>New policy</Button> : null}
        />
        {list.isPending ? (
          <LoadingRows label="Loading policies" />
        ) : list.isError ? (
          <QueryError error={list.error} />
        ) : items.length === 0 ? (
          <CardBody>
            <p className="text-sm text-muted-foreground">No policies yet: slices carry what their posture allows.</p>
          </CardBody>
        ) : (
          <Table aria-label="Policies">
            <THead>
              <TR>
                <TH className="text-right">Priority</TH>
                <TH>Name</TH>
                <TH>Action</TH>
                <TH>From</TH>
                <TH>To</TH>
                <TH>Ports</TH>
                {canEdit ? <TH className="w-0">Actions</TH> : null}
              </TR>
            </THead>
            <TBody>
              {items.map((p) => (
                <TR key={p.id} data-policy={p.name}>
                  <TD className="text-right tabular-nums">{p.priority}</TD>
                  <TD className="font-mono">
                    {p.name}
                    {p.enabled ? null : <span className="ml-2 text-xs text-muted-foreground">(disabled)</span>}
                  </TD>
                  <TD>{p.action}</TD>
                  <TD className="text-xs">{sideSummary(p.from)}</TD>
                  <TD className="text-xs">{sideSummary(p.to)}</TD>
                  <TD className="font-mono text-xs">
                    {p.ports.length ? p.ports.map((x) => `${x.protocol} ${x.port ?? "*"}${x.endPort ? `-${x.endPort}` : ""}`).join(", ") : "all"}
                  </TD>
                  {canEdit ? (
                    <TD className="whitespace-nowrap">
                      <Button size="sm" variant="secondary" onClick={() => setDraft({ id: p.id, version: p.version, policy: draftOf(p) })}>
                        Edit
                      </Button>{" "}
                      <Button size="sm" variant="secondary" onClick={() => remove.mutate({ tenant: slug, id: p.id, expectedVersion: p.version })}>
                        Delete
                      </Button>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {draft ? (
        <Card>
          <CardHeader title={draft.id ? `Edit ${draft.policy.name}` : "New policy"} description="Nothing changes in any cluster until you publish." />
          <CardBody className="flex flex-col gap-3">
            <PolicyEditor draft={draft.policy} editingId={draft.id} onChange={(policy) => setDraft({ ...draft, policy })} />
            {error ? (
              <p className="text-sm text-danger" role="alert">
                {error}
              </p>
            ) : null}
            <div className="flex gap-2">
              <Button onClick={publish} disabled={create.isPending || update.isPending}>
                Publish
              </Button>
              <Button variant="secondary" onClick={() => setDraft(null)}>
                Discard
              </Button>
            </div>
          </CardBody>
        </Card>
      ) : null}

      <Card>
        <CardHeader
          title="Reachability"
          description="What each cluster will enforce: the compiled objects plus the cluster's own, across clusters through the slices. With a draft open, changed cells are outlined."
        />
        <CardBody className="flex flex-col gap-3">
          <div className="flex items-center gap-3 text-sm">
            <label className="flex items-center gap-2">
              Protocol
              <select
                aria-label="Protocol"
                className="rounded-md border border-border bg-background px-2 py-1"
                value={protocol}
                onChange={(e) => setProtocol(e.target.value as "TCP")}
              >
                <option>TCP</option>
                <option>UDP</option>
                <option>SCTP</option>
              </select>
            </label>
            <label className="flex items-center gap-2">
              Port
              <input
                aria-label="Port"
                type="number"
                className="w-24 rounded-md border border-border bg-background px-2 py-1"
                value={port}
                onChange={(e) => setPort(Number(e.target.value))}
              />
            </label>
          </div>
          <ReachabilityMatrix proposed={proposed} protocol={protocol} port={port} />
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Compiled manifests" description="The objects one cluster gets, with the draft against the current policies." />
        <CardBody>
          <CompiledManifests clusters={clusterNames} proposed={proposed} />
        </CardBody>
      </Card>
    </div>
  );
}
