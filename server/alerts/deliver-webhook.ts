// Sends one webhook delivery, signed as the Standard Webhooks specification defines
// (webhook-id = the delivery id, so a receiver can deduplicate retries; webhook-timestamp;
// webhook-signature), with the standardwebhooks package. A non-2xx answer or a network
// error throws: BullMQ retries with exponential backoff (server/platform/queues.ts), and the
// delivery log records every attempt. The job payload is the delivery id only; the
// secret is read and decrypted here, never queued or logged.
import { Webhook } from "standardwebhooks";
import { db } from "../platform/db/client";
import { open } from "./secret-box";

const TIMEOUT_MS = 10_000;

export interface DeliverOptions {
  /** This attempt is the last BullMQ will make: a failure marks the delivery FAILED. */
  lastAttempt: boolean;
}

export async function deliverWebhook(deliveryId: string, opts: DeliverOptions): Promise<{ status: number } | { skipped: string }> {
  const d = await db().webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, tenantId: true, body: true, status: true, webhook: { select: { url: true, secretEnc: true, enabled: true, tenantId: true } } },
  });
  if (!d || d.webhook.tenantId !== d.tenantId) return { skipped: "delivery or webhook gone" };
  if (d.status === "DELIVERED") return { skipped: "already delivered" };
  if (!d.webhook.enabled) return { skipped: "webhook disabled" };
  let status: number | null = null;
  let error: string | null = null;
  try {
    // The signed timestamp and the header must be the same second.
    const at = new Date();
    const signature = new Webhook(open(d.webhook.secretEnc)).sign(d.id, at, d.body);
    const now = Math.floor(at.getTime() / 1000);
    const res = await fetch(d.webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": d.id,
        "webhook-timestamp": String(now),
        "webhook-signature": signature,
        "user-agent": "isthmus-webhooks",
      },
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel().catch(() => {});
    if (!res.ok) error = `answered HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : `could not deliver: ${(err as Error).message}`;
  }
  await db().webhookDelivery.update({
    where: { id: d.id },
    data: {
      attempts: { increment: 1 },
      lastStatus: status,
      lastError: error,
      ...(error ? (opts.lastAttempt ? { status: "FAILED" } : {}) : { status: "DELIVERED", deliveredAt: new Date() }),
    },
  });
  if (error) throw new Error(`webhook delivery ${d.id}: ${error}`);
  return { status: status! };
}
