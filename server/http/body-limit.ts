// Request bodies of the console and REST APIs are capped before anything parses them:
// the tRPC and REST adapters read a whole body into one string, so a 20 MiB (or 2 GiB)
// body would otherwise sit in memory before any check could refuse it.
import { AppError } from "../platform/errors";

/** The largest JSON body /api/v1 and /api/trpc accept (a KubeSlice import is the biggest). */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export const bodyTooLarge = (max: number) => new AppError("PAYLOAD_TOO_LARGE", `body: must be at most ${max} bytes (${Math.round(max / 1024)} KiB)`);

/**
 * The request with its body read into memory, at most `max` bytes of it. A declared
 * Content-Length over the cap is refused without reading; a body sent without one is
 * read until it passes the cap, then the stream is cancelled. Throws a
 * PAYLOAD_TOO_LARGE AppError.
 */
export async function withBoundedBody(req: Request, max = MAX_API_BODY_BYTES): Promise<Request> {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await req.body.cancel().catch(() => {});
    throw bodyTooLarge(max);
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(max);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

/**
 * The request with a body stream that fails with `tooLarge()` once more than `max`
 * bytes have passed (at once when Content-Length says so), for adapters that read the
 * body themselves and report a read error as their own error (tRPC's fetch adapter
 * rethrows a TRPCError from the body read unchanged).
 */
export function withBodyCap(req: Request, max: number, tooLarge: () => Error): Request {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? NaN);
  let size = 0;
  const cap = new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      if (declared > max) controller.error(tooLarge());
    },
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > max) controller.error(tooLarge());
      else controller.enqueue(chunk);
    },
  });
  return new Request(req.url, { method: req.method, headers: req.headers, body: req.body.pipeThrough(cap), signal: req.signal, duplex: "half" } as RequestInit);
}
