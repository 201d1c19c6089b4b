import { expect, test } from "@playwright/test";
import { fitsWidth, hydrated, signIn } from "./helpers";

test("a grid worker logs a zero report, then a patrol whose dispute becomes a case; the supervisor reads both", async ({ browser, page }) => {
  const title = `巡查发现楼道堆物 ${Date.now().toString(36)}`;
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, "grid");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，李春梅");
  await page.getByRole("link", { name: "巡查", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("巡查日志");
  await hydrated(page);
  await fitsWidth(page);

  // A zero report: the day and the grid are filled in, "nothing" is chosen.
  await page.locator("#patrol-visits").fill("16");
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page.locator("p.ok")).toHaveText("巡查已登记。");
  const zero = page.locator("li.patrol").first();
  await expect(zero).toHaveAttribute("data-found", "nothing");
  await expect(zero).toContainText("走访 16 处");

  // A dispute found: on to the intake, which knows the patrol.
  await page.getByLabel("发现矛盾纠纷（提交后登记纠纷）").check();
  await page.locator("#patrol-visits").fill("8");
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/cases\/new\?patrol=\d+$/);
  await expect(page.getByTestId("from-patrol")).toContainText("双桂花园三期第一网格");
  await hydrated(page);
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("周海燕");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  const code = page.url().split("/").pop() ?? "";
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  await page.goto("/patrols");
  const found = page.locator("li.patrol", { hasText: code });
  await expect(found).toHaveAttribute("data-found", "disputes");
  await fitsWidth(page);

  const other = await browser.newContext();
  const supervisor = await other.newPage();
  await signIn(supervisor, "supervisor");
  await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("您好");
  await supervisor.goto("/patrols");
  await expect(supervisor.locator("li.patrol", { hasText: code })).toContainText("李春梅");
  await expect(supervisor.getByRole("button", { name: "提交巡查" })).toHaveCount(0);
  await other.close();
});
