// Renders the application's icons (public/favicon.svg, public/icons/maskable.svg)
// to the PNG sizes a phone's home screen and install prompt ask for, with the
// Chromium the end-to-end tests use: `node end2end/make-icons.mjs` from the
// repository root. The PNGs are committed; run it again when an SVG changes.
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";

const icons = [
  ["public/favicon.svg", 192, "public/icons/icon-192.png"],
  ["public/favicon.svg", 512, "public/icons/icon-512.png"],
  ["public/icons/maskable.svg", 192, "public/icons/maskable-192.png"],
  ["public/icons/maskable.svg", 512, "public/icons/maskable-512.png"],
  ["public/icons/maskable.svg", 180, "public/icons/apple-touch-icon.png"],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  for (const [svg, size, png] of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const data = Buffer.from(readFileSync(svg)).toString("base64");
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${data}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.locator("img").evaluate((img) => img.decode());
    await page.screenshot({ path: png, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`${png} (${size} × ${size})`);
  }
} finally {
  await browser.close();
}
