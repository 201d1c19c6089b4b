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

  // A zero report: the day and the grid are filled in, "nothing" is chosen;
  // the phone's position says where (typing it stays possible).
  await page.context().grantPermissions(["geolocation"]);
  await page.context().setGeolocation({ latitude: 30.5741, longitude: 103.9232 });
  await page.locator("#patrol-visits").fill("16");
  await page.locator("fieldset.place").getByTestId("use-location").click();
  await expect(page.locator("#patrol-latitude")).toHaveValue("30.574100");
  await expect(page.locator("#patrol-longitude")).toHaveValue("103.923200");
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page.locator("p.ok")).toHaveText("巡查已登记。");
  // The page names the patrol just logged (other tests log the same grid's).
  await expect(page).toHaveURL(/\/patrols\?recorded=\d+$/);
  const zero = page.locator(`#patrol-${new URL(page.url()).searchParams.get("recorded")}`);
  await expect(zero).toHaveAttribute("data-found", "nothing");
  await expect(zero).toContainText("走访 16 处");
  await expect(zero).toContainText("位置 30.57410, 103.92320");

  // A photo of the walk from the phone's camera, on the patrol just logged.
  const patrolId = ((await zero.getAttribute("id")) ?? "").replace("patrol-", "");
  const fold = zero.locator("details.photo-add");
  if (!(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) await fold.locator("summary").click();
  const camera = zero.locator('input[type="file"]');
  await expect(camera).toHaveAttribute("capture", "environment");
  await camera.setInputFiles({
    name: "巡查照片.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  });
  await zero.getByRole("button", { name: "上传照片" }).click();
  await expect(page).toHaveURL(new RegExp(`/patrols\\?photo=ok#patrol-${patrolId}$`));
  await expect(page.locator("p.ok")).toHaveText("照片已上传。");
  const withPhoto = page.locator(`#patrol-${patrolId}`);
  await expect(withPhoto.getByRole("link", { name: "照片 1" })).toHaveAttribute("href", new RegExp(`/patrols/${patrolId}/photos/\\d+$`));
  await fitsWidth(page);

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
  // The phone's position fills the place here too.
  await page.getByText("位置（选填）").click();
  await page.getByTestId("use-location").click();
  await expect(page.locator("#latitude")).toHaveValue("30.574100");
  await expect(page.locator("#longitude")).toHaveValue("103.923200");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page).toHaveURL(/\/cases\/FQ-\d{4}-\d{6}$/);
  const code = page.url().split("/").pop() ?? "";
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // A photo of the scene, straight from the phone's camera.
  const materials = page.getByTestId("materials");
  await expect(materials).toContainText("纠纷已登记。可以现在拍照补充现场情况。");
  await expect(page.locator("#photo-file")).toHaveAttribute("capture", "environment");
  await page.locator("#photo-file").setInputFiles({
    name: "现场照片.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  });
  await materials.getByRole("button", { name: "上传材料" }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${code}\\?upload=ok#materials$`));
  await expect(page.getByTestId("materials").locator(".material-list")).toContainText("现场照片.jpg");
  await expect(page.locator(".timeline")).toContainText("整理案卷");
  await fitsWidth(page);

  await page.goto("/patrols");
  const found = page.locator("li.patrol", { hasText: code });
  await expect(found).toHaveAttribute("data-found", "disputes");
  await fitsWidth(page);

  const other = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const supervisor = await other.newPage();
  await signIn(supervisor, "supervisor");
  await expect(supervisor.getByRole("heading", { level: 1 })).toContainText("您好");
  await supervisor.goto("/patrols");
  await expect(supervisor.locator("li.patrol", { hasText: code })).toContainText("李春梅");
  // The supervisor sees the walk's photo too.
  const photo = supervisor.locator(`#patrol-${patrolId}`).getByRole("link", { name: "照片 1" });
  const shown = await supervisor.request.get((await photo.getAttribute("href")) ?? "");
  expect(shown.status()).toBe(200);
  expect(shown.headers()["content-type"]).toBe("image/jpeg");
  await expect(supervisor.getByRole("button", { name: "提交巡查" })).toHaveCount(0);
  await fitsWidth(supervisor);
  // The queue names the grid nobody patrols or reports from.
  await supervisor.goto("/queue");
  const silent = supervisor.locator("section.silent-grids");
  await expect(silent).toContainText("白家社区第二网格");
  await expect(silent).toContainText("还没有巡查或上报");
  await fitsWidth(supervisor);
  // The dashboard counts the patrols, zero reports and disputes found.
  await supervisor.goto("/dashboard");
  const figures = supervisor.locator("#patrol-figures");
  await expect(figures).toContainText("长兴社区");
  const count = Number((await figures.locator(".figure-value").first().innerText()).replace(/\D/g, ""));
  expect(count, "the demo's patrols and this test's are counted").toBeGreaterThan(20);
  await fitsWidth(supervisor);
  await other.close();
});

test("a large photo from the phone's camera is made smaller on the phone before it goes", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, "grid");
  // Signed in (home), before going on: else the sign-in's own load cuts the next one short.
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/patrols");
  await hydrated(page);
  await page.locator("#patrol-visits").fill("3");
  await page.getByRole("button", { name: "提交巡查" }).click();
  await expect(page.locator("p.ok")).toHaveText("巡查已登记。");
  const patrol = page.locator("li.patrol").first();
  const patrolId = ((await patrol.getAttribute("id")) ?? "").replace("patrol-", "");

  // A 12-megapixel picture, as a phone's camera makes it (over a megabyte).
  const taken = Buffer.from(
    await page.evaluate(async () => {
      const canvas = document.createElement("canvas");
      canvas.width = 4000;
      canvas.height = 3000;
      const g = canvas.getContext("2d")!;
      for (let i = 0; i < 3000; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360},60%,${30 + (i % 50)}%)`;
        g.fillRect((i * 97) % 4000, (i * 53) % 3000, 40 + (i % 200), 30 + (i % 150));
      }
      const blob: Blob = await new Promise((done) => canvas.toBlob((b) => done(b!), "image/jpeg", 0.95));
      const url: string = await new Promise((done) => {
        const reader = new FileReader();
        reader.onload = () => done(reader.result as string);
        reader.readAsDataURL(blob);
      });
      return url.split(",")[1];
    }),
    "base64",
  );
  expect(taken.length).toBeGreaterThan(1024 * 1024);

  const fold = patrol.locator("details.photo-add");
  if (!(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) await fold.locator("summary").click();
  await patrol.locator('input[type="file"]').setInputFiles({ name: "现场.jpg", mimeType: "image/jpeg", buffer: taken });
  await patrol.getByRole("button", { name: "上传照片" }).click();
  await expect(page).toHaveURL(new RegExp(`/patrols\\?photo=ok#patrol-${patrolId}$`));

  // What reached the server: a JPEG of at most 2,048 px a side, a fraction of the original.
  const href = (await page.locator(`#patrol-${patrolId}`).getByRole("link", { name: "照片 1" }).getAttribute("href")) ?? "";
  const kept = await page.request.get(href);
  const bytes = await kept.body();
  expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  expect(bytes.length).toBeLessThan(taken.length / 2);
  const size = await page.evaluate(async (src) => {
    const bitmap = await createImageBitmap(await (await fetch(src)).blob());
    return [bitmap.width, bitmap.height];
  }, href);
  expect(size).toEqual([2048, 1536]);
});
