// Server-sent events for the gateways views of one tenant (server/gateways/live.ts): the
// caller must be a member (session) or hold an API token of that tenant; anyone else
// gets 404, as for every tenant they cannot see.
import { gatewayEventStream } from "@/server/gateways/live";
import { contextFromRequest } from "@/server/trpc/request-context";
import { resolveUserTenant } from "@/server/tenants/resolve-tenant";

export const dynamic = "force-dynamic";

const notFound = () => new Response(JSON.stringify({ error: "not found" }), { status: 404, headers: { "content-type": "application/json" } });

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const ctx = await contextFromRequest(req);
  let tenantId: string | null = null;
  if (ctx.apiToken) tenantId = ctx.apiToken.tenant.slug === slug ? ctx.apiToken.tenant.id : null;
  else if (ctx.user)
    tenantId = await resolveUserTenant(ctx.user.id, slug).then(
      (t) => t.id,
      () => null,
    );
  else return new Response(JSON.stringify({ error: "sign in first" }), { status: 401, headers: { "content-type": "application/json" } });
  if (!tenantId) return notFound();
  return new Response(gatewayEventStream(tenantId, req.signal), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
