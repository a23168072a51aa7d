// GET /config?after=N&waitSeconds=S: the latest revision at once when it is newer than
// N, else held until one is announced (through the process's single Redis
// subscription) or S seconds pass (204).
//
// While held, a poll is one small object in RevisionWaiters and the request's own
// node:http objects; the handler has returned, so no async frame, promise or closure
// of it stays alive. Each held poll lives up to a minute and so reaches the old
// generation: what it holds is what the agent API's major GCs mark.
import type { ServerResponse } from "node:http";
import { ZConfigQuery } from "../../protocol/index";
import type { AgentPrincipal } from "../platform/agent-principal";
import { latestRevisionBody } from "../config/latest-revision";
import { latestRevisionNumber } from "../config/revision-cache";
import { RevisionWaiters, type WaitOutcome, type Waiter } from "../config/revision-waiters";
import { parseInput } from "../platform/validation";
import { sendJsonText, sendNoContent } from "./http";

interface HeldPoll extends Waiter {
  readonly tenantId: string;
  readonly res: PollResponse;
}

const HELD = Symbol("isthmus.heldPoll");
type PollResponse = ServerResponse & { [HELD]?: HeldPoll };

/** Answer with the latest revision when it is newer than `after`; false when it is not. */
async function deliver(res: ServerResponse, tenantId: string, clusterId: string, after: number) {
  const latest = await latestRevisionBody(tenantId, clusterId);
  if (!latest || latest.revision <= after) return false;
  sendJsonText(res, 200, latest.body);
  return true;
}

export interface ConfigPolls {
  waiters: RevisionWaiters<HeldPoll>;
  handle(res: ServerResponse, query: URLSearchParams, agent: AgentPrincipal): Promise<void>;
}

/** `fail` answers an error thrown while answering a poll that was held. */
export function configPolls(fail: (res: ServerResponse, err: unknown) => void): ConfigPolls {
  const waiters = new RevisionWaiters<HeldPoll>((poll, outcome) => void answerHeld(poll, outcome));

  async function answerHeld(poll: HeldPoll, outcome: WaitOutcome) {
    const { res } = poll;
    res[HELD] = undefined;
    if (res.destroyed) return;
    try {
      if ((outcome === "published" || outcome === "recheck") && (await deliver(res, poll.tenantId, poll.clusterId, poll.after))) return;
      sendNoContent(res);
    } catch (err) {
      fail(res, err);
    }
  }

  // One listener function for every poll (not a closure each): the agent hung up, stop holding.
  function onClose(this: PollResponse) {
    const poll = this[HELD];
    this[HELD] = undefined;
    if (poll) waiters.cancel(poll);
  }

  async function handle(res: PollResponse, query: URLSearchParams, agent: AgentPrincipal) {
    const q = parseInput(ZConfigQuery, { after: query.get("after") ?? undefined, waitSeconds: query.get("waitSeconds") ?? undefined });
    const { tenantId, clusterId } = agent;
    if (q.waitSeconds === 0) {
      if ((await latestRevisionNumber(tenantId, clusterId)) > q.after && (await deliver(res, tenantId, clusterId, q.after))) return;
      return sendNoContent(res);
    }
    // Register before looking, so an announcement between the look and the wait wakes it.
    const poll: HeldPoll = { clusterId, after: q.after, tenantId, res };
    res[HELD] = poll;
    res.on("close", onClose);
    waiters.hold(poll, q.waitSeconds * 1000);
    let newer: boolean;
    try {
      newer = (await latestRevisionNumber(tenantId, clusterId)) > q.after;
    } catch (err) {
      // Answered with the error by the caller: held no longer.
      res[HELD] = undefined;
      waiters.cancel(poll);
      throw err;
    }
    // Newer already: answered now, through the same path as a wake-up.
    if (newer) waiters.wake(poll, "published");
  }

  return { waiters, handle };
}
