import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { env } from "../env";
import { PrismaClient } from "./generated/client";
import { TenantScopedPool } from "./tenant-scope";

export type Db = PrismaClient;
/** A client or an interactive transaction: what services accept to join a caller's transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { isthmusDb?: PrismaClient };

/**
 * The process-wide Prisma client (one pool per process; survives Next.js dev reloads).
 * Inside withTenantScope() its queries run under row-level security for that tenant.
 */
export function db(): PrismaClient {
  globalForDb.isthmusDb ??= new PrismaClient({
    adapter: new PrismaPg(new TenantScopedPool({ connectionString: env().DATABASE_URL, max: 10 }) as pg.Pool, { disposeExternalPool: true }),
  });
  return globalForDb.isthmusDb;
}

export async function closeDb() {
  await globalForDb.isthmusDb?.$disconnect();
  globalForDb.isthmusDb = undefined;
}
