// The one-line import over the agent API: GET /install/<id>.yaml with the token renders
// deploy/agent's manifests around it (valid against the upstream Kubernetes schemas, the
// same RBAC), spends no use, and a token that could no longer enrol gets the protocol's
// refusal instead of YAML, which the one-line command, run by a real shell, prints
// without applying anything.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { AGENT_VERSION } from "../../protocol/version";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { clusterInfo, makeRegistrationToken, startTestApi, type TestApi } from "../agent-api/test-helpers";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { validateUpstream } from "../bundles/manifests";
import { installSnippet } from "./install-snippet";
import { AGENT_MANIFEST_DIR, imageName, renderAgentInstall } from "./render-install";
import { revokeRegistrationToken } from "./revoke-registration-token";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
let api: TestApi;
let a: TenantFixture;

beforeAll(async () => {
  a = await makeTenant("install");
  api = await startTestApi();
});
afterAll(() => api.api.close());

const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const get = (p: string, headers: Record<string, string> = {}) => fetch(api.base + p, { headers });
const agentContainer = (objs: Obj[]) =>
  (
    objs.find((o) => o.kind === "Deployment") as unknown as {
      spec: { template: { spec: { containers: Array<{ image: string; env: Array<{ name: string; value?: string }> }> } } };
    }
  ).spec.template.spec.containers[0]!;

describe("GET /api/agent/v1/install/<id>.yaml", () => {
  test("with the token in a Bearer header: the agent's manifests, the token in its Secret, this control plane as ISTHMUS_SERVER", async () => {
    const t = await makeRegistrationToken(a);
    expect(t.install.url).toBe(`${env().PUBLIC_URL}/api/agent/v1/install/${t.id}.yaml`);
    const res = await get(`/install/${t.id}.yaml`, { authorization: `Bearer ${t.token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const objs = parse(await res.text());
    expect(objs.map((o) => o.kind)).toEqual([
      "Namespace",
      "ServiceAccount",
      "ClusterRole",
      "ClusterRoleBinding",
      "ClusterRole",
      "Role",
      "RoleBinding",
      "Role",
      "RoleBinding",
      "Secret",
      "Deployment",
    ]);
    for (const o of objs) expect(validateUpstream(o), `${o.kind}/${o.metadata.name}`).toEqual({ valid: true, errors: [] });
    expect((objs.find((o) => o.kind === "Secret") as unknown as { stringData: { token: string } }).stringData.token).toBe(t.token);
    const c = agentContainer(objs);
    expect(c.env.find((e) => e.name === "ISTHMUS_SERVER")?.value).toBe(env().PUBLIC_URL.replace(/\/+$/, ""));
    expect(c.image).toBe(env().AGENT_IMAGE ?? `ghcr.io/isthmus/isthmus-agent:${AGENT_VERSION}`);
  });

  test("RBAC is deploy/agent's, unchanged: the one line grants nothing the reviewed manifests do not", async () => {
    const t = await makeRegistrationToken(a);
    const objs = parse(await (await get(`/install/${t.id}.yaml?token=${encodeURIComponent(t.token)}`)).text());
    const rbacFile = parse(readFileSync(path.join(AGENT_MANIFEST_DIR, "rbac.yaml"), "utf8"));
    expect(objs.filter((o) => o.apiVersion.startsWith("rbac.") || o.kind === "ServiceAccount")).toEqual(rbacFile);
  });

  test("rendering spends no use: the agent can still enrol with the token afterwards", async () => {
    const t = await makeRegistrationToken(a);
    expect((await get(`/install/${t.id}.yaml`, { authorization: `Bearer ${t.token}` })).status).toBe(200);
    expect((await db().registrationToken.findUniqueOrThrow({ where: { id: t.id } })).uses).toBe(0);
    const reg = await api.call("POST", "/register", { body: { token: t.token, cluster: clusterInfo(), agentVersion: "0.1.0" } });
    expect(reg.status).toBe(201);
  });

  async function expectRefusal(p: string, headers: Record<string, string>, code: string, message: RegExp) {
    const res = await get(p, { accept: "application/json", ...headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ error: { code, message: expect.stringMatching(message) } });
  }

  test("used up, expired, revoked, unknown, missing or another token's id: the protocol's refusal when JSON is asked for, never YAML", async () => {
    const used = await makeRegistrationToken(a);
    expect((await api.call("POST", "/register", { body: { token: used.token, cluster: clusterInfo(), agentVersion: "0.1.0" } })).status).toBe(201);
    await expectRefusal(`/install/${used.id}.yaml`, { authorization: `Bearer ${used.token}` }, "TOKEN_USED_UP", /no uses left .*create a new one/);

    const expired = await makeRegistrationToken(a);
    await db().registrationToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefusal(`/install/${expired.id}.yaml?token=${expired.token}`, {}, "TOKEN_EXPIRED", /expired/);

    const revoked = await makeRegistrationToken(a, { unlimited: true });
    await revokeRegistrationToken(tenantCtx(a), revoked.id);
    await expectRefusal(`/install/${revoked.id}.yaml`, { authorization: `Bearer ${revoked.token}` }, "TOKEN_REVOKED", /revoked/);

    const good = await makeRegistrationToken(a);
    await expectRefusal(`/install/${good.id}.yaml`, {}, "TOKEN_UNKNOWN", /missing: send it as \?token=/);
    await expectRefusal(`/install/${good.id}.yaml`, { authorization: `Bearer ${good.token.slice(0, -2)}xx` }, "TOKEN_UNKNOWN", /unknown/);
    await expectRefusal(`/install/${used.id}.yaml`, { authorization: `Bearer ${good.token}` }, "TOKEN_UNKNOWN", /unknown/);
    await expectRefusal(`/install/nope`, { authorization: `Bearer ${good.token}` }, "TOKEN_UNKNOWN", /unknown/);
  });
});

describe("refusals for a person at a terminal", () => {
  test("curl's default Accept gets one plain line; kubectl, which prints only the status line, finds the message in its reason phrase", async () => {
    const used = await makeRegistrationToken(a);
    expect((await api.call("POST", "/register", { body: { token: used.token, cluster: clusterInfo(), agentVersion: "0.1.0" } })).status).toBe(201);
    const res = await get(`/install/${used.id}.yaml?token=${used.token}`, { accept: "*/*" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/^error \(TOKEN_USED_UP\): registration token has no uses left .*create a new one in the console \("tok-[0-9a-f]+"\)\n$/);
    expect(res.statusText).toMatch(/^registration token has no uses left .*create a new one/);
  });

  test("a token name outside ASCII still gets its refusal (the reason phrase is made printable)", async () => {
    const t = await makeRegistrationToken(a, { name: "büro — ☃" });
    await db().registrationToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await get(`/install/${t.id}.yaml?token=${t.token}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('("büro — ☃")');
    expect(res.statusText).toMatch(/^registration token has expired.*\("b\?+ro \?+ \?+"\)$/);
  });
});

describe("the one-line import command, run by a shell", () => {
  let dir: string;
  let applied: string;
  beforeAll(() => {
    // A kubectl that records what it was asked to apply: the command's only other program.
    dir = mkdtempSync(path.join(tmpdir(), "isthmus-install-"));
    applied = path.join(dir, "applied.yaml");
    writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\n[ "$*" = "apply -f -" ] || exit 64\ncat > '${applied}'\necho "applied"\n`, { mode: 0o755 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const shells = ["sh", "bash", "zsh"].filter((s) => spawnSync(s, ["-c", "true"]).status === 0);

  // Asynchronous: the agent API answering curl runs in this process.
  async function run(shell: string, command: string) {
    rmSync(applied, { force: true });
    const child = spawn(shell, ["-c", command], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const [status] = (await once(child, "close")) as [number | null];
    return { status, stdout, stderr, kubectlInput: existsSync(applied) ? readFileSync(applied, "utf8") : null };
  }
  const origin = () => new URL(api.base).origin;

  test.each(shells)("%s: a valid token's manifests reach kubectl apply", async (shell) => {
    const t = await makeRegistrationToken(a);
    const r = await run(shell, installSnippet(origin(), t.token, t.id).command);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("applied\n");
    const objs = parse(r.kubectlInput!);
    expect(objs.at(-1)?.kind).toBe("Deployment");
    expect((objs.find((o) => o.kind === "Secret") as unknown as { stringData: { token: string } }).stringData.token).toBe(t.token);
  });

  test.each(shells)("%s: a used-up or expired token prints the server's message, fails, and applies nothing", async (shell) => {
    const used = await makeRegistrationToken(a);
    expect((await api.call("POST", "/register", { body: { token: used.token, cluster: clusterInfo(), agentVersion: "0.1.0" } })).status).toBe(201);
    const expired = await makeRegistrationToken(a);
    await db().registrationToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    for (const [t, message] of [
      [used, /error \(TOKEN_USED_UP\): registration token has no uses left/],
      [expired, /error \(TOKEN_EXPIRED\): registration token has expired; create a new one in the console/],
    ] as const) {
      const r = await run(shell, installSnippet(origin(), t.token, t.id).command);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/apiVersion|kind not set/);
      expect(r.kubectlInput).toBeNull();
    }
  });
});

// CI installs Debian's kubectl; a machine without it skips, saying why.
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

describe.skipIf(!hasKubectl)("the kubectl-only form, run by the real kubectl (skipped: kubectl is not installed)", () => {
  test("a used-up token: kubectl's error carries the server's message, and nothing is applied", async () => {
    const used = await makeRegistrationToken(a);
    expect((await api.call("POST", "/register", { body: { token: used.token, cluster: clusterInfo(), agentVersion: "0.1.0" } })).status).toBe(201);
    // No cluster at all (an empty kubeconfig): kubectl reads the URL before it would need one.
    const child = spawn("sh", ["-c", installSnippet(new URL(api.base).origin, used.token, used.id).kubectlOnly], {
      env: { ...process.env, KUBECONFIG: "/dev/null" },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const [status] = (await once(child, "close")) as [number | null];
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/server reported 401 registration token has no uses left \(it already enrolled its clusters\); create a new one in the console/);
  });
});

describe("renderAgentInstall", () => {
  const image = (v: Partial<Parameters<typeof renderAgentInstall>[0]> = {}) =>
    agentContainer(parse(renderAgentInstall({ server: "https://cp.example.com", token: "isr_x.y", ...v }))).image;

  test("without AGENT_IMAGE the agent image is tagged with the agent version this control plane ships, so re-applying after an upgrade rolls the agent", () => {
    expect(image()).toBe(`ghcr.io/isthmus/isthmus-agent:${AGENT_VERSION}`);
    expect(image()).not.toMatch(/:latest$/);
  });

  test("AGENT_IMAGE replaces the whole reference: registry, name and tag or digest", () => {
    expect(image({ image: "registry.example.com:5000/team/agent:2.0.0-rc.1" })).toBe("registry.example.com:5000/team/agent:2.0.0-rc.1");
    expect(image({ image: "registry.example.com/agent@sha256:" + "a".repeat(64) })).toBe("registry.example.com/agent@sha256:" + "a".repeat(64));
  });

  test("kustomize tags deploy/agent's image with the same version (kubectl apply -k upgrades the same way)", () => {
    const k = parseAllDocuments(readFileSync(path.join(AGENT_MANIFEST_DIR, "kustomization.yaml"), "utf8"))[0]!.toJS() as {
      images: Array<{ name: string; newName?: string; newTag?: string }>;
    };
    expect(k.images).toEqual([{ name: "ghcr.io/isthmus/isthmus-agent", newTag: AGENT_VERSION }]);
    expect(imageName(image())).toBe(k.images[0]!.name);
  });

  test("imageName drops a tag or digest, never a registry's port", () => {
    expect(imageName("ghcr.io/isthmus/isthmus-agent:0.1.0")).toBe("ghcr.io/isthmus/isthmus-agent");
    expect(imageName("localhost:5000/agent")).toBe("localhost:5000/agent");
    expect(imageName("localhost:5000/agent:1@sha256:abc")).toBe("localhost:5000/agent");
  });

  test("a configured image and a URL with a trailing slash", () => {
    const objs = parse(renderAgentInstall({ server: "https://cp.example.com/", token: "isr_x.y", image: "registry.example.com/isthmus-agent:1.2.3" }));
    const c = agentContainer(objs);
    expect(c.image).toBe("registry.example.com/isthmus-agent:1.2.3");
    expect(c.env.find((e) => e.name === "ISTHMUS_SERVER")?.value).toBe("https://cp.example.com");
  });
});
