// Issue 17: the application installs, keeps a grid worker's field pages on
// the phone for when there is no network, forgets them on signing out, and
// its files are named by content, precompressed and kept for a year.
import { test, expect, Page } from "@playwright/test";
import { hydrated, signIn, signOut } from "./helpers";

test.use({ viewport: { width: 360, height: 640 } });
// Installing the service worker (it fetches the application's files) while
// the other worker's test loads this 2-core machine has once taken most of
// the usual 30 s by itself.
test.describe.configure({ timeout: 60_000 });

/** How many pages the service worker keeps. */
async function keptPages(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await caches.has("fq-pages"))) return 0;
    return (await (await caches.open("fq-pages")).keys()).length;
  });
}

/** Sign in as the grid worker and wait until the service worker runs the
 * page; once a page says who is signed in, home, reporting a dispute, the
 * patrol log and the cases home lists are kept, visited or not. */
async function gridWorkerWithWorker(page: Page) {
  await signIn(page, "grid");
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // It installs with the application's files: on this 2-core machine running the suite two tests at a
  // time, that once took longer than the usual 10 s.
  await expect
    .poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 30_000 })
    .toBe(true);
  await page.goto("/");
  await expect(page.locator("#offline-note")).toBeHidden();
  await expect.poll(() => keptPages(page)).toBeGreaterThanOrEqual(4);
}

test("a grid worker's field pages open without a network and are forgotten on signing out", async ({
  page,
  context,
}) => {
  await gridWorkerWithWorker(page);
  // The islands' WebAssembly is kept with the application.
  const script = await (await page.request.get("/sw.js")).text();
  const shell: string[] = JSON.parse(script.match(/^const SHELL_FILES = (.*);$/m)![1]);
  const wasm = shell.filter((f) => f.endsWith(".wasm"));
  expect(wasm).toHaveLength(1);
  await expect
    .poll(() => page.evaluate(async (files) => (await Promise.all(files.map((f) => caches.match(f)))).every((hit) => !!hit), wasm))
    .toBe(true);

  await context.setOffline(true);
  await page.goto("/cases/new");
  const note = page.locator("#offline-note");
  await expect(note).toBeVisible();
  // It works as it did online: its code came from the phone.
  await hydrated(page);
  await expect(note).toContainText("离线查看");
  await expect(page.locator("#offline-at")).not.toBeEmpty();
  await expect(page.locator('input[name="title"]')).toBeVisible();
  await expect(page.locator('select[name="category_id"]')).toBeVisible();
  await page.goto("/patrols");
  await expect(note).toBeVisible();
  // A page not kept: the offline page, with the kept ones.
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { name: "没有网络连接" })).toBeVisible();
  await expect(page.locator(".offline-pages a")).toHaveCount(4);
  await context.setOffline(false);

  // Back online, pages come from the server again, unmarked.
  await page.goto("/");
  await expect(page.locator("#offline-note")).toBeHidden();

  // Signing out forgets them: the next person on this phone sees nothing.
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect.poll(() => keptPages(page)).toBe(0);
  await context.setOffline(true);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "没有网络连接" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("李春梅");
  await context.setOffline(false);
});

test("the build's files are named by content, precompressed and kept for a year", async ({
  page,
  request,
}) => {
  await page.goto("/login");
  const css = await page.locator('link[rel="stylesheet"]').getAttribute("href");
  const wasm = await page.locator('link[rel="preload"][type="application/wasm"]').getAttribute("href");
  expect(css).toMatch(/^\/pkg\/fengqiao\.[A-Za-z0-9_-]+\.css$/);
  expect(wasm).toMatch(/^\/pkg\/fengqiao\.[A-Za-z0-9_-]+\.wasm$/);
  // One WebAssembly file, the islands' (the pages are the server's HTML):
  // the worker keeps it, the glue and the stylesheet when it installs.
  const script = await (await request.get("/sw.js")).text();
  const shell: string[] = JSON.parse(script.match(/^const SHELL_FILES = (.*);$/m)![1]);
  const js = shell.find((path) => path.endsWith(".js") && path.startsWith("/pkg/"));
  expect(shell).toEqual(expect.arrayContaining([css!, wasm!]));
  expect(js).toMatch(/^\/pkg\/fengqiao\.[A-Za-z0-9_-]+\.js$/);
  expect(script).not.toContain("GROUP_FILES");
  for (const path of [css!, wasm!, js!]) {
    const brotli = await request.get(path, { headers: { "accept-encoding": "br" } });
    expect(brotli.status()).toBe(200);
    expect(brotli.headers()["content-encoding"]).toBe("br");
    expect(brotli.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    const gzip = await request.get(path, { headers: { "accept-encoding": "gzip" } });
    expect(gzip.headers()["content-encoding"]).toBe("gzip");
  }
  // The page links them; no file of the build but these.
  const html = await (await request.get("/login")).text();
  expect(html).toContain(`href="${wasm}"`);
  expect(html).not.toMatch(/(chunk|split)_\w+\.[\w-]+\.wasm/);
  const icon = await request.get("/favicon.svg");
  expect(icon.headers()["cache-control"]).toBe("public, max-age=86400");

  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.headers()["content-type"]).toBe("application/manifest+json");
  const app = await manifest.json();
  expect(app.name).toBe("枫桥");
  expect(app.display).toBe("standalone");
  expect(await page.locator('link[rel="manifest"]').getAttribute("href")).toBe("/manifest.webmanifest");

  const worker = await request.get("/sw.js");
  expect(worker.headers()["cache-control"]).toBe("no-cache");
  expect(shell).toEqual(expect.arrayContaining([css, wasm]));
});

test("a report and a zero-report patrol made without a network wait on the phone and become one record each", async ({
  page,
  context,
}) => {
  const stamp = Date.now().toString(36);
  const title = `离线登记的楼道纠纷 ${stamp}`;
  const notes = `离线巡查 ${stamp}`;
  await gridWorkerWithWorker(page);

  await context.setOffline(true);
  await page.goto("/cases/new");
  await expect(page.locator("#offline-note")).toBeVisible();
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("钱立平");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator("#waiting-saved")).toHaveText("已保存在本机，1 条等待发送。");
  await expect(page.locator(".waiting-item")).toHaveCount(1);
  await expect(page.locator(".waiting-item").first()).toContainText(title);

  await page.goto("/patrols");
  await expect(page.locator("#offline-note")).toBeVisible();
  await page.locator("#patrol-visits").fill("5");
  await page.locator("#patrol-notes").fill(notes);
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator("#waiting-saved")).toHaveText("已保存在本机，2 条等待发送。");

  // Still there after a reload without a network; the other pages say so too.
  await page.reload();
  await expect(page.locator(".waiting-item")).toHaveCount(2);
  await page.goto("/");
  await expect(page.locator("#waiting-banner")).toHaveText("本机有 2 条待发送 →");

  // The network is back: the next page sends them, each once.
  await context.setOffline(false);
  await page.goto("/waiting");
  await expect(page.locator(".waiting-item")).toHaveCount(0);
  await expect(page.locator("#waiting-empty")).toBeVisible();
  // Each became exactly one record, as the API tells it.
  const cases = await (await page.request.get(`/api/v1/cases?q=${encodeURIComponent(title)}`)).json();
  expect(cases.items.map((c: { title: string }) => c.title)).toEqual([title]);
  const patrols = await (await page.request.get("/api/v1/patrols")).json();
  expect(patrols.items.filter((p: { notes: string }) => p.notes === notes)).toHaveLength(1);
  await page.goto("/patrols");
  await expect(page.locator("li.patrol", { hasText: notes })).toHaveCount(1);
  await expect(page.locator("#waiting-banner")).toBeHidden();
});

test("a patrol kept on the phone that found a dispute leads on to reporting it once it is sent", async ({
  page,
  context,
}) => {
  const notes = `离线巡查发现纠纷 ${Date.now().toString(36)}`;
  await gridWorkerWithWorker(page);

  await context.setOffline(true);
  await page.goto("/patrols");
  await expect(page.locator("#offline-note")).toBeVisible();
  await page.getByLabel("发现矛盾纠纷（提交后登记纠纷）").check();
  await page.locator("#patrol-visits").fill("6");
  await page.locator("#patrol-notes").fill(notes);
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator('.waiting-item[data-state="waiting"]')).toHaveCount(1);

  // Back online: it is sent, and stays listed with the way to the report.
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即发送" }).click();
  const found = page.locator('.waiting-item[data-state="found"]');
  await expect(found).toHaveCount(1);
  await expect(found).toContainText("已发送。这次巡查发现了纠纷，请登记。");
  const patrols = await (await page.request.get("/api/v1/patrols")).json();
  const patrol = patrols.items.find((p: { notes: string }) => p.notes === notes);
  expect(patrol.found).toBe("disputes");
  // Nothing waits to be sent any more.
  await page.goto("/");
  await expect(page.locator("#waiting-banner")).toBeHidden();

  await page.goto("/waiting");
  await found.getByRole("link", { name: "登记发现的纠纷" }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/new\\?patrol=${patrol.id}$`));
  await expect(page.getByTestId("from-patrol")).toContainText("双桂花园三期第一网格");
  // Opened but not yet reported: the reminder stays.
  await page.goto("/waiting");
  await expect(found).toHaveCount(1);
  await found.getByRole("link", { name: "登记发现的纠纷" }).click();
  await hydrated(page);
  const title = `巡查发现 ${Date.now().toString(36)}`;
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("何立新");
  await page.locator('input[name="applicant_phone"]').fill("13900002468");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  // The report from it is in: it has led on, and the list forgets it.
  const after = await (await page.request.get(`/api/v1/patrols/${patrol.id}`)).json();
  expect(after.cases).toHaveLength(1);
  await page.goto("/waiting");
  await expect(page.locator("#waiting-empty")).toBeVisible();
  await expect(page.locator(".waiting-item")).toHaveCount(0);
});

test("a quick report refused when it is sent stays on the phone with the reason, is fixed in its form and sent; another account never sees it", async ({
  page,
  context,
}) => {
  const title = `离线上报被退回 ${Date.now().toString(36)}`;
  await gridWorkerWithWorker(page);

  // On the spot, without a network: the quick report, kept on the phone.
  await context.setOffline(true);
  await page.goto("/cases/quick");
  await expect(page.locator("#offline-note")).toBeVisible();
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill("孔令华");
  // Not a phone number: the server will refuse it.
  await page.locator('input[name="applicant_phone"]').fill("12345");
  await page.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);

  await context.setOffline(false);
  await page.getByRole("button", { name: "立即发送" }).click();
  const refused = page.locator('.waiting-item[data-state="refused"]');
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText("未被接受：");
  await expect(refused).toContainText("手机");

  // Another person on this phone sees nothing of it.
  await signOut(page);
  await signIn(page, "mediator");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/waiting");
  await expect(page.locator("#waiting-empty")).toBeVisible();
  await expect(page.locator(".waiting-item")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(title);
  await signOut(page);

  // Its owner fixes it in its form and sends it: one case, nothing waits.
  await signIn(page, "grid");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/waiting");
  await expect(refused).toHaveCount(1);
  await refused.getByRole("link", { name: "修改后重新发送" }).click();
  await expect(page).toHaveURL(/\/cases\/quick#waiting=/);
  await expect(page.locator('input[name="title"]')).toHaveValue(title);
  await expect(page.locator("#waiting-banner")).toContainText("未被接受：");
  await hydrated(page);
  await page.locator('input[name="applicant_phone"]').fill("13900001357");
  await page.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  await page.goto("/waiting");
  await expect(page.locator("#waiting-empty")).toBeVisible();
  await page.goto("/cases?q=" + encodeURIComponent(title));
  await expect(page.locator(".case-card", { hasText: title })).toHaveCount(1);
});

/** A picture's first bytes: enough for the server to know it for a PNG. */
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
const photo = (name: string) => ({ name, mimeType: "image/png", buffer: PNG });

/** The quick report's handful of fields. */
async function fillQuickReport(page: Page, title: string, who: string) {
  await page.locator('input[name="title"]').fill(title);
  await page.locator('select[name="category_id"]').selectOption({ label: "邻里" });
  await page.locator('input[name="applicant_name"]').fill(who);
}

test("a quick report's photos go with it: at once with a network, once the network is back without one", async ({
  page,
  context,
}) => {
  const stamp = Date.now().toString(36);
  await gridWorkerWithWorker(page);

  // With a network: the report, its photo, then its case's page. The quick
  // report is reached by the application's own navigation from home.
  await page.getByRole("link", { name: "快速上报" }).click();
  await expect(page).toHaveURL(/\/cases\/quick$/);
  await expect(page.locator("#scene-photos")).toBeVisible();
  await hydrated(page);
  await fillQuickReport(page, `现场照片上报 ${stamp}`, "郑国强");
  await page.locator("#scene-photo").setInputFiles(photo(`scene-${stamp}.png`));
  await page.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  await expect(page.locator("a.attachment", { hasText: `scene-${stamp}.png` })).toHaveCount(1);

  // Without one: the report and its two photos wait on the phone together.
  const title = `离线现场照片 ${stamp}`;
  await context.setOffline(true);
  await page.goto("/cases/quick");
  await expect(page.locator("#offline-note")).toBeVisible();
  await expect(page.locator("#scene-photos")).toBeVisible();
  await fillQuickReport(page, title, "郑国强");
  await page.locator("#scene-photo").setInputFiles([photo(`first-${stamp}.png`), photo(`second-${stamp}.png`)]);
  await page.getByRole("button", { name: "上报", exact: true }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator(".waiting-item")).toHaveCount(2);
  await expect(page.locator(".waiting-photos")).toContainText("2 张现场照片");
  await expect(page.locator(".waiting-photos")).toContainText("随报告发送");
  await page.reload();
  await expect(page.locator(".waiting-item")).toHaveCount(2);

  // The network is back: the report becomes one case, and its photos follow it, each once.
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即发送" }).click();
  await expect(page.locator(".waiting-item")).toHaveCount(0);
  await expect(page.locator("#waiting-empty")).toBeVisible();
  await page.goto("/cases?q=" + encodeURIComponent(title));
  const card = page.locator(".case-card", { hasText: title });
  await expect(card).toHaveCount(1);
  await card.locator("a.case-code").click();
  await expect(page).toHaveURL(/\/cases\/FQ-/);
  for (const name of [`first-${stamp}.png`, `second-${stamp}.png`]) {
    await expect(page.locator("a.attachment", { hasText: name })).toHaveCount(1);
  }
});

test("a patrol's photos go with it: without a network they wait with the patrol and reach it once it is sent", async ({
  page,
  context,
}) => {
  const stamp = Date.now().toString(36);
  const notes = `带照片的离线巡查 ${stamp}`;
  await gridWorkerWithWorker(page);

  // With a network: the patrol and its photo, then back on the patrol log.
  await page.goto("/patrols");
  await expect(page.locator("#scene-photos")).toBeVisible();
  await hydrated(page);
  await page.locator("#patrol-visits").fill("4");
  await page.locator("#patrol-notes").fill(`带照片的巡查 ${stamp}`);
  await page.locator("#scene-photo").setInputFiles(photo(`walk-${stamp}.png`));
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/patrols\?recorded=\d+$/);
  const online = page.locator("li.patrol", { hasText: `带照片的巡查 ${stamp}` });
  await expect(online.getByRole("link", { name: "照片 1" })).toHaveCount(1);

  // Without one: the patrol and its photo wait together.
  await context.setOffline(true);
  await page.goto("/patrols");
  await expect(page.locator("#offline-note")).toBeVisible();
  await page.locator("#patrol-visits").fill("7");
  await page.locator("#patrol-notes").fill(notes);
  await page.locator("#scene-photo").setInputFiles([photo(`stair-${stamp}.png`), photo(`yard-${stamp}.png`)]);
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator(".waiting-item")).toHaveCount(2);
  await expect(page.locator(".waiting-photos")).toContainText("2 张现场照片");

  // Back online: one patrol, with both photos, each once.
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即发送" }).click();
  await expect(page.locator(".waiting-item")).toHaveCount(0);
  const patrols = await (await page.request.get("/api/v1/patrols")).json();
  const sent = patrols.items.filter((p: { notes: string }) => p.notes === notes);
  expect(sent).toHaveLength(1);
  expect(sent[0].photos.map((p: { file_name: string }) => p.file_name).sort()).toEqual([`stair-${stamp}.png`, `yard-${stamp}.png`]);
});

test("a photo added under a patrol on the kept patrol log without a network waits on the phone and reaches the patrol", async ({
  page,
  context,
}) => {
  const stamp = Date.now().toString(36);
  const notes = `补拍照片的巡查 ${stamp}`;
  await gridWorkerWithWorker(page);

  // A patrol logged with a network; the patrol log kept as it was seen.
  await page.goto("/patrols");
  await hydrated(page);
  await page.locator("#patrol-visits").fill("3");
  await page.locator("#patrol-notes").fill(notes);
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page).toHaveURL(/\/patrols\?recorded=\d+$/);
  const id = Number(new URL(page.url()).searchParams.get("recorded"));
  await page.goto("/patrols");

  // Without one: the photo form of the kept page keeps the photo.
  await context.setOffline(true);
  await page.goto("/patrols");
  await expect(page.locator("#offline-note")).toBeVisible();
  const logged = page.locator(`#patrol-${id}`);
  await logged.locator("summary").click();
  await logged.locator('input[type="file"]').setInputFiles(photo(`later-${stamp}.png`));
  await logged.getByRole("button", { name: "上传照片" }).click();
  await expect(page).toHaveURL(/\/waiting\?saved=1$/);
  await expect(page.locator("#waiting-saved")).toBeVisible();
  await expect(page.locator(".waiting-photos")).toContainText("1 张现场照片");
  await expect(page.locator(".waiting-photos")).toContainText("等待上传到巡查记录");

  // Back online: it reaches the patrol, once.
  await context.setOffline(false);
  await page.getByRole("button", { name: "立即发送" }).click();
  await expect(page.locator(".waiting-item")).toHaveCount(0);
  const sent = await (await page.request.get(`/api/v1/patrols/${id}`)).json();
  expect(sent.photos.map((p: { file_name: string }) => p.file_name)).toEqual([`later-${stamp}.png`]);
});
