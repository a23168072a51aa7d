// Alerts end to end on real Postgres, Redis and BullMQ: a link goes DOWN, a LINK_DOWN
// rule opens one alert (deduplicated) with its evidence, a signed webhook reaches a
// local receiver that verifies it with the standardwebhooks package, a 500 is retried
// through BullMQ, the alert is acknowledged, then resolves when the link is UP again.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../test/clusters";
import { makeTenant, rand, tenantCtx, type TenantFixture } from "../test/fixtures";
import { startWorkers, type RunningWorkers } from "./run";
import { registry } from "./registry";
import type { AgentPrincipal } from "../server/platform/agent-principal";
import { recordHeartbeat } from "../server/clusters/record-heartbeat";
import { db } from "../server/platform/db/client";
import { evaluateLinks } from "../server/gateways/evaluate-links";
import { createProducer, type Producer } from "../server/platform/queues";
import { saveSlice } from "../server/slices/save-slice";
import { acknowledgeAlert, listAlerts } from "../server/alerts/alerts";
import { evaluateAlerts } from "../server/alerts/evaluate-alerts";
import { createRule } from "../server/alerts/rules";
import { createWebhook, listDeliveries, sendTest } from "../server/alerts/webhooks";

// A queue prefix of its own: no other run's worker takes these jobs.
const prefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
let t: TenantFixture;
let ends: AgentPrincipal[];
let linkId: string;
let seq = 0;
let receiver: Server;
let url: string;
let secret = "";
let failNext = 1;
const received: Array<{ type: string; data: Record<string, unknown>; id: string }> = [];
const rejected: string[] = [];
let producer: Producer;
let running: RunningWorkers;
const enqueue = (deliveryId: string) => producer.enqueue("alerts.deliver-webhook", { deliveryId }, { jobId: `delivery-${deliveryId}` });

const heartbeat = (agent: AgentPrincipal, at: number, status: string, reason?: string) =>
  recordHeartbeat(
    agent,
    {
      seq: ++seq,
      session: `s-${agent.clusterId}`.slice(0, 60),
      sentAt: new Date(at).toISOString(),
      appliedRevision: 0,
      components: [],
      gateways: [{ linkId, status, ...(reason ? { reason } : {}), lossPct: status === "DOWN" ? 100 : 0 }],
    },
    { now: at },
  );

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await makeTenant("alerts");
  const a = await makeCluster(t.id, { name: `eu-edge-${rand(2)}`, siteType: "EDGE" });
  const b = await makeCluster(t.id, { name: `us-core-${rand(2)}` });
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `pay-${rand(2)}`, subnet: "10.81.0.0/16", members: [a.name, b.name] } });
  linkId = (await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } })).id;
  ends = [a, b].map((c) => ({
    credentialId: `c-${rand()}`,
    clusterId: c.id,
    clusterName: c.name,
    tenantId: t.id,
    tenantSlug: t.slug,
    leaseDurationSeconds: 15,
  }));

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        const msg = new Webhook(secret).verify(body, req.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end("try again");
          return;
        }
        received.push({ ...msg, id: String(req.headers["webhook-id"]) });
        res.writeHead(204).end();
      } catch (err) {
        rejected.push(String(err));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  producer = createProducer({ prefix });
  running = await startWorkers({
    prefix,
    log: pino({ level: "silent" }),
    schedule: false,
    registry: registry.filter((e) => e.name === "alerts.deliver-webhook"),
  });
});

afterAll(async () => {
  await running?.close();
  await producer?.close();
  await new Promise((r) => receiver?.close(r));
});

describe("alerts", () => {
  test("a link DOWN past the rule's duration opens one alert; its signed webhook is retried after a 500; acknowledged; resolved when the link is UP", async () => {
    const created = await createWebhook(tenantCtx(t, "ADMIN"), { name: "on-call", url });
    secret = created.secret;
    expect(secret).toMatch(/^whsec_/);
    // Kept encrypted: the stored value does not hold the secret.
    const stored = await db().webhook.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.secretEnc).not.toContain(secret.slice(6));
    await createRule(tenantCtx(t, "ADMIN"), { name: "link down 30 s", kind: "LINK_DOWN", forSeconds: 30, enabled: true });

    const t0 = Date.now();
    for (const e of ends) await heartbeat(e, t0, "DOWN", "handshake timeout");
    await evaluateLinks(new Date(t0 + 500));
    // Down for 10 s: not yet.
    expect(await evaluateAlerts({ now: new Date(t0 + 10_000), tenantId: t.id, enqueue })).toEqual({ opened: 0, resolved: 0 });
    expect(await evaluateAlerts({ now: new Date(t0 + 31_000), tenantId: t.id, enqueue })).toEqual({ opened: 1, resolved: 0 });
    // Deduplicated: the next evaluation keeps the same alert.
    expect(await evaluateAlerts({ now: new Date(t0 + 41_000), tenantId: t.id, enqueue })).toEqual({ opened: 0, resolved: 0 });
    const [alert] = (await listAlerts(tenantCtx(t, "VIEWER"), { limit: 50 })).items;
    expect(alert).toMatchObject({
      state: "OPEN",
      subjectType: "link",
      subjectId: linkId,
      ruleKind: "LINK_DOWN",
      evidence: { status: "DOWN", reason: "handshake timeout", lossPct: 100 },
    });
    expect(alert!.message).toContain("DOWN since");

    const opened = await until("the signed alert.opened message", () => received.find((m) => m.type === "alert.opened"));
    expect(opened.data).toMatchObject({ alertId: alert!.id, kind: "LINK_DOWN", subjectId: linkId });
    expect(rejected).toEqual([]);
    const [delivery] = await listDeliveries(tenantCtx(t, "ADMIN"), created.id);
    // The first attempt got the 500, the retry went through.
    expect(delivery).toMatchObject({ eventType: "alert.opened", status: "DELIVERED", attempts: 2, lastStatus: 204, lastError: null });
    expect(opened.id).toBe(delivery!.id);
    // The queued job carries the delivery id only.
    const job = await producer.queue("alerts").getJob(`delivery-${delivery!.id}`);
    expect(job?.data).toEqual({ deliveryId: delivery!.id });

    await expect(acknowledgeAlert(tenantCtx(t, "VIEWER"), alert!.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await acknowledgeAlert(tenantCtx(t, "OPERATOR"), alert!.id)).toMatchObject({ state: "ACKNOWLEDGED", acknowledgedBy: t.members.OPERATOR.email });
    await expect(acknowledgeAlert(tenantCtx(t, "OPERATOR"), alert!.id)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db().auditLog.count({ where: { tenantId: t.id, action: "alert.acknowledge", targetId: alert!.id } })).toBe(1);

    const t1 = Date.now();
    for (const e of ends) await heartbeat(e, t1, "UP");
    await evaluateLinks(new Date(t1 + 500));
    expect(await evaluateAlerts({ now: new Date(t1 + 1000), tenantId: t.id, enqueue })).toEqual({ opened: 0, resolved: 1 });
    expect((await listAlerts(tenantCtx(t, "VIEWER"), { limit: 50 })).items[0]).toMatchObject({ id: alert!.id, state: "RESOLVED" });
    const resolved = await until("the alert.resolved message", () => received.find((m) => m.type === "alert.resolved"));
    expect(resolved.data).toMatchObject({ alertId: alert!.id });
  });

  test("send test: a signed webhook.test message; another tenant's webhook is NOT_FOUND", async () => {
    const [w] = await db().webhook.findMany({ where: { tenantId: t.id } });
    const { deliveryId } = await sendTest(tenantCtx(t, "ADMIN"), w!.id, enqueue);
    const msg = await until("the test message", () => received.find((m) => m.type === "webhook.test"));
    expect(msg.id).toBe(deliveryId);
    const other = await makeTenant("alerts-other");
    await expect(sendTest(tenantCtx(other, "ADMIN"), w!.id, enqueue)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("rules name the field a kind needs", async () => {
    await expect(createRule(tenantCtx(t, "ADMIN"), { name: "loss", kind: "LOSS_ABOVE", forSeconds: 300, enabled: true })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { threshold: ["required for LOSS_ABOVE"] } },
    });
    await expect(createRule(tenantCtx(t, "OPERATOR"), { name: "x", kind: "LINK_DOWN", forSeconds: 0, enabled: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
