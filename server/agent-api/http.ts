// Plumbing of the agent API: bounded JSON bodies, the protocol's error body
// `{ error: { code, message } }`, and the client address behind trusted proxies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { agentApiTrustedProxies, clientAddressOfRequest } from "../http/client-address";
import { ERROR_CODES, MAX_BODY_BYTES } from "../../protocol/index";
import { ProtocolError } from "../platform/protocol-error";
import { AppError, HTTP_STATUS, type AppErrorCode } from "../platform/errors";

const PROTOCOL_CODE: Partial<Record<AppErrorCode, string>> = {
  BAD_REQUEST: ERROR_CODES.badRequest,
  UNAUTHORIZED: ERROR_CODES.unauthorized,
  NOT_FOUND: ERROR_CODES.notFound,
  PAYLOAD_TOO_LARGE: ERROR_CODES.tooLarge,
  TOO_MANY_REQUESTS: ERROR_CODES.rateLimited,
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** A body that already is JSON text. */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store", ...headers });
  res.end(text);
}

export function sendNoContent(res: ServerResponse) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(204, { "cache-control": "no-store" });
  res.end();
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { code, message } }, headers);
}

function errorHeaders(err: AppError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds) headers["retry-after"] = String(err.details.retryAfterSeconds);
  if (err.code === "UNAUTHORIZED" && !(err instanceof ProtocolError)) headers["www-authenticate"] = 'Bearer realm="isthmus-agent"';
  return headers;
}

const protocolCode = (err: AppError) => (err instanceof ProtocolError ? err.protocolCode : (PROTOCOL_CODE[err.code] ?? err.code));

/** An AppError as the protocol's error body; anything else is a 500 that says nothing inside. */
export function sendAppError(res: ServerResponse, err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  sendError(res, HTTP_STATUS[err.code], protocolCode(err), err.message, errorHeaders(err));
  return true;
}

/**
 * An AppError for a person at a terminal rather than for the agent: one plain line,
 * `error (CODE): message`, and the message again as the status line's reason phrase.
 * `curl … | kubectl apply` shows the body; `kubectl apply -f <url>` never reads a
 * refused body and prints only "server reported <status line>", so the reason phrase
 * is the one place its user can learn why. HTTP/2 has no reason phrase, so through a
 * proxy that speaks it kubectl shows the bare status.
 */
export function sendAppErrorText(res: ServerResponse, err: AppError) {
  if (res.headersSent || res.destroyed) return;
  const code = protocolCode(err);
  const text = `error (${code}): ${err.message}\n`;
  // A reason phrase is printable ASCII on one line (a token's name may be anything).
  const reason = err.message.replace(/[^\x20-\x7e]/g, "?").slice(0, 300);
  res.writeHead(HTTP_STATUS[err.code], reason, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...errorHeaders(err),
  });
  res.end(text);
}

const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `request body exceeds ${MAX_BODY_BYTES} bytes (1 MiB)`);

// An oversized body sent without Content-Length is read to its end and thrown away
// before the 413 goes out, up to this much: a 413 answered while the client is still
// sending reaches no one through a proxy (the console's /api/agent/* rewrite destroys
// the client's upload as soon as the upstream answer ends, and the client sees a reset
// instead of the 413). Beyond it the connection is closed at once: reading costs
// bandwidth, never memory. A declared Content-Length over the limit is answered at once
// (proxy.ts answers it before the rewrite, and Next.js forwards at most 10 MB of a
// rewritten body, so waiting for the declared length could wait forever).
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

// A body being read: its state sits on the request under a symbol and is dropped, with
// the listeners, when the body ends. The listeners are module functions rather than
// closures made per request: at thousands of heartbeats a second the closures (each
// also named at creation by the TypeScript loader) were a measurable share of the agent
// API's CPU.
const READING = Symbol("isthmus.readingBody");

interface Reading {
  chunks: Buffer | Buffer[] | null;
  size: number;
  /** Past the limit: counting and discarding until the end, then the 413. */
  draining: boolean;
  resolve: (body: Buffer | undefined) => void;
  reject: (err: unknown) => void;
}

type ReadingRequest = IncomingMessage & { [READING]?: Reading };

function finishReading(req: ReadingRequest): Reading | undefined {
  const r = req[READING];
  if (!r) return undefined;
  req[READING] = undefined;
  req.off("data", onBodyData);
  req.off("end", onBodyEnd);
  req.off("error", onBodyError);
  req.off("close", onBodyClose);
  return r;
}

function onBodyData(this: ReadingRequest, chunk: Buffer) {
  const r = this[READING];
  if (!r) return;
  r.size += chunk.length;
  if (r.size > MAX_DRAIN_BYTES) {
    finishReading(this);
    this.pause();
    return r.reject(tooLarge());
  }
  if (r.size > MAX_BODY_BYTES || r.draining) {
    r.draining = true;
    r.chunks = null;
    return;
  }
  if (r.chunks === null) r.chunks = chunk;
  else if (Array.isArray(r.chunks)) r.chunks.push(chunk);
  else r.chunks = [r.chunks, chunk];
}

function onBodyEnd(this: ReadingRequest) {
  const r = finishReading(this);
  if (!r) return;
  if (r.draining) return r.reject(tooLarge());
  if (r.chunks === null) return r.resolve(undefined);
  r.resolve(Array.isArray(r.chunks) ? Buffer.concat(r.chunks, r.size) : r.chunks);
}

function onBodyError(this: ReadingRequest, err: Error) {
  finishReading(this)?.reject(err);
}

function onBodyClose(this: ReadingRequest) {
  // The client went away before the body was complete.
  if (!this.complete) finishReading(this)?.reject(new Error("request aborted"));
}

/**
 * Read a body of at most MAX_BODY_BYTES. A larger one is kept nowhere: refused at once
 * when Content-Length says so, else read to its end and dropped (see MAX_DRAIN_BYTES);
 * the promise fails with PAYLOAD_TOO_LARGE, and the caller answers 413 and closes the
 * connection. An empty body reads as undefined.
 */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    (req as ReadingRequest)[READING] = { chunks: null, size: 0, draining: false, resolve, reject };
    req.on("data", onBodyData);
    req.on("end", onBodyEnd);
    req.on("error", onBodyError);
    req.on("close", onBodyClose);
  });
}

/** A body's text as JSON (undefined stays undefined); 400 when it is not JSON. */
export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "body: is not valid JSON");
  }
}

/** Read a JSON body of at most MAX_BODY_BYTES (see readBody). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJsonText((await readBody(req))?.toString("utf8"));
}

/** After a 413 the rest of the body is not read: close the connection once the answer is out. */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse) {
  res.setHeader("connection", "close");
  res.once("finish", () => setImmediate(() => req.destroy()));
}

/**
 * The agent's address, as server/http/client-address.ts decides it for every edge: the
 * socket's peer, or the X-Forwarded-For entry a trusted proxy appended (read from the
 * right), so an agent cannot spoof its way past the enrolment rate limit by sending its
 * own header. Loopback counts as a proxy here: the console's rewrite of /api/agent/*
 * arrives from the web process on the same host.
 */
export function clientAddress(req: IncomingMessage): string | null {
  return clientAddressOfRequest(req, agentApiTrustedProxies());
}
