import { checkHealth } from "@/server/health";
import { instrumented } from "@/server/metrics";

export const dynamic = "force-dynamic";

export const GET = instrumented("/api/health", async () => {
  const { httpStatus, body } = await checkHealth();
  return Response.json(body, { status: httpStatus, headers: { "cache-control": "no-store" } });
});
