import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { forbiddenCrossOrigin, isCrossOriginMutation } from "@/server/http/csrf";
import { contextFromRequest } from "@/server/http/trpc-context";
import { logger } from "@/server/logger";
import { instrumented } from "@/server/metrics";
import { appRouter } from "@/server/trpc/root";

const handler = instrumented("/api/trpc", (req: Request) => {
  if (isCrossOriginMutation(req)) return forbiddenCrossOrigin();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => contextFromRequest(req),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.message }, "trpc error");
    },
  });
});

export { handler as GET, handler as POST };
