"use client";
// A cluster's health score with the factors behind it (cluster page).
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { scoreTone } from "./meta";

export function SiteScore({ clusterId }: { clusterId: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.gateways.sites.queryOptions({ tenant: slug, limit: 1000 }), refetchInterval: 10_000 });
  const site = q.data?.items.find((s) => s.id === clusterId);
  if (!site) return null;
  return (
    <Card className="flex flex-wrap items-center gap-3 p-4" aria-label="Site health score">
      <Badge tone={scoreTone(site.score)}>score {site.score ?? "–"}</Badge>
      {site.factors.length ? (
        <ul className="flex flex-wrap gap-x-4 text-sm text-muted-foreground">
          {site.factors.map((f) => (
            <li key={f.text}>
              −{f.penalty}: {f.text}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-sm text-muted-foreground">all links up, all components OK</span>
      )}
    </Card>
  );
}
