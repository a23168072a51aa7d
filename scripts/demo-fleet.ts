// The demo fleet `npm start` runs: a short-lived registration token for the simulated
// agents, and, once they have enrolled, a slice across them so the console has links,
// shares and bundles to show. Both are ordinary service calls in the demo tenant.
import type { TenantContext } from "../server/context";
import { db } from "../server/db/client";
import { DEMO_TENANT } from "../prisma/seed";

const actor = { type: "SYSTEM" as const, label: "npm start" };

async function demoContext(): Promise<TenantContext | null> {
  const tenant = await db().tenant.findUnique({ where: { slug: DEMO_TENANT.slug }, select: { id: true, slug: true } });
  return tenant ? { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER", actor } : null;
}

/**
 * A fresh one-hour token for this start. Agents that enrolled before keep their stored
 * credentials and never use it; only its hash is stored, so it cannot be reused later.
 */
export async function demoRegistrationToken(): Promise<string | null> {
  const ctx = await demoContext();
  if (!ctx) return null;
  const { createRegistrationToken } = await import("../server/registration-tokens/create-registration-token");
  const created = await createRegistrationToken(ctx, { name: "simulated demo agents (npm start)", ttlSeconds: 3600, unlimited: true, labels: { demo: "true" } });
  return created.token;
}

/**
 * Once at least `expected` demo clusters are available (waiting up to `timeoutMs`),
 * create a hub-spoke slice over all of them with the reachable cloud clusters as hubs —
 * unless the tenant already has a slice (the user's choices win).
 */
export async function ensureDemoSlice(expected: number, timeoutMs = 60_000): Promise<string | null> {
  const ctx = await demoContext();
  if (!ctx) return null;
  if ((await db().slice.count({ where: { tenantId: ctx.tenantId } })) > 0) return null;
  const deadline = Date.now() + timeoutMs;
  let clusters: Array<{ name: string; siteType: string; behindNat: boolean; gatewayEndpoints: string[] }> = [];
  while (Date.now() < deadline) {
    clusters = await db().cluster.findMany({
      where: { tenantId: ctx.tenantId, availability: "AVAILABLE" },
      select: { name: true, siteType: true, behindNat: true, gatewayEndpoints: true },
      orderBy: { name: "asc" },
    });
    if (clusters.length >= expected) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const hubs = clusters.filter((c) => c.siteType === "CLOUD" && !c.behindNat && c.gatewayEndpoints.length > 0).map((c) => c.name);
  if (clusters.length < 2 || hubs.length === 0) return null;
  const { saveSlice } = await import("../server/slices/save-slice");
  const { suggestSliceSubnet } = await import("../server/slices/preview-slice");
  const { subnet } = await suggestSliceSubnet(ctx);
  const saved = await saveSlice(ctx, {
    force: true,
    spec: {
      name: "demo-mesh",
      description: "Created by npm start across the simulated clusters: cloud hubs, edge and on-prem spokes.",
      subnet,
      maxClusters: 16,
      topology: { kind: "HUB_SPOKE", hubs },
      members: clusters.slice(0, 16).map((c) => c.name),
      namespaceIsolation: { enabled: true, applicationNamespaces: [{ namespace: "shop", clusters: ["*"] }], allowedNamespaces: [{ namespace: "monitoring", clusters: ["*"] }] },
    },
  });
  return saved.name;
}
