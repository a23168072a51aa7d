import type { Actor } from "../platform/context";
import type { Tx } from "../platform/db/client";

type Plain = Record<string, unknown>;

/** Field-by-field diff of two snapshots: `{ field: { from, to } }` for every changed field. */
export function diffObjects(before: Plain | null | undefined, after: Plain | null | undefined) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const a = before?.[k] ?? null;
    const b = after?.[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = { from: a, to: b };
  }
  return out;
}

export interface AuditEntry {
  tenantId: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: Plain | null;
  after?: Plain | null;
}

const jsonSafe = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

function row(entry: AuditEntry) {
  return {
    tenantId: entry.tenantId,
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    diff: jsonSafe(diffObjects(entry.before, entry.after)),
    sourceIp: entry.actor.sourceIp ?? null,
  };
}

/**
 * Write one audit row. Call it with the transaction that makes the change, so a
 * failed mutation leaves no audit row and a recorded one always happened.
 * Snapshots must never hold secrets or their hashes.
 */
export async function writeAudit(tx: Tx, entry: AuditEntry) {
  await tx.auditLog.create({ data: row(entry) });
}

/**
 * Many audit rows in one statement, for changes that touch many objects at once (a
 * fleet's leases expiring, or coming back after an outage): a row per round trip held
 * such a transaction past its time limit.
 */
export async function writeAudits(tx: Tx, entries: readonly AuditEntry[]) {
  if (entries.length === 0) return;
  await tx.auditLog.createMany({ data: entries.map(row) });
}
