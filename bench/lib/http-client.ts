// A lean HTTP/1.1 client for the load generator: one keep-alive TCP connection, one
// request in flight at a time (no pipelining), the request written in a single call
// and the response parsed by hand (Content-Length, chunked, or until close). It costs
// a fraction of node:http's client per request, so one generator process can offer
// far more load than the system under test takes — the echo run proves by how much.
import net from "node:net";

export type Done = (err: Error | null, status: number, body: Buffer | null) => void;

const CRLF2 = Buffer.from("\r\n\r\n");

export class HttpConnection {
  private socket: net.Socket | null = null;
  private buf: Buffer | null = null;
  private cb: Done | null = null;
  private pendingWrite: string | null = null;
  private headerEnd = -1;
  private status = 0;
  private bodyLen = -1; // -1: not known (chunked or until close)
  private chunked = false;
  private closeAfter = false;
  /** performance.now() after which the request in flight counts as timed out. */
  deadline = Infinity;

  constructor(
    readonly host: string,
    readonly port: number,
  ) {}

  get busy() {
    return this.cb !== null;
  }

  /** Send one request (head and body already serialised); `cb` runs exactly once. */
  send(request: string, timeoutMs: number, cb: Done) {
    if (this.cb) throw new Error("HttpConnection: a request is already in flight");
    this.cb = cb;
    this.deadline = performance.now() + timeoutMs;
    this.headerEnd = -1;
    this.buf = null;
    if (this.socket && !this.socket.destroyed && !this.socket.connecting) {
      this.socket.write(request);
      return;
    }
    this.pendingWrite = request;
    if (!this.socket || this.socket.destroyed) this.open();
  }

  /** Fail the request in flight (if any) and drop the socket. */
  abort(reason: string) {
    this.fail(new Error(reason));
  }

  close() {
    const cb = this.cb;
    this.cb = null;
    this.socket?.destroy();
    this.socket = null;
    if (cb) cb(new Error("closed"), 0, null);
  }

  private open() {
    const s = net.connect({ host: this.host, port: this.port });
    this.socket = s;
    s.setNoDelay(true);
    s.on("connect", () => {
      if (this.socket !== s) return;
      const w = this.pendingWrite;
      this.pendingWrite = null;
      if (w !== null) s.write(w);
    });
    s.on("data", (chunk: Buffer) => {
      if (this.socket === s) this.onData(chunk);
    });
    s.on("error", (err) => {
      if (this.socket === s) this.fail(err);
    });
    s.on("close", () => {
      if (this.socket !== s) return;
      // A body delimited by the end of the connection is complete now.
      if (this.cb && this.headerEnd >= 0 && this.bodyLen === -1 && !this.chunked) {
        this.finish(this.buf ? this.buf.subarray(this.headerEnd) : Buffer.alloc(0));
      }
      this.socket = null;
      if (this.cb) this.fail(new Error("connection closed by peer"));
    });
  }

  private fail(err: Error) {
    const cb = this.cb;
    this.cb = null;
    this.pendingWrite = null;
    this.buf = null;
    const s = this.socket;
    this.socket = null;
    s?.destroy();
    if (cb) cb(err, 0, null);
  }

  private onData(chunk: Buffer) {
    if (!this.cb) {
      // Nothing asked for it (no pipelining): the peer is out of step; start afresh.
      this.fail(new Error("unexpected data"));
      return;
    }
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    const buf = this.buf;
    if (this.headerEnd < 0) {
      const i = buf.indexOf(CRLF2);
      if (i < 0) return;
      this.headerEnd = i + 4;
      const head = buf.toString("latin1", 0, i).toLowerCase();
      this.status = Number(head.slice(9, 12));
      this.chunked = head.includes("\r\ntransfer-encoding: chunked");
      this.closeAfter = head.includes("\r\nconnection: close");
      const cl = head.indexOf("\r\ncontent-length:");
      if (this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) this.bodyLen = 0;
      else if (cl >= 0) this.bodyLen = parseInt(head.slice(cl + 17), 10);
      else this.bodyLen = -1;
    }
    if (this.chunked) {
      const body = decodeChunked(buf, this.headerEnd);
      if (body) this.finish(body);
      return;
    }
    if (this.bodyLen >= 0 && buf.length >= this.headerEnd + this.bodyLen) {
      this.finish(buf.subarray(this.headerEnd, this.headerEnd + this.bodyLen));
    }
  }

  private finish(body: Buffer) {
    const cb = this.cb!;
    const status = this.status;
    this.cb = null;
    this.buf = null;
    this.headerEnd = -1;
    if (this.closeAfter) {
      this.socket?.destroy();
      this.socket = null;
    }
    cb(null, status, body);
  }
}

/** The decoded body once the terminating zero-size chunk has arrived, else null. */
function decodeChunked(buf: Buffer, start: number): Buffer | null {
  const parts: Buffer[] = [];
  let p = start;
  for (;;) {
    const eol = buf.indexOf("\r\n", p, "latin1");
    if (eol < 0) return null;
    const size = parseInt(buf.toString("latin1", p, eol), 16);
    if (!Number.isFinite(size)) return Buffer.alloc(0);
    if (size === 0) return buf.indexOf(CRLF2, eol) >= 0 ? Buffer.concat(parts) : null;
    if (buf.length < eol + 2 + size + 2) return null;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    p = eol + 2 + size + 2;
  }
}
