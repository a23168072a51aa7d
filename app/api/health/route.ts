import { checkHealth } from "@/server/platform/health";
import { instrumented } from "@/server/platform/metrics";

export const dynamic = "force-dynamic";

export const GET = instrumented("/api/health", async (req) => {
  const strict = new URL(req.url).searchParams.has("strict");
  const { httpStatus, body } = await checkHealth(undefined, { strict });
  return Response.json(body, { status: httpStatus, headers: { "cache-control": "no-store" } });
});
