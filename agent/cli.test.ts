import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliError, parseCli, type AgentConfig, type Env } from "./cli";

const run = (argv: string[], env: Env = {}): AgentConfig => {
  const res = parseCli(argv, env);
  if (res.kind !== "run") throw new Error(res.kind);
  return res.config;
};

describe("parseCli", () => {
  it("reads flags, with defaults for the rest", () => {
    const c = run([
      "--server",
      "https://cp.example.com/",
      "--token",
      "isr_a.b",
      "--target",
      "simulated",
      "--clusters",
      "20",
      "--seed",
      "7",
      "--profile",
      "edge",
      "--flap-rate",
      "0.1",
    ]);
    expect(c).toMatchObject({
      server: "https://cp.example.com",
      target: "simulated",
      clusters: 20,
      seed: 7,
      profile: "edge",
      flapRate: 0.1,
      failApplyRate: 0,
      logLevel: "info",
      tokenSource: "flag",
    });
    expect(c.token()).toBe("isr_a.b");
  });

  it("falls back to the environment, flags winning", () => {
    const env = { ISTHMUS_SERVER: "http://env:3000", ISTHMUS_TOKEN: "isr_env.x", ISTHMUS_TARGET: "simulated", ISTHMUS_STATE_DIR: "/tmp/s" };
    const c = run([], env);
    expect(c).toMatchObject({ server: "http://env:3000", target: "simulated", stateDir: "/tmp/s", tokenSource: "env" });
    expect(run(["--server", "http://flag"], env).server).toBe("http://flag");
    expect(run(["--token", "isr_flag.y"], env).token()).toBe("isr_flag.y");
  });

  it("re-reads a token file on every use, so a mounted Secret can change", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "isthmus-cli-"));
    const file = path.join(dir, "token");
    try {
      const c = run(["--server", "http://x"], { ISTHMUS_TOKEN_FILE: file });
      expect(c.tokenSource).toBe("file");
      expect(c.token()).toBeUndefined();
      await writeFile(file, "isr_file.z\n");
      expect(c.token()).toBe("isr_file.z");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["--server", "http://x", "--bogus"], /Unknown option/],
    [["--token", "t"], /--server/],
    [["--server", "ftp://x"], /http\(s\) URL/],
    [["--server", "not a url"], /http\(s\) URL/],
    [["--server", "http://x", "--target", "docker"], /--target must be one of kube, simulated/],
    [["--server", "http://x", "--clusters", "0", "--target", "simulated"], /--clusters must be an integer/],
    [["--server", "http://x", "--clusters", "3"], /only applies to --target simulated/],
    [["--server", "http://x", "--fail-apply-rate", "1.5"], /--fail-apply-rate must be a number from 0 to 1/],
    [["--server", "http://x", "--flap-rate", "abc"], /--flap-rate/],
    [["--server", "http://x", "--seed", "-1"], /--seed/],
    [["--server", "http://x", "--profile", "moon"], /--profile/],
    [["--server", "http://x", "--log-level", "loud"], /--log-level/],
    [["--server", "http://x", "--name-prefix", "Bad_Prefix"], /--name-prefix/],
    [["--server", "http://x", "extra"], /positional/i],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCli(argv as string[], {})).toThrow(CliError);
    expect(() => parseCli(argv as string[], {})).toThrow(message);
  });

  it("answers --help and --version without requiring a server", () => {
    expect(parseCli(["--help"], {})).toEqual({ kind: "help" });
    expect(parseCli(["--version"], {})).toEqual({ kind: "version" });
  });
});
