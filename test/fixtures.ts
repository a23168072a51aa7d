// Builders for integration tests. Every test file makes its own tenants with random
// slugs, so files never depend on each other or on a wiped database.
import { randomBytes } from "node:crypto";
import { createApiToken } from "../server/api-tokens/api-tokens";
import type { Role } from "../server/platform/roles";
import type { TenantContext } from "../server/platform/context";
import { db } from "../server/platform/db/client";
import { createTenant } from "../server/tenants/create-tenant";
import type { RequestContext, SessionUser } from "../server/platform/principals";
import { createCaller } from "../server/trpc/root";
import { createUser } from "../server/users/create-user";

export const PASSWORD = "blue-ferry-lantern-42";
export const rand = (n = 4) => randomBytes(n).toString("hex");

export async function makeUser(label = "user"): Promise<SessionUser> {
  const u = await createUser({ email: `${label}-${rand()}@example.test`, password: PASSWORD });
  return { id: u.id, email: u.email, name: u.name };
}

export interface TenantFixture {
  id: string;
  slug: string;
  owner: SessionUser;
  members: Record<Role, SessionUser>;
}

/** A tenant with one user per role (the OWNER is the creator). */
export async function makeTenant(label = "t"): Promise<TenantFixture> {
  const owner = await makeUser(`${label}-owner`);
  const tenant = await createTenant({ type: "USER", id: owner.id, label: owner.email }, owner.id, { slug: `${label}-${rand()}`, name: `Tenant ${label}` });
  const members = { OWNER: owner } as Record<Role, SessionUser>;
  for (const role of ["ADMIN", "OPERATOR", "VIEWER"] as const) {
    const u = await makeUser(`${label}-${role.toLowerCase()}`);
    await db().membership.create({ data: { tenantId: tenant.id, userId: u.id, role } });
    members[role] = u;
  }
  return { id: tenant.id, slug: tenant.slug, owner, members };
}

export function tenantCtx(t: TenantFixture, role: Role = "OWNER"): TenantContext {
  const u = t.members[role];
  return { tenantId: t.id, tenantSlug: t.slug, role, actor: { type: "USER", id: u.id, label: u.email } };
}

const baseCtx = (): Omit<RequestContext, "user" | "apiToken"> => ({ authError: null, sourceIp: "127.0.0.1", requestId: rand(8) });

export const anonCaller = () => createCaller({ ...baseCtx(), user: null, apiToken: null });
export const userCaller = (user: SessionUser) => createCaller({ ...baseCtx(), user, apiToken: null });

/** A caller authenticated by a fresh API token of `t` with `role`; also returns the raw token. */
export async function tokenCaller(t: TenantFixture, role: Role = "ADMIN") {
  const created = await createApiToken(tenantCtx(t), { name: `t-${rand()}`, role, expiresInDays: 1 });
  const caller = createCaller({
    ...baseCtx(),
    user: null,
    apiToken: { id: created.id, name: created.name, role, tenant: { id: t.id, slug: t.slug, name: "x" } },
  });
  return { caller, token: created.token, id: created.id };
}
