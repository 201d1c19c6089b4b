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

  // A refused form comes back as typed, but for the password (never kept).
  await expect(form.locator('input[name="password"]')).toHaveValue("");
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill("a-long-first-password");
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
  await expect(page.getByRole("status").first()).toHaveText(`区域已添加：${name}`);
  await expect(page.locator("li.tree-row", { hasText: name })).toHaveAttribute("data-level", "grid");
});

test("an administrator edits a tier's time limit and adds a sub-category that intake then offers", async ({ page }) => {
  const name = `噪音${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await page.getByRole("link", { name: "调解层级" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("调解层级");
  await hydrated(page);
  const moral = page.locator("li.tier", { has: page.locator('input[name="name_zh"][value="德治"]') });
  // Thirteen months is more than a year: the server says so, and keeps the form as typed.
  await moral.locator('input[name="time_limit"]').fill("13");
  await moral.locator('select[name="limit_unit"]').selectOption("months");
  await moral.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("alert")).toContainText("时限须为");
  await expect(moral.locator('input[name="time_limit"]')).toHaveValue("13");
  await moral.locator('select[name="limit_unit"]').selectOption("working_days");
  await moral.locator('input[name="time_limit"]').fill("20");
  await moral.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("已保存");
  await page.reload();
  await expect(page.locator("li.tier", { has: page.locator('input[name="name_zh"][value="德治"]') }).locator('input[name="time_limit"]')).toHaveValue("20");

  await page.goto("/admin/categories");
  await hydrated(page);
  const neighbours = page.locator("li.tree-row", { has: page.locator('input[name="name_zh"][value="邻里"]') });
  await neighbours.locator("summary").click();
  await neighbours.locator('input[name="name_zh"][placeholder]').fill(name);
  await neighbours.locator('input[name="name_en"][placeholder]').fill("Noise");
  await neighbours.getByRole("button", { name: "新增子类型" }).click();
  await expect(page.locator(".tree-name", { hasText: name })).toBeVisible();

  // Only those who work cases report them, so a mediator checks the intake form.
  const other = await page.context().browser()!.newContext();
  const mediator = await other.newPage();
  await signIn(mediator, "mediator");
  await expect(mediator.getByRole("heading", { level: 1 })).toContainText("您好");
  await mediator.goto("/cases/new");
  await expect(mediator.locator('select[name="category_id"] option', { hasText: name })).toHaveCount(1);
  await other.close();
});
