// Gateway links as the kube target can honestly report them. No data plane carries a
// slice yet, so nothing here can say a tunnel is up: the link is UNKNOWN with the reason
// "no data plane". What can be measured is weaker and reported apart: whether the
// peer's gateway endpoint accepts a TCP connect ("endpoint reachable"). That is not a
// tunnel (the gateway is UDP by default, and nothing need listen there yet). Cheap,
// needs no privileges, and bounded — a few probes per link per round, at most
// MAX_LINKS links.
import net from "node:net";
import type { GatewaySample } from "../../protocol/index";
import { parseEndpoint, type BundleLink } from "../bundle";

const MAX_LINKS = 64;
export const NO_DATA_PLANE = "no data plane";

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host, port });
    const finish = (rtt: number | null) => {
      socket.destroy();
      resolve(rtt);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.once("connect", () => finish(performance.now() - started));
    socket.once("error", () => finish(null));
  });
}

export interface ProberOptions {
  intervalMs?: number;
  timeoutMs?: number;
  probesPerRound?: number;
  probe?: typeof tcpProbe;
}

export class GatewayProber {
  private links: BundleLink[] = [];
  private results = new Map<string, GatewaySample>();
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;

  constructor(private readonly opts: ProberOptions = {}) {}

  setLinks(links: BundleLink[]): void {
    this.links = links.slice(0, MAX_LINKS);
    const ids = new Set(this.links.map((l) => l.id));
    for (const id of this.results.keys()) if (!ids.has(id)) this.results.delete(id);
    if (!this.timer && this.links.length) {
      this.timer = setInterval(() => void this.round(), this.opts.intervalMs ?? 10_000);
      this.timer.unref();
      void this.round();
    }
  }

  getLinks(): BundleLink[] {
    return this.links;
  }

  samples(): GatewaySample[] {
    return this.links.map((l) => this.results.get(l.id) ?? { linkId: l.id, status: "UNKNOWN" as const, reason: NO_DATA_PLANE });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One probing round; a call during a round joins it rather than stacking another. */
  round(): Promise<void> {
    this.current ??= this.probeAll().finally(() => (this.current = null));
    return this.current;
  }

  private async probeAll(): Promise<void> {
    const probe = this.opts.probe ?? tcpProbe;
    const count = this.opts.probesPerRound ?? 3;
    await Promise.all(
      this.links.map(async (link) => {
        // A peer without a reachable endpoint (behind NAT) dials us; nothing to probe.
        const target = link.endpoint ? parseEndpoint(link.endpoint) : null;
        if (!target) return;
        const rtts: number[] = [];
        for (let i = 0; i < count; i++) {
          const rtt = await probe(target.host, target.port, this.opts.timeoutMs ?? 2000);
          if (rtt !== null) rtts.push(rtt);
        }
        // Connect times and failures are the endpoint's, not the tunnel's: no rttMs or
        // lossPct, which the console would show as the link's.
        const sample: GatewaySample = { linkId: link.id, status: "UNKNOWN", reason: NO_DATA_PLANE, endpointReachable: rtts.length > 0 };
        // The bundle may have dropped this link while it was being probed.
        if (this.links.includes(link)) this.results.set(link.id, sample);
      }),
    );
  }
}
