// The application inventory as the agent sends it: hashed (sent only when the hash
// changes) and size-limited (a cluster too large for the limit is not sent at all,
// rather than sent cut short, which the preview would read as "these objects are gone").
import { createHash } from "node:crypto";
import { MAX_APP_INVENTORY_BYTES, ZAppInventory, type AppInventory, type AppInventoryReport } from "../protocol/app-inventory";

export type PreparedInventory = { ok: true; report: AppInventoryReport } | { ok: false; reason: string };

/** Sorted so the hash only changes when the objects do, whatever order the API listed them in. */
export function prepareAppInventory(inv: AppInventory): PreparedInventory {
  const key = (o: { namespace?: string; name: string }) => `${o.namespace ?? ""}/${o.name}`;
  const sorted: AppInventory = {
    adminNetworkPolicy: inv.adminNetworkPolicy,
    namespaces: [...inv.namespaces].sort((a, b) => (a.name < b.name ? -1 : 1)),
    workloads: [...inv.workloads].sort((a, b) => (`${key(a)}/${a.kind}` < `${key(b)}/${b.kind}` ? -1 : 1)),
    policies: [...inv.policies].sort((a, b) => {
      const k = (o: Record<string, unknown>) => `${String(o.kind)}/${key((o.metadata ?? { name: "" }) as { namespace?: string; name: string })}`;
      return k(a) < k(b) ? -1 : 1;
    }),
  };
  const parsed = ZAppInventory.safeParse(sorted);
  if (!parsed.success)
    return { ok: false, reason: `inventory does not fit the protocol: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}` };
  const json = JSON.stringify(parsed.data);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_APP_INVENTORY_BYTES) return { ok: false, reason: `inventory is ${bytes} bytes, more than ${MAX_APP_INVENTORY_BYTES}: not sent` };
  return { ok: true, report: { hash: createHash("sha256").update(json).digest("hex"), inventory: parsed.data } };
}
