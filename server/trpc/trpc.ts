import { initTRPC, TRPCError } from "@trpc/server";
import { withTenantScope } from "../platform/db/tenant-scope";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z, ZodError } from "zod";
import type { Actor, TenantContext } from "../platform/context";
import { AppError, type AppErrorCode } from "../platform/errors";
import { resolveUserTenant } from "../tenants/resolve-tenant";
import { assertStorableInput } from "../platform/validation";
import type { RequestContext } from "../platform/principals";

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(err: unknown): unknown {
  if (err instanceof AppError) return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
  return err;
}

const t = initTRPC
  .context<RequestContext>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const fieldErrors = cause instanceof ZodError ? z.flattenError(cause).fieldErrors : cause instanceof AppError ? cause.details?.fieldErrors : undefined;
      // An unexpected error's message may be a database's (table, column, constraint): the
      // console gets a fixed sentence, the log has the rest.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "The server could not complete the request. It has been logged." : shape.message;
      return { ...shape, message, data: { ...shape.data, stack: undefined, fieldErrors: fieldErrors ?? null } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Services throw AppError; map it once here to the tRPC code (REST derives HTTP from that).
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const app = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE[app.code], message: app.message, cause: app });
  }
  return result;
});

// Every procedure's raw input is checked here, before any input schema or service runs:
// a NUL or an unpaired surrogate in any string (PostgreSQL refuses both) is a 400 naming
// the field. Central rather than a refinement in each schema, so a new procedure or a
// new text field cannot forget it; z.unknown()/z.record() fields are covered too.
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  assertStorableInput(await getRawInput());
  return next();
});

export const publicProcedure = t.procedure.use(mapErrors).use(storableInput);

function unauthorized(ctx: RequestContext): never {
  throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authError?.message ?? "Sign in or send an API token", cause: ctx.authError ?? undefined });
}

/** A signed-in user or a valid API token. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user && !ctx.apiToken) unauthorized(ctx);
  return next({ ctx });
});

/** A signed-in user only (things an API token may never do, e.g. create tenants). */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) unauthorized(ctx);
  return next({ ctx: { ...ctx, user: ctx.user! } });
});

export const ZTenantScope = z.object({
  // Tenant slug. Optional with an API token (which belongs to exactly one tenant).
  tenant: z.string().max(40).optional(),
});

/**
 * Resolves the caller's tenant and role once, and puts `ctx.tenant` on the context.
 * Another tenant is NOT_FOUND, never FORBIDDEN: its existence is not revealed.
 */
export const tenantProcedure = authedProcedure.input(ZTenantScope).use(async ({ ctx, input, next }) => {
  const slug = input.tenant;
  let tenant: TenantContext;
  if (ctx.apiToken) {
    if (slug && slug !== ctx.apiToken.tenant.slug) throw new TRPCError({ code: "NOT_FOUND", message: `tenant "${slug}" not found` });
    const actor: Actor = { type: "API_TOKEN", id: ctx.apiToken.id, label: `token ${ctx.apiToken.name}`, sourceIp: ctx.sourceIp };
    tenant = { tenantId: ctx.apiToken.tenant.id, tenantSlug: ctx.apiToken.tenant.slug, role: ctx.apiToken.role, actor };
  } else {
    if (!slug) throw new TRPCError({ code: "BAD_REQUEST", message: "tenant: is required" });
    try {
      const t = await resolveUserTenant(ctx.user!.id, slug);
      const actor: Actor = { type: "USER", id: ctx.user!.id, label: ctx.user!.email, sourceIp: ctx.sourceIp };
      tenant = { tenantId: t.id, tenantSlug: t.slug, role: t.role, actor };
    } catch (err) {
      throw toTRPCError(err);
    }
  }
  // Every query of the procedure runs under row-level security for this tenant.
  return withTenantScope(tenant.tenantId, () => next({ ctx: { ...ctx, tenant } }));
});
