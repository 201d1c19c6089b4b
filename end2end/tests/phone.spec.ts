// Issue 17 §4: every role's pages on a 360 × 640 phone. None scrolls
// sideways, and each role's navigation offers only what that role uses.
import { test, expect } from "@playwright/test";
import { fitsWidth, hydrated, signIn } from "./helpers";

test.use({ viewport: { width: 360, height: 640 } });

/** The intake form's height at 360 px, at most (it was 2,588 px with every
 * field shown at once). */
const MOST_INTAKE_PX = 1800;
/** The quick report's height at 360 px, at most: a thumb's scroll or two. */
const MOST_QUICK_PX = 1100;

/** What each demo login works with, page by page. */
const PAGES: Record<string, string[]> = {
  grid: ["/", "/cases", "/cases/quick", "/cases/new", "/patrols", "/inbox", "/waiting"],
  mediator: ["/", "/cases", "/inbox"],
  supervisor: ["/", "/cases", "/patrols", "/queue", "/dashboard", "/inbox", "/account/tokens"],
  admin: [
    "/",
    "/cases",
    "/dashboard",
    "/cases/import",
    "/admin/users",
    "/admin/areas",
    "/admin/tiers",
    "/admin/categories",
    "/admin/calendar",
    "/admin/settings",
    "/account/tokens",
    "/inbox",
  ],
};

for (const [username, paths] of Object.entries(PAGES)) {
  test(`${username}'s pages fit a 360 px phone`, async ({ page }) => {
    await signIn(page, username);
    await expect(page).toHaveURL(/\/$/);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      await fitsWidth(page);
    }
    // A case the role can open, from the list.
    await page.goto("/cases");
    const first = page.locator(".case-card a.case-code").first();
    if (await first.count()) {
      await first.click();
      await expect(page).toHaveURL(/\/cases\/FQ-/);
      await fitsWidth(page);
    }
  });
}

test("each role's navigation offers what it uses", async ({ browser }) => {
  const nav = async (username: string) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await signIn(page, username);
    await expect(page).toHaveURL(/\/$/);
    const links = await page.locator("nav.nav a").evaluateAll((as) =>
      as.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
    );
    await context.close();
    return links;
  };
  const grid = await nav("grid");
  expect(grid).toEqual(expect.arrayContaining(["/", "/cases", "/patrols", "/inbox"]));
  expect(grid).not.toContain("/account/tokens");
  expect(grid).not.toContain("/dashboard");
  expect(grid.some((p) => p.startsWith("/admin"))).toBe(false);
  const mediator = await nav("mediator");
  expect(mediator).not.toContain("/account/tokens");
  expect(mediator).not.toContain("/patrols");
  const supervisor = await nav("supervisor");
  expect(supervisor).toEqual(expect.arrayContaining(["/queue", "/dashboard", "/patrols", "/account/tokens"]));
  const admin = await nav("admin");
  expect(admin).toEqual(expect.arrayContaining(["/admin/users", "/account/tokens"]));
});

test("a grid worker's report asks what, where and who first, the rest folded away", async ({ page }) => {
  await signIn(page, "grid");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/cases/new");
  const form = page.locator("form.report-form");
  const height = await form.evaluate((f) => Math.round(f.getBoundingClientRect().height));
  console.log(`the intake form at 360 px: ${height} px tall`);
  expect(height).toBeLessThan(MOST_INTAKE_PX);
  for (const folded of ["applicant_id_number", "people_involved", "other_name", "latitude"]) {
    await expect(form.locator(`[name="${folded}"]`)).toBeHidden();
  }
  // A tap opens what is folded.
  await form.getByText("风险情况（选填）").click();
  await expect(form.locator('input[name="people_involved"]')).toBeVisible();
  await form.getByText("申请人身份证号和住址（选填）").click();
  await expect(form.locator('input[name="applicant_id_number"]')).toBeVisible();
});

test("a grid worker reports on the spot from home in a handful of fields", async ({ page }) => {
  const title = `楼道堆放杂物起争执 ${Date.now().toString(36)}`;
  await signIn(page, "grid");
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("link", { name: "快速上报" }).click();
  await expect(page).toHaveURL(/\/cases\/quick$/);
  await expect(page.getByRole("heading", { name: "现场快速上报" })).toBeVisible();
  const form = page.locator("form.quick-report");
  const height = await form.evaluate((f) => Math.round(f.getBoundingClientRect().height));
  console.log(`the quick report at 360 px: ${height} px tall`);
  expect(height).toBeLessThan(MOST_QUICK_PX);
  await fitsWidth(page);
  // The rest waits for acceptance: the full form is a tap away.
  await expect(form.locator('[name="respondent_name"]')).toHaveCount(0);
  await expect(page.getByRole("link", { name: /完整登记表/ })).toHaveAttribute("href", "/cases/new");

  await hydrated(page);
  await form.locator('input[name="title"]').fill(title);
  await form.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await form.locator('input[name="address"]').fill("双桂花园 5 栋 2 单元");
  await form.locator('input[name="applicant_name"]').fill("吴秀英");
  await form.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  await expect(page.locator("h1")).toContainText(title);
  await expect(page.locator("main")).toContainText("排查发现");
  await expect(page.locator("main")).toContainText("吴秀英");
});
