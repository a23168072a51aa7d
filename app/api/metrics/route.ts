import { instrumented, renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

export const GET = instrumented("/api/metrics", async () => {
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
