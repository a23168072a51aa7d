// Site types of a cluster: the one list the agent reports from, the server validates
// against and the console offers (its order is the console's too: edge, cloud, data centre).
export const SITE_TYPES = ["EDGE", "CLOUD", "ONPREM"] as const;
export type SiteType = (typeof SITE_TYPES)[number];
