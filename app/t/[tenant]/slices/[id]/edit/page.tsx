import type { Metadata } from "next";
import { EditSlice } from "@/components/slices/wizard/edit-slice";
import { NeedsRole } from "@/components/ui/needs-role";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../../../load-tenant";

export const metadata: Metadata = { title: "Edit slice" };

export default async function EditSlicePage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const { role } = await loadTenant(tenant);
  return roleAtLeast(role, "OPERATOR") ? <EditSlice id={id} /> : <NeedsRole role="Operator" what="Editing slices" />;
}
