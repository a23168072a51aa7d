"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";

/**
 * How a change to these clusters would be delivered under the tenant's default rollout
 * options: all at once, or which clusters go in which wave. Clusters whose bundle turns
 * out unchanged are skipped when the rollout starts.
 */
export function RolloutPlan({ clusters }: { clusters: string[] }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.rollouts.plan.queryOptions({ tenant: slug, clusters }), enabled: clusters.length > 0 });
  if (clusters.length === 0) return <span className="text-muted-foreground">Nothing to deliver</span>;
  if (!q.data) return <span className="text-muted-foreground">…</span>;
  const { options, waves } = q.data;
  if (options.strategy === "ALL_AT_ONCE") return <span data-testid="rollout-plan">All at once to {waves[0]?.length ?? 0} clusters</span>;
  return (
    <ol className="flex flex-col gap-0.5" data-testid="rollout-plan">
      {waves.map((names, i) => (
        <li key={i}>
          <span className="text-muted-foreground">Wave {i + 1}{i === 0 ? " (canary)" : ""}:</span> <span className="font-mono">{names.join(", ")}</span>
        </li>
      ))}
      <li className="text-muted-foreground">
        Each wave waits for every ack{options.soakSeconds ? `, then ${options.soakSeconds} s of healthy soak` : ""}; a failure rolls back.
      </li>
    </ol>
  );
}
