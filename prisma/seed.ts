// Demo data for a fresh install, safe to run on every start: a tenant `demo` owned
// by admin@isthmus.local. The account's password is generated on first creation and
// returned once; only its argon2 hash is stored, so it can never be shown again.
//   npm run db:seed   (against DATABASE_URL)
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { systemActor } from "../server/platform/context";
import { closeDb, db } from "../server/platform/db/client";
import { addMember } from "../server/members/add-member";
import { createTenant } from "../server/tenants/create-tenant";
import { createUser } from "../server/users/create-user";

export const DEMO_EMAIL = "admin@isthmus.local";
export const DEMO_TENANT = { slug: "demo", name: "Demo" };

export interface SeedResult {
  email: string;
  tenantSlug: string;
  /** Set only when the account was created by this call. */
  password?: string;
}

export async function seedDemo(): Promise<SeedResult> {
  const actor = systemActor("seed");
  let password: string | undefined;
  let user = await db().user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } });
  if (!user) {
    password = randomBytes(12).toString("base64url");
    user = await createUser({ email: DEMO_EMAIL, password, name: "Demo admin" });
  }
  const tenant = await db().tenant.findUnique({ where: { slug: DEMO_TENANT.slug }, select: { id: true, slug: true } });
  if (!tenant) {
    await createTenant(actor, user.id, DEMO_TENANT);
  } else {
    const member = await db().membership.findUnique({ where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } }, select: { id: true } });
    if (!member) await addMember({ tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER", actor }, { email: DEMO_EMAIL, role: "OWNER" });
  }
  return { email: DEMO_EMAIL, tenantSlug: DEMO_TENANT.slug, password };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const r = await seedDemo();
    console.log(
      r.password ? `created ${r.email} with password ${r.password} (shown only now)` : `${r.email} already exists; tenant "${r.tenantSlug}" is in place`,
    );
  } finally {
    await closeDb();
  }
}
