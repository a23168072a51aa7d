// Server-side time of an API call: the SQL statements one request runs, captured from
// the pg driver in this process, each run again under EXPLAIN (ANALYZE, BUFFERS) with
// the same parameters and the same tenant scope (row-level security applies as it did).
// On a shared machine the HTTP p95 says how long a caller waited; the executor's time
// says what the database itself spent.
import pg from "pg";
import { APP_ROLE, currentTenantScope } from "../../server/platform/db/tenant-scope";

interface Captured {
  text: string;
  values: unknown[];
  tenantId: string | null;
}

let capturing: Captured[] | null = null;
const EXPLAINING = Symbol("explaining");
const original = pg.Client.prototype.query;
// Patched once, for this benchmark process only.
pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
  const config = args[0];
  if (capturing && !(this as { [EXPLAINING]?: boolean })[EXPLAINING]) {
    const text = typeof config === "string" ? config : (config as { text?: string }).text;
    const values = typeof config === "string" ? ((args[1] as unknown[] | undefined) ?? []) : ((config as { values?: unknown[] }).values ?? []);
    if (text) capturing.push({ text, values, tenantId: currentTenantScope() });
  }
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

/** The statements `fn` sends to PostgreSQL. */
export async function captureStatements(fn: () => Promise<unknown>): Promise<Captured[]> {
  capturing = [];
  try {
    await fn();
    return capturing;
  } finally {
    capturing = null;
  }
}

export interface Explained {
  statements: number;
  /** Round trips that are SELECTs (explained); the rest are session and transaction statements. */
  selects: Array<{ sql: string; planningMs: number; executionMs: number; plan: string }>;
}

/** Runs every captured SELECT again under EXPLAIN (ANALYZE, BUFFERS). */
export async function explainStatements(url: string, captured: Captured[]): Promise<Explained> {
  const c = new pg.Client({ connectionString: url });
  (c as unknown as { [EXPLAINING]: boolean })[EXPLAINING] = true;
  await c.connect();
  const selects: Explained["selects"] = [];
  try {
    for (const s of captured) {
      if (!/^\s*(SELECT|WITH)\b/i.test(s.text)) continue;
      await c.query(
        s.tenantId ? `SET ROLE ${APP_ROLE}; SET app.tenant_id = '${s.tenantId.replace(/[^A-Za-z0-9_-]/g, "")}'` : "RESET ROLE; RESET app.tenant_id",
      );
      const text = await c.query<{ "QUERY PLAN": string }>({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values: s.values });
      const lines = text.rows.map((r) => r["QUERY PLAN"]);
      const ms = (label: string) => Number(/([\d.]+) ms/.exec(lines.find((l) => l.startsWith(label)) ?? "")?.[1] ?? NaN);
      selects.push({
        sql: s.text.replace(/\s+/g, " ").slice(0, 160),
        planningMs: ms("Planning Time"),
        executionMs: ms("Execution Time"),
        plan: lines.join("\n"),
      });
    }
  } finally {
    await c.end();
  }
  return { statements: captured.length, selects };
}
