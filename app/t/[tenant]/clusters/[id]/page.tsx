import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { ClusterDetail } from "@/components/clusters/cluster-detail";
import { AppError } from "@/server/platform/errors";
import { getCluster } from "@/server/clusters/get-cluster";
import { loadTenant } from "../../load-tenant";

// Once per request for the title and the page: an unknown id (or another tenant's) is a real 404.
const loadCluster = cache(async (slug: string, id: string) => {
  const { ctx, scoped } = await loadTenant(slug);
  try {
    return await scoped(() => getCluster(ctx, id));
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ tenant: string; id: string }> }): Promise<Metadata> {
  const { tenant, id } = await params;
  const c = await loadCluster(tenant, id);
  return { title: c.name };
}

export default async function ClusterPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  await loadCluster(tenant, id);
  return (
    // The tab lives in the query string.
    <Suspense>
      <ClusterDetail id={id} />
    </Suspense>
  );
}
