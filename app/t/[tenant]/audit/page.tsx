import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { NeedsRole } from "@/components/ui/needs-role";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const { role } = await loadTenant(tenant);
  return (
    <>
      <PageHeader title="Audit log" description="Every change to this tenant: who made it, from where, and what it changed. Newest first." />
      {roleAtLeast(role, "ADMIN") ? <AuditLog /> : <NeedsRole role="Admin" what="The audit log" />}
    </>
  );
}
