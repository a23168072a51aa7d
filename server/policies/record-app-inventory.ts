// Stores what an agent reports of its cluster's application objects (for the preview)
// and whether it serves AdminNetworkPolicy. The agent sends it only when its hash
// changes; an unchanged report writes nothing. A change of namespaces or of ANP support
// changes what the cluster's policies compile to, so its bundle is delivered again.
import { createHash } from "node:crypto";
import { MAX_APP_INVENTORY_BYTES, ZAppInventoryReport } from "../../protocol/app-inventory";
import type { AgentPrincipal } from "../platform/agent-principal";
import { deliverNow, recordDeliveries } from "../rollouts/outbox";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { parseInput } from "../platform/validation";

export async function recordAppInventory(agent: AgentPrincipal, body: unknown) {
  const report = parseInput(ZAppInventoryReport, body);
  const json = JSON.stringify(report.inventory);
  if (Buffer.byteLength(json) > MAX_APP_INVENTORY_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `inventory: is ${Buffer.byteLength(json)} bytes as JSON, more than ${MAX_APP_INVENTORY_BYTES}`);
  }
  const hash = createHash("sha256").update(json).digest("hex");
  const namespacesOf = (inv: unknown) => JSON.stringify((inv as { namespaces?: unknown[] } | null)?.namespaces ?? null);
  const rows = await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ appInventoryHash: string | null; adminNetworkPolicy: boolean | null; namespaces: unknown }>>`
      SELECT "appInventoryHash", "adminNetworkPolicy", "appInventory"->'namespaces' AS "namespaces"
        FROM "Cluster" WHERE "tenantId" = ${agent.tenantId} AND "id" = ${agent.clusterId} FOR NO KEY UPDATE`;
    const current = locked[0];
    if (!current) throw new AppError("UNAUTHORIZED", "the cluster of this credential no longer exists");
    if (current.appInventoryHash === hash) return null;
    await tx.cluster.updateMany({
      where: { id: agent.clusterId, tenantId: agent.tenantId },
      data: { appInventory: JSON.parse(json) as object, appInventoryHash: hash, adminNetworkPolicy: report.inventory.adminNetworkPolicy },
    });
    const compileInputChanged =
      current.adminNetworkPolicy !== report.inventory.adminNetworkPolicy || namespacesOf({ namespaces: current.namespaces }) !== namespacesOf(report.inventory);
    if (!compileInputChanged) return [];
    return recordDeliveries(tx, agent.tenantId, [agent.clusterId], "cluster.app-inventory", {
      actor: { type: "AGENT", id: agent.clusterId, label: agent.clusterName },
    });
  });
  if (rows) await deliverNow(rows);
  return { ok: true as const, changed: rows !== null };
}
