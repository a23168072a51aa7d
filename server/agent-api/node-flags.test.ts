// The agent API's Node flags are repeated where a process is started without npm start
// (compose, the kustomize base, the Dockerfile's usage line): each must carry all of them,
// or a production install runs without the GC settings the figures were measured with.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_API_NODE_FLAGS } from "./node-flags";

const ROOT = path.resolve(__dirname, "../..");

describe("AGENT_API_NODE_FLAGS", () => {
  it.each(["docker-compose.yml", "deploy/kubernetes/base/agent-api.yaml", "Dockerfile"])("are all in %s's agent API command", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const command = text.split("\n").find((l) => l.includes("dist/agent-api.mjs") && l.includes("node"));
    expect(command, `${file} starts the agent API`).toBeDefined();
    for (const flag of AGENT_API_NODE_FLAGS) expect(command, `${file}: ${flag}`).toContain(flag);
  });
});
