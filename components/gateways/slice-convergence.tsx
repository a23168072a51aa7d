"use client";
// A slice's tunnels in one line, naming the first failing link (slice page).
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";

export function SliceConvergence({ sliceId }: { sliceId: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.gateways.sliceConvergence.queryOptions({ tenant: slug, id: sliceId }), refetchInterval: 5_000 });
  if (!q.data) return null;
  return (
    <span className="text-sm" data-convergence>
      {q.data.message}
    </span>
  );
}
