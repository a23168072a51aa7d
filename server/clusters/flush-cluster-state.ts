// Writes the hot heartbeat state of dirty clusters to Postgres in batches: one
// multi-row UPDATE per batch instead of a transaction per heartbeat. A heartbeat from
// a cluster that is not AVAILABLE (lease expired, or pending) makes it AVAILABLE here,
// with an event only on that transition.
import { MISSED_LEASES_UNKNOWN } from "../../protocol/index";
import { writeAudits } from "../audit/write-audit";
import { recordDeliveries } from "../rollouts/outbox";
import { systemActor } from "../platform/context";
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { redis } from "../platform/redis";
import { writeEvents } from "../events/events";
import { hotStateKey } from "../hot-state/keys";
import { DIRTY_CLUSTERS_KEY } from "./keys";

const FIELDS = ["tenantId", "seq", "lastSeen", "components", "inventory", "session"] as const;

interface Batch {
  ids: string[];
  /** The rows as one JSON array for jsonb_to_recordset, built without parsing the stored JSON. */
  json: string;
}

// The hot state already holds components and inventory as JSON text (validated when the
// heartbeat came in): they are spliced into the batch as they are, so a flush parses and
// re-encodes nothing per cluster. Only when a batch is refused is each cluster's text
// checked (`check`): one unreadable hot state (a bug, or a hand edit) must not keep the
// other clusters of its batch out of Postgres for ever.
async function readBatch(ids: string[], check = false): Promise<Batch & { unreadable: string[] }> {
  const pipe = redis().pipeline();
  for (const id of ids) pipe.hmget(hotStateKey(id), ...FIELDS);
  const res = (await pipe.exec()) ?? [];
  const parts: string[] = [];
  const kept: string[] = [];
  const unreadable: string[] = [];
  ids.forEach((id, i) => {
    const [tenantId, seq, lastSeen, components, inventory, session] = (res[i]?.[1] ?? []) as Array<string | null>;
    if (!tenantId || !lastSeen) return; // expired or deleted meanwhile
    if (check && !(isJson(components || "[]") && isJson(inventory || "null"))) return void unreadable.push(id);
    const n = (v: string | null, fallback: number) => (v !== null && Number.isFinite(Number(v)) ? Number(v) : fallback);
    parts.push(
      `{"id":${JSON.stringify(id)},"tenantId":${JSON.stringify(tenantId)},"seq":${n(seq, -1)},"ms":${n(lastSeen, 0)},"components":${components || "[]"},"inv":${inventory || "null"},"session":${session && session !== "-" ? JSON.stringify(session) : "null"}}`,
    );
    kept.push(id);
  });
  return { ids: kept, json: `[${parts.join(",")}]`, unreadable };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function writeBatch(batch: Batch, nowMs: number) {
  return db().$transaction(async (tx) => {
    // Lock in id order (as lease evaluation does) and remember the availability before.
    const before = await tx.$queryRaw<Array<{ id: string; availability: string; ns: string | null }>>`
      SELECT "id", "availability"::text AS "availability", md5("reportedNamespaces"::text) AS "ns" FROM "Cluster" WHERE "id" = ANY(${batch.ids}::text[]) ORDER BY "id" FOR UPDATE`;
    const was = new Map(before.map((r) => [r.id, r.availability]));
    const nsWas = new Map(before.map((r) => [r.id, r.ns]));
    const updated = await tx.$queryRaw<Array<{ id: string; tenantId: string; name: string; availability: string; ns: string | null }>>`
      UPDATE "Cluster" AS c SET
        "lastSeenAt" = GREATEST(c."lastSeenAt", to_timestamp(v.ms / 1000.0) AT TIME ZONE 'UTC'),
        -- A new agent session restarts the sequence (see record-heartbeat.ts).
        "lastHeartbeatSeq" = CASE WHEN v.session IS NOT NULL AND v.session IS DISTINCT FROM c."agentSession" THEN v.seq ELSE GREATEST(c."lastHeartbeatSeq", v.seq) END,
        "agentSession" = COALESCE(v.session, c."agentSession"),
        "components" = v.components,
        "kubernetesVersion" = COALESCE(v.inv->>'kubernetesVersion', c."kubernetesVersion"),
        "cni" = COALESCE(v.inv->>'cni', c."cni"),
        "nodeCount" = COALESCE((v.inv->>'nodeCount')::int, c."nodeCount"),
        "agentVersion" = COALESCE(v.inv->>'agentVersion', c."agentVersion"),
        "behindNat" = COALESCE((v.inv->>'behindNat')::boolean, c."behindNat"),
        "provider" = COALESCE(v.inv->>'provider', c."provider"),
        "region" = COALESCE(c."region", v.inv->>'region'),
        "podCidrs" = CASE WHEN v.inv ? 'podCidrs' THEN ARRAY(SELECT jsonb_array_elements_text(v.inv->'podCidrs')) ELSE c."podCidrs" END,
        "serviceCidrs" = CASE WHEN v.inv ? 'serviceCidrs' THEN ARRAY(SELECT jsonb_array_elements_text(v.inv->'serviceCidrs')) ELSE c."serviceCidrs" END,
        "gatewayEndpoints" = CASE WHEN v.inv ? 'gatewayEndpoints' THEN ARRAY(SELECT jsonb_array_elements_text(v.inv->'gatewayEndpoints')) ELSE c."gatewayEndpoints" END,
        "reportedNamespaces" = CASE WHEN v.inv ? 'namespaces' THEN v.inv->'namespaces' ELSE c."reportedNamespaces" END,
        "availability" = CASE WHEN v.ms > ${nowMs}::float8 - ${MISSED_LEASES_UNKNOWN} * 1000.0 * c."leaseDurationSeconds" THEN 'AVAILABLE'::"Availability" ELSE c."availability" END
      FROM jsonb_to_recordset(${batch.json}::jsonb) AS v("id" text, "tenantId" text, "seq" bigint, "ms" float8, "components" jsonb, "inv" jsonb, "session" text)
      WHERE c."id" = v."id" AND c."tenantId" = v."tenantId"
      RETURNING c."id", c."tenantId", c."name", c."availability"::text AS "availability", md5(c."reportedNamespaces"::text) AS "ns"`;
    // A namespace created or deleted in a cluster changes which objects its bundle
    // holds (compile-bundle.ts): deliver it again, through the outbox, in this transaction.
    const nsChanged = updated.filter((r) => r.ns !== nsWas.get(r.id));
    for (const tenantId of new Set(nsChanged.map((r) => r.tenantId))) {
      await recordDeliveries(
        tx,
        tenantId,
        nsChanged.filter((r) => r.tenantId === tenantId).map((r) => r.id),
        "cluster namespaces changed",
      );
    }
    const recovered = updated.filter((r) => r.availability === "AVAILABLE" && was.get(r.id) !== "AVAILABLE");
    if (recovered.length) {
      await writeEvents(
        tx,
        recovered.map((r) => ({
          tenantId: r.tenantId,
          clusterId: r.id,
          type: "cluster.available",
          message: `${r.name} is AVAILABLE again (heartbeat received)`,
          data: { from: was.get(r.id), to: "AVAILABLE" },
        })),
      );
      await writeAudits(
        tx,
        recovered.map((r) => ({
          tenantId: r.tenantId,
          actor: systemActor("lease"),
          action: "cluster.availability",
          targetType: "cluster",
          targetId: r.id,
          before: { availability: was.get(r.id) },
          after: { availability: "AVAILABLE" },
        })),
      );
    }
    return { written: updated.length, recovered: recovered.length };
  });
}

export interface FlushOptions {
  batchSize?: number;
  /** Stop after this many batches (the next run continues). */
  maxBatches?: number;
  now?: Date;
}

/** Flush dirty clusters' hot state to Postgres; safe to run in several processes at once (SPOP splits the work). */
export async function flushClusterState(opts: FlushOptions = {}): Promise<{ written: number; recovered: number }> {
  const batchSize = opts.batchSize ?? 500;
  const total = { written: 0, recovered: 0 };
  for (let batch = 0; batch < (opts.maxBatches ?? 20); batch++) {
    const ids = (await redis().spop(DIRTY_CLUSTERS_KEY, batchSize)) as string[];
    if (ids.length === 0) break;
    const nowMs = (opts.now ?? new Date()).getTime();
    try {
      const batch = await readBatch(ids);
      if (batch.ids.length) {
        const r = await writeBatch(batch, nowMs).catch(async (err: unknown) => {
          // Refused: look for hot state that is not JSON. Without any, it was something else.
          const checked = await readBatch(ids, true);
          if (!checked.unreadable.length) throw err;
          // Left out of Postgres, not put back: its next heartbeat writes a readable state.
          logger.error({ clusterIds: checked.unreadable }, "hot state of clusters is not JSON; not written to Postgres");
          return checked.ids.length ? writeBatch(checked, nowMs) : { written: 0, recovered: 0 };
        });
        total.written += r.written;
        total.recovered += r.recovered;
      }
    } catch (err) {
      // Put them back: the next run (here or in another process) writes them.
      await redis()
        .sadd(DIRTY_CLUSTERS_KEY, ...ids)
        .catch(() => {});
      logger.error({ err, clusters: ids.length }, "flushing cluster state failed");
      throw err;
    }
    if (ids.length < batchSize) break;
  }
  return total;
}
