// Run by outbox.integration.test.ts as a separate process (tsx): commits a slice change
// and dies by SIGKILL right after the commit, before anything is published — the crash
// the delivery outbox exists for.
//   outbox-test-child.ts <tenantId> <sliceId> <member,member,…>
export {};
process.env.LOG_LEVEL ??= "silent";
const [tenantId, sliceId, members] = process.argv.slice(2) as [string, string, string];
const { outboxHooks } = await import("../server/rollouts/outbox");
const { patchSlice } = await import("../server/slices/save-slice");

outboxHooks.beforeFastPath = () => {
  process.kill(process.pid, "SIGKILL");
};
await patchSlice({ tenantId, tenantSlug: "-", role: "OWNER", actor: { type: "SYSTEM", label: "outbox test child" } }, sliceId, { members: members.split(",") });
// Not reached: the hook killed the process after the commit.
process.stdout.write("delivered");
