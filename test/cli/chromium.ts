/** Opens a report in headless Chromium (Debian's, never a downloaded one) and reads what it rendered. */
import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../browser.ts";

/** One rendered figure: its section id, title text, number of drawn marks and rendered size. */
export interface RenderedFigure {
  readonly id: string;
  readonly title: string;
  readonly marks: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Loads `html` from a file URL, saves a full-page screenshot to `png`, and returns every figure's
 * rendered elements plus the screenshot's size and fraction of non-white pixels (decoded by the browser).
 */
export async function reportInChromium(
  executablePath: string,
  html: string,
  png: string,
): Promise<{ figures: RenderedFigure[]; screenshotBytes: number; inkFraction: number }> {
  const context = await launchChromium(executablePath);
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(html).href);
    const figures = await page.$$eval("section.figure", (sections) =>
      sections.map((s) => {
        const svg = s.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        return {
          id: s.id,
          // The chart's title, not a facet's row or column header (also drawn as a title).
          title:
            Array.from(s.querySelectorAll(".role-title-text text")).find(
              (t) => !t.closest(".role-row-header, .role-column-header"),
            )?.textContent ?? "",
          marks: s.querySelectorAll("g.role-mark > *").length,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    const shot = await page.screenshot({ path: png, fullPage: true });
    const inkFraction = await page.evaluate(async (base64: string) => {
      const img = new Image();
      img.src = `data:image/png;base64,${base64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4)
        if ((data[i] ?? 255) + (data[i + 1] ?? 255) + (data[i + 2] ?? 255) < 600) ink++;
      return ink / (data.length / 4);
    }, shot.toString("base64"));
    return { figures, screenshotBytes: statSync(png).size, inkFraction };
  } finally {
    await context.close();
  }
}
