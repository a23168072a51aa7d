// Webhooks: ADMINs add them (the signing secret is shown once, in the answer to create),
// remove them, send a test message, and read the delivery log. Audited.
import { writeAudit } from "../audit/write-audit";
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db, type Tx } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { producer } from "../platform/queues";
import type { CreateWebhookInput } from "./schema";
import { newSigningSecret, seal } from "./secret-box";

const SELECT = { id: true, name: true, url: true, enabled: true, createdAt: true } as const;

export async function listWebhooks(ctx: TenantContext) {
  requireRole(ctx, "ADMIN");
  return db().webhook.findMany({ where: { tenantId: ctx.tenantId }, select: SELECT, orderBy: { name: "asc" } });
}

export async function createWebhook(ctx: TenantContext, input: CreateWebhookInput) {
  requireRole(ctx, "ADMIN");
  const secret = newSigningSecret();
  try {
    const webhook = await db().$transaction(async (tx) => {
      const w = await tx.webhook.create({ data: { tenantId: ctx.tenantId, name: input.name, url: input.url, secretEnc: seal(secret) }, select: SELECT });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "webhook.create",
        targetType: "webhook",
        targetId: w.id,
        after: { name: w.name, url: w.url },
      });
      return w;
    });
    return { ...webhook, secret };
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `name: a webhook named ${input.name} exists`, { fieldErrors: { name: ["already taken"] } }, { cause: err });
    throw err;
  }
}

export async function deleteWebhook(ctx: TenantContext, id: string) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const w = await tx.webhook.findFirst({ where: { id, tenantId: ctx.tenantId }, select: SELECT });
    if (!w) throw new AppError("NOT_FOUND", "webhook not found");
    await tx.webhook.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: id,
      before: { name: w.name, url: w.url },
    });
    return { id };
  });
}

/** A message as the Standard Webhooks specification suggests: type, timestamp, data. */
export function messageBody(type: string, data: Record<string, unknown>, at = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** Records one delivery per given webhook (in the caller's transaction); enqueue them after commit with enqueueDeliveries. */
export async function recordDeliveries(
  tx: Tx,
  tenantId: string,
  webhookIds: readonly string[],
  type: string,
  body: string,
  alertId: string | null,
): Promise<string[]> {
  const ids: string[] = [];
  for (const webhookId of webhookIds) {
    const d = await tx.webhookDelivery.create({ data: { tenantId, webhookId, alertId, eventType: type, body }, select: { id: true } });
    ids.push(d.id);
  }
  return ids;
}

export type Enqueue = (deliveryId: string) => Promise<unknown>;
// The job id is the delivery: enqueueing one twice delivers it once.
export const defaultEnqueue: Enqueue = (deliveryId) => producer().enqueue("alerts.deliver-webhook", { deliveryId }, { jobId: `delivery-${deliveryId}` });

export async function sendTest(ctx: TenantContext, id: string, enqueue: Enqueue = defaultEnqueue) {
  requireRole(ctx, "ADMIN");
  const [deliveryId] = await db().$transaction(async (tx) => {
    const w = await tx.webhook.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } });
    if (!w) throw new AppError("NOT_FOUND", "webhook not found");
    await writeAudit(tx, { tenantId: ctx.tenantId, actor: ctx.actor, action: "webhook.test", targetType: "webhook", targetId: id });
    return recordDeliveries(
      tx,
      ctx.tenantId,
      [id],
      "webhook.test",
      messageBody("webhook.test", { message: "Test message from Isthmus", tenant: ctx.tenantSlug }),
      null,
    );
  });
  await enqueue(deliveryId!);
  return { deliveryId: deliveryId! };
}

export async function listDeliveries(ctx: TenantContext, webhookId: string) {
  requireRole(ctx, "ADMIN");
  const w = await db().webhook.findFirst({ where: { id: webhookId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!w) throw new AppError("NOT_FOUND", "webhook not found");
  return db().webhookDelivery.findMany({
    where: { tenantId: ctx.tenantId, webhookId },
    select: { id: true, alertId: true, eventType: true, status: true, attempts: true, lastStatus: true, lastError: true, createdAt: true, deliveredAt: true },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
}
