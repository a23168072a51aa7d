// A new user's first steps: import a cluster with the one line the console gives (the
// manifests it fetches, with the token, are validated, not applied: there is no cluster
// here), filter the clusters page from the overview's site links, see a cluster's
// slices on its page, and the slice wizard's wording. The agent API runs as its own
// process (the e2e web server does not start one), with this spec's PUBLIC_URL.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { freePort } from "../test/services";
import { makeLiveCluster, type SiteType } from "./support/clusters";
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";
import { readState } from "./support/state";

const ROOT = path.resolve(import.meta.dirname, "..");
const PUBLIC = "https://isthmus.example.com";
let agentApi: ChildProcess;
let agentApiUrl: string;
let output = "";

// The first cluster's agent is older than the control plane's (the clusters table flags it).
const makeCluster = (tenantId: string, name: string, siteType: SiteType, n: number, labels: Record<string, string> = {}) =>
  makeLiveCluster(tenantId, name, siteType, n, { labels, agentVersion: n === 0 ? "0.0.1" : "0.1.0" });

test.describe("onboarding", () => {
  test.beforeAll(async () => {
    const state = readState();
    const port = await freePort();
    agentApiUrl = `http://127.0.0.1:${port}`;
    agentApi = spawn(process.execPath, ["--import", "tsx", "server/agent-api/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: state.databaseUrl,
        REDIS_URL: state.redisUrl,
        AGENT_API_PORT: String(port),
        AGENT_API_HOST: "127.0.0.1",
        PUBLIC_URL: PUBLIC,
        AGENT_IMAGE: "registry.example.com/isthmus-agent:0.1.0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    agentApi.stdout!.on("data", (d) => (output += d));
    agentApi.stderr!.on("data", (d) => (output += d));
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`${agentApiUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      if (agentApi.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the agent API process did not come up:\n${output}`);
  });

  test.afterAll(async () => {
    if (agentApi && agentApi.exitCode === null) {
      const gone = new Promise((r) => agentApi.once("exit", r));
      agentApi.kill("SIGTERM");
      await gone;
    }
  });

  test("a token made in the console answers with one line; the manifests it fetches validate and carry the token", async ({ page }) => {
    const t = await makeTenant("onboard");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/registration-tokens`);
    await page.getByRole("button", { name: "Create token" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("first cluster");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByRole("heading", { name: "Import a cluster in one line" })).toBeVisible();
    // The e2e console's PUBLIC_URL is localhost: the dialog says no cluster can reach it.
    await expect(dialog.getByText("No cluster can reach this control plane yet")).toBeVisible();
    await expect(dialog.getByText(/Set PUBLIC_URL to the address clusters reach/)).toBeVisible();

    const token = (await dialog.getByLabel("Registration token").textContent())!.trim();
    const command = (await dialog.getByLabel("One-line import").textContent())!.trim();
    const url = (await dialog.getByLabel("Install manifests URL").textContent())!.trim();
    const id = token.slice("isr_".length).split(".")[0]!;
    expect(url).toMatch(new RegExp(`/api/agent/v1/install/${id}\\.yaml$`));
    // A refused token's message goes to stderr and nothing reaches kubectl (install-snippet.ts).
    expect(command).toBe(
      `(m=$(curl -sSL --fail-with-body -H 'Authorization: Bearer ${token}' ${url}) || { printf '%s\\n' "$m" >&2; exit 1; }; printf '%s\\n' "$m" | kubectl apply -f -)`,
    );

    // What that curl fetches, from the agent API.
    const res = await fetch(`${agentApiUrl}${new URL(url).pathname}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const objs = parseAllDocuments(await res.text()).map(
      (d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown },
    );
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
    const { validateUpstream } = await import("../server/bundles/manifests");
    for (const o of objs) expect(validateUpstream(o), `${o.kind}/${o.metadata.name}`).toEqual({ valid: true, errors: [] });
    expect(objs.find((o) => o.kind === "Secret")).toMatchObject({ stringData: { token } });
    const container = (
      objs.find((o) => o.kind === "Deployment") as unknown as {
        spec: { template: { spec: { containers: Array<{ image: string; env: Array<{ name: string; value?: string }> }> } } };
      }
    ).spec.template.spec.containers[0]!;
    expect(container.image).toBe("registry.example.com/isthmus-agent:0.1.0");
    expect(container.env.find((e) => e.name === "ISTHMUS_SERVER")?.value).toBe(PUBLIC);
    expect(output).not.toContain(token);

    // Revoked in the console: the same line gets a refusal, not YAML.
    await dialog.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Revoke token first cluster" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expect.poll(async () => (await fetch(`${agentApiUrl}${new URL(url).pathname}?token=${encodeURIComponent(token)}`)).status).toBe(401);
    // What the one-line import prints on stderr: one plain line, no YAML.
    const refused = await fetch(`${agentApiUrl}${new URL(url).pathname}`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await refused.text()).toMatch(/^error \(TOKEN_REVOKED\): .*revoked.*\n$/);
  });

  test("overview: a site type's link filters the clusters page; a cluster lists its slices; outdated agents are flagged", async ({ page }) => {
    const t = await makeTenant("onboard-ov");
    const id = rand(2);
    const edge = await makeCluster(t.id, `edge-${id}`, "EDGE", 0);
    await makeCluster(t.id, `cloud-${id}`, "CLOUD", 1);
    await makeCluster(t.id, `dc-${id}`, "ONPREM", 2);
    const { saveSlice } = await import("../server/slices/save-slice");
    const ctx = { tenantId: t.id, tenantSlug: t.slug, role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "e2e" } };
    await saveSlice(ctx, { force: true, spec: { name: "payments", subnet: "10.60.0.0/16", members: [`edge-${id}`, `cloud-${id}`] } });

    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}`);
    await page.getByRole("link", { name: "Edge", exact: true }).click();
    await expect(page).toHaveURL(/\/clusters\?site=EDGE$/);
    const table = page.getByRole("table", { name: "Clusters" });
    await expect(table.getByRole("link", { name: `edge-${id}` })).toBeVisible();
    await expect(table.getByRole("link", { name: `cloud-${id}` })).toHaveCount(0);
    await expect(table.getByRole("row", { name: new RegExp(`edge-${id}`) }).getByText("Outdated")).toBeVisible();

    await page.goto(`/t/${t.slug}/clusters/${edge.id}`);
    const slices = page.getByRole("list", { name: "Slices of this cluster" });
    await expect(slices.getByRole("link", { name: "payments" })).toBeVisible();
    await expect(slices).toContainText("1 link");
  });

  test("slice wizard: Next waits for a member; members by label selector; problems in plain words", async ({ page }) => {
    const t = await makeTenant("onboard-wiz");
    const id = rand(2);
    await makeCluster(t.id, `edge-${id}`, "EDGE", 0, { team: "web" });
    await makeCluster(t.id, `cloud-${id}`, "CLOUD", 1, { team: "web" });
    await makeCluster(t.id, `dc-${id}`, "ONPREM", 2, { team: "data" });
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices/new`);
    await page.getByLabel("Name", { exact: true }).fill("shop");
    await page.getByRole("button", { name: "Suggest" }).click();
    await expect(page.getByLabel("Slice subnet")).toHaveValue(/^10\.\d+\.0\.0\/16$/);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "2. Members" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
    await page.getByLabel("Add by labels").fill("team=web");
    await page.getByRole("button", { name: "Add matching clusters" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Added 2 clusters" })).toBeVisible();
    const selected = page.getByRole("list", { name: "Selected clusters" });
    await expect(selected.getByRole("listitem")).toHaveCount(2);
    await expect(selected).toContainText(`edge-${id}`);
    await expect(selected).not.toContainText(`dc-${id}`);
    await expect(page.getByRole("button", { name: "Next" })).toBeEnabled();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "3. Topology" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByRole("heading", { name: "4. QoS" })).toBeVisible();
    await page.getByRole("radio", { name: /Tenant profile/ }).click();
    // Choosing "Tenant profile" touches the choice; with none picked the wizard says what to do.
    await expect(page.getByText("Pick a QoS profile or create one")).toBeVisible();
    await expect(page.getByText(/qosProfile/)).toHaveCount(0);
  });
});
