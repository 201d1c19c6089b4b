// Issue 18 §6: a stock GeoReport v2 client (PyPI's `georeport`, which never
// sends an API key when reading) follows a request filed through Open311 by
// its opaque id, and reads its status only.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("a stock Open311 client reads back the request it filed, by its id, without a key", async ({ page, request, baseURL }) => {
  // An integration's key: a supervisor's token made in the UI.
  await signIn(page, "supervisor3");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/account/tokens");
  await hydrated(page);
  await page.locator("#token-name").fill("Open311 客户端");
  await page.getByRole("button", { name: "创建令牌" }).last().click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^fq_/);

  const services = await request.get("/open311/v2/services.json");
  const neighbours = (await services.json()).find((s: { service_code: string }) => s.service_code === "neighbours");
  expect(neighbours).toBeTruthy();
  const filed = await request.post("/open311/v2/requests.json", {
    form: {
      api_key: token,
      service_code: "neighbours",
      address_string: "宝翠花都第一网格 3 号",
      description: "楼道堆放杂物，影响通行",
      first_name: "海燕",
      last_name: "周",
      phone: "13700001111",
    },
  });
  expect(filed.status()).toBe(201);
  const id: string = (await filed.json())[0].service_request_id;
  expect(id).toMatch(/^[0-9a-f]{24}$/);

  const python = path.join(__dirname, "..", ".venv", "bin", "python");
  const script = path.join(__dirname, "..", "open311_client.py");
  const read = JSON.parse(execFileSync(python, [script, baseURL ?? "", id], { encoding: "utf8", timeout: 30_000 }));
  expect(read.services).toContain("neighbours");
  expect(read.listed).toEqual([id]);
  expect(read.request.service_request_id).toBe(id);
  expect(read.request.status).toBe("open");
  expect(read.request.service_code).toBe("neighbours");
  // The status only: nothing of the dispute or the person.
  for (const field of ["description", "address", "lat", "long"]) expect(read.request).not.toHaveProperty(field);
  expect(JSON.stringify(read)).not.toContain("周");
  expect(JSON.stringify(read)).not.toContain("137");
});
