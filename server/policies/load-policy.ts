import type { Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { ZStoredPorts, ZStoredSide } from "../netpol/rules";

export const POLICY_SELECT = {
  id: true,
  name: true,
  description: true,
  enabled: true,
  priority: true,
  action: true,
  slice: { select: { id: true, name: true } },
  from: true,
  to: true,
  ports: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = { from: unknown; to: unknown; ports: unknown; slice: { id: string; name: string } | null } & Record<string, unknown>;

export function viewOf<R extends Row>(row: R) {
  return { ...row, from: ZStoredSide.parse(row.from), to: ZStoredSide.parse(row.to), ports: ZStoredPorts.parse(row.ports) };
}

export async function loadPolicy(tx: Tx, tenantId: string, id: string) {
  const row = await tx.policy.findFirst({ where: { id, tenantId }, select: POLICY_SELECT });
  if (!row) throw new AppError("NOT_FOUND", "policy not found");
  return viewOf(row);
}

/** What an audit row records of a policy. */
export const auditedPolicy = (p: {
  name: string;
  description: string | null;
  enabled: boolean;
  priority: number;
  action: string;
  sliceId: string | null;
  from: unknown;
  to: unknown;
  ports: unknown;
}) => ({
  name: p.name,
  description: p.description,
  enabled: p.enabled,
  priority: p.priority,
  action: p.action,
  sliceId: p.sliceId,
  from: p.from,
  to: p.to,
  ports: p.ports,
});
