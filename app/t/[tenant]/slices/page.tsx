import type { Metadata } from "next";
import Link from "next/link";
import { PlusIcon } from "@/components/icons";
import { UploadIcon } from "@/components/icons";
import { SlicesTable } from "@/components/slices/slices-table";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "Slices" };

export default async function SlicesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { tenant, role } = await loadTenant(slug);
  const base = `/t/${tenant.slug}/slices`;
  return (
    <>
      <PageHeader
        title="Slices"
        description="Application overlay networks across clusters: a private subnet, gateways between members, and isolated namespaces."
        actions={
          roleAtLeast(role, "OPERATOR") ? (
            <>
              <Button asChild variant="secondary">
                <Link href={`${base}/import`}>
                  <UploadIcon className="size-4" />
                  Import YAML
                </Link>
              </Button>
              <Button asChild>
                <Link href={`${base}/new`}>
                  <PlusIcon className="size-4" />
                  Create slice
                </Link>
              </Button>
            </>
          ) : null
        }
      />
      <SlicesTable />
    </>
  );
}
