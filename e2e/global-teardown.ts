// Drops the run's database. Runs before Playwright stops the web server, so the
// server is still up: WITH (FORCE) closes the app's connections.
import { existsSync, rmSync } from "node:fs";
import pg from "pg";
import { readState, STATE_FILE } from "./support/state";

export default async function globalTeardown() {
  if (!existsSync(STATE_FILE)) return;
  const state = readState();
  if (process.env.E2E_KEEP_DB || process.env.E2E_REUSE_SERVER) {
    process.stdout.write(`[e2e] keeping database ${state.dbName}\n`);
    return;
  }
  const c = new pg.Client({ connectionString: state.serverUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${state.dbName}" WITH (FORCE)`).catch(() => {});
  await c.end();
  rmSync(STATE_FILE, { force: true });
}
