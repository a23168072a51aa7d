import { expect, makeTenant, signInViaApi, test } from "./support/fixtures";

test.describe("API tokens", () => {
  test("a token created in the console works against /api/v1/me, is audited, and stops working when revoked", async ({ page, request }) => {
    // Four pages and two API round trips, often the run's first test on a cold server:
    // under load it finished just past 30 s with every assertion met.
    test.slow();
    const t = await makeTenant("tokens");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/settings/api-tokens`);
    await expect(page.getByText("No API tokens yet")).toBeVisible();

    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("ci-deploy");
    await dialog.getByLabel("Role").click();
    await page.getByRole("option", { name: /^Operator/ }).click();
    await dialog.getByLabel("Expires in (days)").fill("30");
    await dialog.getByRole("button", { name: "Create token" }).click();

    await expect(dialog.getByRole("heading", { name: "Token created" })).toBeVisible();
    const token = (await dialog.getByLabel("API token").textContent())!;
    expect(token).toMatch(/^ist_[a-z0-9]{20}\.[A-Za-z0-9_-]{43}$/);
    await expect(dialog.getByLabel("curl example")).toContainText("/api/v1/me");
    await dialog.getByRole("button", { name: "Done" }).click();

    const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    const body = await me.json();
    expect(body).toMatchObject({ kind: "apiToken", apiToken: { name: "ci-deploy", role: "OPERATOR" }, tenants: [{ slug: t.slug, role: "OPERATOR" }] });

    // The creation is in the audit log, with who did it.
    await page.goto(`/t/${t.slug}/audit`);
    const row = page.getByRole("row", { name: /api-token\.create/ });
    await expect(row).toBeVisible();
    await expect(row).toContainText(t.owner.email);
    await expect(row).toContainText("ci-deploy");
    await row.getByRole("button", { name: /Show changes/ }).click();
    await expect(page.getByRole("cell", { name: "OPERATOR", exact: true })).toBeVisible();

    // Revoke it: the API refuses it from then on.
    await page.goto(`/t/${t.slug}/settings/api-tokens`);
    await page.getByRole("button", { name: "Revoke token ci-deploy" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expect(page.getByRole("row", { name: /ci-deploy/ }).getByText("Revoked", { exact: true })).toBeVisible();
    const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
  });

  test("the expiry must be between 1 and 365 days", async ({ page }) => {
    const t = await makeTenant("expiry");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/settings/api-tokens`);
    await page.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("too-long");
    await dialog.getByLabel("Expires in (days)").fill("400");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByText("Expiry must be a whole number of days from 1 to 365")).toBeVisible();
    await expect(dialog.getByLabel("Expires in (days)")).toHaveAttribute("aria-invalid", "true");
  });
});
