import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ClustersTable } from "@/components/clusters/clusters-table";
import { TicketIcon } from "@/components/icons";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { tenant, role } = await loadTenant(slug);
  return (
    <>
      <PageHeader
        title="Clusters"
        description="Every Kubernetes cluster whose agent enrolled in this tenant, with its site, lease and configuration state. Updates live."
        actions={
          roleAtLeast(role, "ADMIN") ? (
            <Button asChild variant="secondary">
              <Link href={`/t/${tenant.slug}/registration-tokens`}>
                <TicketIcon className="size-4" />
                Registration tokens
              </Link>
            </Button>
          ) : null
        }
      />
      {/* The filters read the query string, which has no value while prerendering. */}
      <Suspense>
        <ClustersTable />
      </Suspense>
    </>
  );
}
