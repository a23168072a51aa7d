// GET /config?after=N&waitSeconds=S: the latest revision at once when it is newer than
// N, else held until one is announced (through the process's single Redis
// subscription) or S seconds pass (204). Holding costs a timer and a closure.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ZConfigQuery } from "../../protocol/index";
import type { AgentPrincipal } from "../clusters/agent-principal";
import { latestRevision } from "../config/latest-revision";
import { latestRevisionNumber } from "../config/revision-cache";
import type { RevisionWaiters } from "../config/revision-waiters";
import { parseInput } from "../validation";
import { sendJson, sendNoContent } from "./http";

export async function handleConfigPoll(_req: IncomingMessage, res: ServerResponse, query: URLSearchParams, agent: AgentPrincipal, waiters: RevisionWaiters) {
  const q = parseInput(ZConfigQuery, { after: query.get("after") ?? undefined, waitSeconds: query.get("waitSeconds") ?? undefined });
  const { tenantId, clusterId } = agent;

  const deliver = async () => {
    const latest = await latestRevision(tenantId, clusterId);
    if (!latest || latest.revision <= q.after) return false;
    sendJson(res, 200, latest);
    return true;
  };

  // Register before looking, so an announcement between the look and the wait wakes us.
  const wait = q.waitSeconds > 0 ? waiters.wait(clusterId, q.after, q.waitSeconds * 1000) : null;
  // The agent hung up (res closes early): stop holding.
  res.once("close", () => wait?.cancel());
  try {
    if ((await latestRevisionNumber(tenantId, clusterId)) > q.after && (await deliver())) return;
    if (!wait) return sendNoContent(res);
    const outcome = await wait.promise;
    if (res.destroyed) return;
    if ((outcome === "published" || outcome === "recheck") && (await deliver())) return;
    sendNoContent(res);
  } finally {
    wait?.cancel();
  }
}
