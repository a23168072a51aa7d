import { describe, expect, it } from "vitest";
import { instrumented, metrics, renderMetrics } from "./metrics";

describe("instrumented route handlers", () => {
  it("counts and times requests under the route template and status, and tags a request id", async () => {
    const handler = instrumented("/api/things/[id]", async (req: Request) => new Response("ok", { status: req.method === "POST" ? 201 : 200 }));
    const res = await handler(new Request("http://localhost/api/things/123", { method: "POST" }), {});
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await handler(new Request("http://localhost/api/things/9", { headers: { "x-request-id": "edge-42" } }), {});
    expect(passed.headers.get("x-request-id")).toBe("edge-42");
    const forged = await handler(new Request("http://localhost/api/things/9", { headers: { "x-request-id": 'a" forged="x {}' } }), {});
    expect(forged.headers.get("x-request-id")).not.toContain("forged");

    const { body } = await renderMetrics();
    expect(body).toMatch(/isthmus_http_requests_total\{method="POST",route="\/api\/things\/\[id\]",status="201"\} 1/);
    expect(body).toMatch(/isthmus_http_requests_total\{method="GET",route="\/api\/things\/\[id\]",status="200"\} 2/);
    expect(body).toMatch(/isthmus_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/api\/things\/\[id\]",status="201"\}/);
    expect(body).not.toContain("/api/things/123");
  });

  it("records a throwing handler as a 500 and rethrows", async () => {
    const handler = instrumented("/api/boom", async () => {
      throw new Error("boom");
    });
    await expect(handler(new Request("http://localhost/api/boom"), {})).rejects.toThrow("boom");
    const value = await metrics().httpRequests.get();
    expect(value.values.find((v) => v.labels.route === "/api/boom")).toMatchObject({ value: 1, labels: { status: "500" } });
  });
});
