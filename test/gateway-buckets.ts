// A cluster's minute bucket as the released agent API before the spool appended to it
// from the heartbeat script: one text record per sample ("link s rtt loss rx tx;", '-'
// for a value not sent), one APPEND per heartbeat; the first of a minute also set the TTL
// and recorded the bucket as pending and the minute as open. The minute flush still reads
// such buckets, so that a rolling upgrade loses no minute; tests write them with this.
import type { GatewaySample } from "../protocol/index";
import { redis } from "../server/platform/redis";
import { BUCKET_TTL_SECONDS, type GatewayKeys } from "../server/gateways/keys";
import { STATUS_DIGIT } from "../server/gateways/rollup-math";

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;

/** One sample's text record, as that version printed it. */
export const legacyRecord = (s: Sample) =>
  `${s.linkId} ${STATUS_DIGIT[s.status]} ${[s.rttMs, s.lossPct, s.rxBps, s.txBps].map((v) => (v === undefined ? "-" : String(v))).join(" ")};`;

export async function appendLegacyBucket(keys: GatewayKeys, minute: number, clusterId: string, tenantId: string, samples: readonly Sample[]) {
  const bucket = keys.bucket(minute, clusterId);
  const text = samples.map(legacyRecord).join("");
  const length = await redis().append(bucket, text);
  if (length === Buffer.byteLength(text)) {
    await redis().expire(bucket, BUCKET_TTL_SECONDS);
    await redis().sadd(keys.pending(minute), `${clusterId} ${tenantId}`);
    await redis().zadd(keys.minutes, minute, String(minute));
  }
}
