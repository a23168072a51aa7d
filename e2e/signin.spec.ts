import { expect, makeTenant, makeUser, signInViaApi, test } from "./support/fixtures";

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
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto(`/t/${t.slug}`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  });

  test("signing out ends the session on the server: a copied cookie stops working", async ({ page, browser }) => {
    const t = await makeTenant("copy");
    await signInViaApi(page, t.owner);
    const copied = await page.context().cookies();
    expect(copied.some((c) => c.name.includes("session-token"))).toBeTruthy();

    // Another browser with the copied cookie is signed in...
    const thief = await browser.newContext();
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    await stolen.goto(`/t/${t.slug}`);
    await expect(stolen.getByRole("heading", { level: 1, name: t.name })).toBeVisible();

    // ...until the owner signs out.
    await page.goto(`/t/${t.slug}`);
    await page.getByRole("button", { name: "Account menu" }).first().click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await stolen.goto(`/t/${t.slug}`);
    await expect(stolen).toHaveURL(/\/signin\?callbackUrl=/);
    const me = await stolen.request.get(`/api/v1/me`);
    expect(me.status()).toBe(401);
    await thief.close();
  });

  test("sign out everywhere ends the sessions of every browser", async ({ page, browser }) => {
    const t = await makeTenant("everywhere");
    const laptop = await browser.newContext();
    const other = await laptop.newPage();
    await signInViaApi(other, t.owner);
    await signInViaApi(page, t.owner);

    await page.goto(`/t/${t.slug}`);
    await page.getByRole("button", { name: "Account menu" }).first().click();
    await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await other.goto(`/t/${t.slug}`);
    await expect(other).toHaveURL(/\/signin\?callbackUrl=/);
    await laptop.close();
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
