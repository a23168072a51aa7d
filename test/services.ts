// The repository's root and a free port, for tests. Starting PostgreSQL and Redis and
// making throwaway databases is scripts/local-services.ts, shared with `npm start`,
// the e2e server and the benchmarks.
import path from "node:path";

export { freePort } from "../scripts/local-services";

export const ROOT = path.resolve(import.meta.dirname, "..");
