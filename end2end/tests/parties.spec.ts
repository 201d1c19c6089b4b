// Issue 18: a party follows its case without an account. The office prints
// the receipt with each party's code; the party opens its status page on a
// phone with JavaScript off.
import { expect, test } from "@playwright/test";
import { fitsWidth, signIn } from "./helpers";

test("a party opens its case's status page from the code on its receipt, without JavaScript", async ({ browser, page }) => {
  const title = `楼道堆物 ${Date.now().toString(36)}`;
  await signIn(page, "grid");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/cases/quick");
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("周海燕");
  await page.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  const code = page.url().split("/").pop() ?? "";

  // The receipt: the party's code, its address and a QR code of it.
  await page.getByRole("link", { name: "打印受理回执（含各方解纷码）" }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${code}/receipt$`));
  const receipt = page.locator("section.receipt");
  await expect(receipt).toHaveCount(1);
  await expect(receipt).toContainText("周海燕（申请人）");
  await expect(receipt.locator(".receipt-qr svg")).toBeVisible();
  const partyCode = (await receipt.locator(".party-code").textContent()) ?? "";
  expect(partyCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // On the party's own phone: no account, no JavaScript, typed in lower case.
  const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } });
  const party = await phone.newPage();
  await party.goto(`/s/${partyCode.toLowerCase()}`);
  await expect(party.getByRole("heading", { level: 1 })).toHaveText("案件进度");
  const facts = party.getByTestId("party-status");
  await expect(facts).toContainText(code);
  await expect(facts).toContainText("已收到，等待受理");
  await expect(facts).toContainText("申请人");
  await expect(party.locator("body")).not.toContainText(title);
  await expect(party.locator("body")).not.toContainText("李春梅");
  await fitsWidth(party);

  // The party leaves a message for the office, still without JavaScript:
  // the page comes back saying so, with the party's own words listed.
  const words = `楼道里的杂物又堆回来了 ${Date.now().toString(36)}`;
  await party.getByRole("textbox", { name: "给承办单位留言" }).fill(words);
  await party.getByRole("button", { name: "发送留言" }).click();
  await expect(party.getByRole("status")).toHaveText("留言已送达承办单位。");
  await expect(party.getByTestId("party-said")).toContainText(words);
  await fitsWidth(party);

  // The mediator reads it on the case's timeline, with whose it is.
  const office = await browser.newContext();
  const mediator = await office.newPage();
  await signIn(mediator, "mediator");
  await expect(mediator).toHaveURL(/\/$/);
  await mediator.goto(`/cases/${code}`);
  const entry = mediator.locator('li[data-kind="party_message"]');
  await expect(entry).toContainText(words);
  await expect(entry).toContainText("申请人");
  await office.close();

  // A mistyped code says only that it opens nothing.
  const wrong = await party.goto("/s/0000-0000-0000");
  expect(wrong?.status()).toBe(404);
  await expect(party.getByRole("heading", { level: 1 })).toHaveText("无法打开此解纷码");
  await phone.close();
});

test("a resident applies online without JavaScript and the office finds it in its queue", async ({ browser }) => {
  const title = `隔壁装修噪音 ${Date.now().toString(36)}`;
  const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } });
  const resident = await phone.newPage();
  await resident.goto("/login");
  await resident.getByRole("link", { name: "网上申请调解" }).click();
  await expect(resident).toHaveURL(/\/apply$/);
  // Down the area tree by links, to the community.
  await resident.getByRole("link", { name: "成都市双流区" }).click();
  await resident.getByRole("link", { name: "东升街道" }).click();
  await resident.getByRole("link", { name: "长兴社区" }).click();
  await expect(resident.getByText("向以下调解组织申请")).toBeVisible();
  await resident.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await resident.locator('input[name="title"]').fill(title);
  await resident.locator('textarea[name="description"]').fill("隔壁每天早上七点开始装修，沟通无果。");
  await resident.locator('input[name="applicant_name"]').fill("陈淑芬");
  await resident.locator('input[name="applicant_phone"]').fill(`138${Date.now().toString().slice(-8)}`);
  await resident.getByLabel("我自愿申请人民调解").check();
  await fitsWidth(resident);
  await resident.getByRole("button", { name: "提交申请" }).click();

  // Its status page at once, with the code to write down.
  await expect(resident).toHaveURL(/\/s\/[0-9A-Z]{12}\?applied=1$/);
  await expect(resident.getByTestId("applied")).toContainText(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  await expect(resident.getByTestId("party-status")).toContainText("已收到，等待受理");
  await fitsWidth(resident);
  await phone.close();

  // The community's mediator finds it in the queue, as an online application.
  const office = await browser.newContext();
  const mediator = await office.newPage();
  await signIn(mediator, "mediator");
  await expect(mediator).toHaveURL(/\/$/);
  await mediator.locator("#my-queue").getByRole("link", { name: title }).click();
  await expect(mediator.locator("body")).toContainText("当事人申请");
  await expect(mediator.getByRole("button", { name: "标记为恶意申请（不通知申请人）" })).toBeVisible();
  await office.close();
});
