// Drops the run's database. Runs before Playwright stops the web server, so the
// server is still up: WITH (FORCE) closes the app's connections.
import { existsSync, rmSync } from "node:fs";
import { dropDatabase } from "../scripts/local-services";
import { readState, STATE_FILE } from "./support/state";

export default async function globalTeardown() {
  if (!existsSync(STATE_FILE)) return;
  const state = readState();
  if (process.env.E2E_KEEP_DB || process.env.E2E_REUSE_SERVER) {
    process.stdout.write(`[e2e] keeping database ${state.dbName}\n`);
    return;
  }
  await dropDatabase(state.serverUrl, state.dbName).catch(() => {});
  rmSync(STATE_FILE, { force: true });
}
