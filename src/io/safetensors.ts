/**
 * The safetensors layout, readable by Python's `safetensors`: an 8-byte little-endian header
 * length N, N bytes of JSON header (`{ name: { dtype, shape, data_offsets }, __metadata__ }`), then
 * the raw little-endian tensor bytes. Decoding validates everything before trusting it, so a
 * truncated or corrupted file is refused with a message saying what is wrong.
 */
import { BraintsError } from "../base/errors.ts";
import { sizeOf } from "../base/shape.ts";
import { Tensor } from "../core/tensor.ts";

/** A file that is not a valid safetensors file (truncated, corrupted, or of another kind). */
export class CorruptFileError extends BraintsError {
  override name = "CorruptFileError";
}

const DTYPES = { F32: 4, F64: 8 } as const;
type StDtype = keyof typeof DTYPES;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Encodes named tensors and string metadata as a safetensors byte array. */
export function encodeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header["__metadata__"] = metadata;
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name] as Tensor;
    const bytes = t.data.byteLength;
    header[name] = {
      dtype: t.dtype === "float64" ? "F64" : "F32",
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data section starts 8-byte aligned (as the reference writer does).
  json += " ".repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const name of names) {
    const t = tensors[name] as Tensor;
    const dv = new DataView(out.buffer, pos, t.data.byteLength);
    const width = t.dtype === "float64" ? 8 : 4;
    for (let i = 0; i < t.data.length; i++) {
      if (width === 8) dv.setFloat64(i * 8, t.data[i] as number, true);
      else dv.setFloat32(i * 4, t.data[i] as number, true);
    }
    pos += t.data.byteLength;
  }
  return out;
}

/** Decodes and validates a safetensors byte array. `source` names the file in error messages. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = "safetensors",
): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const fail = (what: string) => new CorruptFileError(`${source}: ${what}`);
  if (bytes.length < 8)
    throw fail(`file is truncated: ${bytes.length} bytes, need at least 8 for the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8)
    throw fail(
      `header length ${n} exceeds the file's ${bytes.length - 8} remaining bytes (truncated or not a safetensors file)`,
    );
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      unknown
    >;
  } catch (e) {
    throw fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    throw fail("header must be a JSON object");
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, Tensor> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== "string") throw fail(`metadata value '${k}' must be a string, got ${typeof v}`);
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as HeaderEntry;
    const width = DTYPES[e.dtype as StDtype];
    if (width === undefined)
      throw fail(`tensor '${name}' has dtype ${String(e.dtype)}; braints reads F32 and F64`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0))
      throw fail(`tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`);
    const [begin, end] = Array.isArray(e.data_offsets) ? e.data_offsets : [NaN, NaN];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > dataLength) {
      throw fail(
        `tensor '${name}' has data offsets ${JSON.stringify(e.data_offsets)} outside the ${dataLength}-byte data section (truncated?)`,
      );
    }
    if (end - begin !== sizeOf(e.shape) * width) {
      throw fail(
        `tensor '${name}' of shape [${e.shape.join(", ")}] needs ${sizeOf(e.shape) * width} bytes, its offsets span ${end - begin}`,
      );
    }
    spans.push([begin, end, name]);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
    const count = sizeOf(e.shape);
    const data = width === 8 ? new Float64Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++)
      data[i] = width === 8 ? dv.getFloat64(i * 8, true) : dv.getFloat32(i * 4, true);
    tensors[name] = new Tensor(e.shape, data);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let expected = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== expected)
      throw fail(
        `tensor '${name}' starts at byte ${begin}, expected ${expected}: data must be contiguous without overlaps`,
      );
    expected = end;
  }
  if (expected !== dataLength)
    throw fail(`data section has ${dataLength} bytes but the tensors cover ${expected}`);
  return { tensors, metadata };
}
