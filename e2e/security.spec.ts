// Security headers and hostile bodies through the real web server: pages carry a CSP
// whose scripts need this response's nonce (no 'unsafe-inline'), the console still
// loads and works under it, and an oversized agent-protocol body through the console's
// /api/agent/* rewrite is the protocol's 413, not a 500.
import { request as httpRequest } from "node:http";
import { expect, makeTenant, signInViaApi, test } from "./support/fixtures";
import { E2E_PORT } from "./support/state";

const scriptSrc = (csp: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src")) ?? "";

test.describe("content security policy", () => {
  test("pages get a fresh nonce per response, and script-src has no 'unsafe-inline'", async ({ request }) => {
    const [first, second] = [await request.get("/signin"), await request.get("/signin")];
    const csp = first.headers()["content-security-policy"] ?? "";
    const src = scriptSrc(csp);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(src)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(src).toContain("'strict-dynamic'");
    expect(src).not.toContain("'unsafe-inline'");
    expect(scriptSrc(second.headers()["content-security-policy"] ?? "")).not.toContain(nonce!);
    // Every script in the page carries that nonce.
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    // API answers carry a policy under which nothing runs.
    expect((await request.get("/api/health")).headers()["content-security-policy"]).toContain("default-src 'none'");
  });

  test("the console loads and works under the policy, with no violation reported", async ({ page }) => {
    // Three page loads and the API reference's chunk: more than 30 s on a loaded CI machine.
    test.slow();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
    });
    const t = await makeTenant("csp");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: t.name })).toBeVisible();
    // Client-side navigation needs the hydrated app (scripts ran).
    await page.getByRole("link", { name: "Clusters" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/t/${t.slug}/clusters`));
    // The inline theme script ran too: it sets the colour scheme on <html>.
    expect(await page.evaluate(() => document.documentElement.style.colorScheme)).toMatch(/light|dark/);
    // The API reference (Scalar, a chunk loaded by the app's scripts) renders the document.
    await page.goto(`/t/${t.slug}/api-docs`);
    await expect(page.getByRole("heading", { level: 1, name: "Isthmus API" })).toBeVisible({ timeout: 20_000 });
    expect(violations).toEqual([]);
  });
});

/** POST through the web server with node:http, so the body can go without Content-Length. */
function post(path: string, bytes: number, chunked: boolean, credential = "isa_x.y"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${credential}` };
    if (!chunked) headers["content-length"] = String(bytes);
    const req = httpRequest({ host: "localhost", port: E2E_PORT, path, method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test.describe("agent protocol through the console's rewrite", () => {
  test("a body over 1 MiB is the protocol's 413, never a 500", async () => {
    const res = await post("/api/agent/v1/heartbeat", 2 * 1024 * 1024, false);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("1 MiB") } });
  });

  test("a chunked body over 1 MiB (no Content-Length) reaches the agent API and is its 413", async () => {
    // The build rewrites to AGENT_API_URL, by default 127.0.0.1:3100: serve the agent API there.
    const t = await makeTenant("agent-rewrite"); // also points the services at the run's database
    const { createAgentApiServer } = await import("../server/agent-api/server");
    const api = await createAgentApiServer({ flushIntervalMs: 0 });
    // The build's rewrite points at that fixed port; something else there (an `npm start`
    // beside the run) would answer instead of this agent API, so say so rather than skip.
    await api.listen(3100, "127.0.0.1").catch(async (err: Error) => {
      await api.close();
      throw new Error(`port 3100, where the build rewrites /api/agent/*, is in use (stop \`npm start\` while e2e runs): ${err.message}`);
    });
    try {
      // A real agent: the body limit applies after authentication.
      const { createRegistrationToken } = await import("../server/registration-tokens/create-registration-token");
      const actor = { type: "USER" as const, id: t.owner.id, label: t.owner.email };
      const reg = await createRegistrationToken({ tenantId: t.id, tenantSlug: t.slug, role: "OWNER", actor }, { name: "rewrite" });
      const cluster = {
        uid: `uid-${Date.now()}`,
        kubernetesVersion: "v1.31.2",
        cni: "cilium",
        podCidrs: [],
        serviceCidrs: [],
        nodeCount: 1,
        gatewayEndpoints: [],
        behindNat: true,
      };
      const enrolled = await fetch(`http://localhost:${E2E_PORT}/api/agent/v1/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: reg.token, cluster, agentVersion: "0.1.0" }),
      });
      expect(enrolled.status).toBe(201);
      const { credential } = (await enrolled.json()) as { credential: string };
      const res = await post("/api/agent/v1/heartbeat", 2 * 1024 * 1024, true, credential);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("1 MiB") } });
    } finally {
      await api.close();
    }
  });
});
