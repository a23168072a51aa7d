// Which tenant the current async call chain acts for, and how that reaches PostgreSQL.
//
// withTenantScope(tenantId, fn) marks everything fn does. A pooled connection checked
// out inside it runs as the role isthmus_app with app.tenant_id set, so the row-level
// security policies (migration row_level_security) hide and refuse every other
// tenant's rows even if a query forgets its tenantId filter. Outside any scope a
// connection runs as the connecting role, which the policies do not restrict: agent
// authentication, the heartbeat flush and lease evaluation span tenants by design.
//
// The role and setting are session-level, remembered per connection, and changed only
// when a checkout needs a different scope, so a run of requests for one tenant costs
// no extra round trip.
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";

const scope = new AsyncLocalStorage<string>();
// Tenant ids are generated (cuid); anything else must never reach the SET statement.
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const APP_ROLE = "isthmus_app";

/**
 * Run fn with every database connection it checks out scoped to this tenant. fn's
 * result is awaited inside the scope: Prisma's query promises are lazy and would
 * otherwise run when the caller awaits them, outside it.
 */
export async function withTenantScope<T>(tenantId: string, fn: () => T | PromiseLike<T>): Promise<T> {
  if (!TENANT_ID.test(tenantId)) throw new Error("tenant scope: not a tenant id");
  return scope.run(tenantId, async () => await fn());
}

/** Run fn outside any tenant scope (work that spans tenants by design). */
export async function withoutTenantScope<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  return scope.exit(async () => await fn());
}

export const currentTenantScope = (): string | null => scope.getStore() ?? null;

const SCOPE = Symbol("isthmus.tenantScope");
type ScopedClient = pg.PoolClient & { [SCOPE]?: string | null };

async function applyScope(client: ScopedClient, tenantId: string | null) {
  if ((client[SCOPE] ?? null) === tenantId) return;
  // One simple-protocol round trip; the id was checked against TENANT_ID above.
  await client.query(tenantId ? `SET ROLE ${APP_ROLE}; SET app.tenant_id = '${tenantId}'` : "RESET ROLE; RESET app.tenant_id");
  client[SCOPE] = tenantId;
}

type ConnectCallback = (err: Error | undefined, client?: pg.PoolClient, done?: (release?: boolean | Error) => void) => void;

/** A pg Pool whose checkouts carry the caller's tenant scope (see above). */
export class TenantScopedPool extends pg.Pool {
  // @ts-expect-error -- pg's overloads (promise or callback) are kept, one body for both.
  override connect(cb?: ConnectCallback) {
    // Captured now: a queued checkout is granted later, from another call chain.
    const tenantId = currentTenantScope();
    const ready = (super.connect() as Promise<ScopedClient>).then(async (client) => {
      try {
        await applyScope(client, tenantId);
        return client;
      } catch (err) {
        // Its session state is unknown now: never hand it out again.
        client.release(err as Error);
        throw err;
      }
    });
    if (!cb) return ready;
    ready.then(
      (client) => cb(undefined, client, client.release.bind(client)),
      (err: Error) => cb(err),
    );
    return undefined;
  }
}
