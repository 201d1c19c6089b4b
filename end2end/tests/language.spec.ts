import { expect, test } from "@playwright/test";
import { hydrated, PASSWORD } from "./helpers";

test("English can be chosen and is remembered", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await hydrated(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await hydrated(page);
  await page.locator('input[name="username"]').fill("supervisor2");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, 吴国平");
  await expect(page.locator(".role-badge")).toHaveText("Supervisor");
  // Back to Chinese from the signed-in header.
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("您好，吴国平");
});
