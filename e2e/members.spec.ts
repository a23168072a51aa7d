import { expect, makeTenant, makeUser, PASSWORD, rand, signInViaApi, test } from "./support/fixtures";

test.describe("members and invites", () => {
  test("an owner invites someone who creates their account on the invite page", async ({ page, browser }) => {
    // Two browsers and an account created with its password hashed: ~20 s on a quiet
    // machine; it has run past the default 30 s, twice in one run, when the machine was slow.
    test.setTimeout(60_000);
    const t = await makeTenant("invite");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/settings/members`);

    const email = `guest-${rand()}@example.test`;
    const form = page.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").click();
    await page.getByRole("option", { name: /^Operator/ }).click();
    await form.getByRole("button", { name: "Create invite" }).click();

    const link = await page.getByLabel("Invite link").textContent();
    expect(link).toMatch(/\/invite\/isi_/);
    await expect(page.getByRole("table", { name: "Open invites" }).getByText(email)).toBeVisible();

    // The invitee, in a browser of their own.
    const guest = await browser.newContext();
    const gp = await guest.newPage();
    await gp.goto(link!);
    await expect(gp.getByRole("heading", { name: `Join ${t.name}` })).toBeVisible();
    await expect(gp.getByText("Operator", { exact: true })).toBeVisible();
    await gp.getByLabel("Your name").fill("Gale Guest");
    await gp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await gp.getByLabel("Confirm password").fill(PASSWORD);
    await gp.getByRole("button", { name: "Create account and join" }).click();
    await expect(gp).toHaveURL(new RegExp(`/t/${t.slug}$`));
    await expect(gp.getByRole("heading", { level: 1, name: t.name })).toBeVisible();

    // The link works once.
    await gp.goto(link!);
    await expect(gp.getByRole("alert").filter({ hasText: "This invite was already used." })).toBeVisible();
    await guest.close();

    await page.reload();
    const row = page.getByRole("row", { name: new RegExp(email) });
    await expect(row).toBeVisible();
    await expect(row.getByRole("combobox", { name: `Role of ${email}` })).toHaveText("Operator");
    await expect(page.getByText("No open invites")).toBeVisible();
  });

  test("the last owner cannot demote themselves, and the server says so inline", async ({ page }) => {
    const t = await makeTenant("lastowner");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/settings/members`);
    await page.getByRole("combobox", { name: `Role of ${t.owner.email}` }).click();
    await page.getByRole("option", { name: /^Admin/ }).click();
    await expect(page.getByRole("alert").filter({ hasText: "The last owner cannot be removed or demoted" })).toBeVisible();
    await expect(page.getByRole("combobox", { name: `Role of ${t.owner.email}` })).toHaveText("Owner");
  });

  test("someone with an account signs in from the invite page and accepts", async ({ page }) => {
    const t = await makeTenant("existing");
    const u = await makeUser("existing-user");
    const { inviteMember } = await import("../server/members/invite-member");
    const invite = await inviteMember(
      { tenantId: t.id, tenantSlug: t.slug, role: "OWNER", actor: { type: "USER", id: t.owner.id, label: t.owner.email } },
      { email: u.email, role: "ADMIN" },
    );
    await page.goto(new URL(invite.link).pathname);
    await expect(page.getByText("already has an Isthmus account")).toBeVisible();
    await page.getByRole("link", { name: "Sign in to accept" }).click();
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await expect(page.getByLabel("Email")).toHaveValue(u.email);
    await page.getByLabel("Password").fill(u.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp("/invite/"));
    await page.getByRole("button", { name: `Accept and join ${t.name}` }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${t.slug}$`));
    await expect(page.getByText("Admin", { exact: true }).first()).toBeVisible();
  });

  test("an invalid invite link says so", async ({ page }) => {
    await page.goto("/invite/isi_aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    await expect(page.getByRole("heading", { name: "This invite cannot be used" })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "This invite link is not valid." })).toBeVisible();
  });
});
