// Which hops in front of us may say who the client is. Pure: parsing and the walk over
// an X-Forwarded-For chain, shared by the web process and the agent API (the
// environment is read in client-address.ts).
import { BlockList, isIP } from "node:net";

export interface TrustedProxies {
  /** Addresses of proxies we trust to append the address of whoever connected to them. */
  list: BlockList;
  /** Also trust this many hops nearest to us, whatever their address (0: none). */
  hops: number;
  /** The spec as given, for logs. */
  spec: string;
}

// Shorthands for the ranges a deployment usually means.
const KEYWORDS: Record<string, string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

/**
 * Parse `TRUSTED_PROXIES`: a comma-separated list of CIDRs, single addresses, the words
 * `loopback` and `private`, and/or a bare number of hops. Empty: trust nothing, so the
 * client address is the socket's peer. Throws with the offending entry.
 */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new BlockList();
  let hops = 0;
  const entries = (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries.flatMap((e) => KEYWORDS[e.toLowerCase()] ?? [e])) {
    if (/^\d+$/.test(entry)) {
      // Counts add up: compose puts the web hop in front of the agent API as `1,<yours>`.
      hops += Number(entry);
      if (hops > 16) throw new Error(`"${entry}": at most 16 hops in all`);
      continue;
    }
    const [addr, prefixText, extra] = entry.split("/");
    const family = isIP(addr ?? "");
    if (!family || extra !== undefined) throw new Error(`"${entry}" is not an IP address, a CIDR, "loopback", "private" or a number of hops`);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) throw new Error(`"${entry}": the prefix length must be 0..${max}`);
    list.addSubnet(addr!, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return { list, hops, spec: entries.join(",") };
}

/**
 * An address as it appears in a header or on a socket, made canonical: IPv4-mapped IPv6
 * becomes IPv4, brackets and ports are dropped. Null when it is not an IP address.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(s)) s = s.slice(7);
  const family = isIP(s);
  if (!family) return null;
  return family === 6 ? s.toLowerCase() : s;
}

function trusted(t: TrustedProxies, addr: string, fromRight: number): boolean {
  if (fromRight < t.hops) return true;
  return t.list.check(addr, isIP(addr) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client of a connection: `chain` is every X-Forwarded-For entry, left to right,
 * followed by the socket's peer. Each trusted proxy appends the address that connected
 * to it, so the chain is only believable from the right: walk leftwards past trusted
 * hops and stop at the first one that is not trusted. Entries left of it were written
 * by the client and are ignored. Null only when the peer itself is unknown.
 */
export function clientFromChain(chain: readonly string[], t: TrustedProxies): string | null {
  let client: string | null = null;
  for (let i = chain.length - 1, fromRight = 0; i >= 0; i--, fromRight++) {
    const addr = normalizeAddress(chain[i]);
    // Garbage behind trusted hops means a proxy did not append a real address: keep
    // the last address we could vouch for rather than believe the text.
    if (!addr) return client;
    client = addr;
    if (!trusted(t, addr, fromRight)) return addr;
  }
  return client;
}

/** Split an X-Forwarded-For value (several headers arrive joined by commas). */
export function splitForwardedFor(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value.join(",") : value)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
