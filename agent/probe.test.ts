import net from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import { GatewayProber, tcpProbe } from "./targets/probe";

describe("GatewayProber", () => {
  it("turns probe results into UP, DEGRADED, DOWN and UNKNOWN samples", async () => {
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
    expect(byId.up).toMatchObject({ status: "UP", rttMs: 12, lossPct: 0 });
    expect(byId.flaky).toMatchObject({ status: "DEGRADED", rttMs: 20, lossPct: 66.7 });
    expect(byId.dead).toMatchObject({ status: "DOWN", lossPct: 100 });
    expect(byId.dead!.rttMs).toBeUndefined();
    expect(byId.natted).toEqual({ linkId: "natted", status: "UNKNOWN" });
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
    expect(lines[0]).not.toContain("secret\"");
    expect(lines[0]).not.toContain("isa_secret");
  });
});
