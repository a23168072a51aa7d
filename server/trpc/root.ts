// The flat map of domains. Each domain's router lives in server/<domain>/router.ts.
import { alertsRouter } from "../alerts/router";
import { apiTokensRouter } from "../api-tokens/router";
import { auditRouter } from "../audit/router";
import { clustersRouter } from "../clusters/router";
import { gatewaysRouter } from "../gateways/router";
import { invitesRouter, membersRouter } from "../members/router";
import { overviewRouter } from "../overview/router";
import { policiesRouter } from "../policies/router";
import { qosProfilesRouter } from "../qos-profiles/router";
import { slicesRouter } from "../slices/router";
import { tenantsRouter } from "../tenants/router";
import { meRouter } from "../users/router";
import { registrationTokensRouter } from "../registration-tokens/router";
import { rolloutsRouter } from "../rollouts/router";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  invites: invitesRouter,
  apiTokens: apiTokensRouter,
  audit: auditRouter,
  registrationTokens: registrationTokensRouter,
  clusters: clustersRouter,
  slices: slicesRouter,
  qosProfiles: qosProfilesRouter,
  policies: policiesRouter,
  overview: overviewRouter,
  gateways: gatewaysRouter,
  alerts: alertsRouter,
  rollouts: rolloutsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
