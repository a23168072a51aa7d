import type { Metadata } from "next";
import { RolloutDetail } from "@/components/rollouts/rollout-detail";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  await loadTenant(tenant);
  return <RolloutDetail id={id} />;
}
