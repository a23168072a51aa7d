import type { Metadata } from "next";
import { Sidebar } from "@/components/shell/sidebar";
import { TenantProvider } from "@/components/shell/tenant-context";
import { listUserTenants } from "@/server/tenants/list-user-tenants";
import { loadTenant } from "./load-tenant";

export async function generateMetadata({ params }: { params: Promise<{ tenant: string }> }): Promise<Metadata> {
  const { tenant } = await params;
  return { title: { default: tenant, template: `%s · ${tenant} · Isthmus` } };
}

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { user, tenant, role } = await loadTenant(slug);
  const tenants = await listUserTenants(user.id);
  return (
    <TenantProvider value={{ slug: tenant.slug, name: tenant.name, role, user }}>
      <div className="min-h-dvh md:flex">
        <Sidebar tenants={tenants} />
        <main className="min-w-0 flex-1">
          <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 md:px-8 md:py-8">{children}</div>
        </main>
      </div>
    </TenantProvider>
  );
}
