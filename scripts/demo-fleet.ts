// The demo fleet `npm start` runs: a registration token for the simulated agents
// (reused across starts), and, once they have enrolled, a slice across them so the console has links,
// shares and bundles to show. Both are ordinary service calls in the demo tenant.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TenantContext } from "../server/platform/context";
import { db } from "../server/platform/db/client";
import { DEMO_TENANT } from "../prisma/seed";

const actor = { type: "SYSTEM" as const, label: "npm start" };

async function demoContext(slug: string = DEMO_TENANT.slug): Promise<TenantContext | null> {
  const tenant = await db().tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
  return tenant ? { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER", actor } : null;
}

/**
 * The demo agents' registration token, kept in <dataDir>/demo-token (mode 0600) and
 * reused at every start while it can still enrol, so the tokens page does not fill up
 * with one token per start. Only its hash is in the database; a token deleted, revoked
 * or expired there is replaced by a new one (30 days, any number of clusters).
 */
export async function demoRegistrationToken(dataDir: string, tenantSlug?: string): Promise<string | null> {
  const ctx = await demoContext(tenantSlug);
  if (!ctx) return null;
  const file = path.join(dataDir, "demo-token");
  const kept = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (kept && (await stillRedeemable(ctx.tenantId, kept))) return kept;
  const { createRegistrationToken } = await import("../server/registration-tokens/create-registration-token");
  const created = await createRegistrationToken(ctx, {
    name: "simulated demo agents (npm start)",
    ttlSeconds: 30 * 86_400,
    unlimited: true,
    labels: { demo: "true" },
  });
  writeFileSync(file, created.token + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return created.token;
}

async function stillRedeemable(tenantId: string, token: string): Promise<boolean> {
  const { parseSecret, verifySecret } = await import("../server/auth/secrets");
  const { tokenRefusal } = await import("../server/registration-tokens/token-state");
  const parsed = parseSecret("isr", token);
  if (!parsed) return false;
  const row = await db().registrationToken.findFirst({
    where: { id: parsed.id, tenantId },
    select: { secretHash: true, revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  // A day of margin: the agents of this start must still be able to enrol with it.
  return !!row && verifySecret(row.secretHash, parsed.secret) && tokenRefusal(row, new Date(Date.now() + 86_400_000)) === null;
}

/**
 * Once at least `expected` demo clusters are available (waiting up to `timeoutMs`),
 * create a hub-spoke slice over all of them with the reachable cloud clusters as hubs —
 * unless the tenant already has a slice (the user's choices win).
 */
export async function ensureDemoSlice(expected: number, timeoutMs = 60_000): Promise<string | null> {
  const ctx = await demoContext();
  if (!ctx) return null;
  if ((await db().slice.count({ where: { tenantId: ctx.tenantId } })) > 0) {
    await placeDemoClusters(ctx.tenantId);
    return null;
  }
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
  await placeDemoClusters(ctx.tenantId);
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
      // The simulated agents report their endpoints on 51820, WireGuard's port.
      gatewayType: "WIREGUARD",
      topology: { kind: "HUB_SPOKE", hubs },
      members: clusters.slice(0, 16).map((c) => c.name),
      namespaceIsolation: {
        enabled: true,
        applicationNamespaces: [{ namespace: "shop", clusters: ["*"] }],
        allowedNamespaces: [{ namespace: "monitoring", clusters: ["*"] }],
      },
    },
  });
  return saved.name;
}

/**
 * Gives the demo clusters that have a known region but no coordinates the region's
 * (server/gateways/region-coordinates.ts), so the gateways overview shows them on its
 * world map. Coordinates an operator has set are kept.
 */
export async function placeDemoClusters(tenantId: string): Promise<number> {
  const { placeInRegion } = await import("../server/gateways/region-coordinates");
  const unplaced = await db().cluster.findMany({ where: { tenantId, OR: [{ latitude: null }, { longitude: null }] }, select: { id: true, region: true } });
  let placed = 0;
  for (const c of unplaced) {
    const at = placeInRegion(c.region, c.id);
    if (!at) continue;
    await db().cluster.updateMany({ where: { id: c.id, tenantId, latitude: null }, data: at });
    placed++;
  }
  return placed;
}
