import type { Metadata } from "next";
import { QosProfilesTable } from "@/components/qos-profiles/qos-profiles-table";
import { PageHeader } from "@/components/ui/page-header";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "QoS profiles" };

export default async function QosProfilesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="QoS profiles"
        description="Named traffic shaping for slices: an HTB priority, a guaranteed rate and a ceiling, and a DSCP class. A slice that uses a profile follows it: changing the profile re-delivers every such slice."
      />
      <QosProfilesTable />
    </>
  );
}
