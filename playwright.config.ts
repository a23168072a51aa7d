// End-to-end tests against the built app in Debian's Chromium (never a downloaded
// browser). e2e/serve.ts creates the run's database, builds when needed and serves
// the app; the tests read the database URL from the state file it writes.
import { defineConfig, devices } from "@playwright/test";
import { E2E_PORT } from "./e2e/support/state";

const baseURL = `http://localhost:${E2E_PORT}`;

export default defineConfig({
  testDir: "./e2e",
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: false,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    // localhost, not 127.0.0.1: next-auth's CSRF cookie is bound to the origin it sees.
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "npx tsx e2e/serve.ts",
    url: `${baseURL}/signin`,
    // The first run builds the app (about two minutes on two cores).
    timeout: 300_000,
    // E2E_REUSE_SERVER=1: run against an `npx tsx e2e/serve.ts` started by hand (fast
    // iteration on specs); the run then leaves that server's database alone.
    reuseExistingServer: !!process.env.E2E_REUSE_SERVER,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
