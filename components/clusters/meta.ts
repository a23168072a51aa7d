// Labels and tones of the cluster and registration-token pages (number and time formats: lib/format.ts). Pure: no React.
import type { z } from "zod";
import type { SiteType } from "@/protocol/sites";
import type { ZAvailability } from "@/server/clusters/schema";
import type { EventSeverity } from "@/server/events/events";
import type { BadgeTone } from "../ui/badge";

export { SITE_TYPES, type SiteType } from "@/protocol/sites";
export type Availability = z.infer<typeof ZAvailability>;

export const SITE_LABEL: Record<SiteType, string> = { EDGE: "Edge", CLOUD: "Cloud", ONPREM: "On-prem" };
export const SITE_HINT: Record<SiteType, string> = {
  EDGE: "Stores, factories, vessels: small, often behind NAT",
  CLOUD: "A managed cluster in a cloud region",
  ONPREM: "A cluster in your own data centre",
};

export const AVAILABILITY_LABEL: Record<Availability, string> = { AVAILABLE: "Available", UNKNOWN: "Unknown", PENDING: "Pending" };
/** In the order the filter offers them. */
export const AVAILABILITIES = Object.keys(AVAILABILITY_LABEL) as Availability[];
export const AVAILABILITY_TONE: Record<Availability, BadgeTone> = { AVAILABLE: "success", UNKNOWN: "warning", PENDING: "neutral" };
export const AVAILABILITY_HINT: Record<Availability, string> = {
  AVAILABLE: "Heartbeats arrive within the lease",
  UNKNOWN: "No heartbeat for three leases",
  PENDING: "Registered, no heartbeat yet",
};

/** Component and gateway statuses as agents report them. */
export const STATUS_TONE: Record<string, BadgeTone> = {
  OK: "success",
  UP: "success",
  DEGRADED: "warning",
  DOWN: "danger",
  FAILED: "danger",
  UNKNOWN: "neutral",
};
export const STATUS_LABEL: Record<string, string> = { OK: "OK", UP: "Up", DEGRADED: "Degraded", DOWN: "Down", FAILED: "Failed", UNKNOWN: "Unknown" };

export const SEVERITY_TONE: Record<EventSeverity, BadgeTone> = { INFO: "accent", WARNING: "warning", CRITICAL: "danger" };
export const SEVERITY_LABEL: Record<EventSeverity, string> = { INFO: "Info", WARNING: "Warning", CRITICAL: "Critical" };

/** How often live views poll: heartbeats land every lease (15 s by default), status changes at any time. */
export const LIVE_INTERVAL_MS = 3_000;
