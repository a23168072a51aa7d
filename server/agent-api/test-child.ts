// Run by the agent API integration tests as a separate process (tsx), to prove that
// what one process publishes or revokes reaches long-polls and caches in another.
//   test-child.ts publish <tenantId> <clusterId> <marker>
//   test-child.ts delete <tenantId> <clusterId>
export {};
process.env.LOG_LEVEL ??= "silent";
const [action, tenantId, clusterId, marker] = process.argv.slice(2) as [string, string, string, string?];
const { closeDb } = await import("../platform/db/client");
const { closeRedis } = await import("../platform/redis");

if (action === "publish") {
  const { publishRevision } = await import("../config/publish-revision");
  const bundle = {
    cluster: { id: clusterId, name: "child", tenant: "t" },
    slices: [],
    manifests: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `from-child-${marker}`, namespace: "default" } }],
  };
  const res = await publishRevision(tenantId, clusterId, bundle);
  process.stdout.write(JSON.stringify(res));
} else if (action === "delete") {
  const { deleteCluster } = await import("../clusters/delete-cluster");
  await deleteCluster({ tenantId, tenantSlug: "-", role: "OWNER", actor: { type: "SYSTEM", label: "test child" } }, clusterId);
  process.stdout.write(JSON.stringify({ ok: true }));
} else {
  throw new Error(`unknown action ${action}`);
}
await closeRedis();
await closeDb();
