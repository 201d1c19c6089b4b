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

test("a case is accepted, mediated, escalated and taken; a stale edit is refused", async ({ browser }) => {
  const title = `共用水表费用分摊纠纷 ${Date.now().toString(36)}`;
  const as = async (username: string) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, username);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
    return { ctx, page };
  };

  const grid = await as("grid");
  await grid.page.goto("/cases/new");
  await hydrated(grid.page);
  await grid.page.locator('input[name="title"]').fill(title);
  await grid.page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await grid.page.locator('input[name="applicant_name"]').fill("何立新");
  await grid.page.getByRole("button", { name: "提交登记" }).click();
  await expect(grid.page).toHaveURL(/\/cases\/FQ-/);
  const url = grid.page.url();

  // The mediator opens the case in two tabs.
  const mediator = await as("mediator");
  const first = mediator.page;
  const second = await mediator.ctx.newPage();
  for (const p of [first, second]) {
    await p.goto(url);
    await hydrated(p);
  }
  await first.getByRole("button", { name: "受理" }).first().click();
  await expect(first.locator(".status-badge")).toHaveText("已受理");
  await second.getByRole("button", { name: "受理" }).first().click();
  await expect(second.getByRole("alert")).toContainText("该案件刚被他人更新");

  // A session at 自治, then up a tier.
  await first.locator('input[name="held_on"]').fill("2026-11-24");
  await first.locator('select[name="mode"]').selectOption("self_governance");
  await first.locator('input[name="participants"]').fill("何立新、楼栋长");
  await first.locator('textarea[name="record"]').fill("双方对分摊比例有分歧，同意提交社区调委会。");
  await first.getByRole("button", { name: "记录调解" }).click();
  await expect(first.locator(".status-badge")).toHaveText("调解中");
  await first.locator("summary", { hasText: "上报升级" }).click();
  await first.locator("#escalate-reason").fill("需社区调委会统一协调");
  await first.locator("details.action", { hasText: "上报升级" }).getByRole("button", { name: "上报升级" }).click();
  await expect(first.locator(".timeline li")).toHaveCount(4);
  await expect(first.locator(".facts")).toContainText("自治");

  // The township mediator finds it waiting in the queue and takes it.
  const township = await as("mediator2");
  await township.page.goto("/cases?owner=unassigned&q=" + encodeURIComponent(title));
  await township.page.locator(".case-card", { hasText: title }).locator("a.case-code").click();
  await hydrated(township.page);
  await township.page.getByRole("button", { name: "认领承办" }).click();
  await expect(township.page.locator(".facts")).toContainText("张桂兰");

  // The supervisor sees the whole timeline.
  const supervisor = await as("supervisor");
  await supervisor.page.goto(url);
  await expect(supervisor.page.locator(".timeline .what")).toHaveText([
    "登记上报",
    "受理",
    "调解记录",
    "上报升级",
    "指派承办",
  ]);
  for (const s of [grid, mediator, township, supervisor]) await s.ctx.close();
});
