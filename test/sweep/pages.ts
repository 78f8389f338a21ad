/** What the sweep tests read besides the sweep directory: processes and report sections. */
import { expect } from "vitest";

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The inline SVG of the sweep report's figure section `id` (failing the test when it is missing). */
export function figure(html: string, id: string): string {
  const m = new RegExp(`<section class="figure" id="${id}">(.*?)</section>`, "s").exec(html);
  expect(m, `figure ${id}`).not.toBeNull();
  return (m as RegExpExecArray)[1] as string;
}
