import type { Metadata } from "next";
import { RolloutsTable } from "@/components/rollouts/rollouts-table";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="Rollouts"
        description="Every change of what clusters run, delivered all at once or in waves (canary first), advanced by the agents' acks, and rolled back on its own when an apply fails, a deadline passes or health gets worse."
      />
      <RolloutsTable />
    </>
  );
}
