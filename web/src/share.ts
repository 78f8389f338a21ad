/**
 * A configuration as a link: the URL's fragment holds the draft run config, as JSON, and the input
 * the fixed-point search holds the network at, as `config=<JSON>&fixedPoints=<input>` (each
 * URI-encoded; a link with the config alone, as links were before the menu, still opens).
 */
import type { FixedPointInput } from "braints/recipes";
import type { Draft } from "./controls.ts";

/** What a link carries. */
export interface Shared {
  readonly draft: Draft;
  readonly fixedPointInput: FixedPointInput;
}

/** A fixed-point input as one string: `"zero"`, or `"period:<name>"` (the fixed-point menu's values too). */
export const fixedPointValue = (input: FixedPointInput): string =>
  input === "zero" ? "zero" : `period:${input.period}`;

/** The fixed-point input {@link fixedPointValue} wrote, or undefined for any other string. */
export function readFixedPointValue(value: string): FixedPointInput | undefined {
  if (value === "zero") return "zero";
  const period = value.startsWith("period:") ? value.slice("period:".length) : "";
  return period === "" ? undefined : { period };
}

/** `href` with `shared` in its fragment. */
export function shareUrl(href: string, shared: Shared): string {
  const url = new URL(href);
  url.hash =
    `config=${encodeURIComponent(JSON.stringify(shared.draft))}` +
    `&fixedPoints=${encodeURIComponent(fixedPointValue(shared.fixedPointInput))}`;
  return url.href;
}

/**
 * What a fragment holds: its draft and fixed-point input, each undefined when absent or broken (a
 * broken draft is ignored: the page starts from a preset; a missing input: the preset's or zero).
 */
export function readShared(hash: string): { draft?: Draft; fixedPointInput?: FixedPointInput } {
  const fields = new Map<string, string>();
  for (const part of hash.replace(/^#/, "").split("&")) {
    const at = part.indexOf("=");
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const decoded = (key: string): string | undefined => {
    const raw = fields.get(key);
    try {
      return raw === undefined ? undefined : decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  };
  const config = decoded("config");
  const input = decoded("fixedPoints");
  const draft = config === undefined ? undefined : parseDraft(config);
  const fixedPointInput = input === undefined ? undefined : readFixedPointValue(input);
  return { ...(draft ? { draft } : {}), ...(fixedPointInput ? { fixedPointInput } : {}) };
}

function parseDraft(json: string): Draft | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Draft)
      : undefined;
  } catch {
    return undefined;
  }
}
