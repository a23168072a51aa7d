import type { Metadata } from "next";
import { ImportForm } from "@/components/slices/import-form";
import { Breadcrumb } from "@/components/slices/slice-detail";
import { NeedsRole } from "@/components/ui/needs-role";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Import slices" };

export default async function ImportSlicesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { tenant, role } = await loadTenant(slug);
  return (
    <>
      <Breadcrumb items={[{ label: "Slices", href: `/t/${tenant.slug}/slices` }, { label: "Import" }]} />
      <PageHeader
        title="Import from KubeSlice"
        description="Bring SliceConfigs over from a KubeSlice controller. Fields without an Isthmus counterpart are listed, never dropped silently."
      />
      {roleAtLeast(role, "OPERATOR") ? <ImportForm /> : <NeedsRole role="Operator" what="Importing slices" />}
    </>
  );
}
