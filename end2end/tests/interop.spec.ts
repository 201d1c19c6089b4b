// Talking to other systems: a personal API token made and revoked in the
// UI and used against the JSON API; the API's docs; a ledger imported
// through the browser, with and without JavaScript. Each test keeps to
// accounts of its own (the Tianjin and Wuhou demo areas) so that parallel
// tests do not see its cases.
import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("a token made in the UI works against the API until it is revoked", async ({ page, request }) => {
  await signIn(page, "supervisor3");
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("link", { name: "接口令牌" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("个人接口令牌");
  await hydrated(page);
  await page.locator("#token-name").fill("12345 热线对接");
  await page.getByRole("button", { name: "创建令牌" }).last().click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^fq_/);
  await expect(page.locator(".tokens")).toContainText("12345 热线对接");

  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).username).toBe("supervisor3");

  // The shown token is not shown again after a reload.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await hydrated(page);
  await page.locator(".tokens li", { hasText: "12345 热线对接" }).getByRole("button", { name: "撤销" }).click();
  await expect(page.locator(".tokens li", { hasText: "12345 热线对接" })).toHaveCount(0);

  const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()["content-type"]).toBe("application/problem+json");
});

test("the API docs list every operation and link the OpenAPI document", async ({ page, request }) => {
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("接口文档");
  await expect(page.locator("#actOnCase")).toContainText("POST /api/v1/cases/{code}/actions/{action}");
  const doc = await request.get("/api/openapi.json");
  expect(doc.status()).toBe(200);
  const body = await doc.json();
  const sections = await page.locator("section.card").count();
  const operations = Object.values(body.paths as Record<string, object>).reduce(
    (n: number, item) => n + Object.keys(item).length,
    0,
  );
  expect(sections).toBe(operations);
});

const LEDGER = [
  "登记日期,所属网格,纠纷类型,纠纷概要,申请人,联系电话",
  "2026-02-10,朝阳里社区第一网格,邻里,楼道堆物占道,钱多多,13900001111",
  "2026/2/11,朝阳里社区第二网格,合同,装修尾款未付,孙小美,",
].join("\r\n");

test("a ledger is checked and imported in the browser", async ({ page }) => {
  await signIn(page, "mediator4");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/cases");
  await page.getByRole("link", { name: "导入台账" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("导入矛盾纠纷台账");
  await page.locator("#ledger-file").setInputFiles({
    name: "朝阳里台账.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(LEDGER, "utf-8"),
  });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page).toHaveURL(/\/cases\/import\/\d+$/);
  await expect(page.getByTestId("import-status")).toHaveText("待检查");
  // The columns were guessed from the headings.
  await expect(page.locator("#col-title")).toHaveValue("3");
  await expect(page.locator("#col-area")).toHaveValue("1");
  await hydrated(page);
  await page.getByRole("button", { name: "检查（不写入）" }).click();
  await expect(page.getByTestId("import-report")).toContainText("共 2 行：2 行可导入，0 处问题，0 行重复。");
  await page.getByRole("button", { name: "导入 2 条案件" }).click();
  // The page follows the run until it is done.
  await expect(page.getByTestId("import-status")).toHaveText("已导入", { timeout: 20_000 });
  await expect(page.getByRole("status")).toContainText("已导入 2 条案件。");
  await page.goto("/cases?q=%E6%A5%BC%E9%81%93%E5%A0%86%E7%89%A9");
  await expect(page.locator(".case-list")).toContainText("楼道堆物占道");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a malformed ledger is reported row by row and nothing is imported", async ({ page }) => {
    await signIn(page, "mediator3", undefined, false);
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/cases/import");
    await page.locator("#ledger-file").setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        ["日期,网格,类型,概要,申请人", "2026-13-01,玉林东路社区第一网格,邻里,噪音,周一", "2026-02-01,没有的网格,邻里,噪音,周二"].join("\n"),
        "utf-8",
      ),
    });
    await page.getByRole("button", { name: "上传" }).click();
    await expect(page).toHaveURL(/\/cases\/import\/\d+$/);
    await page.getByRole("button", { name: "检查（不写入）" }).click();
    const report = page.getByTestId("import-report");
    await expect(report).toContainText("共 2 行：0 行可导入，2 处问题，0 行重复。");
    await expect(report.locator("tbody tr").nth(0)).toContainText("日期无法识别");
    await expect(report.locator("tbody tr").nth(1)).toContainText("您的辖区内没有这个网格。");
    await expect(page.getByRole("button", { name: /^导入 \d+ 条案件$/ })).toHaveCount(0);
  });
});
