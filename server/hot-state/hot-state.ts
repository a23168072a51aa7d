// Reading the hot heartbeat state that Redis holds ahead of Postgres.
import { ZComponentStatus, ZGatewaySample } from "../../protocol/index";
import { redis } from "../platform/redis";
import { hotStateKey } from "./keys";
import { z } from "zod";

export interface HotState {
  seq: number;
  lastSeenAt: Date;
  reportedAppliedRevision: number;
  components: Array<z.infer<typeof ZComponentStatus>>;
  gateways: Array<z.infer<typeof ZGatewaySample>>;
  inventory: Record<string, unknown> | null;
}

function json<T>(text: string | undefined | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Gateway samples of the latest heartbeat, from its body (`hb`, JSON as validated).
 * State written before the body was kept whole had a `gateways` field of its own; it is
 * read while such state may still be around (it expires with the hot state's TTL).
 */
function latestGateways(hb: string | null | undefined, gateways: string | null | undefined): HotState["gateways"] {
  if (hb) return json<{ gateways?: HotState["gateways"] }>(hb, {}).gateways ?? [];
  return json(gateways, []);
}

function parse(raw: Record<string, string>): HotState | null {
  if (!raw.lastSeen) return null;
  return {
    seq: Number(raw.seq ?? -1),
    lastSeenAt: new Date(Number(raw.lastSeen)),
    reportedAppliedRevision: Number(raw.applied ?? 0),
    components: json(raw.components, []),
    gateways: latestGateways(raw.hb, raw.gateways),
    inventory: json(raw.inventory, null),
  };
}

export async function readHotState(clusterId: string): Promise<HotState | null> {
  return parse(await redis().hgetall(hotStateKey(clusterId)));
}

/** Last-seen times (ms) for many clusters in one round trip; missing ones are absent. */
export async function readLastSeen(clusterIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (clusterIds.length === 0) return out;
  const pipe = redis().pipeline();
  for (const id of clusterIds) pipe.hget(hotStateKey(id), "lastSeen");
  const res = (await pipe.exec()) ?? [];
  clusterIds.forEach((id, i) => {
    const v = res[i]?.[1];
    if (typeof v === "string") out.set(id, Number(v));
  });
  return out;
}

export interface LatestGateways {
  /** When the heartbeat that carried them arrived (ms). */
  at: number;
  gateways: HotState["gateways"];
}

/** Each cluster's gateway samples from its latest heartbeat, in one round trip; clusters never heard from are absent. */
export async function readLatestGateways(clusterIds: readonly string[]): Promise<Map<string, LatestGateways>> {
  const out = new Map<string, LatestGateways>();
  if (clusterIds.length === 0) return out;
  const pipe = redis().pipeline();
  for (const id of clusterIds) pipe.hmget(hotStateKey(id), "hb", "gateways", "lastSeen");
  const res = (await pipe.exec()) ?? [];
  clusterIds.forEach((id, i) => {
    const [hb, gateways, lastSeen] = (res[i]?.[1] ?? []) as Array<string | null>;
    const at = Number(lastSeen);
    if (lastSeen && Number.isFinite(at)) out.set(id, { at, gateways: latestGateways(hb, gateways) });
  });
  return out;
}
