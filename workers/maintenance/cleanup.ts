// Housekeeping for secrets that can no longer be used: expired invites, and API
// tokens that expired or were revoked more than 30 days ago (kept that long so the
// settings page can still explain why a client's token stopped working).
import { writeAudit } from "../../server/audit/write-audit";
import { systemActor } from "../../server/platform/context";
import { db } from "../../server/platform/db/client";

export const TOKEN_RETENTION_DAYS = 30;

export interface CleanupResult {
  tenants: number;
  invites: number;
  apiTokens: number;
}

/**
 * Delete what has expired, one transaction per tenant with its audit row, so the
 * audit log says exactly what was removed. Safe to run again at any time.
 */
export async function cleanupExpired(scope: { tenantId?: string } = {}, now = new Date()): Promise<CleanupResult> {
  const tokenCutoff = new Date(now.getTime() - TOKEN_RETENTION_DAYS * 86400_000);
  const inviteWhere = { expiresAt: { lt: now } };
  const tokenWhere = { OR: [{ expiresAt: { lt: tokenCutoff } }, { revokedAt: { lt: tokenCutoff } }] };
  const inScope = scope.tenantId ? { tenantId: scope.tenantId } : {};

  const [inviteTenants, tokenTenants] = await Promise.all([
    db().invite.findMany({ where: { ...inScope, ...inviteWhere }, select: { tenantId: true }, distinct: ["tenantId"] }),
    db().apiToken.findMany({ where: { ...inScope, ...tokenWhere }, select: { tenantId: true }, distinct: ["tenantId"] }),
  ]);
  const tenantIds = [...new Set([...inviteTenants, ...tokenTenants].map((r) => r.tenantId))].sort();

  const total: CleanupResult = { tenants: 0, invites: 0, apiTokens: 0 };
  const actor = systemActor("maintenance");
  for (const tenantId of tenantIds) {
    const removed = await db().$transaction(async (tx) => {
      const invites = await tx.invite.findMany({ where: { tenantId, ...inviteWhere }, select: { id: true } });
      const tokens = await tx.apiToken.findMany({ where: { tenantId, ...tokenWhere }, select: { id: true, name: true } });
      const inviteIds = invites.map((i) => i.id);
      const tokenIds = tokens.map((t) => t.id);
      // Delete by id and tenant: rows created or changed since the read are left alone.
      const deletedInvites = await tx.invite.deleteMany({ where: { tenantId, id: { in: inviteIds }, ...inviteWhere } });
      const deletedTokens = await tx.apiToken.deleteMany({ where: { tenantId, id: { in: tokenIds }, ...tokenWhere } });
      if (deletedInvites.count + deletedTokens.count === 0) return null;
      await writeAudit(tx, {
        tenantId,
        actor,
        action: "maintenance.cleanup",
        targetType: "tenant",
        targetId: tenantId,
        // The diff reads "these invites and tokens went away; this many of each".
        before: { invites: inviteIds, apiTokens: tokens.map((t) => `${t.name} (${t.id})`) },
        after: { invitesRemoved: deletedInvites.count, apiTokensRemoved: deletedTokens.count },
      });
      return { invites: deletedInvites.count, apiTokens: deletedTokens.count };
    });
    if (!removed) continue;
    total.tenants++;
    total.invites += removed.invites;
    total.apiTokens += removed.apiTokens;
  }
  return total;
}
