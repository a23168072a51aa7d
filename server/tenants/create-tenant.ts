import { writeAudit } from "../audit/write-audit";
import type { Actor } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { ZCreateTenantInput, type CreateTenantInput } from "./schema";

const RESERVED = new Set(["new", "api", "admin", "settings", "invite", "signin", "login"]);

/** Create a tenant with `ownerUserId` as its first OWNER. */
export async function createTenant(actor: Actor, ownerUserId: string, input: CreateTenantInput) {
  const data = parseInput(ZCreateTenantInput, input);
  if (RESERVED.has(data.slug)) throw new AppError("BAD_REQUEST", `slug: "${data.slug}" is reserved`, { fieldErrors: { slug: ["is reserved"] } });
  try {
    return await db().$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { slug: data.slug, name: data.name }, select: { id: true, slug: true, name: true, createdAt: true } });
      await tx.membership.create({ data: { tenantId: tenant.id, userId: ownerUserId, role: "OWNER" } });
      await writeAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: "tenant.create",
        targetType: "tenant",
        targetId: tenant.id,
        after: { slug: tenant.slug, name: tenant.name, owner: ownerUserId },
      });
      return tenant;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `slug: "${data.slug}" is already taken`, { fieldErrors: { slug: ["is already taken"] } }, { cause: err });
    throw err;
  }
}
