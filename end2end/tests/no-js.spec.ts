import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test.use({ javaScriptEnabled: false });

test("signing in works with JavaScript disabled", async ({ page }) => {
  await signIn(page, "supervisor", undefined, false);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，陈志刚");
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("a wrong password is answered with JavaScript disabled", async ({ page }) => {
  await signIn(page, "mediator2", "not-the-password", false);
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
});

test("the page asked for is shown after signing in, without JavaScript", async ({ page }) => {
  await page.goto("/admin/areas");
  await expect(page).toHaveURL(/\/login\?next=\/admin\/areas$/);
  await page.locator('input[name="username"]').fill("admin");
  await page.locator('input[name="password"]').fill("fengqiao-demo");
  await page.locator('button[type="submit"]').first().click();
  await expect(page).toHaveURL(/\/admin\/areas$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("区域管理");
});
