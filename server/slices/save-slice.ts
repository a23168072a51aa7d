import { newId } from "../auth/secrets";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import { deliverNow, recordDeliveries } from "../rollouts/outbox";
import { rolloutSummary } from "../rollouts/summary";
import type { RolloutOptionsInput } from "../rollouts/schema";
import type { TenantContext } from "../platform/context";
import type { Tx } from "../platform/db/client";
import { Prisma } from "../platform/db/generated/client";
import { AppError, isForeignKeyViolation, isUniqueViolation } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { loadSlice, specOf } from "./load-slice";
import { lockMemberClusters, lockSlices, writeTransaction } from "./locks";
import { assertPlanValid, planSlice, type SlicePlan } from "./plan-slice";
import { changedImmutableFields, ZSliceSpec, type SliceSpec, type SliceSpecInput } from "./schema";

export interface SaveSliceInput {
  /** Absent to create a slice. */
  id?: string;
  spec: SliceSpecInput;
  /** Change even when some involved clusters are not available. */
  force?: boolean;
  /** Refuse the change (PRECONDITION_FAILED) unless the slice is still at this version. */
  expected?: VersionCondition;
  /** How the change is rolled out (over the tenant's default). */
  rollout?: RolloutOptionsInput;
}

// A change reaches every involved cluster; one that is offline would apply it late and
// leave its peers' tunnels pointing at a stale configuration (KubeSlice refuses too).
async function assertAvailable(tx: Tx, tenantId: string, clusterIds: string[]) {
  const down = await tx.cluster.findMany({
    where: { tenantId, id: { in: clusterIds }, availability: { not: "AVAILABLE" } },
    select: { name: true, availability: true },
    orderBy: { name: "asc" },
  });
  if (down.length === 0) return;
  const list = down.map((c) => `${c.name} (${c.availability.toLowerCase()})`).join(", ");
  throw new AppError("PRECONDITION_FAILED", `These clusters are not available: ${list}. Wait for them to reconnect, or force the change.`, {
    fieldErrors: { members: [`not available: ${list}`] },
  });
}

// Batched: a 64-member full mesh has 2,016 links; one statement per kind of change,
// not one per row.
async function writePlan(tx: Tx, tenantId: string, sliceId: string, plan: SlicePlan) {
  await tx.sliceMember.deleteMany({ where: { tenantId, sliceId, clusterId: { notIn: plan.members.map((m) => m.clusterId) } } });
  const members = new Map(
    (await tx.sliceMember.findMany({ where: { tenantId, sliceId }, select: { clusterId: true, index: true, subnet: true } })).map((m) => [m.clusterId, m]),
  );
  await tx.sliceMember.createMany({
    data: plan.members.filter((m) => !members.has(m.clusterId)).map((m) => ({ tenantId, sliceId, clusterId: m.clusterId, index: m.index, subnet: m.subnet })),
  });
  for (const m of plan.members) {
    const had = members.get(m.clusterId);
    if (had && (had.index !== m.index || had.subnet !== m.subnet)) {
      await tx.sliceMember.updateMany({ where: { tenantId, sliceId, clusterId: m.clusterId }, data: { index: m.index, subnet: m.subnet } });
    }
  }

  await tx.gatewayLink.deleteMany({ where: { tenantId, sliceId, id: { notIn: plan.links.map((l) => l.id) } } });
  const links = new Map((await tx.gatewayLink.findMany({ where: { tenantId, sliceId } })).map((l) => [l.id, l]));
  const row = (l: Omit<SlicePlan["links"][number], "id" | "serverEndpoint">) => ({
    serverClusterId: l.serverClusterId,
    clientClusterId: l.clientClusterId,
    tunnelIndex: l.tunnelIndex,
    serverTunnelIp: l.serverTunnelIp,
    clientTunnelIp: l.clientTunnelIp,
  });
  await tx.gatewayLink.createMany({ data: plan.links.filter((l) => !links.has(l.id)).map((l) => ({ id: l.id, tenantId, sliceId, ...row(l) })) });
  for (const l of plan.links) {
    const had = links.get(l.id);
    // Roles move when a member's reachability changes (e.g. it went behind NAT).
    if (had && JSON.stringify(row(had)) !== JSON.stringify(row(l))) await tx.gatewayLink.updateMany({ where: { id: l.id, tenantId }, data: row(l) });
  }
}

const columns = (spec: SliceSpec, plan: SlicePlan) => ({
  name: spec.name,
  description: spec.description ?? null,
  gatewayService: spec.gatewayService,
  topology: spec.topology,
  // The profile is stored by id, so renaming it never breaks the slices that use it.
  qos: spec.qos ?? Prisma.DbNull,
  qosProfileId: plan.qosProfileId,
  namespaceIsolation: spec.namespaceIsolation,
  serviceExports: spec.serviceExports,
});

export interface SliceWrite {
  /** Absent to create a slice. */
  id?: string;
  /** The spec to store, given the stored one (null on create); read under the slice's lock. */
  spec: (stored: SliceSpec | null) => SliceSpecInput;
  force?: boolean;
  expected?: VersionCondition;
  /** The audit action; "slice.create" / "slice.update" by default. */
  action?: string;
  /** Extra fields for the audit row's `after`. */
  note?: Record<string, unknown>;
  rollout?: RolloutOptionsInput;
}

export interface WrittenSlice {
  id: string;
  name: string;
  version: number;
  plan: SlicePlan;
  /** Old and new members: the clusters whose bundles may have changed. */
  affected: string[];
}

const nameTaken = (name: string, cause?: unknown) =>
  new AppError("CONFLICT", `name: a slice named ${name} already exists`, { fieldErrors: { name: ["is already taken"] } }, cause ? { cause } : undefined);

/**
 * Inside the caller's transaction: lock the slice, then its clusters (the lock order),
 * read the stored spec, check the expected version, merge, plan and write, with the
 * audit row. Validation and plan errors are thrown before anything is written.
 */
export async function writeSlice(tx: Tx, ctx: TenantContext, w: SliceWrite): Promise<WrittenSlice> {
  const sliceId = w.id ?? `slc_${newId()}`;
  let before: SliceSpec | null = null;
  let previousMembers: string[] = [];
  let version = 1;
  if (w.id) {
    if ((await lockSlices(tx, ctx.tenantId, [w.id])).length === 0) throw new AppError("NOT_FOUND", "slice not found");
    const existing = await loadSlice(tx, ctx.tenantId, w.id);
    assertVersion(`slice ${existing.name}`, existing.version, w.expected);
    before = specOf(existing);
    previousMembers = existing.members.map((m) => m.clusterId);
    version = existing.version + 1;
  }
  const spec = parseInput(ZSliceSpec, w.spec(before));
  if (before) {
    const immutable = changedImmutableFields(before, spec);
    if (immutable.length) {
      throw new AppError(
        "BAD_REQUEST",
        immutable.map((f) => `${f}: cannot change after the slice is created (it would break the data plane); create a new slice instead`).join("\n"),
        {
          fieldErrors: Object.fromEntries(immutable.map((f) => [f, ["cannot change after the slice is created"]])),
        },
      );
    }
  }
  await lockMemberClusters(tx, ctx.tenantId, spec.members, previousMembers);
  if (await tx.slice.findFirst({ where: { tenantId: ctx.tenantId, name: spec.name, id: { not: sliceId } }, select: { id: true } })) throw nameTaken(spec.name);
  const plan = await planSlice(tx, ctx.tenantId, sliceId, spec);
  assertPlanValid(plan);
  const affected = [...new Set([...previousMembers, ...plan.members.map((m) => m.clusterId)])];
  if (!w.force) await assertAvailable(tx, ctx.tenantId, affected);
  if (w.id) {
    await tx.slice.updateMany({ where: { id: sliceId, tenantId: ctx.tenantId }, data: { ...columns(spec, plan), version: { increment: 1 } } });
  } else {
    await tx.slice.create({
      data: { id: sliceId, tenantId: ctx.tenantId, subnet: spec.subnet, maxClusters: spec.maxClusters, gatewayType: spec.gatewayType, ...columns(spec, plan) },
    });
  }
  await writePlan(tx, ctx.tenantId, sliceId, plan);
  await writeAudit(tx, {
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action: w.action ?? (w.id ? "slice.update" : "slice.create"),
    targetType: "slice",
    targetId: sliceId,
    before: before as Record<string, unknown> | null,
    after: { ...spec, ...(w.force ? { forced: true } : {}), ...w.note },
  });
  return { id: sliceId, name: spec.name, version, plan, affected };
}

/** Turn a constraint violation of a slice write into the error a form can show. */
export function sliceWriteError(err: unknown, spec: { name?: string; qosProfile?: string | null }): unknown {
  if (isUniqueViolation(err)) return nameTaken(spec.name ?? "", err);
  // The profile was found by the plan, then deleted before the slice was written.
  if (isForeignKeyViolation(err) && spec.qosProfile) {
    const message = `QoS profile ${spec.qosProfile} was deleted while the slice was being saved`;
    return new AppError("CONFLICT", `qosProfile: ${message}`, { fieldErrors: { qosProfile: [message] } }, { cause: err });
  }
  return err;
}

async function save(ctx: TenantContext, w: SliceWrite) {
  let written: WrittenSlice;
  let rows: Awaited<ReturnType<typeof recordDeliveries>>;
  let tried: SliceSpecInput | undefined;
  try {
    ({ written, rows } = await writeTransaction("slice.save", async (tx) => {
      const written = await writeSlice(tx, ctx, { ...w, spec: (stored) => (tried = w.spec(stored)) });
      const rows = await recordDeliveries(tx, ctx.tenantId, written.affected, `${w.id ? "slice.update" : "slice.create"} ${written.id}`, {
        rollout: w.rollout,
        actor: ctx.actor,
      });
      return { written, rows };
    }));
  } catch (err) {
    throw sliceWriteError(err, tried ?? {});
  }
  // Committed: from here on nothing fails the request; what is not delivered now the
  // outbox delivers.
  const revisions = await deliverNow(rows);
  return {
    id: written.id,
    name: written.name,
    version: written.version,
    warnings: written.plan.warnings,
    revisions,
    rollout: await rolloutSummary(ctx.tenantId, rows),
  };
}

/**
 * Create or update a slice: validate the spec, plan shares and links, write them with
 * the audit row and the delivery outbox rows in one transaction, then deliver new
 * revisions to the clusters whose bundle changed (old and new members).
 */
export async function saveSlice(ctx: TenantContext, input: SaveSliceInput) {
  requireRole(ctx, "OPERATOR");
  // Checked before any lock is taken, so a malformed spec costs no transaction.
  parseInput(ZSliceSpec, input.spec);
  return save(ctx, { id: input.id, spec: () => input.spec, force: input.force, expected: input.expected, rollout: input.rollout });
}

/**
 * Update some fields of a slice; the rest keep their stored values, read under the
 * slice's lock so two concurrent patches both land. `qos` and `qosProfile` are
 * alternatives: setting one drops the stored other, and null clears it.
 */
export async function patchSlice(
  ctx: TenantContext,
  id: string,
  patch: Partial<SliceSpecInput>,
  force?: boolean,
  expected?: VersionCondition,
  rollout?: RolloutOptionsInput,
) {
  requireRole(ctx, "OPERATOR");
  return save(ctx, {
    id,
    force,
    expected,
    rollout,
    spec: (stored) => {
      const current: SliceSpecInput = { ...stored! };
      if (patch.qos != null && patch.qosProfile === undefined) delete current.qosProfile;
      if (patch.qosProfile != null && patch.qos === undefined) delete current.qos;
      return { ...current, ...patch };
    },
  });
}
