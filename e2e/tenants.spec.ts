import { expect, makeTenant, makeUser, signInViaApi, test } from "./support/fixtures";

test.describe("tenants", () => {
  test("a user without a tenant is sent to create one, and becomes its owner", async ({ page }) => {
    const u = await makeUser("newbie");
    await signInViaApi(page, u);
    await page.goto("/");
    await expect(page).toHaveURL(/\/t\/new$/);
    await expect(page.getByRole("heading", { name: "Create your first tenant" })).toBeVisible();

    const suffix = Math.random().toString(36).slice(2, 7);
    await page.getByLabel("Name").fill(`Acme Edge ${suffix}`);
    // The slug follows the name until edited.
    await expect(page.getByLabel("Slug")).toHaveValue(`acme-edge-${suffix}`);
    await page.getByRole("button", { name: "Create tenant" }).click();

    await expect(page).toHaveURL(new RegExp(`/t/acme-edge-${suffix}$`));
    await expect(page.getByRole("heading", { level: 1, name: `Acme Edge ${suffix}` })).toBeVisible();
    await expect(page.getByText("Owner").first()).toBeVisible();
  });

  test("a taken slug is reported on the slug field", async ({ page }) => {
    const existing = await makeTenant("taken");
    const u = await makeUser("second");
    await signInViaApi(page, u);
    await page.goto("/t/new");
    await page.getByLabel("Name").fill("Another one");
    await page.getByLabel("Slug").fill(existing.slug);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await expect(page.getByText("Slug is already taken")).toBeVisible();
    await expect(page.getByLabel("Slug")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/t\/new$/);
  });

  test("the switcher lists the user's tenants and a tenant they are not in is a 404", async ({ page }) => {
    const a = await makeTenant("switch-a");
    const b = await makeTenant("switch-b", a.owner);
    const other = await makeTenant("stranger");
    await signInViaApi(page, a.owner);
    await page.goto(`/t/${a.slug}`);
    await page
      .getByRole("button", { name: /Switch tenant/ })
      .first()
      .click();
    await expect(page.getByRole("menuitem", { name: new RegExp(b.name) })).toBeVisible();
    await page.getByRole("menuitem", { name: new RegExp(b.name) }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${b.slug}$`));

    const res = await page.goto(`/t/${other.slug}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
