// Create, change and delete connectivity policies. Each write validates against the
// fleet, records an audit row and the deliveries of every cluster the policy touched
// before or touches now, in one transaction; then delivers them (the outbox fast path).
import { newId } from "../auth/secrets";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { deliverNow, recordDeliveries, type OutboxRow } from "../rollouts/outbox";
import { db, type Tx } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import type { RolloutOptionsInput } from "../rollouts/schema";
import { rolloutSummary } from "../rollouts/summary";
import { lockSlices, writeTransaction } from "../slices/locks";
import { parseInput } from "../platform/validation";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { loadFleet, type Fleet } from "../netpol/fleet";
import { auditedPolicy, loadPolicy } from "./load-policy";
import type { PolicyRule } from "../netpol/rules";
import { ZPolicyInput, ZUpdatePolicyInput, type PolicyInput, type PolicySpec, type UpdatePolicyInput } from "./schema";
import { sideClusters, validatePolicy, type Finding } from "./validate-policy";

const nameTaken = (name: string, cause: unknown) =>
  new AppError("CONFLICT", `name: a policy named ${name} already exists`, { fieldErrors: { name: ["is already taken"] } }, { cause });

/** The clusters whose bundles a policy can change: the ones either side selects. */
export function touchedClusters(fleet: Fleet, p: PolicyRule | null): string[] {
  if (!p) return [];
  return [...sideClusters(fleet, p, p.from), ...sideClusters(fleet, p, p.to)].map((c) => c.id);
}

async function resolveSlice(tx: Tx, tenantId: string, name: string | null | undefined, lock = true): Promise<string | null> {
  if (!name) return null;
  const s = await tx.slice.findFirst({ where: { tenantId, name }, select: { id: true } });
  if (!s) throw new AppError("BAD_REQUEST", `slice: there is no slice named ${name}`, { fieldErrors: { slice: [`there is no slice named ${name}`] } });
  // The slice holds still (members, deletion) until the policy is saved: the lock order starts with slices.
  if (lock) await lockSlices(tx, tenantId, [s.id]);
  return s.id;
}

function refuse(errors: Finding[]): never {
  const fieldErrors: Record<string, string[]> = {};
  for (const e of errors) (fieldErrors[e.field] ??= []).push(e.message);
  throw new AppError("BAD_REQUEST", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { fieldErrors });
}

async function write(
  ctx: TenantContext,
  action: string,
  id: string,
  rollout: RolloutOptionsInput | undefined,
  fn: (tx: Tx) => Promise<{ before: PolicyRule | null; after: PolicyRule | null; warnings: Finding[]; fleet: Fleet }>,
) {
  let warnings: Finding[] = [];
  const rows: OutboxRow[] = await writeTransaction(action, async (tx) => {
    const res = await fn(tx);
    warnings = res.warnings;
    return recordDeliveries(tx, ctx.tenantId, [...touchedClusters(res.fleet, res.before), ...touchedClusters(res.fleet, res.after)], `${action} ${id}`, {
      rollout,
      actor: ctx.actor,
    });
  });
  const revisions = await deliverNow(rows);
  return { warnings, revisions, rollout: await rolloutSummary(ctx.tenantId, rows) };
}

function ruleFrom(id: string, spec: PolicySpec, sliceId: string | null): PolicyRule {
  return { id, name: spec.name, enabled: spec.enabled, priority: spec.priority, action: spec.action, sliceId, from: spec.from, to: spec.to, ports: spec.ports };
}

/** Validate without saving: what the editor shows while one types. */
export async function checkPolicy(ctx: TenantContext, input: PolicyInput & { id?: string }) {
  const { id, ...rest } = input;
  const spec = parseInput(ZPolicyInput, rest);
  return db().$transaction(async (tx) => {
    const sliceId = spec.slice ? ((await tx.slice.findFirst({ where: { tenantId: ctx.tenantId, name: spec.slice }, select: { id: true } }))?.id ?? null) : null;
    if (spec.slice && !sliceId) return { errors: [{ field: "slice", message: `there is no slice named ${spec.slice}` }], warnings: [] };
    return validatePolicy(await loadFleet(tx, ctx.tenantId), ruleFrom(id ?? "", spec, sliceId));
  });
}

export async function createPolicy(ctx: TenantContext, input: PolicyInput, rollout?: RolloutOptionsInput) {
  requireRole(ctx, "OPERATOR");
  const spec = parseInput(ZPolicyInput, input);
  const id = `pol_${newId()}`;
  try {
    const done = await write(ctx, "policy.create", id, rollout, async (tx) => {
      const sliceId = await resolveSlice(tx, ctx.tenantId, spec.slice);
      // Serialise policy writers of this tenant: priorities are unique and a save validates against the others.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:policies:${ctx.tenantId}`}, 0))`;
      const fleet = await loadFleet(tx, ctx.tenantId);
      const after = ruleFrom(id, spec, sliceId);
      const { errors, warnings } = validatePolicy(fleet, after);
      if (errors.length) refuse(errors);
      if (fleet.policies.some((q) => q.name === spec.name)) throw nameTaken(spec.name, undefined);
      const row = {
        name: spec.name,
        description: spec.description ?? null,
        enabled: spec.enabled,
        priority: spec.priority,
        action: spec.action,
        sliceId,
        from: spec.from,
        to: spec.to,
        ports: spec.ports,
      };
      await tx.policy.create({ data: { id, tenantId: ctx.tenantId, ...row } });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "policy.create",
        targetType: "policy",
        targetId: id,
        after: auditedPolicy(row),
      });
      return { before: null, after, warnings, fleet };
    });
    return { ...(await loadPolicy(db(), ctx.tenantId, id)), ...done };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(spec.name, err);
    throw err;
  }
}

export async function updatePolicy(ctx: TenantContext, id: string, input: UpdatePolicyInput, expected?: VersionCondition, rollout?: RolloutOptionsInput) {
  requireRole(ctx, "OPERATOR");
  const patch = parseInput(ZUpdatePolicyInput, input);
  let name = patch.name ?? "";
  try {
    const done = await write(ctx, "policy.update", id, rollout, async (tx) => {
      const current = await tx.policy.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { sliceId: true, slice: { select: { name: true } } } });
      if (!current) throw new AppError("NOT_FOUND", "policy not found");
      // The slice it is bound to and the one it moves to, in the lock order; then the policy.
      const sliceId = patch.slice === undefined ? current.sliceId : await resolveSlice(tx, ctx.tenantId, patch.slice, false);
      await lockSlices(tx, ctx.tenantId, [current.sliceId, sliceId].filter((s): s is string => !!s).sort());
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:policies:${ctx.tenantId}`}, 0))`;
      const locked = await tx.$queryRaw<
        Array<{ version: number }>
      >`SELECT "version" FROM "Policy" WHERE "tenantId" = ${ctx.tenantId} AND "id" = ${id} FOR UPDATE`;
      if (locked.length === 0) throw new AppError("NOT_FOUND", "policy not found");
      const prev = await loadPolicy(tx, ctx.tenantId, id);
      assertVersion(`policy ${prev.name}`, prev.version, expected);
      const fleet = await loadFleet(tx, ctx.tenantId);
      const before = fleet.policies.find((q) => q.id === id)!;
      const merged = parseInput(ZPolicyInput, {
        name: patch.name ?? prev.name,
        description: patch.description === undefined ? (prev.description ?? undefined) : (patch.description ?? undefined),
        enabled: patch.enabled ?? prev.enabled,
        priority: patch.priority ?? prev.priority,
        action: patch.action ?? prev.action,
        from: patch.from ?? prev.from,
        to: patch.to ?? prev.to,
        ports: patch.ports ?? prev.ports,
      });
      name = merged.name;
      const after = ruleFrom(id, merged, sliceId);
      const { errors, warnings } = validatePolicy(fleet, after);
      if (errors.length) refuse(errors);
      if (fleet.policies.some((q) => q.id !== id && q.name === merged.name)) throw nameTaken(merged.name, undefined);
      const row = {
        name: merged.name,
        description: merged.description ?? null,
        enabled: merged.enabled,
        priority: merged.priority,
        action: merged.action,
        sliceId,
        from: merged.from,
        to: merged.to,
        ports: merged.ports,
      };
      await tx.policy.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { ...row, version: { increment: 1 } } });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "policy.update",
        targetType: "policy",
        targetId: id,
        before: auditedPolicy({ ...prev, sliceId: current.sliceId }),
        after: auditedPolicy(row),
      });
      return { before, after, warnings, fleet };
    });
    return { ...(await loadPolicy(db(), ctx.tenantId, id)), ...done };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name, err);
    throw err;
  }
}

export async function deletePolicy(ctx: TenantContext, id: string, expected?: VersionCondition, rollout?: RolloutOptionsInput) {
  requireRole(ctx, "OPERATOR");
  const done = await write(ctx, "policy.delete", id, rollout, async (tx) => {
    const current = await tx.policy.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { sliceId: true } });
    if (!current) throw new AppError("NOT_FOUND", "policy not found");
    if (current.sliceId) await lockSlices(tx, ctx.tenantId, [current.sliceId]);
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:policies:${ctx.tenantId}`}, 0))`;
    const prev = await loadPolicy(tx, ctx.tenantId, id);
    assertVersion(`policy ${prev.name}`, prev.version, expected);
    const fleet = await loadFleet(tx, ctx.tenantId);
    const before = fleet.policies.find((q) => q.id === id)!;
    await tx.policy.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "policy.delete",
      targetType: "policy",
      targetId: id,
      before: auditedPolicy({ ...prev, sliceId: current.sliceId }),
    });
    return { before, after: null, warnings: [], fleet };
  });
  return { ok: true as const, revisions: done.revisions, rollout: done.rollout };
}
