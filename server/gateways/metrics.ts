// Per-link Prometheus gauges for teams that alert from their own Prometheus: status
// (one series per link with its current status as a label, value 1, as
// kube-state-metrics does), RTT and loss, read at scrape time from the evaluated state
// (status) and the ends' hot state (numbers). Served on the token-protected /api/metrics.
import { Gauge, type Registry } from "prom-client";
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { linkStatuses } from "./link-health";
import { withTimeout } from "../platform/queues";

const SCRAPE_TIMEOUT_MS = 2_000;

interface LinkRow {
  labels: { tenant: string; slice: string; link: string; server: string; client: string; server_site: string; client_site: string };
  status: string;
  rttMs: number | null;
  lossPct: number | null;
}

async function readLinks(): Promise<LinkRow[]> {
  const links = await db().gatewayLink.findMany({
    select: { id: true, tenantId: true, serverClusterId: true, clientClusterId: true, slice: { select: { name: true } }, health: { select: { status: true } } },
  });
  if (links.length === 0) return [];
  const clusters = new Map(
    (
      await db().cluster.findMany({
        where: { id: { in: [...new Set(links.flatMap((l) => [l.serverClusterId, l.clientClusterId]))] } },
        select: { id: true, name: true, siteType: true },
      })
    ).map((c) => [c.id, c]),
  );
  const tenants = new Map(
    (await db().tenant.findMany({ where: { id: { in: [...new Set(links.map((l) => l.tenantId))] } }, select: { id: true, slug: true } })).map((t) => [
      t.id,
      t.slug,
    ]),
  );
  const live = await linkStatuses(links);
  return links.map((l) => {
    const s = live.get(l.id);
    const server = clusters.get(l.serverClusterId);
    const client = clusters.get(l.clientClusterId);
    return {
      labels: {
        tenant: tenants.get(l.tenantId) ?? l.tenantId,
        slice: l.slice.name,
        link: l.id,
        server: server?.name ?? l.serverClusterId,
        client: client?.name ?? l.clientClusterId,
        server_site: server?.siteType ?? "",
        client_site: client?.siteType ?? "",
      },
      status: l.health?.status ?? s?.status ?? "UNKNOWN",
      rttMs: s?.rttMs ?? null,
      lossPct: s?.lossPct ?? null,
    };
  });
}

export function registerGatewayMetrics(registry: Registry) {
  let scrape: { at: number; result: Promise<LinkRow[] | null> } | undefined;
  const read = () => {
    if (!scrape || Date.now() - scrape.at > 500) {
      scrape = {
        at: Date.now(),
        result: withTimeout(readLinks(), SCRAPE_TIMEOUT_MS, `gateway links not readable within ${SCRAPE_TIMEOUT_MS} ms`).catch((err: Error) => {
          logger.warn({ err: err.message }, "gateway metrics unavailable");
          return null;
        }),
      };
    }
    return scrape.result;
  };
  const labelNames = ["tenant", "slice", "link", "server", "client", "server_site", "client_site"] as const;
  new Gauge({
    name: "isthmus_gateway_link_status",
    help: "1 for each link's current status (UP, DEGRADED, DOWN, UNKNOWN, FLAPPING), as evaluated with the tenant's thresholds.",
    labelNames: [...labelNames, "status"] as const,
    registers: [registry],
    async collect() {
      const rows = await read();
      this.reset();
      for (const r of rows ?? []) this.set({ ...r.labels, status: r.status }, 1);
    },
  });
  new Gauge({
    name: "isthmus_gateway_link_rtt_milliseconds",
    help: "A link's latest round-trip time (the worse of its two ends), in milliseconds.",
    labelNames,
    registers: [registry],
    async collect() {
      const rows = await read();
      this.reset();
      for (const r of rows ?? []) if (r.rttMs !== null) this.set(r.labels, r.rttMs);
    },
  });
  new Gauge({
    name: "isthmus_gateway_link_loss_percent",
    help: "A link's latest packet loss (the worse of its two ends), in percent.",
    labelNames,
    registers: [registry],
    async collect() {
      const rows = await read();
      this.reset();
      for (const r of rows ?? []) if (r.lossPct !== null) this.set(r.labels, r.lossPct);
    },
  });
}
