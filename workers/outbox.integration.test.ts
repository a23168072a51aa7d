// The delivery outbox: what a writer commits is delivered even when its process dies
// between commit and publish (the worker's drain delivers it); a failed delivery is
// retried with backoff, recording attempts and the error; rows of a deleted cluster are
// dropped; and every writer that changes bundles records its rows in its transaction.
import { spawn } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../test/clusters";
import { makeTenant, tenantCtx, type TenantFixture } from "../test/fixtures";
import { deleteCluster } from "../server/clusters/delete-cluster";
import { updateCluster } from "../server/clusters/update-cluster";
import { db } from "../server/platform/db/client";
import { createQosProfile } from "../server/qos-profiles/create-qos-profile";
import { updateQosProfile } from "../server/qos-profiles/update-qos-profile";
import { createProducer, type Producer } from "../server/platform/queues";
import { deleteSlice } from "../server/slices/delete-slice";
import { importSlices } from "../server/kubeslice/import-export";
import { patchSlice, saveSlice } from "../server/slices/save-slice";
import { startWorkers, type RunningWorkers } from "./run";
import { registry } from "./registry";
import { backoffMs, drainOutbox, outboxHooks, type OutboxRow } from "../server/rollouts/outbox";

let t: TenantFixture;
let n = 0;
const nextSubnet = () => `10.${210 + (n++ % 40)}.0.0/16`;
const prefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
let producer: Producer | undefined;
let running: RunningWorkers | undefined;

type BundleSlices = { slices: Array<{ id: string }> };
const latestSlices = async (clusterId: string) => {
  const rev = await db().configRevision.findFirst({ where: { clusterId }, orderBy: { revision: "desc" } });
  return rev ? (rev.bundle as BundleSlices).slices.map((s) => s.id) : [];
};
const rowsOf = (tenantId: string) => db().deliveryOutbox.findMany({ where: { tenantId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  t = await makeTenant("outbox");
});

afterEach(() => {
  delete outboxHooks.beforeFastPath;
  delete outboxHooks.beforeDeliver;
});

afterAll(async () => {
  await running?.close();
  if (producer) {
    await producer.queue("config").obliterate({ force: true });
    await producer.close();
  }
});

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "outbox-test-child.ts"), ...args], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout })));
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("a crash between commit and publish", () => {
  test("the change is committed with its outbox rows; the worker's scheduled drain delivers it", async () => {
    const ctx = tenantCtx(t, "OPERATOR");
    const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const s = await saveSlice(ctx, { spec: { name: "survives-a-crash", subnet: nextSubnet(), members: [a.name, b.name] } });
    expect(await latestSlices(c.id)).toEqual([]);

    const child = await runChild([t.id, s.id, [a.name, b.name, c.name].join(",")]);
    expect(child.signal).toBe("SIGKILL");
    expect(child.stdout).toBe("");
    // Committed, but nothing was published: c's bundle does not have the slice yet.
    expect(await db().sliceMember.count({ where: { sliceId: s.id, clusterId: c.id } })).toBe(1);
    expect(await latestSlices(c.id)).toEqual([]);
    expect((await rowsOf(t.id)).map((r) => r.clusterId).sort()).toEqual([a.id, b.id, c.id].sort());

    // The worker process's drain, on its schedule, picks the rows up once the dead
    // request's claim on them has run out.
    producer = createProducer({ prefix });
    running = await startWorkers({ prefix, log: pino({ level: "silent" }), registry: registry.filter((e) => e.name === "config.drain-outbox") });
    await until(
      () => latestSlices(c.id),
      (ids) => ids.includes(s.id),
      "the drain to deliver the slice to c",
    );
    await until(
      () => rowsOf(t.id),
      (rows) => rows.length === 0,
      "the delivered rows to be deleted",
    );
    expect(await latestSlices(a.id)).toEqual([s.id]);
  }, 90_000);
});

describe("retries", () => {
  test("a failed delivery records attempts, the error and a backoff; the next due drain delivers; rows of a deleted cluster are dropped", async () => {
    const other = await makeTenant("outbox-retry");
    const ctx = tenantCtx(other, "OPERATOR");
    const [a, b] = [await makeCluster(other.id), await makeCluster(other.id)];
    outboxHooks.beforeDeliver = (clusterId) => {
      if (clusterId === b.id) throw new Error("publish failed: redis is away");
    };
    const saved = await saveSlice(ctx, { spec: { name: "retried", subnet: nextSubnet(), members: [a.name, b.name] } });
    // The request succeeds: its change is committed, and b's delivery is the outbox's problem now.
    expect(Object.keys(saved.revisions)).toEqual([a.id]);
    const [row] = await rowsOf(other.id);
    expect(row).toMatchObject({ clusterId: b.id, attempts: 1, lastError: "publish failed: redis is away" });
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(row!.createdAt.getTime());

    // Still failing when due: a second attempt, a longer wait.
    const due = new Date(row!.nextAttemptAt.getTime() + 1);
    expect(await drainOutbox({ tenantId: other.id, now: due })).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
    const [again] = await rowsOf(other.id);
    expect(again!.attempts).toBe(2);
    // Set from a later moment with a doubled wait (backoff 2 s, then 4 s).
    expect(again!.nextAttemptAt.getTime() - row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(backoffMs(2) - backoffMs(1));
    expect([1, 2, 3, 4, 20].map(backoffMs)).toEqual([2_000, 4_000, 8_000, 16_000, 300_000]);
    // Not due yet: left alone.
    expect(await drainOutbox({ tenantId: other.id })).toMatchObject({ claimed: 0 });

    delete outboxHooks.beforeDeliver;
    expect(await drainOutbox({ tenantId: other.id, now: new Date(again!.nextAttemptAt.getTime() + 1) })).toMatchObject({ claimed: 1, delivered: 1, failed: 0 });
    expect(await latestSlices(b.id)).toEqual([saved.id]);
    expect(await rowsOf(other.id)).toEqual([]);

    await db().deliveryOutbox.create({ data: { tenantId: other.id, clusterId: "cl_gone", reason: "test", nextAttemptAt: new Date(0) } });
    expect(await drainOutbox({ tenantId: other.id })).toMatchObject({ claimed: 1, delivered: 0, dropped: 1 });
    expect(await rowsOf(other.id)).toEqual([]);
  });
});

describe("every writer that changes bundles goes through the outbox", () => {
  test("slice create, update, delete, QoS profile update, cluster rename and delete, import: rows committed before the fast path, none left after", async () => {
    const ctx = tenantCtx(t, "ADMIN");
    const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const seen: Array<{ clusters: string[]; committed: number }> = [];
    outboxHooks.beforeFastPath = async (rows: OutboxRow[]) => {
      // Another connection sees the rows: they were committed with the change.
      const committed = await db().deliveryOutbox.count({ where: { id: { in: rows.map((r) => r.id) } } });
      seen.push({ clusters: rows.map((r) => r.clusterId).sort(), committed });
    };
    const expectRows = async (clusters: string[]) => {
      expect(seen.pop()).toEqual({ clusters: [...clusters].sort(), committed: clusters.length });
      expect(await rowsOf(t.id)).toEqual([]);
    };
    await createQosProfile(ctx, { name: "outbox-qos", priority: 1, bandwidthCeilingKbps: 2000, bandwidthGuaranteedKbps: 1000, dscpClass: "AF41" });
    const s = await saveSlice(ctx, { spec: { name: "written", subnet: nextSubnet(), members: [a.name, b.name], qosProfile: "outbox-qos" } });
    await expectRows([a.id, b.id]);
    await patchSlice(ctx, s.id, { members: [a.name, b.name, c.name] });
    await expectRows([a.id, b.id, c.id]);
    const profile = await db().qosProfile.findFirstOrThrow({ where: { tenantId: t.id, name: "outbox-qos" } });
    await updateQosProfile(ctx, profile.id, { priority: 3 });
    await expectRows([a.id, b.id, c.id]);
    await updateCluster(ctx, c.id, { name: `renamed-${randomBytes(2).toString("hex")}` });
    await expectRows([a.id, b.id, c.id]);
    await deleteCluster(ctx, c.id);
    await expectRows([a.id, b.id]);
    await deleteSlice(ctx, s.id);
    await expectRows([a.id, b.id]);
    await importSlices(
      ctx,
      `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: imported-through-outbox
spec:
  sliceSubnet: ${nextSubnet()}
  maxClusters: 16
  clusters: [${a.name}, ${b.name}]
  sliceGatewayProvider: { sliceGatewayType: OpenVPN, sliceCaType: Local }
  sliceIpamType: Local
`,
    );
    await expectRows([a.id, b.id]);
  });
});
