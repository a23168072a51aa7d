import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { forbiddenCrossOrigin, isCrossOriginMutation } from "@/server/http/csrf";
import { contextFromRequest } from "@/server/http/trpc-context";
import { instrumented } from "@/server/metrics";
import { successStatusMeta } from "@/server/trpc/rest-status";
import { appRouter } from "@/server/trpc/root";

const responseMeta = successStatusMeta(appRouter);

export const dynamic = "force-dynamic";

const handler = instrumented("/api/v1", (req: Request) => {
  if (isCrossOriginMutation(req)) return forbiddenCrossOrigin();
  return createOpenApiFetchHandler({ endpoint: "/api/v1", router: appRouter, createContext: () => contextFromRequest(req), req, responseMeta });
});

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
