import { expect, makeTenant, makeUser, test } from "./support/fixtures";

test.describe("sign-in", () => {
  test("signing in through the form lands in the user's first tenant", async ({ page }) => {
    const t = await makeTenant("form");
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
    await page.getByLabel("Email").fill(t.owner.email);
    await page.getByLabel("Password").fill(t.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${t.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: t.name })).toBeVisible();

    // Sign out from the user menu.
    await page.getByRole("button", { name: "Account menu" }).first().click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto(`/t/${t.slug}`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  });

  test("a wrong password shows the server's message and keeps the user on the form", async ({ page }) => {
    const u = await makeUser("wrongpw");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(u.email);
    await page.getByLabel("Password").fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // (Next.js has its own role="alert" route announcer, hence the filter.)
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("empty fields are flagged on the fields themselves", async ({ page }) => {
    await page.goto("/signin");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Email is required")).toBeVisible();
    await expect(page.getByText("Password is required")).toBeVisible();
  });
});
