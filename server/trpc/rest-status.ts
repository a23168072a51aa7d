// trpc-to-openapi 3.3 has no per-procedure success status: every success is 200 unless
// the handler's `responseMeta` says otherwise. Procedures declare
// `.meta({ successStatus: 201, openapi: … })` and the REST edge passes
// `responseMeta: successStatusMeta(appRouter)` to createOpenApiFetchHandler.
interface ProcedureMeta {
  successStatus?: number;
}

export function successStatusMeta(router: { _def: { procedures: object } }) {
  const procedures = router._def.procedures as Record<string, { _def?: { meta?: ProcedureMeta } } | undefined>;
  return (opts: { paths?: readonly string[]; errors: readonly unknown[] }) => {
    if (opts.errors.length > 0 || opts.paths?.length !== 1) return {};
    const status = procedures[opts.paths[0]!]?._def?.meta?.successStatus;
    return status ? { status } : {};
  };
}
