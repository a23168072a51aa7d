import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { agentIsOutdated, CURRENT_AGENT_VERSION } from "./agent-version";

describe("agent versions", () => {
  test("the agent built from this checkout has the control plane's version", () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(CURRENT_AGENT_VERSION).toBe(pkg.version);
  });

  test("older is flagged by number, not by string order; newer, equal and unknown are not", () => {
    expect(agentIsOutdated("0.9.0", "0.10.0")).toBe(true);
    expect(agentIsOutdated("v1.2.2", "1.2.3")).toBe(true);
    expect(agentIsOutdated("1.2", "1.2.1")).toBe(true);
    expect(agentIsOutdated("0.10.0", "0.9.0")).toBe(false);
    expect(agentIsOutdated("1.2.3", "1.2.3")).toBe(false);
    expect(agentIsOutdated("1.2.3-rc.1", "1.2.3")).toBe(false);
    expect(agentIsOutdated(null, "1.2.3")).toBe(false);
    expect(agentIsOutdated("dev", "1.2.3")).toBe(false);
  });
});
