import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { currentUser } from "@/server/auth/session";
import { withTenantScope } from "@/server/platform/db/tenant-scope";
import type { TenantContext } from "@/server/platform/context";
import { AppError } from "@/server/platform/errors";
import { resolveUserTenant } from "@/server/tenants/resolve-tenant";

/**
 * The signed-in user, the tenant of the URL and the user's role there. Cached per
 * request, so the layout and the page share one lookup. Not signed in → /signin;
 * unknown tenant or not a member → 404 (both look the same, by design).
 */
export const loadTenant = cache(async (slug: string) => {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/t/${slug}`)}`);
  let tenant;
  try {
    tenant = await resolveUserTenant(user.id, slug);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  // The same context a tRPC call of this user would get, for calling services directly.
  const ctx: TenantContext = { tenantId: tenant.id, tenantSlug: tenant.slug, role: tenant.role, actor: { type: "USER", id: user.id, label: user.email } };
  // Service calls of a page go through this, so their queries run under row-level
  // security for the tenant, as a tRPC call's do.
  const scoped = <T>(fn: () => T | PromiseLike<T>) => withTenantScope(tenant.id, fn);
  return { user, tenant, role: tenant.role, ctx, scoped };
});
