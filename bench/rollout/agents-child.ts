// The simulated agents of bench/rollout.ts, in a process of their own: in production the
// agents run elsewhere, and sharing the benchmark's event loop with the publishing
// request made each wait for the other. They speak through the load generator's lean
// HTTP client (bench/lib/http-client.ts), one keep-alive connection per agent (heartbeat,
// then poll, ack, poll…, as the agent's loop goes), so the simulation takes as little
// of the shared CPU, and as few file descriptors, as it can.
// Protocol over IPC: the parent sends { start: { base, agents } }; this process answers
// "ready" once every agent was heard from once and holds its config long-poll, then
// reports each ack recorded ({ ack, errors }) until it gets "stop".
import { HttpConnection } from "../lib/http-client";

export interface AgentSpec {
  clusterId: string;
  credential: string;
  after: number;
}
export type ToChild = { start: { base: string; agents: AgentSpec[] } } | "stop";
export type FromChild = "ready" | { ack: number; errors: number };

let stopping = false;
let errors = 0;
const send = (m: FromChild) => process.send!(m);

function call(conn: HttpConnection, request: string, timeoutMs: number): Promise<{ status: number; body: Buffer | null }> {
  return new Promise((resolve, reject) => conn.send(request, timeoutMs, (err, status, body) => (err ? reject(err) : resolve({ status, body }))));
}

async function agent(base: URL, a: AgentSpec, heard: () => void) {
  const head = `Host: ${base.host}\r\nAuthorization: Bearer ${a.credential}\r\n`;
  const post = (p: string, body: string) =>
    `POST ${base.pathname}${p} HTTP/1.1\r\n${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const conn = new HttpConnection(base.hostname, Number(base.port));
  // A failed request is counted and retried, as an agent would: an agent that gave up
  // would show as a missing ack, not as a slow one.
  const retry = async (request: () => string, timeoutMs: number) => {
    for (;;) {
      try {
        const res = await call(conn, request(), timeoutMs);
        if (res.status < 500) return res;
      } catch {
        // connection refused or reset under load
      }
      errors++;
      if (stopping) return null;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const beat = JSON.stringify({ seq: 1, sentAt: new Date().toISOString(), appliedRevision: 0, components: [{ name: "agent", status: "OK" }], gateways: [] });
  await retry(() => post("/heartbeat", beat), 30_000);
  heard();
  let after = a.after;
  while (!stopping) {
    const res = await retry(() => `GET ${base.pathname}/config?after=${after}&waitSeconds=60 HTTP/1.1\r\n${head}\r\n`, 70_000);
    if (!res || res.status !== 200 || !res.body) continue;
    const body = JSON.parse(res.body.toString("utf8")) as { revision: number; hash: string };
    after = body.revision;
    await retry(() => post("/ack", JSON.stringify({ revision: body.revision, hash: body.hash, status: "APPLIED" })), 30_000);
    if (!stopping) send({ ack: after, errors });
  }
  conn.close();
}

process.on("message", (m: ToChild) => {
  if (m === "stop") {
    stopping = true;
    // Held polls end with the agent API; nothing here needs to finish.
    setTimeout(() => process.exit(0), 100).unref();
    return;
  }
  const base = new URL(m.start.base);
  const { agents } = m.start;
  let heard = 0;
  for (const a of agents)
    void agent(base, a, () => {
      // Every agent heard from once; give the long-polls a moment to reach the server.
      if (++heard === agents.length) setTimeout(() => send("ready"), 3_000);
    });
});
process.on("disconnect", () => process.exit(0));
