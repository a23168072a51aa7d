// The first ten minutes: `npm start` (here its --services-only part: embedded
// PostgreSQL in a fresh folder, migrations, the demo account) writes .data/env, and the
// CLI run without DATABASE_URL finds that database.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { PASSWORD, rand } from "../test/fixtures";
import { loadLocalEnv } from "./local-env";

const ROOT = path.resolve(import.meta.dirname, "..");
const data = mkdtempSync(path.join(tmpdir(), "isthmus-data-"));
// As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
chmodSync(data, 0o755);
let start: ChildProcess | undefined;

afterAll(async () => {
  if (start && start.exitCode === null) {
    const exited = new Promise((r) => start!.once("exit", r));
    start.kill("SIGTERM");
    await exited;
  }
  rmSync(data, { recursive: true, force: true });
});

/** The environment of a shell with no DATABASE_URL, pointed at this test's data folder. */
function shellEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, REDIS_URL: _r, ...rest } = process.env;
  return { ...rest, ISTHMUS_DATA_DIR: data, LOG_LEVEL: "silent", NODE_ENV: "development" };
}

function cli(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "bin/isthmus.mjs"), ...args], { env: shellEnv(), cwd: "/" }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the CLI finds the database npm start made", { timeout: 240_000 }, () => {
  test("without .data/env and without DATABASE_URL, nothing is loaded", () => {
    const env = { ISTHMUS_DATA_DIR: data } as unknown as NodeJS.ProcessEnv;
    expect(loadLocalEnv(env)).toBeNull();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  test("npm start --services-only writes .data/env (0600); the CLI, without DATABASE_URL, creates a user in that database", async () => {
    // Redis is the shared one (REDIS_URL of the test run); PostgreSQL is embedded in the folder.
    start = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts"), "--services-only"], {
      cwd: ROOT,
      env: { ...shellEnv(), REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (b: Buffer) => {
        output += b.toString();
        if (output.includes("services ready")) resolve();
      };
      start!.stdout!.on("data", onData);
      start!.stderr!.on("data", onData);
      start!.once("exit", (code) => reject(new Error(`npm start exited ${code}:\n${output}`)));
    });
    await ready;

    const file = path.join(data, "env");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^DATABASE_URL=postgresql:\/\/.*\/isthmus$/m);

    const email = `first-${rand()}@example.test`;
    const made = await cli("user", "create", "--email", email, "--password", PASSWORD);
    expect(made).toMatchObject({ code: 0, stderr: "" });
    expect(made.stdout).toContain(`created user ${email}`);
    // The demo tenant npm start seeded is in the same database: the CLI adds the user to it.
    const member = await cli("member", "add", "--tenant", "demo", "--email", email, "--role", "viewer");
    expect(member).toMatchObject({ code: 0, stderr: "" });
    expect(member.stdout).toContain(`added ${email} to demo as VIEWER`);
  });

  test("once npm start has stopped, the CLI says which database it tried and what to do", async () => {
    expect(start?.exitCode, "npm start --services-only is still running").toBeNull();
    const exited = new Promise((r) => start!.once("exit", r));
    start!.kill("SIGTERM");
    await exited;
    const res = await cli("user", "create", "--email", `late-${rand()}@example.test`, "--password", PASSWORD);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/is `npm start` running\? Or set DATABASE_URL/);
  });
});
