import { addMember, expect, makeTenant, makeUser, signInViaApi, test } from "./support/fixtures";

test.describe("a viewer", () => {
  test("sees members but none of the admin actions", async ({ page }) => {
    const t = await makeTenant("viewer");
    const viewer = await makeUser("viewer", "Vera Viewer");
    await addMember(t.id, viewer, "VIEWER");
    await signInViaApi(page, viewer);

    await page.goto(`/t/${t.slug}`);
    const nav = page.getByRole("navigation", { name: "Tenant" }).first();
    await expect(nav.getByRole("link", { name: "Members" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "API tokens" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);

    await page.goto(`/t/${t.slug}/settings/members`);
    await expect(page.getByRole("row", { name: new RegExp(t.owner.email) })).toBeVisible();
    await expect(page.getByRole("form", { name: "Invite a member" })).toHaveCount(0);
    await expect(page.getByRole("combobox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    // Leaving is the one thing a viewer may do to their own membership.
    await expect(page.getByRole("button", { name: "Leave tenant" })).toBeVisible();

    await page.goto(`/t/${t.slug}/settings/api-tokens`);
    await expect(page.getByText("Managing API tokens needs the Admin role")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);

    await page.goto(`/t/${t.slug}/audit`);
    await expect(page.getByText("The audit log needs the Admin role")).toBeVisible();
  });
});
