// Reads gateway links out of a bundle. The bundle's slice section is deliberately loose
// in the contract (it grows with the data planes), so nothing here may throw on a shape
// it does not know: unknown means "no link", not "crash".
import type { Bundle } from "../protocol/index";

export interface BundleLink {
  id: string;
  /** The peer gateway's "host:port", when the bundle names one. */
  endpoint?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

function peerEndpoint(link: Record<string, unknown>): string | undefined {
  const peer = isObject(link.peer) ? link.peer : isObject(link.remote) ? link.remote : undefined;
  const fromPeer = peer
    ? (str(peer.endpoint) ?? str(peer.gatewayEndpoint) ?? (Array.isArray(peer.gatewayEndpoints) ? str(peer.gatewayEndpoints[0]) : undefined))
    : undefined;
  return fromPeer ?? str(link.peerEndpoint) ?? str(link.remoteEndpoint) ?? str(link.endpoint);
}

export function bundleLinks(bundle: Bundle | { slices?: unknown } | null | undefined): BundleLink[] {
  const slices = bundle && Array.isArray(bundle.slices) ? bundle.slices : [];
  const seen = new Map<string, BundleLink>();
  for (const slice of slices) {
    if (!isObject(slice) || !Array.isArray(slice.links)) continue;
    for (const link of slice.links) {
      if (!isObject(link)) continue;
      const id = str(link.id);
      if (!id || seen.has(id)) continue;
      seen.set(id, { id: id.slice(0, 128), endpoint: peerEndpoint(link) });
    }
  }
  return [...seen.values()];
}

/** "host:port", "[v6]:port" or "scheme://host:port"; port defaults to `defaultPort`. */
export function parseEndpoint(endpoint: string, defaultPort = 443): { host: string; port: number } | null {
  const bare = endpoint.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(bare);
  const m = v6 ?? /^([^:]+)(?::(\d+))?$/.exec(bare);
  if (!m || !m[1]) return null;
  const port = m[2] ? Number(m[2]) : defaultPort;
  return port > 0 && port < 65536 ? { host: m[1], port } : null;
}
