import { APIRequestContext, Browser, expect, Page, test } from "@playwright/test";
import { answerUrging, hydrated, signIn, urge } from "./helpers";

// Runs against a server started with --test-clock (scripts/e2e.sh starts a
// second one for this file): time moves only when the test says so.
test.skip(!process.env.FENGQIAO_E2E_CLOCK, "needs a server started with --test-clock");

/** Move the server's clock on by a day and sweep. */
async function nextDay(request: APIRequestContext) {
  const r = await request.post("/test/clock/advance?days=1");
  expect(r.ok()).toBeTruthy();
}

/** A fresh sign-in (a day's idle time ends sessions) on the queue filtered by colour and title. */
async function queueShows(browser: Browser, colour: string, title: string): Promise<boolean> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, "supervisor");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await page.goto(`/queue?colour=${colour}&q=${encodeURIComponent(title)}`);
  const shown = (await page.locator(".case-card", { hasText: title }).count()) > 0;
  await ctx.close();
  return shown;
}

test("a case passes its limit, turns orange then red in the queue; the supervisor urges and the owner answers", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const title = `楼道堆放杂物占用消防通道 ${Date.now().toString(36)}`;
  const gridCtx = await browser.newContext();
  let grid: Page = await gridCtx.newPage();
  await signIn(grid, "grid");
  await expect(grid.getByRole("heading", { level: 1 })).toContainText("您好");
  await grid.goto("/cases/new");
  await hydrated(grid);
  await grid.locator('input[name="title"]').fill(title);
  await grid.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await grid.locator('input[name="applicant_name"]').fill("周玉兰");
  await grid.getByRole("button", { name: "提交登记" }).click();
  await expect(grid).toHaveURL(/\/cases\/FQ-/);
  const url = grid.url();
  await hydrated(grid);
  await grid.getByRole("button", { name: "受理" }).first().click();
  await expect(grid.locator(".status-badge")).toHaveText("已受理");
  await gridCtx.close();

  // Day by day (bounded) until the grid tier's three working days are past.
  let orange = false;
  for (let day = 0; day < 12 && !orange; day++) {
    await nextDay(request);
    orange = await queueShows(browser, "orange", title);
  }
  expect(orange, "orange in the queue once overdue").toBeTruthy();
  // Five working days overdue: red.
  let red = false;
  for (let day = 0; day < 14 && !red; day++) {
    await nextDay(request);
    red = await queueShows(browser, "red", title);
  }
  expect(red, "red in the queue once long overdue").toBeTruthy();

  const supCtx = await browser.newContext();
  const supervisor = await supCtx.newPage();
  await signIn(supervisor, "supervisor");
  await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("您好");
  await supervisor.goto(`/queue?colour=red&q=${encodeURIComponent(title)}`);
  await supervisor.locator(".case-card", { hasText: title }).locator("a.case-code").click();
  await expect(supervisor).toHaveURL(url);
  await hydrated(supervisor);
  await expect(supervisor.locator(".colour-badge").first()).toHaveText("红色预警");
  await expect(supervisor.locator(".colour-response")).toContainText("24 小时");
  await urge(supervisor, "超期五个工作日，请今日联系双方");

  // The owner (the grid worker who accepted it) was told of each colour and of the urging.
  const ownerCtx = await browser.newContext();
  grid = await ownerCtx.newPage();
  await signIn(grid, "grid");
  await expect(grid.locator(".inbox-link .unread")).toBeVisible();
  await grid.getByRole("link", { name: /消息/ }).click();
  await expect(grid.locator(".inbox li", { hasText: "案件转为橙色预警" }).first()).toBeVisible();
  await expect(grid.locator(".inbox li", { hasText: "案件转为红色预警" }).first()).toBeVisible();
  const urged = grid.locator(".inbox li", { hasText: "督办：请按时答复" }).first();
  await urged.locator("a").first().click();
  await expect(grid).toHaveURL(url);
  await hydrated(grid);
  await answerUrging(grid, "已联系物业清理通道，明日复查");

  await supervisor.goto(url);
  await expect(supervisor.locator(".urgings li").last()).toHaveAttribute("data-answered", "true");
  await supCtx.close();
  await ownerCtx.close();
});
