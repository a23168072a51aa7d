import net from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import { GatewayProber, tcpProbe } from "./targets/probe";

describe("GatewayProber", () => {
  it("never reports a TCP connect as a tunnel: UNKNOWN, no data plane, and endpoint reachability apart", async () => {
    const script: Record<string, Array<number | null>> = { "up.test": [10, 12, 14], "flaky.test": [20, null, null], "dead.test": [null, null, null] };
    const prober = new GatewayProber({ intervalMs: 60_000, probe: async (host) => script[host]!.shift() ?? null });
    prober.setLinks([
      { id: "up", endpoint: "up.test:443" },
      { id: "flaky", endpoint: "flaky.test:443" },
      { id: "dead", endpoint: "dead.test:443" },
      { id: "natted" },
    ]);
    await prober.round(); // joins the round setLinks started
    prober.stop();
    const byId = Object.fromEntries(prober.samples().map((s) => [s.linkId, s]));
    expect(byId.up).toEqual({ linkId: "up", status: "UNKNOWN", reason: "no data plane", endpointReachable: true });
    expect(byId.flaky).toEqual({ linkId: "flaky", status: "UNKNOWN", reason: "no data plane", endpointReachable: true });
    expect(byId.dead).toEqual({ linkId: "dead", status: "UNKNOWN", reason: "no data plane", endpointReachable: false });
    // A peer behind NAT dials us: nothing to probe, reachability not known.
    expect(byId.natted).toEqual({ linkId: "natted", status: "UNKNOWN", reason: "no data plane" });
  });

  it("times a real TCP connect, and reports a refused one as lost", async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    expect(await tcpProbe("127.0.0.1", port, 2000)).toBeGreaterThanOrEqual(0);
    await new Promise((r) => server.close(r));
    expect(await tcpProbe("127.0.0.1", port, 2000)).toBeNull();
  });
});

describe("logger", () => {
  it("writes one JSON line per event and never prints secrets", () => {
    const lines: string[] = [];
    const log = createLogger("info", { service: "t" }, (l) => lines.push(l));
    log.debug("hidden");
    log.info("enrolled", { clusterId: "c1", credential: "isa_secret", nested: { token: "isr_secret" } });
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]!);
    expect(rec).toMatchObject({ level: "info", msg: "enrolled", service: "t", clusterId: "c1", credential: "[redacted]", nested: { token: "[redacted]" } });
    expect(lines[0]).not.toContain('secret"');
    expect(lines[0]).not.toContain("isa_secret");
  });
});
