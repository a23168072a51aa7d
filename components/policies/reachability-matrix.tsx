"use client";
// Clusters × namespaces on one port, grouped by site type; cells the draft changes are
// outlined and say what they were. A click shows the deciding rules on both ends.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import type { PolicyDraft } from "./draft";

type Cell = {
  from: { cluster: string; namespace: string };
  to: { cluster: string; namespace: string };
  decision: "ALLOW" | "DENY";
  current?: "ALLOW" | "DENY";
};

export function ReachabilityMatrix({ proposed, protocol, port }: { proposed: PolicyDraft[] | null; protocol: "TCP" | "UDP" | "SCTP"; port: number }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const matrix = useMutation(trpc.policies.matrix.mutationOptions());
  const diff = useMutation(trpc.policies.matrix.mutationOptions());
  const explain = useMutation(trpc.policies.preview.mutationOptions());
  const [picked, setPicked] = useState<Cell | null>(null);

  const run = () => {
    setPicked(null);
    const input = { tenant: slug, protocol, port, ...(proposed ? { policies: proposed } : {}) };
    matrix.mutate(input);
    if (proposed) diff.mutate({ ...input, diff: true });
    else diff.reset();
  };
  const changed = new Map((diff.data?.cells ?? []).map((c) => [`${c.from.cluster}/${c.from.namespace}>${c.to.cluster}/${c.to.namespace}`, c.current]));
  const cells = new Map((matrix.data?.cells ?? []).map((c) => [`${c.from.cluster}/${c.from.namespace}>${c.to.cluster}/${c.to.namespace}`, c]));
  const endpoints = matrix.data?.endpoints ?? [];

  const pick = (c: Cell) => {
    setPicked(c);
    explain.mutate({ tenant: slug, ...(proposed ? { policies: proposed } : {}), query: { from: c.from, to: c.to, protocol, port } });
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center gap-3">
        <button type="button" className="rounded-md border border-border px-3 py-1.5 text-sm font-medium hover:bg-muted" onClick={run}>
          {proposed ? "Preview reachability with the draft" : "Show reachability"}
        </button>
        {matrix.isPending ? <span className="text-sm text-muted-foreground">Evaluating…</span> : null}
        {diff.data ? (
          <span className="text-sm" data-testid="diff-count">
            {diff.data.cells.length} cell(s) change
          </span>
        ) : null}
        {matrix.error ? <span className="text-sm text-danger">{matrix.error.message}</span> : null}
      </div>
      {endpoints.length > 0 ? (
        <div className="overflow-auto">
          <table aria-label="Reachability matrix" className="border-collapse text-xs">
            <thead>
              <tr>
                <th className="p-1 text-left font-medium">from \ to</th>
                {endpoints.map((e) => (
                  <th key={`${e.cluster}/${e.namespace}`} className="p-1 font-mono font-normal whitespace-nowrap" title={e.siteType}>
                    {e.cluster}/{e.namespace}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {endpoints.map((f) => (
                <tr key={`${f.cluster}/${f.namespace}`}>
                  <th className="p-1 text-left font-mono font-normal whitespace-nowrap" title={f.siteType}>
                    {f.cluster}/{f.namespace}
                  </th>
                  {endpoints.map((t) => {
                    const key = `${f.cluster}/${f.namespace}>${t.cluster}/${t.namespace}`;
                    const c = cells.get(key);
                    if (!c) return <td key={key} className="bg-muted p-1" />;
                    const was = changed.get(key);
                    return (
                      <td key={key} className="p-0.5">
                        <button
                          type="button"
                          data-cell={key}
                          data-decision={c.decision}
                          data-changed={was ? "yes" : undefined}
                          aria-label={`${key}: ${c.decision}${was ? `, was ${was}` : ""}`}
                          onClick={() => pick(c)}
                          className={cn(
                            "h-6 w-10 rounded text-[10px] font-semibold",
                            c.decision === "ALLOW" ? "bg-success/20 text-success" : "bg-danger/15 text-danger",
                            was && "ring-2 ring-warning",
                          )}
                        >
                          {c.decision === "ALLOW" ? "✓" : "✕"}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {picked ? (
        <div className="rounded-md border border-border p-3 text-sm" data-testid="cell-detail">
          <p className="font-medium">
            {picked.from.cluster}/{picked.from.namespace} → {picked.to.cluster}/{picked.to.namespace}: {explain.data?.decision ?? "…"}
          </p>
          {explain.data ? (
            <>
              <p className="text-muted-foreground">{explain.data.reason}</p>
              <ul className="mt-2 flex flex-col gap-1 font-mono text-xs" aria-label="Deciding rules">
                {explain.data.decidedBy.map((d, i) => (
                  <li key={i}>
                    {d.cluster}: {d.verdict} by {d.kind} {d.namespace ? `${d.namespace}/` : ""}
                    {d.name}
                    {d.rule ? ` (${d.rule})` : ""}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
