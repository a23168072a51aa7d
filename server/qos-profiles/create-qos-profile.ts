import { newId } from "../auth/secrets";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db, type Tx } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { loadQosProfile } from "./load-qos-profile";
import { ZCreateQosProfileInput, type CreateQosProfileInput } from "./schema";

export const auditedFields = (p: {
  name: string;
  description: string | null;
  priority: number;
  bandwidthCeilingKbps: number;
  bandwidthGuaranteedKbps: number;
  dscpClass: string;
}) => ({
  name: p.name,
  description: p.description,
  priority: p.priority,
  bandwidthCeilingKbps: p.bandwidthCeilingKbps,
  bandwidthGuaranteedKbps: p.bandwidthGuaranteedKbps,
  dscpClass: p.dscpClass,
});

export const nameTaken = (name: string, cause: unknown) =>
  new AppError("CONFLICT", `name: a QoS profile named ${name} already exists`, { fieldErrors: { name: ["is already taken"] } }, { cause });

/** Inside the caller's transaction: write a validated profile with its audit row. */
export async function insertQosProfile(tx: Tx, ctx: TenantContext, input: CreateQosProfileInput) {
  const data = parseInput(ZCreateQosProfileInput, input);
  const id = `qos_${newId()}`;
  const row = { ...data, description: data.description ?? null };
  if (await tx.qosProfile.findFirst({ where: { tenantId: ctx.tenantId, name: data.name }, select: { id: true } })) throw nameTaken(data.name, undefined);
  await tx.qosProfile.create({ data: { id, tenantId: ctx.tenantId, ...row } });
  await writeAudit(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action: "qos-profile.create",
    targetType: "qos-profile",
    targetId: id,
    after: auditedFields(row),
  });
  return loadQosProfile(tx, ctx.tenantId, id);
}

/** Create a tenant QoS profile (OPERATOR+, as for slices, which it shapes). */
export async function createQosProfile(ctx: TenantContext, input: CreateQosProfileInput) {
  requireRole(ctx, "OPERATOR");
  const data = parseInput(ZCreateQosProfileInput, input);
  try {
    return await db().$transaction((tx) => insertQosProfile(tx, ctx, data));
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(data.name, err);
    throw err;
  }
}
