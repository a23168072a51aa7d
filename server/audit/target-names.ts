// The names audit rows' targets go by today, so the log reads "updated cluster edge-1"
// even when the change (labels only, an availability flip) left the name out of the
// diff. One query per target type for the ids on a page, each scoped to the tenant:
// an id that names another tenant's object resolves to nothing here.
import type { Tx } from "../platform/db/client";

type Row = { targetType: string; targetId: string | null; diff: unknown };
type Lookup = (tx: Tx, tenantId: string, ids: string[]) => Promise<Array<{ id: string; name: string }>>;

// A member's rows are keyed by the user's id; so is a throttled sign-in's ("user").
const memberEmails: Lookup = async (tx, tenantId, ids) =>
  (await tx.membership.findMany({ where: { tenantId, userId: { in: ids } }, select: { userId: true, user: { select: { email: true } } } })).map((m) => ({
    id: m.userId,
    name: m.user.email,
  }));

const LOOKUPS: Record<string, Lookup> = {
  cluster: (tx, tenantId, ids) => tx.cluster.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  slice: (tx, tenantId, ids) => tx.slice.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  policy: (tx, tenantId, ids) => tx.policy.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  "qos-profile": (tx, tenantId, ids) => tx.qosProfile.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  "registration-token": (tx, tenantId, ids) => tx.registrationToken.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  "api-token": (tx, tenantId, ids) => tx.apiToken.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  "alert-rule": (tx, tenantId, ids) => tx.alertRule.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  webhook: (tx, tenantId, ids) => tx.webhook.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } }),
  invite: async (tx, tenantId, ids) =>
    (await tx.invite.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, email: true } })).map((i) => ({ id: i.id, name: i.email })),
  membership: memberEmails,
  user: memberEmails,
  tenant: async (tx, tenantId, ids) => (ids.includes(tenantId) ? await tx.tenant.findMany({ where: { id: tenantId }, select: { id: true, name: true } }) : []),
};

/** The name a row's own diff gives its target (email, name, slug or token; after, else before). */
export function diffName(diff: unknown): string | null {
  const d = (diff && typeof diff === "object" ? diff : {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  for (const k of ["email", "name", "slug", "token"]) {
    const v = d[k]?.to ?? d[k]?.from;
    if (typeof v === "string" && v) return v;
  }
  return null;
}

/**
 * Each row with `targetName`: the target's current name in this tenant, else (deleted,
 * or a type without names) the name its diff recorded, else null.
 */
export async function withTargetNames<T extends Row>(tx: Tx, tenantId: string, rows: readonly T[]): Promise<Array<T & { targetName: string | null }>> {
  const idsByType = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.targetId || !LOOKUPS[r.targetType]) continue;
    if (!idsByType.has(r.targetType)) idsByType.set(r.targetType, new Set());
    idsByType.get(r.targetType)!.add(r.targetId);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...idsByType].map(async ([type, ids]) => {
      for (const { id, name } of await LOOKUPS[type]!(tx, tenantId, [...ids])) names.set(`${type}:${id}`, name);
    }),
  );
  return rows.map((r) => ({ ...r, targetName: (r.targetId ? names.get(`${r.targetType}:${r.targetId}`) : undefined) ?? diffName(r.diff) }));
}
