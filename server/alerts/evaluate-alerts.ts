// Opens, keeps and resolves alerts from the rules of every tenant (job alerts.evaluate):
// one unresolved alert per rule and subject (the partial unique index makes a racing
// second evaluator's insert a no-op), resolved when its condition no longer holds or
// its rule is disabled. Each opening and resolution is sent to the tenant's webhooks,
// through the delivery log and the queue, after the transaction commits.
import { db } from "../platform/db/client";
import { isUniqueViolation } from "../platform/errors";
import { logger } from "../platform/logger";
import { publishGatewayChanges } from "../gateways/live";
import { firing } from "./conditions";
import { defaultEnqueue, messageBody, recordDeliveries, type Enqueue } from "./webhooks";

export interface EvaluateAlertsOptions {
  now?: Date;
  enqueue?: Enqueue;
  /** Only this tenant (tests); all tenants with rules otherwise. */
  tenantId?: string;
}

export async function evaluateAlerts(opts: EvaluateAlertsOptions = {}): Promise<{ opened: number; resolved: number }> {
  const now = opts.now ?? new Date();
  const enqueue = opts.enqueue ?? defaultEnqueue;
  const rules = await db().alertRule.findMany({
    where: opts.tenantId ? { tenantId: opts.tenantId } : {},
    select: { id: true, tenantId: true, name: true, kind: true, threshold: true, forSeconds: true, enabled: true },
  });
  let opened = 0;
  let resolved = 0;
  const changed = new Set<string>();
  const toSend: string[] = [];
  for (const rule of rules) {
    const fires = rule.enabled ? await firing(rule.tenantId, rule, now) : [];
    const bySubject = new Map(fires.map((f) => [f.subjectId, f]));
    const current = await db().alert.findMany({
      where: { tenantId: rule.tenantId, ruleId: rule.id, state: { not: "RESOLVED" } },
      select: { id: true, subjectId: true, subjectName: true, message: true, openedAt: true },
    });
    const webhooks = (await db().webhook.findMany({ where: { tenantId: rule.tenantId, enabled: true }, select: { id: true } })).map((w) => w.id);
    for (const a of current) {
      if (bySubject.has(a.subjectId)) continue;
      await db().$transaction(async (tx) => {
        const { count } = await tx.alert.updateMany({
          where: { id: a.id, tenantId: rule.tenantId, state: { not: "RESOLVED" } },
          data: { state: "RESOLVED", resolvedAt: now },
        });
        if (count !== 1) return;
        resolved++;
        changed.add(rule.tenantId);
        const body = messageBody(
          "alert.resolved",
          {
            alertId: a.id,
            rule: rule.name,
            kind: rule.kind,
            subject: a.subjectName,
            message: a.message,
            openedAt: a.openedAt.toISOString(),
            resolvedAt: now.toISOString(),
          },
          now,
        );
        toSend.push(...(await recordDeliveries(tx, rule.tenantId, webhooks, "alert.resolved", body, a.id)));
      });
    }
    const open = new Set(current.map((a) => a.subjectId));
    for (const f of fires) {
      if (open.has(f.subjectId)) continue;
      try {
        await db().$transaction(async (tx) => {
          const a = await tx.alert.create({
            data: {
              tenantId: rule.tenantId,
              ruleId: rule.id,
              subjectType: f.subjectType,
              subjectId: f.subjectId,
              subjectName: f.subjectName,
              message: f.message,
              evidence: f.evidence as object,
              openedAt: now,
            },
            select: { id: true },
          });
          opened++;
          changed.add(rule.tenantId);
          const body = messageBody(
            "alert.opened",
            {
              alertId: a.id,
              rule: rule.name,
              kind: rule.kind,
              subject: f.subjectName,
              subjectType: f.subjectType,
              subjectId: f.subjectId,
              message: f.message,
              evidence: f.evidence,
              openedAt: now.toISOString(),
            },
            now,
          );
          toSend.push(...(await recordDeliveries(tx, rule.tenantId, webhooks, "alert.opened", body, a.id)));
        });
      } catch (err) {
        // Another evaluator opened it first: deduplicated.
        if (!isUniqueViolation(err)) throw err;
      }
    }
  }
  await publishGatewayChanges(changed);
  for (const id of toSend) {
    // A delivery left unqueued (Redis down) stays PENDING in the log; it is not lost from view.
    await enqueue(id).catch((err: unknown) => logger.error({ err, deliveryId: id }, "could not queue webhook delivery"));
  }
  return { opened, resolved };
}
