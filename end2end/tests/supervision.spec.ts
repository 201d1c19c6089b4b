import { expect, test } from "@playwright/test";
import { answerUrging, hydrated, signIn, urge } from "./helpers";

test("a supervisor finds a red case in the queue and urges its owner, who sees it and answers", async ({ browser }) => {
  const note = `请今日内联系双方 ${Date.now().toString(36)}`;
  const supervisorContext = await browser.newContext();
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, "supervisor");
  await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("您好");
  await supervisor.getByRole("link", { name: "督办队列" }).click();
  // The server sweeps when it starts: wait for the colours to be there.
  await expect(async () => {
    await supervisor.goto("/queue?colour=red");
    await expect(supervisor.locator(".case-card", { hasText: "王建国" }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(supervisor.locator(".colour-tabs a[aria-current=page]")).toContainText("红色预警");
  await supervisor.locator(".case-card", { hasText: "王建国" }).first().locator("a.case-code").click();
  // A link is a page load: the case's page comes from the server.
  await expect(supervisor).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  const url = supervisor.url();
  await hydrated(supervisor);
  await expect(supervisor.locator(".colour-badge").first()).toHaveText("红色预警");
  await urge(supervisor, note);

  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signIn(owner, "mediator");
  await expect(owner.locator(".inbox-link .unread")).toBeVisible();
  await owner.getByRole("link", { name: /消息/ }).click();
  const item = owner.locator(".inbox li", { hasText: "督办：请按时答复" }).first();
  await expect(item).toBeVisible();
  await item.locator("a").first().click();
  await expect(owner).toHaveURL(url);
  await hydrated(owner);
  await answerUrging(owner, "已约双方明日上午到社区调解室");

  await supervisor.goto(url);
  await expect(supervisor.locator(".urgings li").last()).toHaveAttribute("data-answered", "true");
  await supervisorContext.close();
  await ownerContext.close();
});
