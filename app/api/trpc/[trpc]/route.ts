import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_API_BODY_BYTES, withBodyCap } from "@/server/http/body-limit";
import { forbiddenCrossOrigin, isCrossOriginMutation } from "@/server/http/csrf";
import { contextFromRequest } from "@/server/trpc/request-context";
import { logger } from "@/server/platform/logger";
import { instrumented } from "@/server/platform/metrics";
import { appRouter } from "@/server/trpc/root";

const tooLarge = () => new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `body: must be at most ${MAX_API_BODY_BYTES} bytes (1 MiB)` });

const handler = instrumented("/api/trpc", (rawReq: Request) => {
  if (isCrossOriginMutation(rawReq)) return forbiddenCrossOrigin();
  // Capped as it streams: the adapter reads the body itself, and an oversized one ends
  // as a 413 tRPC error after at most MAX_API_BODY_BYTES, never held whole.
  const req = withBodyCap(rawReq, MAX_API_BODY_BYTES, tooLarge);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => contextFromRequest(req),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.cause?.message ?? error.message }, "trpc error");
    },
  });
});

export { handler as GET, handler as POST };
