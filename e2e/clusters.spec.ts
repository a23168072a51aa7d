// Clusters in the console, end to end with a real agent: a registration token made in
// the UI enrols a simulated cluster (the real agent program, not a fake), which shows
// up in the clusters table without a reload; a revoked token is refused. The agent
// protocol is served by its own process (server/agent-api/main.ts), which the e2e web
// server does not start: this spec runs one on the run's database and Redis and points
// the agents straight at it.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { freePort } from "../test/services";
import { expect, makeTenant, signInViaApi, test } from "./support/fixtures";
import { readState } from "./support/state";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out };
}

async function stop(p: Proc | undefined) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 8_000);
  await gone;
  clearTimeout(timer);
}

let agentApi: Proc;
let agentApiUrl: string;
const agents: Proc[] = [];
const stateDirs: string[] = [];

function runAgent(token: string): Proc {
  const dir = mkdtempSync(path.join(os.tmpdir(), "isthmus-e2e-agent-"));
  stateDirs.push(dir);
  const p = start([
    "bin/isthmus-agent.mjs",
    "--server",
    agentApiUrl,
    "--token",
    token,
    "--target",
    "simulated",
    "--profile",
    "edge",
    "--seed",
    "7",
    "--state-dir",
    dir,
  ]);
  agents.push(p);
  return p;
}

test.describe("clusters", () => {
  test.beforeAll(async () => {
    const state = readState();
    const port = await freePort();
    agentApiUrl = `http://127.0.0.1:${port}`;
    agentApi = start(["--import", "tsx", "server/agent-api/main.ts"], {
      DATABASE_URL: state.databaseUrl,
      REDIS_URL: state.redisUrl,
      AGENT_API_PORT: String(port),
      AGENT_API_HOST: "127.0.0.1",
      // No workers process runs here: the agent API writes heartbeats to Postgres itself.
      AGENT_API_FLUSH_MS: "1000",
      LOG_LEVEL: "warn",
    });
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${agentApiUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      if (agentApi.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the agent API process did not come up:\n${agentApi.output()}`);
  });

  test.afterAll(async () => {
    await Promise.all(agents.map(stop));
    await stop(agentApi);
    for (const d of stateDirs) rmSync(d, { recursive: true, force: true });
  });

  /** Create a registration token in the dialog and read it off the page, where it is shown once. */
  async function createToken(page: Page, name: string, labels: Record<string, string> = {}) {
    await page.getByRole("button", { name: "Create token" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    for (const [i, [k, v]] of Object.entries(labels).entries()) {
      await dialog.getByRole("button", { name: "Add label" }).click();
      await dialog.getByLabel(`Label ${i + 1} key`).fill(k);
      await dialog.getByLabel(`Label ${i + 1} value`).fill(v);
    }
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByRole("heading", { name: "Token created" })).toBeVisible();
    await expect(dialog.getByText("You won't see this token again")).toBeVisible();
    const token = (await dialog.getByLabel("Registration token").textContent())!.trim();
    expect(token).toMatch(/^isr_[a-z0-9]+\.[A-Za-z0-9_-]+$/);
    await expect(dialog.getByLabel("Agent command line")).toContainText(`--token ${token}`);
    await expect(dialog.getByLabel("Kubernetes Secret manifest")).toContainText(`token: "${token}"`);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    return token;
  }

  test("a token made in the console enrols a real agent, and its cluster appears live", async ({ page }) => {
    test.setTimeout(120_000);
    const t = await makeTenant("clusters");
    await signInViaApi(page, t.owner);

    // No cluster yet: the page explains how one joins and leads to the tokens.
    await page.goto(`/t/${t.slug}/clusters`);
    await expect(page.getByText("No clusters yet")).toBeVisible();
    await expect(page.getByText("npx isthmus-agent --server")).toBeVisible();
    await page.getByRole("link", { name: "Go to registration tokens" }).click();
    await expect(page.getByRole("heading", { name: "Registration tokens" })).toBeVisible();
    await expect(page.getByText("No registration tokens yet")).toBeVisible();

    const token = await createToken(page, "e2e edge", { env: "e2e" });
    const row = page.getByRole("row", { name: /e2e edge/ });
    await expect(row.getByText("Redeemable")).toBeVisible();
    await expect(row.getByRole("cell", { name: "0 / 1", exact: true })).toBeVisible();

    // Watch the table while the agent starts: the cluster must arrive without a reload.
    await page.goto(`/t/${t.slug}/clusters`);
    await expect(page.getByText("No clusters yet")).toBeVisible();
    const agent = runAgent(token);
    const table = page.getByRole("table", { name: "Clusters" });
    await expect(table, `agent output:\n${agent.output()}`).toBeVisible({ timeout: 60_000 });
    const clusterRow = table.getByRole("row", { name: /sim-edge-/ });
    await expect(clusterRow).toHaveCount(1);
    await expect(clusterRow.getByText("Available")).toBeVisible();
    await expect(clusterRow.getByText("Edge", { exact: true })).toBeVisible();
    await expect(clusterRow.getByText("env=e2e")).toBeVisible();
    // Revision 1 (the empty bundle published at enrolment) is applied and acked.
    await expect(clusterRow.getByText("Converged")).toBeVisible({ timeout: 30_000 });

    // The cluster page shows the inventory the agent reported.
    const link = clusterRow.getByRole("link", { name: /^sim-edge-/ });
    const name = (await link.textContent())!.trim();
    await link.click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByText("Inventory")).toBeVisible();
    const inventory = page.locator("dl").first();
    await expect(inventory.getByText(/^v1\.\d+\.\d+/)).toBeVisible();
    await expect(inventory.getByText(/^\d+\.\d+\.\d+\.\d+\/\d+$/).first()).toBeVisible();
    await expect(inventory.getByText("Behind NAT")).toBeVisible();
    await page.getByRole("tab", { name: /Events/ }).click();
    await expect(page.getByText(`${name} registered with token "e2e edge"`)).toBeVisible();
    await page.getByRole("tab", { name: /Config/ }).click();
    await expect(page.getByText("applied 1 / desired 1")).toBeVisible();

    // The token has done its one enrolment.
    await page.goto(`/t/${t.slug}/registration-tokens`);
    await expect(row.getByText("Used up")).toBeVisible();
    await expect(row.getByRole("cell", { name: "1 / 1", exact: true })).toBeVisible();
    await stop(agent);
  });

  test("an agent with a revoked token is refused and enrols nothing", async ({ page }) => {
    test.setTimeout(90_000);
    const t = await makeTenant("revoked");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/registration-tokens`);
    await createToken(page, "keep");
    const token = await createToken(page, "to-revoke");

    await page.getByRole("button", { name: "Revoke token to-revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    const row = page.getByRole("row", { name: /to-revoke/ });
    await expect(row.getByText("Revoked", { exact: true })).toBeVisible();
    await expect(page.getByRole("row", { name: /keep/ }).getByText("Redeemable")).toBeVisible();

    const agent = runAgent(token);
    await expect.poll(() => agent.output(), { timeout: 45_000, message: "the agent logs the refusal" }).toContain("registration token rejected");
    expect(agent.output()).toContain("registration token has been revoked");
    // It keeps retrying with backoff (the token is re-read from its source each time) until stopped.
    await stop(agent);

    await page.goto(`/t/${t.slug}/clusters`);
    await expect(page.getByText("No clusters yet")).toBeVisible();
    await page.goto(`/t/${t.slug}/registration-tokens`);
    await expect(row.getByText("Revoked", { exact: true })).toBeVisible();
    await expect(row.getByRole("cell", { name: "0 / 1", exact: true })).toBeVisible();
  });
});
