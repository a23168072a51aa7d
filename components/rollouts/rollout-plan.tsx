"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";

type PlannedCluster = RouterOutputs["rollouts"]["plan"]["clusters"][number];

/** One cluster's unified diff, its lines coloured as `diff -u` reads. */
function DiffLines({ diff }: { diff: string }) {
  return (
    <pre className="max-h-96 overflow-auto rounded border border-border bg-surface-2/40 p-2 font-mono text-[12px] leading-5">
      {diff
        .replace(/\n$/, "")
        .split("\n")
        .map((line, i) => (
          <div
            key={i}
            className={
              line.startsWith("@@")
                ? "text-accent"
                : line.startsWith("+")
                  ? "text-emerald-600"
                  : line.startsWith("-")
                    ? "text-red-600"
                    : "text-muted-foreground"
            }
          >
            {line || " "}
          </div>
        ))}
    </pre>
  );
}

function ClusterDiff({ c }: { c: PlannedCluster }) {
  const counts = [c.added && `${c.added} added`, c.changed && `${c.changed} changed`, c.removed && `${c.removed} removed`].filter(Boolean).join(", ");
  return (
    <li>
      <details data-testid={`plan-cluster-${c.name}`}>
        <summary className="cursor-pointer select-none">
          <span className="font-mono">{c.name}</span>{" "}
          <span className="text-muted-foreground">
            {c.changes ? `wave ${(c.wave ?? 0) + 1}` : "unchanged"}
            {counts ? ` · manifests: ${counts}` : ""}
          </span>
        </summary>
        {c.diff ? (
          <DiffLines diff={c.diff} />
        ) : (
          <p className="text-muted-foreground">
            {c.changes ? "Diff not shown (too many clusters in this change)." : "Its bundle stays the same: nothing is published to it."}
          </p>
        )}
      </details>
    </li>
  );
}

/**
 * How a change to these clusters would be delivered under the tenant's default rollout
 * options: all at once, or which clusters go in which wave. Given the slice draft, the
 * server compiles it without saving and the plan lists each cluster it touches with its
 * bundle's diff (latest revision → after the change), collapsed by default.
 */
export function RolloutPlan({ clusters, slice }: { clusters: string[]; slice?: { id?: string; spec: unknown } }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.rollouts.plan.queryOptions({ tenant: slug, clusters, ...(slice ? { slice } : {}) }), enabled: clusters.length > 0 });
  if (clusters.length === 0) return <span className="text-muted-foreground">Nothing to deliver</span>;
  if (!q.data) return <span className="text-muted-foreground">…</span>;
  const { options, waves, clusters: planned, diffError } = q.data;
  const diffs =
    planned.length > 0 ? (
      <ul className="mt-1 flex flex-col gap-0.5" aria-label="Changes per cluster">
        {planned.map((c) => (
          <ClusterDiff key={c.name} c={c} />
        ))}
      </ul>
    ) : diffError ? (
      <p className="text-muted-foreground">No diff yet: {diffError}</p>
    ) : null;
  if (options.strategy === "ALL_AT_ONCE")
    return (
      <div>
        <span data-testid="rollout-plan">All at once to {waves[0]?.length ?? 0} clusters</span>
        {diffs}
      </div>
    );
  return (
    <div>
      <ol className="flex flex-col gap-0.5" data-testid="rollout-plan">
        {waves.map((names, i) => (
          <li key={i}>
            <span className="text-muted-foreground">
              Wave {i + 1}
              {i === 0 ? " (canary)" : ""}:
            </span>{" "}
            <span className="font-mono">{names.join(", ")}</span>
          </li>
        ))}
        <li className="text-muted-foreground">
          Each wave waits for every ack{options.soakSeconds ? `, then ${options.soakSeconds} s of healthy soak` : ""}; a failure rolls back.
        </li>
      </ol>
      {diffs}
    </div>
  );
}
