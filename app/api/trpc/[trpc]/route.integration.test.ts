// The console's tRPC endpoint (/api/trpc) through its Next.js route handler: hostile
// bodies end as tRPC errors with a 4xx, never a 500 or a database message.
import { beforeAll, describe, expect, test } from "vitest";
import { POST } from "./route";
import { makeTenant, tokenCaller, type TenantFixture } from "../../../../test/fixtures";

let a: TenantFixture;
let token: string;
beforeAll(async () => {
  a = await makeTenant("trpc-edge");
  token = (await tokenCaller(a, "ADMIN")).token;
});

function call(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const req = new Request(`http://localhost/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return POST(req, undefined as never);
}

function streamed(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= bytes) return c.close();
      sent += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
}

describe("/api/trpc edge", () => {
  test("a 20 MiB body is 413 PAYLOAD_TOO_LARGE, declared or streamed", async () => {
    const big = JSON.stringify({ yaml: "x".repeat(20 * 1024 * 1024) });
    for (const res of [await call("slices.import", big, { "content-length": String(big.length) }), await call("slices.import", streamed(20 * 1024 * 1024))]) {
      expect(res.status).toBe(413);
      const body = await res.json();
      expect(body.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  test("NUL in a text field is 400 naming the field, not a database error", async () => {
    const res = await call("apiTokens.create", JSON.stringify({ name: "a\u0000b", role: "VIEWER", expiresInDays: 1 }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.data.fieldErrors).toEqual({ name: ["must not contain NUL or unpaired surrogate characters"] });
    expect(JSON.stringify(body)).not.toMatch(/prisma|invalid byte sequence|22021/i);
  });
});
