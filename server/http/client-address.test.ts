import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clientAddressFromHeaders, clientAddressOfRequest } from "./client-address";
import { clientFromChain, normalizeAddress, parseTrustedProxies } from "../platform/trusted-proxies";

const chain = (xff: string, peer: string) => [
  ...xff
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
  peer,
];

describe("client address from the socket and trusted proxies", () => {
  test("by default a client-sent X-Forwarded-For is ignored: the peer is the client", () => {
    const none = parseTrustedProxies("");
    expect(clientFromChain(chain("1.2.3.4", "203.0.113.9"), none)).toBe("203.0.113.9");
    expect(clientFromChain(chain("1.2.3.4", "127.0.0.1"), none)).toBe("127.0.0.1");
  });

  test("behind trusted proxies the chain is read from the right, and spoofed entries to the left never count", () => {
    const t = parseTrustedProxies("10.0.0.0/8, loopback");
    // client 198.51.100.7 sent "6.6.6.6"; the ingress (10.1.1.1) appended the client; the peer is the ingress
    expect(clientFromChain(chain("6.6.6.6, 198.51.100.7", "10.1.1.1"), t)).toBe("198.51.100.7");
    expect(clientFromChain(chain("6.6.6.6, 198.51.100.7, 10.1.1.1", "127.0.0.1"), t)).toBe("198.51.100.7");
    // a client that connects directly is not a proxy: its header counts for nothing
    expect(clientFromChain(chain("10.1.1.1", "198.51.100.7"), t)).toBe("198.51.100.7");
  });

  test("a hop count trusts that many hops nearest to us, whatever their address", () => {
    const t = parseTrustedProxies("1");
    expect(clientFromChain(chain("6.6.6.6, 198.51.100.7", "203.0.113.1"), t)).toBe("198.51.100.7");
    expect(clientFromChain(chain("", "203.0.113.1"), t)).toBe("203.0.113.1");
    // counts add up: the agent API behind the web, behind one more proxy
    expect(clientFromChain(chain("6.6.6.6, 198.51.100.7, 203.0.113.1", "172.18.0.3"), parseTrustedProxies("1,1"))).toBe("198.51.100.7");
  });

  test("addresses are made canonical, garbage behind trusted hops is not believed", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(normalizeAddress("unknown")).toBeNull();
    expect(clientFromChain(chain("<script>", "10.0.0.2"), parseTrustedProxies("private"))).toBe("10.0.0.2");
    expect(clientFromChain(["unknown"], parseTrustedProxies(""))).toBeNull();
  });

  test("bad specs name the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/10.0.0.0\/40/);
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/proxy.local/);
  });
});

// The web process's path: append-peer.cjs preloaded, a node:http server in front of the
// code that only sees headers (as Next.js route handlers do).
describe("headers-only code behind the append-peer preload", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    createRequire(import.meta.url)("./append-peer.cjs");
    server = createServer((req, res) => {
      const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
      res.end(JSON.stringify({ fromHeaders: clientAddressFromHeaders(headers), fromSocket: clientAddressOfRequest(req) }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("a client-sent X-Forwarded-For does not change the address", async () => {
    const spoofed = await (await fetch(base, { headers: { "x-forwarded-for": "198.51.100.77" } })).json();
    expect(spoofed).toEqual({ fromHeaders: "127.0.0.1", fromSocket: "127.0.0.1" });
    const plain = await (await fetch(base)).json();
    expect(plain.fromHeaders).toBe("127.0.0.1");
  });

  test("a trusted proxy's entry is believed", async () => {
    const res = await fetch(base, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.77" } });
    const body = await res.json();
    expect(body).toMatchObject({ fromHeaders: "127.0.0.1" });
    // the same request seen with loopback trusted (as for a local reverse proxy)
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.77, 127.0.0.1" });
    expect(clientAddressFromHeaders(headers, parseTrustedProxies("loopback"))).toBe("198.51.100.77");
  });
});
