import type { Metadata } from "next";
import { InviteCard, OpenInvites } from "@/components/members/invite-card";
import { MembersTable } from "@/components/members/members-table";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../../load-tenant";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const { role } = await loadTenant(tenant);
  const admin = roleAtLeast(role, "ADMIN");
  return (
    <>
      <PageHeader
        title="Members"
        description={admin ? "Invite people, change their roles, or remove them." : "People with access to this tenant. Admins manage members."}
      />
      {admin ? <InviteCard /> : null}
      <MembersTable />
      {admin ? <OpenInvites /> : null}
    </>
  );
}
