// The connection settings `npm start` used, for the CLI run from the same checkout:
// `npm start` writes them to .data/env (mode 0600: the URL may carry a password), and
// the CLI reads them when DATABASE_URL is not set, so `npm run cli -- …` and
// `npx isthmus …` reach the database `npm start` made without any export.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const KEYS = ["DATABASE_URL", "REDIS_URL"] as const;

/** Where `npm start` keeps its local state: ISTHMUS_DATA_DIR, else .data in the checkout. */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ISTHMUS_DATA_DIR?.trim() || path.join(ROOT, ".data");
}

export const localEnvFile = (dir = localDataDir()) => path.join(dir, "env");

export function writeLocalEnv(vars: Partial<Record<(typeof KEYS)[number], string>>, dir = localDataDir()) {
  const file = localEnvFile(dir);
  const lines = [
    "# Written by `npm start`: the databases it uses, for the CLI (cli/local-env.ts).",
    ...KEYS.filter((k) => vars[k]).map((k) => `${k}=${vars[k]}`),
    "",
  ];
  writeFileSync(file, lines.join("\n"), { mode: 0o600 });
  // The mode of writeFileSync applies only when it creates the file.
  chmodSync(file, 0o600);
}

/**
 * Fills DATABASE_URL (and REDIS_URL, if unset) from the file `npm start` wrote, when
 * DATABASE_URL is not set. Returns the file it used, or null.
 */
export function loadLocalEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.DATABASE_URL) return null;
  const file = localEnvFile(localDataDir(env));
  if (!existsSync(file)) return null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m && (KEYS as readonly string[]).includes(m[1]!) && !env[m[1]!]) env[m[1]!] = m[2];
  }
  return env.DATABASE_URL ? file : null;
}
