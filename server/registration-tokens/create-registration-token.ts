import { requireRole } from "../platform/roles";
import { issueSecret } from "../auth/secrets";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { parseInput } from "../platform/validation";
import { installSnippet } from "./install-snippet";
import { ZCreateRegistrationTokenInput, type CreateRegistrationTokenInput } from "./schema";
import { usesLeft } from "./token-state";

/** Create a registration token (ADMIN+). Its secret is in the return value only, never stored. */
export async function createRegistrationToken(ctx: TenantContext, input: CreateRegistrationTokenInput) {
  requireRole(ctx, "ADMIN");
  const data = parseInput(ZCreateRegistrationTokenInput, input);
  const maxUses = data.unlimited ? null : (data.maxUses ?? 1);
  const secret = issueSecret("isr");
  const expiresAt = new Date(Date.now() + data.ttlSeconds * 1000);
  const row = await db().$transaction(async (tx) => {
    const created = await tx.registrationToken.create({
      data: {
        id: secret.id,
        tenantId: ctx.tenantId,
        name: data.name,
        secretHash: secret.hash,
        expiresAt,
        maxUses,
        labels: data.labels,
        siteType: data.siteType ?? null,
        createdById: ctx.actor.id ?? null,
      },
      select: { id: true, name: true, expiresAt: true, maxUses: true, uses: true, siteType: true, createdAt: true },
    });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "registration-token.create",
      targetType: "registration-token",
      targetId: created.id,
      after: { name: created.name, expiresAt, maxUses, labels: data.labels, siteType: created.siteType },
    });
    return created;
  });
  return {
    id: row.id,
    name: row.name,
    token: secret.token,
    expiresAt: row.expiresAt,
    maxUses: row.maxUses,
    usesLeft: usesLeft(row),
    labels: data.labels,
    siteType: row.siteType,
    createdAt: row.createdAt,
    install: installSnippet(env().PUBLIC_URL, secret.token, row.id),
  };
}
