import { requireRole, roleAtLeast, type Role } from "../platform/roles";
import { issueSecret, parseSecret, verifySecret } from "../auth/secrets";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import { parseInput } from "../platform/validation";
import { ZCreateApiTokenInput, type CreateApiTokenInput } from "./schema";

const PUBLIC_FIELDS = { id: true, name: true, role: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

/** Create a token; its secret is in the return value and nowhere else, ever. */
export async function createApiToken(ctx: TenantContext, input: CreateApiTokenInput) {
  requireRole(ctx, "ADMIN");
  const data = parseInput(ZCreateApiTokenInput, input);
  if (!roleAtLeast(ctx.role, data.role)) {
    throw new AppError("FORBIDDEN", `role: you cannot create a token with more rights (${data.role}) than your own (${ctx.role})`, {
      fieldErrors: { role: ["exceeds your own role"] },
    });
  }
  const secret = issueSecret("ist");
  const createdById = await responsibleUser(ctx);
  const expiresAt = new Date(Date.now() + data.expiresInDays * 86400_000);
  const row = await db().$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { id: secret.id, tenantId: ctx.tenantId, name: data.name, role: data.role, secretHash: secret.hash, expiresAt, createdById },
      select: PUBLIC_FIELDS,
    });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "api-token.create",
      targetType: "api-token",
      targetId: created.id,
      after: { name: created.name, role: created.role, expiresAt: created.expiresAt },
    });
    return created;
  });
  return { ...row, token: secret.token };
}

/**
 * The user whose rights a new token is capped by: the signed-in creator, or for a token
 * made with another token, that token's own creator. Null for the CLI (system actor).
 */
async function responsibleUser(ctx: TenantContext): Promise<string | null> {
  if (ctx.actor.type === "USER") return ctx.actor.id;
  if (ctx.actor.type !== "API_TOKEN") return null;
  const parent = await db().apiToken.findFirst({ where: { id: ctx.actor.id, tenantId: ctx.tenantId }, select: { createdById: true } });
  return parent?.createdById ?? null;
}

export async function listApiTokens(ctx: TenantContext) {
  requireRole(ctx, "ADMIN");
  return db().apiToken.findMany({ where: { tenantId: ctx.tenantId }, select: PUBLIC_FIELDS, orderBy: { createdAt: "desc" } });
}

export async function revokeApiToken(ctx: TenantContext, id: string) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const res = await tx.apiToken.updateMany({ where: { id, tenantId: ctx.tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (res.count === 0) throw new AppError("NOT_FOUND", "API token not found");
    await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "api-token.revoke", targetType: "api-token", targetId: id });
    return { ok: true as const };
  });
}

/**
 * Resolve a presented bearer token. Any failure is the same UNAUTHORIZED, so a caller
 * learns nothing about which tokens exist. last-used is written at most once a minute.
 *
 * A token acts for the person who created it and never with more rights than they have
 * now: its role is the lower of its own and its creator's current role in the tenant,
 * and it stops working when the creator leaves the tenant or is deleted. Tokens made
 * with the CLI have no creator (whoever runs the CLI has the server itself) and keep
 * their role until they expire or are revoked.
 */
export async function authenticateApiToken(token: string, sourceIp: string | null = null) {
  const parsed = parseSecret("ist", token);
  const row = parsed
    ? await db().apiToken.findUnique({
        where: { id: parsed.id },
        select: {
          id: true,
          name: true,
          role: true,
          secretHash: true,
          expiresAt: true,
          revokedAt: true,
          lastUsedAt: true,
          createdById: true,
          tenant: { select: { id: true, slug: true, name: true } },
        },
      })
    : null;
  if (!row || !parsed || !verifySecret(row.secretHash, parsed.secret) || row.revokedAt || row.expiresAt <= new Date()) {
    throw new AppError("UNAUTHORIZED", "API token is invalid, expired or revoked");
  }
  let role: Role = row.role;
  if (row.createdById) {
    const creator = await db().membership.findUnique({
      where: { tenantId_userId: { tenantId: row.tenant.id, userId: row.createdById } },
      select: { role: true },
    });
    if (!creator) {
      logger.info({ tokenId: row.id, tenantId: row.tenant.id, sourceIp }, "API token refused: its creator is no longer a member");
      throw new AppError("UNAUTHORIZED", "API token is invalid, expired or revoked");
    }
    role = roleAtLeast(creator.role, row.role) ? row.role : creator.role;
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.updateMany({ where: { id: row.id, tenantId: row.tenant.id }, data: { lastUsedAt: new Date() } });
  }
  return { id: row.id, name: row.name, role, tenant: row.tenant };
}
