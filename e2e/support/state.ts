// What e2e/serve.ts hands to the tests: where the run's database and Redis are.
import { readFileSync } from "node:fs";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
/** Session-signing secret of the e2e server (a test value, never used elsewhere). */
export const E2E_SECRET = "e2e-secret-e2e-secret-e2e-secret";
export const STATE_FILE = path.resolve(import.meta.dirname, "../../.data/e2e/state.json");

export interface E2EState {
  databaseUrl: string;
  redisUrl: string;
  /** The PostgreSQL server (its maintenance database), to drop the run's database. */
  serverUrl: string;
  dbName: string;
  baseURL: string;
}

export function readState(): E2EState {
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as E2EState;
}
