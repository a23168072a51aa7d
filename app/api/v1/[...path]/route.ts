import { isCrossOriginMutation } from "@/server/http/csrf";
import { problemResponse, problemType } from "@/server/http/problem-details";
import { contextFromRequest } from "@/server/trpc/request-context";
import { instrumented } from "@/server/platform/metrics";
import { handleRest } from "@/server/trpc/rest-handler";

export const dynamic = "force-dynamic";

const handler = instrumented("/api/v1", (req: Request) => {
  if (isCrossOriginMutation(req)) {
    return problemResponse({ type: problemType("forbidden"), title: "Forbidden", status: 403, detail: "Cross-origin request refused" });
  }
  return handleRest(req, { createContext: contextFromRequest });
});

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
