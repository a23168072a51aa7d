// Redis layout of the clusters domain (every key under the {isthmus} hash tag).
import { key } from "../platform/redis";

/** Set of cluster ids with heartbeats not yet written to Postgres. */
export const DIRTY_CLUSTERS_KEY = key("clusters", "dirty");
/** Pub/sub channel: JSON array of agent credential ids that stopped being valid. */
export const CREDENTIALS_REVOKED_CHANNEL = key("credentials", "revoked");
/** Enrolment attempts from one source address in one minute window. */
export const enrolRateKey = (ip: string, window: number) => key("ratelimit", "enrol", ip, window);
/** Set (NX, 60 s) when a refused enrolment was recorded, so a retry loop logs once a minute. */
export const enrolRefusalKey = (subject: string) => key("enrol-refused", subject);
