import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("an administrator opens an account, which signs in, and deactivating it signs it out", async ({ browser, page }) => {
  const username = `e2e${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，赵敏");
  await page.getByRole("link", { name: "用户管理" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用户管理");
  await hydrated(page);

  // Bad input is answered field by field, and nothing typed is lost.
  const form = page.locator("form", { has: page.locator('input[name="display_name"]') });
  await form.locator('input[name="username"]').fill("9x");
  await form.locator('input[name="display_name"]').fill("杨帆");
  await form.locator('select[name="role"]').selectOption("grid_worker");
  const area = form.locator('select[name="area_id"] option', { hasText: "双桂花园三期第二网格" });
  await form.locator('select[name="area_id"]').selectOption((await area.getAttribute("value")) ?? "");
  await form.locator('input[name="password"]').fill("a-long-first-password");
  await form.getByRole("button", { name: "创建" }).click();
  await expect(form.locator(".field-error")).toHaveText(["用户名须为 3 至 32 个字符。"]);
  await expect(form.locator('input[name="display_name"]')).toHaveValue("杨帆");
  await expect(form.locator('input[name="username"]')).toHaveAttribute("aria-invalid", "true");

  await form.locator('input[name="username"]').fill(username);
  await form.getByRole("button", { name: "创建" }).click();
  await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账号：杨帆");

  // The new account signs in elsewhere.
  const other = await browser.newContext();
  const theirs = await other.newPage();
  await signIn(theirs, username, "a-long-first-password");
  await expect(theirs.getByRole("heading", { level: 1 })).toHaveText("您好，杨帆");

  // Deactivation ends that session at once.
  await hydrated(page);
  await page.getByRole("button", { name: "停用" }).click();
  await expect(page.getByRole("status")).toHaveText("账号已停用。");
  await theirs.reload();
  await expect(theirs).toHaveURL(/\/login\?next=\/$/);
  await other.close();
});

test("an administrator adds a grid below a community", async ({ page }) => {
  const name = `测试网格${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，赵敏");
  await page.goto("/admin/areas");
  await hydrated(page);
  const community = page.locator("li.tree-row", { hasText: "白家社区" }).first();
  await community.locator("summary").click();
  await community.locator('input[name="name"][placeholder]').fill(name);
  await community.getByRole("button", { name: "添加下级" }).click();
  await expect(page.getByRole("status").first()).toContainText(name);
  await expect(page.locator("li.tree-row", { hasText: name })).toHaveAttribute("data-level", "grid");
});
