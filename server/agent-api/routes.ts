// The agent protocol's routes (/api/agent/v1, contract in protocol/). Each handler
// validates with the shared zod schemas and calls the same server/ services the
// console uses.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ZAckRequest } from "../../protocol/index";
import type { AgentPrincipal } from "../platform/agent-principal";
import { authenticateAgent } from "../clusters/authenticate-agent";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { registerCluster } from "../clusters/register-cluster";
import { rotateAgentCredential } from "../clusters/rotate-credential";
import { recordAck } from "../rollouts/record-ack";
import { recordAppInventory } from "../policies/record-app-inventory";
import { installManifest, presentedInstallToken } from "../registration-tokens/install-manifest";
import { parseInput } from "../platform/validation";
import type { ConfigPolls } from "./config-poll";
import { AppError } from "../platform/errors";
import { clientAddress, parseJsonText, readBody, readJsonBody, sendAppErrorText, sendJson } from "./http";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The query string, without "?". */
  search: string;
  polls: ConfigPolls;
  enrolRatePerMinute?: number;
  health: () => Record<string, unknown>;
}

type Handler = (c: RouteContext) => Promise<void>;

/** Paths under this prefix (`/install/<token id>.yaml`) share one route. */
export const INSTALL_PREFIX = "/install/";

const authed =
  (fn: (c: RouteContext, agent: AgentPrincipal) => Promise<void>): Handler =>
  async (c) =>
    fn(c, await authenticateAgent(c.req.headers.authorization));

export const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  "/register": {
    POST: async ({ req, res, enrolRatePerMinute }) => {
      const body = await readJsonBody(req);
      sendJson(res, 201, await registerCluster(body as never, clientAddress(req), { ratePerMinute: enrolRatePerMinute }));
    },
  },
  "/heartbeat": {
    POST: authed(async ({ req, res }, agent) => {
      // The bytes go to Redis as they are; the text is only parsed and then dropped, so
      // no copy of the body as a string outlives the parse.
      const raw = await readBody(req);
      const { desiredRevision, leaseDurationSeconds, serverTime } = await recordHeartbeat(agent, parseJsonText(raw?.toString("utf8")), { raw });
      sendJson(res, 200, { desiredRevision, leaseDurationSeconds, serverTime });
    }),
  },
  "/config": {
    GET: authed(({ res, search, polls }, agent) => polls.handle(res, new URLSearchParams(search), agent)),
  },
  "/ack": {
    POST: authed(async ({ req, res }, agent) => {
      const ack = parseInput(ZAckRequest, await readJsonBody(req));
      await recordAck(agent, ack);
      sendJson(res, 200, { ok: true });
    }),
  },
  // The application inventory for the reachability preview, sent only when it changed.
  "/inventory": {
    POST: authed(async ({ req, res }, agent) => {
      sendJson(res, 200, await recordAppInventory(agent, await readJsonBody(req)));
    }),
  },
  "/credential/rotate": {
    POST: authed(async ({ req, res }, agent) => {
      await readJsonBody(req); // no body expected; read it so the connection can be reused
      sendJson(res, 200, await rotateAgentCredential(agent, clientAddress(req)));
    }),
  },
  // The one-line import: `curl -H "Authorization: Bearer <token>" …/install/<id>.yaml`, its answer piped into `kubectl apply -f -`.
  // Served under a prefix (server.ts looks it up only when no exact path matched, so
  // heartbeats never pay for it).
  [INSTALL_PREFIX]: {
    GET: async ({ req, res, search }) => {
      const url = req.url ?? "";
      const from = url.indexOf(INSTALL_PREFIX) + INSTALL_PREFIX.length;
      const file = url.slice(from, url.indexOf("?") < 0 ? undefined : url.indexOf("?"));
      const id = /^([a-z0-9]{1,64})\.ya?ml$/.exec(file)?.[1] ?? "";
      let yaml: string;
      try {
        yaml = await installManifest(id, presentedInstallToken(new URLSearchParams(search), req.headers.authorization));
      } catch (err) {
        // Refusals reach a person running the one-line import, not the agent: plain text
        // unless the caller asks for the protocol's JSON error.
        if (err instanceof AppError && !/\bapplication\/json\b/i.test(req.headers.accept ?? "")) return sendAppErrorText(res, err);
        throw err;
      }
      if (res.headersSent || res.destroyed) return;
      // The token is inside: no cache may keep it.
      res.writeHead(200, {
        "content-type": "application/yaml; charset=utf-8",
        "content-length": Buffer.byteLength(yaml),
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
      });
      res.end(req.method === "HEAD" ? undefined : yaml);
    },
  },
  "/healthz": {
    // 503 while draining, so a load balancer stops sending new work here.
    GET: async ({ res, health }) => {
      const h = health();
      sendJson(res, h.status === "ok" ? 200 : 503, h);
    },
  },
};
