// Before the page hydrates (on a slow link, many seconds) or when its
// WebAssembly never comes, the forms are posted by the browser itself: a
// refusal comes back as a new page, and what was typed must not be lost.
import { expect, test } from "@playwright/test";
import { PASSWORD, signIn } from "./helpers";

// The WebAssembly never arrives (and no service worker answers for the network).
test.use({ serviceWorkers: "block" });
test.beforeEach(async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort());
});

test("a report refused before its page hydrates comes back with what was typed", async ({ page }) => {
  await signIn(page, "grid", PASSWORD, false);
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/cases/new");
  const title = `水表漏水 ${Date.now().toString(36)}`;
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('textarea[name="description"]').fill("楼上水表漏水，楼下天花板渗水。");
  await page.locator('input[name="applicant_name"]').fill("周海燕");
  await page.locator('input[name="applicant_phone"]').fill("1390000");
  await page.getByRole("button", { name: "提交登记" }).click();

  // The server's page, with the reason, and the form as it was typed.
  await expect(page).toHaveURL(/__err=/);
  await expect(page.locator(".field-error")).toHaveText(["电话号码格式不对：手机 11 位，座机请带区号。"]);
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await expect(page.locator('input[name="title"]')).toHaveValue(title);
  await expect(page.locator('select[name="category_id"] option:checked')).toHaveText("邻里");
  await expect(page.locator('textarea[name="description"]')).toHaveValue("楼上水表漏水，楼下天花板渗水。");
  await expect(page.locator('input[name="applicant_phone"]')).toHaveValue("1390000");

  // Fixed and sent: one case; what was typed is not kept in the tab after.
  await page.locator('input[name="applicant_phone"]').fill("13900005678");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem("fq-typed"))).toBeNull();
});

test("a wrong password before the page hydrates keeps the user name, never the password", async ({ page }) => {
  await signIn(page, "mediator2", "not-the-password", false);
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
  await expect(page.locator('input[name="username"]')).toHaveValue("mediator2");
  await expect(page.locator('input[name="password"]')).toHaveValue("");
});

test("a setting refused before its page hydrates keeps what was typed in its own form, and one saved says so", async ({ page }) => {
  await signIn(page, "admin", PASSWORD, false);
  await expect(page).toHaveURL(/\/$/);

  // Thirteen months is more than a year: refused, and the 德治 tier's form
  // (one of four to the same function) comes back as typed.
  await page.goto("/admin/tiers");
  const moral = page.locator("li.tier", { has: page.locator('input[name="name_zh"][value="德治"]') });
  await moral.locator('input[name="time_limit"]').fill("13");
  await moral.locator('select[name="limit_unit"]').selectOption("months");
  await moral.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/__err=/);
  await expect(page.getByRole("alert")).toContainText("时限须为");
  await expect(moral.locator('input[name="time_limit"]')).toHaveValue("13");
  await expect(moral.locator('select[name="limit_unit"]')).toHaveValue("months");
  const others = page.locator("li.tier", { hasNot: page.locator('input[name="name_zh"][value="德治"]') });
  for (const limit of await others.locator('input[name="time_limit"]').all()) {
    await expect(limit).not.toHaveValue("13");
  }

  // A day off in a year no other story reaches: saved, and said so.
  await page.goto("/admin/calendar?year=2031");
  await page.locator("#calendar-day").fill("2031-03-03");
  await page.locator("#calendar-kind").selectOption("off");
  await page.getByRole("button", { name: "录入" }).click();
  await expect(page).toHaveURL(/__done=/);
  await expect(page.getByRole("status")).toContainText("已保存");
  await expect(page.locator('.calendar-days li[data-kind="off"]')).toContainText("2031-03-03");
});

test("an area added before its page hydrates is named in the answer, and is there", async ({ page }) => {
  const name = `未水合网格${Date.now().toString(36)}`;
  await signIn(page, "admin", PASSWORD, false);
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/admin/areas");
  const community = page.locator("li.tree-row", { hasText: "白家社区" }).first();
  await community.locator("summary").click();
  await community.locator('input[name="name"][placeholder]').fill(name);
  await community.getByRole("button", { name: "添加下级" }).click();
  await expect(page).toHaveURL(/\/admin\/areas\?added=\d+&__done=%2Fapi%2Fareas%2Fcreate$/);
  await expect(page.getByRole("status").first()).toHaveText(`区域已添加：${name}`);
  await expect(page.locator("li.tree-row", { hasText: name })).toHaveAttribute("data-level", "grid");
});
