// The agent API's enrolment limit and the audit log's source address come from this
// module. A client must not change either by writing its own X-Forwarded-For.
import { createRequire } from "node:module";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PROTOCOL_BASE_PATH } from "../../protocol/index";
import { makeTenant, rand } from "../../test/fixtures";
import { createAgentApiServer, type AgentApiServer } from "../agent-api/server";
import { clusterInfo } from "../agent-api/test-helpers";
import { db } from "../platform/db/client";
import { createRequestContext } from "../trpc/context";
import { createCaller } from "../trpc/root";

// A non-loopback address of this machine, preferring a private one (the old rule
// trusted any private peer as a proxy). Without one the test cannot be a remote peer.
function localNonLoopback(): string | undefined {
  const all = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && !i.address.startsWith("fe80"));
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|f[cd])/i.test(a);
  return (all.find((i) => isPrivate(i!.address)) ?? all[0])?.address;
}

const host = localNonLoopback();

describe.skipIf(!host)("enrolment limit and a client-sent X-Forwarded-For", () => {
  let api: AgentApiServer;
  let base: string;
  beforeAll(async () => {
    api = await createAgentApiServer({ flushIntervalMs: 0, enrolRatePerMinute: 2 });
    const { url } = await api.listen(0, host!);
    base = url + PROTOCOL_BASE_PATH;
  });
  afterAll(() => api.close());

  test("spoofed addresses share the peer's counter: the third attempt is 429", async () => {
    const statuses: number[] = [];
    for (const spoof of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      const res = await fetch(`${base}/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": spoof },
        body: JSON.stringify({ token: "isr_x", cluster: clusterInfo(), agentVersion: "0.1.0" }),
      });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.text()).not.toContain("198.51.100");
    }
    expect(statuses[2]).toBe(429);
  });
});

describe("audit source address of a console call", () => {
  test("is the peer, not what the client wrote into X-Forwarded-For", async () => {
    createRequire(import.meta.url)("./append-peer.cjs");
    const t = await makeTenant("auditip");
    // As the web process sees it: the client's header, then the peer append-peer.cjs added.
    const headers = new Headers({ "x-forwarded-for": "198.51.100.99, 203.0.113.5" });
    const caller = createCaller(await createRequestContext({ headers, getSessionUser: async () => t.owner }));
    const invite = await caller.members.invite({ tenant: t.slug, email: `ip-${rand()}@example.test`, role: "VIEWER" });
    const row = await db().auditLog.findFirstOrThrow({ where: { tenantId: t.id, action: "member.invite", targetId: invite.id } });
    expect(row.sourceIp).toBe("203.0.113.5");
  });
});
