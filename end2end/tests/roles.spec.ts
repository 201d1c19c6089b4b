import { expect, test } from "@playwright/test";
import { fitsWidth, hydrated, ROLES, signIn } from "./helpers";

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 360, height: 640 },
];

for (const viewport of VIEWPORTS) {
  for (const who of ROLES) {
    test(`${who.username} signs in and sees their home page at ${viewport.width}×${viewport.height}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await signIn(page, who.username);
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`您好，${who.name}`);
      await expect(page.locator(".role-badge")).toHaveText(who.role);
      await expect(page.locator(".stats .stat")).toHaveCount(who.stats);
      await hydrated(page);
      await fitsWidth(page);
      // Only administrators get the admin navigation.
      const adminLinks = page.locator('nav a[href="/admin/users"]');
      await expect(adminLinks).toHaveCount(who.username === "admin" ? 1 : 0);
    });
  }
}

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "mediator");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，王建国");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=\/$/);
});

test("a wrong password is answered on the form, typed name kept", async ({ page }) => {
  await signIn(page, "grid2", "not-the-password");
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
  await expect(page.locator('input[name="username"]')).toHaveValue("grid2");
  await expect(page).toHaveURL(/\/login/);
});

test("a grid worker is refused the admin pages", async ({ page }) => {
  await signIn(page, "grid");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，李春梅");
  const res = await page.goto("/admin/users");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("alert")).toHaveText("您没有权限进行此操作。");
});

test("an unknown page is a 404 with a way home", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
  await expect(page.getByRole("link", { name: "返回首页" })).toBeVisible();
});
