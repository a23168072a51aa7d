// `npm test`: every test there is, then one line of totals.
//   1. vitest run — unit and integration tests (its global setup uses DATABASE_URL and
//      REDIS_URL when set, else an embedded PostgreSQL and redis-server from PATH)
//   2. playwright test — end-to-end, when playwright.config.ts exists
// The last line is exactly `N passed, N failed`; the exit code is non-zero if
// anything failed, including a runner that crashed before reporting.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, ".data", "test-results");
const require = createRequire(import.meta.url);

interface Tally {
  passed: number;
  failed: number;
}

// Ctrl-C reaches the runner too (same process group): let it clean up, then stop.
let interrupted = false;
process.on("SIGINT", () => (interrupted = true));
process.on("SIGTERM", () => (interrupted = true));

function runner(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{ name: string; status: string; assertionResults: Array<{ status: string }> }>;
}

async function vitest(): Promise<Tally> {
  const file = path.join(OUT, "vitest.json");
  rmSync(file, { force: true });
  const code = await runner(path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${file}`,
  ]);
  const report = readJson<VitestReport>(file);
  if (!report) return { passed: 0, failed: 1 }; // crashed before writing its report
  // A file that fails to load has no failed test in it, but is a failure.
  const brokenFiles = report.testResults.filter((r) => r.status === "failed" && !r.assertionResults.some((a) => a.status === "failed")).length;
  const failed = report.numFailedTests + brokenFiles;
  return { passed: report.numPassedTests, failed: failed === 0 && code !== 0 ? 1 : failed };
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: unknown[];
}

async function playwright(): Promise<Tally> {
  if (!existsSync(path.join(ROOT, "playwright.config.ts"))) {
    console.log("\nplaywright.config.ts not found: end-to-end tests skipped.");
    return { passed: 0, failed: 0 };
  }
  const file = path.join(OUT, "playwright.json");
  rmSync(file, { force: true });
  // The CLI's --reporter replaces the config's reporters: keep a readable one, add
  // JSON for the count, and the HTML report (with traces) on CI.
  const reporters = ["list", "json", ...(process.env.CI ? ["html"] : [])].join(",");
  const env = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: file, PLAYWRIGHT_HTML_OPEN: "never" };
  const code = await runner(require.resolve("@playwright/test/cli"), ["test", `--reporter=${reporters}`], env);
  const report = readJson<PlaywrightReport>(file);
  if (!report) return { passed: 0, failed: 1 };
  // A flaky test failed first and passed on retry: it passed.
  const passed = report.stats.expected + report.stats.flaky;
  const failed = report.stats.unexpected + (report.errors?.length ?? 0);
  return { passed, failed: failed === 0 && code !== 0 ? 1 : failed };
}

mkdirSync(OUT, { recursive: true });
const unit = await vitest();
const e2e = interrupted ? { passed: 0, failed: 0 } : await playwright();
if (interrupted) unit.failed = Math.max(unit.failed, 1);
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
