// `isthmus netpol list` as a user runs it: a real process through bin/isthmus.mjs,
// with no database or Redis configured at all.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin/isthmus.mjs");
const SHOP = path.join(ROOT, "server/netpol/engine/testdata/shop");
const GOLDEN = path.join(ROOT, "server/netpol/engine/testdata/golden");

// Unreachable addresses: any attempt to use them would fail the command.
const UNREACHABLE = { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", REDIS_URL: "redis://127.0.0.1:1" };

function isthmus(...args: string[]) {
  return run(UNREACHABLE, args);
}

function run(env: NodeJS.ProcessEnv, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd: "/", maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const golden = (name: string) => readFileSync(path.join(GOLDEN, name), "utf8");
const WARNINGS = [
  "warning: ConfigMap backend/settings (apps/backend.yaml): kind ConfigMap is not analysed; skipped",
  "warning: Service frontend/webapp (apps/frontend.yaml): kind Service is not analysed; skipped",
  "",
].join("\n");

describe("isthmus netpol list", { timeout: 120_000 }, () => {
  it("prints netpol-analyzer's txt report and warns on stderr about kinds it skips", async () => {
    const r = await isthmus("netpol", "list", "--dir", SHOP);
    expect(r).toEqual({ code: 0, stdout: golden("shop.txt"), stderr: WARNINGS });
    expect(r.stdout).toContain("backend/checkout[Deployment] => payments/gateway-6f7c9[ReplicaSet] : TCP 8443\n");
  });

  it("runs with no database or Redis configured at all, and is listed in the CLI's help", async () => {
    const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = UNREACHABLE;
    const r = await run(env, ["netpol", "list", "--dir", SHOP]);
    expect(r).toEqual({ code: 0, stdout: golden("shop.txt"), stderr: WARNINGS });
    const help = await run(env, ["--help"]);
    expect(help.stdout).toContain("isthmus netpol list --dir PATH [--output txt|json|csv|md] [--explain]");
  });

  it.each([
    ["json", "shop.json"],
    ["csv", "shop.csv"],
    ["md", "shop.md"],
  ])("prints --output %s", async (fmt, file) => {
    const r = await isthmus("netpol", "list", "--dir", SHOP, "--output", fmt);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden(file));
    if (fmt === "json")
      expect(JSON.parse(r.stdout)).toContainEqual({ src: "frontend/webapp[Deployment]", dst: "backend/catalog[Deployment]", conn: "TCP 9080" });
  });

  it("--explain names the deciding rules in tier order", async () => {
    const r = await isthmus("netpol", "list", "--dir", path.join(ROOT, "server/netpol/engine/testdata/tiers"), "--explain");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden("tiers.explain.txt"));
    expect(r.stdout).toContain(
      [
        "tenant-a/web[Deployment] => tenant-a/db[Deployment] : TCP 5432",
        "  egress from tenant-a/web[Deployment]:",
        "    [default] Allow All Connections: no policy decides it: allowed by default",
        "  ingress to tenant-a/db[Deployment]:",
        '    [AdminNetworkPolicy] Pass All Connections: AdminNetworkPolicy tenant-a-isolation (priority 20) ingress rule 0 "pass-own-tenant"',
        "    [NetworkPolicy] Allow TCP 5432: NetworkPolicy tenant-a/db ingress rule 0",
        "    [NetworkPolicy] Deny SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535: NetworkPolicy tenant-a/db isolates ingress and no rule allows it",
      ].join("\n"),
    );
  });

  it.each([
    [["netpol", "list"], "missing --dir"],
    [["netpol", "list", "--dir", SHOP, "--output", "xml"], '--output must be one of txt, json, csv, md, got "xml"'],
    [["netpol", "list", "--dir", "/nonexistent/folder"], "--dir /nonexistent/folder does not exist"],
    [["netpol", "show"], 'has no subcommand "show"'],
  ])("refuses bad usage with exit code 2: %j", async (args, message) => {
    const r = await isthmus(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it("the command's code imports only the pure engine: no database, Redis or queue module", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      const specs = [
        ...text.matchAll(/^\s*(?:import|export)\b[^;"]*?\bfrom\s+"([^"]+)"/gm),
        ...text.matchAll(/^\s*import\s+"([^"]+)"/gm),
        ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
      ].map((m) => m[1]);
      for (const spec of specs) {
        if (!spec.startsWith(".")) packages.add(spec);
        else {
          const base = path.resolve(path.dirname(file), spec);
          visit(existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, "index.ts"));
        }
      }
    };
    visit(path.join(ROOT, "cli/netpol.ts"));
    expect([...seen].map((f) => path.relative(ROOT, f)).filter((f) => !f.startsWith("server/netpol/engine/") && f !== "cli/netpol.ts")).toEqual([]);
    expect([...packages].sort()).toEqual(["node:fs", "node:path", "node:util", "yaml"]);
  });
});
