// Approximate coordinates (latitude, longitude) of well-known regions: the cloud
// providers' own and the demo fleet's simulated sites'. Used to place clusters that have
// a region but no coordinates of their own on the gateways world map of the demo fleet;
// an operator sets a real site's coordinates on its cluster page.
export const REGION_COORDINATES: Readonly<Record<string, readonly [number, number]>> = {
  // AWS
  "us-east-1": [38.9, -77.4],
  "us-east-2": [40.0, -83.0],
  "us-west-1": [37.4, -121.9],
  "us-west-2": [45.8, -119.7],
  "eu-west-1": [53.3, -6.3],
  "eu-west-2": [51.5, -0.1],
  "eu-central-1": [50.1, 8.7],
  "ap-southeast-1": [1.35, 103.8],
  "ap-northeast-1": [35.7, 139.7],
  // GCP
  "europe-west4": [53.4, 6.8],
  "europe-west1": [50.4, 3.8],
  "us-central1": [41.3, -95.9],
  "asia-southeast1": [1.35, 103.8],
  // Azure
  westeurope: [52.4, 4.9],
  northeurope: [53.3, -6.3],
  eastus: [37.4, -79.2],
  westus: [37.8, -122.4],
  // The demo fleet's edge and on-prem sites (agent/targets/profiles.ts)
  "store-eu-north": [59.3, 18.1],
  "store-eu-south": [41.4, 2.2],
  "retail-us-east": [40.7, -74.0],
  "factory-de": [48.8, 9.2],
  "vessel-atlantic": [38.7, -27.2],
  "dc-fra1": [50.1, 8.7],
  "dc-ams2": [52.3, 4.8],
  "dc-dal1": [32.8, -96.8],
  "dc-sin1": [1.3, 103.9],
};

/**
 * Where a cluster of this region goes on the map when it has no coordinates of its own:
 * the region's, moved by up to ~0.6° by its id so sites of one region do not sit on the
 * same point (the map still groups them when they are close). Null for an unknown region.
 */
export function placeInRegion(region: string | null, id: string): { latitude: number; longitude: number } | null {
  const at = region ? REGION_COORDINATES[region] : undefined;
  if (!at) return null;
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  const dx = ((h & 0xffff) / 0xffff - 0.5) * 1.2;
  const dy = (((h >>> 16) & 0xffff) / 0xffff - 0.5) * 1.2;
  return { latitude: Math.round((at[0] + dy) * 1e4) / 1e4, longitude: Math.round((at[1] + dx) * 1e4) / 1e4 };
}
