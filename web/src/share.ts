/** A configuration as a link: the draft run config, as JSON, in the URL's fragment. */
import type { Draft } from "./controls.ts";

const KEY = "config=";

/** `href` with `draft` in its fragment. */
export function shareUrl(href: string, draft: Draft): string {
  const url = new URL(href);
  url.hash = KEY + encodeURIComponent(JSON.stringify(draft));
  return url.href;
}

/** The draft a fragment holds, if any (a broken one is ignored: the page starts from a preset). */
export function readDraft(hash: string): Draft | undefined {
  const at = hash.indexOf(KEY);
  if (at < 0) return undefined;
  try {
    const value = JSON.parse(decodeURIComponent(hash.slice(at + KEY.length))) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Draft)
      : undefined;
  } catch {
    return undefined;
  }
}
