import { expect, test } from "@playwright/test";
import { fitsWidth, hydrated, signIn } from "./helpers";

test("a grid worker reports a dispute from a phone and a mediator finds it in the queue", async ({ browser, page }) => {
  const title = `楼道堆放杂物引发争执 ${Date.now().toString(36)}`;
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, "grid");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，李春梅");
  await page.getByRole("link", { name: "登记纠纷" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登记矛盾纠纷");
  await hydrated(page);
  await fitsWidth(page);

  // A mistake is answered on its field, and nothing typed is lost.
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('textarea[name="description"]').fill("三楼住户长期在楼道堆放纸箱，邻居担心消防隐患，双方争吵。");
  await page.locator('input[name="applicant_name"]').fill("周海燕");
  await page.locator('input[name="applicant_phone"]').fill("1390000");
  await page.locator('input[name="respondent_name"]').fill("吴永福");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page.locator(".field-error")).toHaveText(["电话号码格式不对：手机 11 位，座机请带区号。"]);
  await expect(page.locator('input[name="title"]')).toHaveValue(title);

  await page.locator('input[name="applicant_phone"]').fill("13900005678");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator(".status-badge")).toHaveText("已上报");
  await expect(page.locator(".parties")).toContainText("139****5678");
  await expect(page.locator(".parties")).not.toContainText("13900005678");
  await expect(page.locator(".timeline li")).toHaveCount(1);
  await fitsWidth(page);
  const code = page.url().split("/").pop() ?? "";

  const other = await browser.newContext();
  const mediator = await other.newPage();
  await signIn(mediator, "mediator");
  await expect(mediator.getByRole("heading", { level: 1 })).toHaveText("您好，王建国");
  await mediator.goto("/cases?owner=unassigned&q=" + encodeURIComponent("楼道堆放"));
  await expect(mediator.locator(".case-card", { hasText: title })).toBeVisible();
  await mediator.locator(".case-card", { hasText: title }).locator("a.case-code").click();
  await expect(mediator).toHaveURL(new RegExp(`/cases/${code}$`));
  await other.close();
});
