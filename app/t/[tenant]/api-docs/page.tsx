import type { Metadata } from "next";
import Link from "next/link";
import { ApiDocsView } from "@/components/api-docs/api-docs-view";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/lib/roles";
import { loadTenant } from "../load-tenant";

export const metadata: Metadata = { title: "API docs" };

export default async function ApiDocsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const { tenant: t, role } = await loadTenant(tenant);
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            REST endpoints under <code className="font-mono text-[13px]">/api/v1</code>, authenticated with{" "}
            {roleAtLeast(role, "ADMIN") ? (
              <Link href={`/t/${t.slug}/settings/api-tokens`} className="font-medium text-accent hover:underline">
                an API token
              </Link>
            ) : (
              "an API token"
            )}{" "}
            as <code className="font-mono text-[13px]">Authorization: Bearer ist_…</code>. The raw document is at{" "}
            <a href="/api/v1/openapi.json" className="font-medium text-accent hover:underline">
              /api/v1/openapi.json
            </a>
            .
          </>
        }
      />
      <ApiDocsView />
    </>
  );
}
