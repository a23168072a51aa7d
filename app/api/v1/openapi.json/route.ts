import { env } from "@/server/platform/env";
import { openApiDocument } from "@/server/trpc/openapi";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(openApiDocument(`${env().PUBLIC_URL}/api/v1`));
}
