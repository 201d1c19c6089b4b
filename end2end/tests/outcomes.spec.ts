import { expect, Page, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

/** A mediator registers a dispute, accepts it and records a session; returns its URL. */
async function mediatedCase(page: Page, title: string) {
  await signIn(page, "mediator");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("您好");
  await page.goto("/cases/new");
  await hydrated(page);
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("张建华");
  await page.locator('input[name="respondent_name"]').fill("李桂芳");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  await hydrated(page);
  await page.getByRole("button", { name: "受理" }).first().click();
  await expect(page.locator(".status-badge")).toHaveText("已受理");
  await page.locator('input[name="held_on"]').fill("2026-11-20");
  await page.locator('input[name="participants"]').fill("张建华、李桂芳");
  await page.locator('textarea[name="record"]').fill("双方陈述意见，同意协商解决。");
  await page.getByRole("button", { name: "记录调解" }).click();
  await expect(page.locator(".status-badge")).toHaveText("调解中");
  return page.url();
}

test("a two-term written agreement is printed; a visit finds partial performance and the case reopens at 法治", async ({ page }) => {
  const url = await mediatedCase(page, `楼上漏水损坏吊顶 ${Date.now().toString(36)}`);
  await page.locator("summary", { hasText: "记录调解协议" }).click();
  await page.locator("#agree-effective_on").fill("2026-11-20");
  await page.locator("#agree-facts").fill("李桂芳家卫生间防水失效，漏水损坏楼下张建华家吊顶。");
  await page.locator("#agree-disputes").fill("维修责任与赔偿数额。");
  await page.locator("#agree-responsibility").fill("李桂芳负全部责任。");
  await page.locator("#term-0-obligor").fill("李桂芳");
  await page.locator("#term-0-obligation").fill("重做卫生间防水");
  await page.locator("#term-0-due_on").fill("2026-11-30");
  await page.locator("#term-1-obligor").fill("李桂芳");
  await page.locator("#term-1-obligation").fill("赔偿吊顶维修费");
  await page.locator("#term-1-amount").fill("1800");
  await page.locator("#term-1-due_on").fill("2026-12-10");
  await page.locator("details.action", { hasText: "记录调解协议" }).getByRole("button", { name: "记录调解协议" }).click();
  await expect(page.locator(".status-badge")).toHaveText("已达成协议");
  await expect(page.locator(".terms li")).toHaveCount(2);
  // The confirmation window, and the first visit a week after the last term.
  await expect(page.locator(".agreement")).toContainText("2026-12-20");
  await expect(page.locator(".visits")).toContainText("2026-12-17");

  await page.getByRole("link", { name: "打印调解协议书" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("人民调解协议书");
  await expect(page.locator(".doc-terms li")).toHaveCount(2);
  await expect(page.locator(".doc-terms")).toContainText("1,800.00");
  await expect(page.locator(".signature")).toHaveCount(3);
  await expect(page.locator(".seal")).toContainText("长兴社区人民调解委员会");

  await page.goto(url);
  await hydrated(page);
  await page.locator("summary", { hasText: "记录回访" }).click();
  await page.locator("#visited_on").fill("2026-12-18");
  await page.locator("#perf-0").selectOption("performed");
  await page.locator("#perf-1").selectOption("partly");
  await page.locator("#satisfaction").selectOption("2");
  await page.locator("#visit-notes").fill("维修费只付了一半");
  await page.locator("details.action", { hasText: "记录回访" }).getByRole("button", { name: "记录回访" }).click();
  await expect(page.locator('.visits li[data-performance="partly"]')).toHaveCount(1);

  await page.locator("summary", { hasText: "重新调解" }).click();
  await page.locator("#reopen-tier").selectOption({ label: "法治" });
  await page.locator("#reopen-reason").fill("部分履行，转街道法治调解");
  await page.locator("details.action", { hasText: "重新调解" }).getByRole("button", { name: "重新调解" }).click();
  await expect(page.locator(".status-badge")).toHaveText("已受理");
  await expect(page.locator(".facts")).toContainText("法治");
  // The colour change the reopening caused follows it on the timeline.
  await expect(page.locator(".timeline .what").filter({ hasNotText: "预警变化" }).last()).toHaveText("重新调解");
});

test("closing is refused with the missing items named, and allowed once the file is complete", async ({ page }) => {
  await mediatedCase(page, `广场舞噪音扰民 ${Date.now().toString(36)}`);
  await page.locator("summary", { hasText: "终止调解" }).click();
  await page.locator("#terminate-reason").fill("双方分歧过大，多次调解未果");
  await page.locator("#terminate-advice").fill("已告知可向人民法院起诉");
  await page.locator("details.action", { hasText: "终止调解" }).getByRole("button", { name: "终止调解" }).click();
  await expect(page.locator(".status-badge")).toHaveText("调解终止");

  await page.getByRole("button", { name: "结案" }).click();
  await expect(page.getByRole("alert").first()).toContainText("缺少：权利义务告知书");
  await expect(page.locator('.checklist li[data-state="missing"]')).toHaveCount(1);

  const notice = page.locator('.checklist li[data-item="rights_notice"]');
  await notice.locator("summary").click();
  await notice.locator('input[name="reason"]').fill("纸质告知书已签收");
  await notice.getByRole("button", { name: "纸质材料已归卷" }).click();
  await expect(page.locator('.checklist li[data-item="rights_notice"]')).toHaveAttribute("data-state", "present");
  await page.getByRole("button", { name: "结案" }).click();
  await expect(page.locator(".status-badge")).toHaveText("已结案");
  await page.getByRole("link", { name: "打印案件摘要" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("矛盾纠纷调解案件摘要");
  await expect(page.locator(".document")).toContainText("已告知可向人民法院起诉");
});
