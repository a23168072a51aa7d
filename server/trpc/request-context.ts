import { currentUser } from "../auth/session";
import { createRequestContext } from "./context";

/** Context for tRPC and REST calls arriving through Next.js. */
export const contextFromRequest = (req: Request) => createRequestContext({ headers: req.headers, getSessionUser: currentUser });
