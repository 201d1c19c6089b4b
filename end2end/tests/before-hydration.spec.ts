// Before the page hydrates (on a slow link, many seconds) or when its
// WebAssembly never comes, the forms are posted by the browser itself: a
// refusal comes back as a new page, and what was typed must not be lost.
import { expect, test } from "@playwright/test";
import { PASSWORD } from "./helpers";

// The WebAssembly never arrives (and no service worker answers for the network).
test.use({ serviceWorkers: "block" });
test.beforeEach(async ({ page }) => {
  await page.route(/\.wasm$/, (route) => route.abort());
});

test("a report refused before its page hydrates comes back with what was typed", async ({ page }) => {
  await page.goto("/login");
  await page.locator('input[name="username"]').fill("grid");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('button[type="submit"]').first().click();
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
  expect(await page.evaluate(() => sessionStorage.getItem("fq-typed"))).toBeNull();
});

test("a wrong password before the page hydrates keeps the user name, never the password", async ({ page }) => {
  await page.goto("/login");
  await page.locator('input[name="username"]').fill("mediator2");
  await page.locator('input[name="password"]').fill("not-the-password");
  await page.locator('button[type="submit"]').first().click();
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
  await expect(page.locator('input[name="username"]')).toHaveValue("mediator2");
  await expect(page.locator('input[name="password"]')).toHaveValue("");
});
