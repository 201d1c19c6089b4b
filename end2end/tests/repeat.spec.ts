import { expect, test } from "@playwright/test";
import { fitsWidth, hydrated, signIn } from "./helpers";

// A phone number no other test uses: this run's.
const phone = `137${(Date.now() % 100_000_000).toString().padStart(8, "0")}`;

async function report(page: import("@playwright/test").Page, title: string) {
  await page.goto("/cases/new");
  await hydrated(page);
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("周海燕");
  await page.locator('input[name="applicant_phone"]').fill(phone);
  // Leaving the field looks for earlier disputes.
  await page.locator('input[name="applicant_phone"]').blur();
}

test("the intake form offers the applicant's earlier case before submitting, the case page keeps it, and a supervisor links the two", async ({ browser, page }) => {
  const run = Date.now().toString(36);
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, "grid");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，李春梅");

  await report(page, `楼上漏水 ${run}`);
  await expect(page.getByTestId("earlier")).toHaveCount(0);
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  const first = page.url().split("/").pop() ?? "";

  await report(page, `楼上又漏水 ${run}`);
  const offered = page.getByTestId("earlier");
  await expect(offered).toContainText(first);
  await expect(offered).toContainText("申请人 · 电话相同");
  await expect(offered).toContainText("提交后，案件风险等级将据此提高");
  await fitsWidth(page);
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  await expect(page.getByTestId("risk-reasons")).toContainText("发现同一当事人或地点的既往案件");
  const kept = page.getByTestId("earlier");
  await expect(kept).toContainText("1 件既往案件涉及同一当事人或地点");
  const second = page.url().split("/").pop() ?? "";
  await kept.getByRole("link", { name: first }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${first}$`));
  await fitsWidth(page);

  // The supervisor links them as a repeat from the earlier-case card; the
  // link shows on both cases and both timelines, and can be undone.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const supervisor = await ctx.newPage();
  await signIn(supervisor, "supervisor");
  await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("您好");
  await supervisor.goto(`/cases/${second}`);
  await hydrated(supervisor);
  await supervisor.getByTestId("earlier").getByRole("button", { name: "关联为重复纠纷" }).click();
  const links = supervisor.getByTestId("links");
  await expect(links.locator("li")).toContainText(first);
  await expect(links.locator("li")).toContainText("重复纠纷");
  await expect(supervisor.getByTestId("earlier").getByRole("button", { name: "关联为重复纠纷" })).toHaveCount(0);
  await expect(supervisor.locator(".timeline li").last()).toContainText("关联案件");
  await fitsWidth(supervisor);
  await supervisor.goto(`/cases/${first}`);
  await expect(supervisor.getByTestId("links").locator("li")).toContainText(second);
  await hydrated(supervisor);
  await supervisor.getByTestId("links").getByRole("button", { name: "取消关联" }).click();
  await expect(supervisor.getByTestId("links").locator("li")).toHaveCount(0);
  await expect(supervisor.locator(".timeline li").last()).toContainText("取消关联");
  await ctx.close();
});
