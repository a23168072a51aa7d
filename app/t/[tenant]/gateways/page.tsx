import type { Metadata } from "next";
import { GatewaysOverview } from "@/components/gateways/gateways-overview";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Gateways" };

// ?slice=<id>&status=<status or NOT_UP> opens the page filtered (the overview links its
// slices that are not converged to their links that are not up).
export default async function GatewaysPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant } = await params;
  const query = await searchParams;
  await loadTenant(tenant);
  const one = (v: string | string[] | undefined) => (typeof v === "string" && v ? v : undefined);
  return (
    <>
      <PageHeader
        title="Gateways"
        description="Every site across edge, cloud and on-prem with its health score (worst first, and why), the tunnels between them coloured by status, and their latency."
      />
      <GatewaysOverview initialSliceId={one(query.slice)} initialStatus={one(query.status)} />
    </>
  );
}
