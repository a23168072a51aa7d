import type { Metadata } from "next";
import { SliceDetail } from "@/components/slices/slice-detail";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Slice" };

export default async function SlicePage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  await loadTenant(tenant);
  return <SliceDetail id={id} />;
}
