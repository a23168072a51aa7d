import type { Metadata } from "next";
import { TokensTable } from "@/components/api-tokens/tokens-table";
import { NeedsRole } from "@/components/ui/needs-role";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const { role } = await loadTenant(tenant);
  return (
    <>
      <PageHeader title="API tokens" description="Tokens let automation call the Isthmus API as this tenant, with a role and an expiry." />
      {roleAtLeast(role, "ADMIN") ? <TokensTable /> : <NeedsRole role="Admin" what="Managing API tokens" />}
    </>
  );
}
