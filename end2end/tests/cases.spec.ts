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

test("a case climbs 网格 → 自治 → 法治 through the queues; a stale edit is refused; the supervisor sees it all", async ({ browser }) => {
  const title = `共用水表费用分摊纠纷 ${Date.now().toString(36)}`;
  const as = async (username: string) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, username);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
    return { ctx, page };
  };

  // The grid worker reports it and sends it up: beyond the grid's competence.
  const grid = await as("grid");
  await grid.page.goto("/cases/new");
  await hydrated(grid.page);
  await grid.page.locator('input[name="title"]').fill(title);
  await grid.page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await grid.page.locator('input[name="applicant_name"]').fill("何立新");
  await grid.page.locator('input[name="applicant_phone"]').fill("13900002468");
  await grid.page.getByRole("button", { name: "提交登记" }).click();
  await expect(grid.page).toHaveURL(/\/cases\/FQ-/);
  const url = grid.page.url();
  await hydrated(grid.page);
  await grid.page.locator("summary", { hasText: "上报升级" }).click();
  await grid.page.locator("#escalate-why").selectOption("beyond_competence");
  await grid.page.locator("details.action", { hasText: "上报升级" }).getByRole("button", { name: "上报升级" }).click();
  await expect(grid.page.locator(".facts")).toContainText("自治");

  // The community mediator finds it in the tier's queue on the home page and opens it in two tabs.
  const mediator = await as("mediator");
  await expect(mediator.page.locator("#my-queue")).toContainText(title);
  await mediator.page.locator("#my-queue").getByRole("link", { name: title }).click();
  await expect(mediator.page).toHaveURL(url);
  const first = mediator.page;
  const second = await mediator.ctx.newPage();
  await second.goto(url);
  for (const p of [first, second]) await hydrated(p);
  await first.getByRole("button", { name: "受理" }).first().click();
  await expect(first.locator(".status-badge")).toHaveText("已受理");
  await second.getByRole("button", { name: "受理" }).first().click();
  await expect(second.getByRole("alert")).toContainText("该案件刚被他人更新");

  // A session at 自治, then up to 法治 for risk of escalation.
  await first.locator('input[name="held_on"]').fill("2026-11-24");
  await first.locator('select[name="mode"]').selectOption("self_governance");
  await first.locator('input[name="participants"]').fill("何立新、楼栋长");
  await first.locator('textarea[name="record"]').fill("双方对分摊比例有分歧，同意提交街道调委会。");
  await first.getByRole("button", { name: "记录调解" }).click();
  await expect(first.locator(".status-badge")).toHaveText("调解中");
  await first.locator("summary", { hasText: "上报升级" }).click();
  await first.locator("#escalate-why").selectOption("risk_of_escalation");
  await first.locator("#escalate-reason").fill("双方情绪激烈，需街道法律顾问参与");
  await first.locator("details.action", { hasText: "上报升级" }).getByRole("button", { name: "上报升级" }).click();
  await expect(first.locator(".facts")).toContainText("法治");
  await expect(first.locator(".timeline li")).toHaveCount(5);

  // A second mediator, at the township, sees it in the 法治 queue and takes it.
  const township = await as("mediator2");
  await expect(township.page.locator("#my-queue")).toContainText("法治");
  await township.page.locator("#my-queue").getByRole("link", { name: title }).click();
  await hydrated(township.page);
  await township.page.getByRole("button", { name: "认领承办" }).click();
  await expect(township.page.locator(".facts")).toContainText("张桂兰");

  // The supervisor sees the whole timeline, with the session's record and the reasons.
  const supervisor = await as("supervisor");
  await supervisor.page.goto(url);
  await expect(supervisor.page.locator(".timeline .what")).toHaveText([
    "登记上报",
    "上报升级",
    "受理",
    "调解记录",
    "上报升级",
    "指派承办",
  ]);
  await expect(supervisor.page.locator(".timeline")).toContainText("超出本级调解能力");
  await expect(supervisor.page.locator(".timeline")).toContainText("有激化风险");
  await expect(supervisor.page.locator(".session-record")).toContainText("双方对分摊比例有分歧");
  await expect(supervisor.page.locator(".timeline li").last()).toContainText("张桂兰");
  for (const s of [grid, mediator, township, supervisor]) await s.ctx.close();
});

test("a mediator reveals a phone number with a reason, without JavaScript; it is shown once", async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await signIn(page, "mediator", undefined, false);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await page.goto("/cases?owner=queue");
  await page.locator(".case-card a.case-code").first().click();
  const party = page.locator(".parties li").filter({ has: page.locator('code[data-field="phone"]') }).first();
  await expect(party.locator('code[data-field="phone"]')).toHaveText(/^\d{3}\*{4}\d{4}$/);
  await party.locator("summary", { hasText: "查看完整号码" }).click();
  await party.locator('input[name="reason"]').fill("电话通知调解时间");
  await party.getByRole("button", { name: "查看完整电话" }).click();
  await expect(page).toHaveURL(/reveal=\d+/);
  await expect(party.locator('code[data-field="phone"]')).toHaveText(/^\d{11}$/);
  await expect(party).toContainText("查看已记录");
  // The plain case page masks it again.
  await page.goto(page.url().split("?")[0]);
  await expect(party.locator('code[data-field="phone"]')).toHaveText(/\*{4}/);
  await ctx.close();
});

test("a supervisor transfers a case to another tier and area, and assigns it", async ({ page }) => {
  const title = `小区停车位被占纠纷 ${Date.now().toString(36)}`;
  await signIn(page, "supervisor");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await page.goto("/cases/new");
  await hydrated(page);
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "物业" });
  await page.locator('input[name="applicant_name"]').fill("孙文斌");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  await hydrated(page);

  await page.locator("summary", { hasText: "移转层级或区域" }).click();
  await page.locator("#to_tier").selectOption({ label: "法治" });
  const area = page.locator("#to_area option", { hasText: /^\s*长兴社区$/ });
  await page.locator("#to_area").selectOption((await area.getAttribute("value")) ?? "");
  await page.locator("#transfer-reason").fill("涉及法律适用，转法治调解");
  await page.locator("details.action", { hasText: "移转层级或区域" }).getByRole("button", { name: "移转层级或区域" }).click();
  await expect(page.locator(".facts")).toContainText("法治");
  await expect(page.locator(".facts")).toContainText("长兴社区");
  await expect(page.locator(".timeline li").last()).toContainText("长兴社区");

  await page.locator("summary", { hasText: "指派承办人" }).click();
  const option = page.locator("#assignee option", { hasText: "张桂兰" });
  await page.locator("#assignee").selectOption((await option.getAttribute("value")) ?? "");
  await page.locator("details.action", { hasText: "指派承办人" }).getByRole("button", { name: "指派承办人" }).click();
  await expect(page.locator(".facts")).toContainText("张桂兰");
  await expect(page.locator(".timeline li").last()).toContainText("张桂兰");
});
