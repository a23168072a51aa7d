import type { Metadata } from "next";
import { LinkDetail } from "@/components/gateways/link-detail";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Gateway link" };

export default async function LinkPage({ params }: { params: Promise<{ tenant: string; linkId: string }> }) {
  const { tenant, linkId } = await params;
  await loadTenant(tenant);
  return (
    <>
      <PageHeader title="Gateway link" description="The tunnel's status over time, RTT, loss and throughput as each end measured them." />
      <LinkDetail linkId={linkId} />
    </>
  );
}
