// A minimal control plane speaking the agent protocol, for tests: validates what the
// agent sends against the shared contract and lets a test break it on purpose.
import { ZAppInventoryReport, type AppInventoryReport } from "../protocol/app-inventory";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  PROTOCOL_BASE_PATH,
  ZAckRequest,
  ZHeartbeatRequest,
  ZRegisterRequest,
  type AckRequest,
  type Bundle,
  type ConfigResponse,
  type HeartbeatRequest,
  type RegisterRequest,
} from "../protocol/index";

export class FakeControlPlane {
  url = "";
  registrations: RegisterRequest[] = [];
  heartbeats: Array<HeartbeatRequest & { credential: string }> = [];
  acks: AckRequest[] = [];
  /** Application inventories received (POST /inventory), in order. */
  appInventories: AppInventoryReport[] = [];
  badRequests: string[] = [];
  /** Every call answers 503 while set. */
  down = false;
  /** Only /ack answers 503 while set. */
  failAcks = false;
  /** Answer this many heartbeats with 409 SEQ_OUT_OF_RANGE, as the control plane does for a seq far above its floor. */
  refuseSeq = 0;
  refusedSessions: Array<string | undefined> = [];
  unavailableAnswers = 0;
  unauthorizedAnswers = 0;
  leaseDurationSeconds = 1;
  private revisions: ConfigResponse[] = [];
  private credentials = new Map<string, string>(); // credential → clusterId
  private clusterIds = new Map<string, string>(); // uid → clusterId
  private waiters = new Set<() => void>();
  private server = http.createServer((req, res) => void this.handle(req, res));

  /** Long-polls are held at most this long, whatever the agent asks for. */
  constructor(private readonly holdMs = 200) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  publish(bundle: Partial<Bundle> = {}): ConfigResponse {
    const revision = this.revisions.length + 1;
    const full = { cluster: { id: "c", name: "c", tenant: "t" }, slices: [], manifests: [], ...bundle } as Bundle;
    const rev = { revision, hash: `h${revision}`, bundle: full };
    this.revisions.push(rev);
    for (const wake of this.waiters) wake();
    return rev;
  }

  /** As when the cluster is deleted or its credential revoked. */
  revokeCredentials(): void {
    this.credentials.clear();
  }

  private send(res: http.ServerResponse, status: number, body?: unknown) {
    res.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const route = url.pathname.slice(PROTOCOL_BASE_PATH.length);
    const fail = (status: number, code: string, message: string) => this.send(res, status, { error: { code, message } });
    if (this.down || (this.failAcks && route === "/ack")) {
      this.unavailableAnswers++;
      return fail(503, "UNAVAILABLE", "control plane is down");
    }
    if (route === "/register") {
      const body = ZRegisterRequest.safeParse(JSON.parse(text));
      if (!body.success) return (this.badRequests.push(`register: ${body.error.message}`), fail(400, "BAD_REQUEST", "bad register"));
      if (body.data.token !== "isr_test.secret") return fail(401, "TOKEN_UNKNOWN", "unknown token");
      this.registrations.push(body.data);
      const clusterId = this.clusterIds.get(body.data.cluster.uid) ?? `cl_${this.clusterIds.size + 1}`;
      this.clusterIds.set(body.data.cluster.uid, clusterId);
      for (const [cred, id] of this.credentials) if (id === clusterId) this.credentials.delete(cred);
      const credential = `isa_${randomBytes(6).toString("hex")}`;
      this.credentials.set(credential, clusterId);
      return this.send(res, 201, { clusterId, credential, leaseDurationSeconds: this.leaseDurationSeconds });
    }
    const credential = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!this.credentials.has(credential)) {
      this.unauthorizedAnswers++;
      return fail(401, "UNAUTHORIZED", "bad credential");
    }
    const latest = this.revisions.at(-1)?.revision ?? 0;
    if (route === "/heartbeat") {
      const body = ZHeartbeatRequest.safeParse(JSON.parse(text));
      if (!body.success) return (this.badRequests.push(`heartbeat: ${body.error.message}`), fail(400, "BAD_REQUEST", "bad heartbeat"));
      if (this.refuseSeq > 0) {
        this.refuseSeq--;
        this.refusedSessions.push(body.data.session);
        return fail(409, "SEQ_OUT_OF_RANGE", `seq ${body.data.seq} is too far ahead`);
      }
      this.heartbeats.push({ ...body.data, credential });
      return this.send(res, 200, { desiredRevision: latest, leaseDurationSeconds: this.leaseDurationSeconds, serverTime: new Date().toISOString() });
    }
    if (route === "/config") {
      const after = Number(url.searchParams.get("after") ?? 0);
      // Like the real one: the latest revision, not every one in between.
      const found = () => {
        const last = this.revisions.at(-1);
        return last && last.revision > after ? last : undefined;
      };
      if (!found()) {
        await new Promise<void>((resolve) => {
          const wake = () => (this.waiters.delete(wake), clearTimeout(timer), resolve());
          const timer = setTimeout(wake, this.holdMs);
          this.waiters.add(wake);
        });
      }
      const rev = found();
      return rev ? this.send(res, 200, rev) : this.send(res, 204);
    }
    if (route === "/ack") {
      const body = ZAckRequest.safeParse(JSON.parse(text));
      if (!body.success) return (this.badRequests.push(`ack: ${body.error.message}`), fail(400, "BAD_REQUEST", "bad ack"));
      this.acks.push(body.data);
      return this.send(res, 200, { ok: true });
    }
    if (route === "/inventory") {
      const body = ZAppInventoryReport.safeParse(JSON.parse(text));
      if (!body.success) return (this.badRequests.push(`inventory: ${body.error.message}`), fail(400, "BAD_REQUEST", "bad inventory"));
      this.appInventories.push(body.data);
      return this.send(res, 200, { ok: true, changed: true });
    }
    return fail(404, "NOT_FOUND", route);
  }
}
