import type { Metadata } from "next";
import { Breadcrumb } from "@/components/slices/slice-detail";
import { SliceWizard } from "@/components/slices/wizard/slice-wizard";
import { NeedsRole } from "@/components/ui/needs-role";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Create slice" };

export default async function NewSlicePage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { tenant, role } = await loadTenant(slug);
  return (
    <>
      <Breadcrumb items={[{ label: "Slices", href: `/t/${tenant.slug}/slices` }, { label: "Create" }]} />
      <PageHeader
        title="Create slice"
        description="Name it and give it a subnet, pick its clusters and how they link; the preview shows the tunnels before anything is saved."
      />
      {roleAtLeast(role, "OPERATOR") ? <SliceWizard /> : <NeedsRole role="Operator" what="Creating slices" />}
    </>
  );
}
