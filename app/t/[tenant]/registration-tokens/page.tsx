import type { Metadata } from "next";
import { RegistrationTokensTable } from "@/components/registration-tokens/registration-tokens-table";
import { NeedsRole } from "@/components/ui/needs-role";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Registration tokens" };

export default async function RegistrationTokensPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const { role } = await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="Registration tokens"
        description="A registration token lets the Isthmus agent enrol a cluster into this tenant. It expires, has a number of uses, and can label what it enrols."
      />
      {roleAtLeast(role, "ADMIN") ? <RegistrationTokensTable /> : <NeedsRole role="Admin" what="Managing registration tokens" />}
    </>
  );
}
