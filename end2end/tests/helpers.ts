import { expect, Page } from "@playwright/test";

export const PASSWORD = "fengqiao-demo";

/** The four demo logins and what their home page must show. */
export const ROLES = [
  // `stats`: the figures for the levels below their area, and active staff.
  { username: "grid", name: "李春梅", role: "网格员", stats: 1 },
  { username: "mediator", name: "王建国", role: "调解员", stats: 2 },
  { username: "supervisor", name: "陈志刚", role: "督办人员", stats: 3 },
  { username: "admin", name: "赵敏", role: "系统管理员", stats: 4 },
] as const;

/** Wait until the WASM has hydrated the page (set by an Effect, browser only). */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Sign in through the login form. */
export async function signIn(page: Page, username: string, password = PASSWORD, js = true) {
  await page.goto("/login");
  if (js) await hydrated(page);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').first().click();
}

/** Sign out from home with the navigation's button; lands on the sign-in page. */
export async function signOut(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** The page does not scroll sideways at its viewport width. */
export async function fitsWidth(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/** 督办: urge the owner of the case open on `page`, to answer within 24 hours. */
export async function urge(page: Page, note: string) {
  await page.locator("summary", { hasText: "督办" }).first().click();
  await page.locator("#urge-note").fill(note);
  await page.locator("#urge-within").selectOption("24");
  await page.locator("details.action", { hasText: "督办要求" }).getByRole("button", { name: "督办" }).click();
  await expect(page.locator(".urgings")).toContainText(note);
}

/** The owner answers the urging on the case open on `page`. */
export async function answerUrging(page: Page, answer: string) {
  await page.locator("#urge-answer").fill(answer);
  await page.getByRole("button", { name: "答复督办" }).click();
  await expect(page.locator(".urgings")).toContainText(answer);
}
