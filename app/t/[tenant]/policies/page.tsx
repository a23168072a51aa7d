import type { Metadata } from "next";
import { PoliciesWorkbench } from "@/components/policies/policies-workbench";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="Connectivity policies"
        description="Which workloads in which clusters may talk to which, compiled per cluster and previewed before anything ships."
      />
      <PoliciesWorkbench />
    </>
  );
}
