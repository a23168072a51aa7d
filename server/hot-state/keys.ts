// Redis layout of the hot heartbeat state (every key under the {isthmus} hash tag).
import { key } from "../platform/redis";

/** Hash of a cluster's hot heartbeat state: seq, lastSeen (ms), applied, tenantId, hb (the latest body as JSON), components, inventory, marked (ms: when it was last marked dirty). */
export const hotStateKey = (clusterId: string) => key("cluster", clusterId, "hot");

/** Hot state outlives a silent cluster long enough for lease evaluation, then expires. */
export const HOT_STATE_TTL_SECONDS = 24 * 3600;
