"use client";
// One cluster's compiled objects under the draft (or the current policies), against the
// policy objects of the revision the cluster last applied: added, changed or removed.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { stringify } from "yaml";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import type { PolicyDraft } from "./draft";

type Obj = { kind: string; metadata: { name: string; namespace?: string } };
/** Key order left out: a stored revision comes back from jsonb with its keys reordered. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(",")}]`
    : v && typeof v === "object"
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(v);
const keyOf = (o: Obj) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

export function CompiledManifests({ clusters, proposed }: { clusters: string[]; proposed: PolicyDraft[] | null }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [cluster, setCluster] = useState("");
  const next = useMutation(trpc.policies.compiled.mutationOptions());
  const show = (name: string) => {
    setCluster(name);
    if (!name) return;
    next.mutate({ tenant: slug, cluster: name, ...(proposed ? { policies: proposed } : {}) });
  };
  const before = new Map((next.data?.applied ?? []).map((m) => [keyOf(m), canonical(m)]));
  const after = next.data?.manifests ?? [];
  const removed = [...before.keys()].filter((k) => !after.some((m) => keyOf(m) === k));
  return (
    <div className="flex flex-col gap-3">
      <label className="flex items-center gap-2 text-sm">
        Cluster
        <select
          aria-label="Cluster for compiled manifests"
          className="rounded-md border border-border bg-background px-2 py-1 text-sm"
          value={cluster}
          onChange={(e) => show(e.target.value)}
        >
          <option value="">Pick a cluster</option>
          {clusters.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {next.data ? (
        <div className="flex flex-col gap-2" data-testid="compiled-manifests">
          <p className="text-xs text-muted-foreground">
            Compared with revision {next.data.appliedRevision}, the one {cluster} applied last.
          </p>
          {next.data.problems.map((p, i) => (
            <p key={i} className="text-sm text-danger">
              {p.policy}: {p.message}
            </p>
          ))}
          {after.length === 0 && removed.length === 0 ? <p className="text-sm text-muted-foreground">No policy compiles to anything on {cluster}.</p> : null}
          {after.map((m) => {
            const k = keyOf(m);
            const state = !before.has(k) ? "added" : before.get(k) !== canonical(m) ? "changed" : "unchanged";
            return (
              <details key={k} open={state !== "unchanged"} data-manifest={k} data-state={state} className="rounded-md border border-border">
                <summary className="cursor-pointer px-3 py-1.5 font-mono text-xs">
                  {k} <span className="text-muted-foreground">({state})</span>
                </summary>
                <pre className="overflow-auto px-3 pb-2 text-xs">{stringify(m)}</pre>
              </details>
            );
          })}
          {removed.map((k) => (
            <p key={k} data-manifest={k} data-state="removed" className="font-mono text-xs text-danger">
              {k} (removed)
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
