import { metricsAccess } from "@/server/http/metrics-access";
import { registerGatewayMetrics } from "@/server/gateways/metrics";
import { extendMetrics, instrumented, renderMetrics } from "@/server/platform/metrics";

export const dynamic = "force-dynamic";

export const GET = instrumented("/api/metrics", async (req: Request) => {
  const access = metricsAccess(req.headers);
  if (!access.ok) {
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (access.status === 401) headers["www-authenticate"] = 'Bearer realm="metrics"';
    return Response.json(
      { error: { code: access.status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", message: access.message } },
      { status: access.status, headers },
    );
  }
  // Per-link gauges (status, RTT, loss) for teams that alert from their own Prometheus.
  extendMetrics("gateways", registerGatewayMetrics);
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
