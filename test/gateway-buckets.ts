// A cluster's minute bucket as agent APIs of earlier versions appended to it from the
// heartbeat script (one APPEND per heartbeat; the first of a minute also set the TTL and
// recorded the bucket as pending and the minute as open). The minute flush still reads
// such buckets, so that a rolling upgrade loses no minute; tests write them with this.
import { redis } from "../server/platform/redis";
import { BUCKET_TTL_SECONDS, type GatewayKeys } from "../server/gateways/keys";

export async function appendLegacyBucket(keys: GatewayKeys, minute: number, clusterId: string, tenantId: string, packed: Buffer | string) {
  const bucket = keys.bucket(minute, clusterId);
  const length = await redis().append(bucket, packed);
  if (length === Buffer.byteLength(packed)) {
    await redis().expire(bucket, BUCKET_TTL_SECONDS);
    await redis().sadd(keys.pending(minute), `${clusterId} ${tenantId}`);
    await redis().zadd(keys.minutes, minute, String(minute));
  }
}
