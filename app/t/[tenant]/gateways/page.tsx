import type { Metadata } from "next";
import { GatewaysOverview } from "@/components/gateways/gateways-overview";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Gateways" };

export default async function GatewaysPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="Gateways"
        description="Every site across edge, cloud and on-prem with its health score (worst first, and why), the tunnels between them coloured by status, and their latency."
      />
      <GatewaysOverview />
    </>
  );
}
