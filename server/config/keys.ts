// Redis layout of config delivery (every key and channel under the {isthmus} hash tag).
import { key } from "../platform/redis";

/** String: the latest revision number of a cluster (a cache of Postgres, only ever raised). */
export const latestRevisionKey = (clusterId: string) => key("revision", clusterId);
/** Pub/sub channel: a new revision (its number as the message) was published for the cluster. */
export const configChannel = (clusterId: string) => key("config", clusterId);
/** Pattern matching every cluster's config channel: one subscription per process. */
export const CONFIG_CHANNEL_PATTERN = key("config", "*");
export const clusterIdOfConfigChannel = (channel: string) => channel.slice(key("config", "").length);
// Short enough that a publisher dying between commit and cache update heals itself soon.
export const LATEST_REVISION_TTL_SECONDS = 300;
