// GET /api/v1/slices/{id}/export?format=kubeslice → text/yaml. A route of its own
// because the generated REST handler answers JSON only; it calls the same procedure.
import { TRPCError } from "@trpc/server";
import { fieldError } from "@/server/platform/errors";
import { problemFromError, problemResponse } from "@/server/http/problem-details";
import { contextFromRequest } from "@/server/trpc/request-context";
import { logger } from "@/server/platform/logger";
import { createCaller } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  const format = url.searchParams.get("format") ?? "kubeslice";
  if (format !== "kubeslice") return problemResponse(problemFromError(fieldError("format", "must be kubeslice"), url.pathname));
  try {
    const caller = createCaller(await contextFromRequest(req));
    const out = await caller.slices.export({ id, tenant: url.searchParams.get("tenant") ?? undefined, format });
    return new Response(out.yaml, {
      headers: { "content-type": "text/yaml; charset=utf-8", "content-disposition": `attachment; filename="${out.name}.yaml"` },
    });
  } catch (err) {
    if (!(err instanceof TRPCError) || err.code === "INTERNAL_SERVER_ERROR") logger.error({ err: (err as Error).message }, "slice export failed");
    return problemResponse(problemFromError(err, url.pathname));
  }
}
