// `kubectl kustomize deploy/agent` renders, and what it renders is exactly what the
// agent API serves at /api/agent/v1/install/<id>.yaml with deploy/agent's placeholder
// values: the one-line import and a kustomize install cannot drift apart.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { AGENT_MANIFEST_DIR, renderAgentInstall } from "../../server/registration-tokens/render-install";
import { validateUpstream } from "../../server/bundles/manifests";

// CI installs Debian's kubectl (.ci/run); a machine without it skips, saying why.
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
const key = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const parse = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean)
    .sort((a, b) => key(a).localeCompare(key(b)));

describe.skipIf(!hasKubectl)("kubectl kustomize deploy/agent (skipped: kubectl is not installed; apt-get install -y kubectl)", () => {
  test("renders, every object validates, and it equals the install route's rendering with the placeholders", () => {
    const rendered = parse(execFileSync("kubectl", ["kustomize", AGENT_MANIFEST_DIR], { encoding: "utf8" }));
    expect(rendered.length).toBe(11);
    for (const o of rendered) expect(validateUpstream(o), key(o)).toEqual({ valid: true, errors: [] });
    const served = parse(renderAgentInstall({ server: "https://isthmus.example.com", token: "REPLACE_WITH_REGISTRATION_TOKEN" }));
    expect(served).toEqual(rendered);
  });
});

describe("the Dockerfile's agent target", () => {
  const instructions = (text: string) =>
    text
      .split("\n")
      .filter((l) => /^[A-Z]+\s/.test(l) && !l.startsWith("FROM") && !l.startsWith("ARG"))
      .map((l) => l.replace(/--from=\S+/, "--from=…"));
  test("builds the same image as deploy/agent/Dockerfile, and a plain docker build still makes the tools image", () => {
    const root = readFileSync(path.join(AGENT_MANIFEST_DIR, "../../Dockerfile"), "utf8");
    const stages = root.split(/^(?=FROM )/m);
    const agent = stages.filter((s) => / AS agent(-deps)?\s*$/m.test(s.split("\n")[0]!)).join("");
    expect(instructions(agent)).toEqual(instructions(readFileSync(path.join(AGENT_MANIFEST_DIR, "Dockerfile"), "utf8")));
    expect(stages.at(-1)!.split("\n")[0]).toMatch(/ AS tools$/);
  });
});
