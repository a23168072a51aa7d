// The baseline of the agent benchmark: a bare node:http server in its own process that
// takes the same requests as the agent API and does the least a server can do with
// them. POST: read the body, JSON.parse it, answer a small JSON. GET /config: answer
// revision 1 at once when `after` is 0, else hold the request for `waitSeconds` and
// answer 204 (so the same number of long-polls is held as against Isthmus).
//   tsx bench/lib/echo-server.ts <port> [host] [processes]
// With processes > 1, that many share the port under the agent API's own primary
// (server/agent-api/primary.ts, AGENT_API_PROCESSES), and /healthz counts the
// long-polls of all.
// Prints one line `{"port":N}` once listening; SIGTERM closes it.
import cluster from "node:cluster";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { runPrimary } from "../../server/agent-api/primary";
import { clusterSiblings } from "../../server/agent-api/siblings";

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? "127.0.0.1";
const processes = Math.max(1, Number(process.argv[4] ?? 1));

if (cluster.isPrimary && processes > 1) {
  // The agent API's own primary, so the two run under the same arrangement.
  process.exit(await runPrimary({ processes, log: pino({ level: "warn" }) }));
}

// Here: the only process, or one of the primary's.
let held = 0;
const siblings = cluster.isWorker ? clusterSiblings() : null;
siblings?.start(() => held);
const heldAll = () => siblings?.heldLongPolls(held) ?? held;

function json(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

const holds = new Set<() => void>();

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  if (req.method === "GET") {
    if (url === "/healthz") return json(res, 200, { status: "ok", heldLongPolls: heldAll() });
    const q = new URL(url, "http://echo").searchParams;
    const after = Number(q.get("after") ?? 0);
    const wait = Math.min(60, Math.max(0, Number(q.get("waitSeconds") ?? 0)));
    if (after < 1)
      return json(res, 200, { revision: 1, hash: "echo", bundle: { cluster: { id: "echo", name: "echo", tenant: "echo" }, slices: [], manifests: [] } });
    if (wait === 0) {
      res.writeHead(204, { "cache-control": "no-store" });
      return res.end();
    }
    held++;
    let done = false;
    const answer = () => {
      if (done) return;
      done = true;
      held--;
      clearTimeout(timer);
      holds.delete(answer);
      if (!res.destroyed && !res.headersSent) {
        res.writeHead(204, { "cache-control": "no-store" });
        res.end();
      }
    };
    const timer = setTimeout(answer, wait * 1000);
    holds.add(answer);
    res.once("close", answer);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return json(res, 400, { error: { code: "BAD_REQUEST", message: "body: is not valid JSON" } });
    }
    json(res, 200, { desiredRevision: 1, leaseDurationSeconds: 15, serverTime: new Date().toISOString() });
  });
});
// The same connection timeouts as the agent API.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(port, host, () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + "\n");
});

const stop = () => {
  server.close(() => process.exit(0));
  for (const answer of [...holds]) answer();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
