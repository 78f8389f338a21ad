/**
 * Reads NumPy `.npy` arrays (format 1.0–3.0, C order; little-endian float32/float64 and integer
 * types, converted to float), so datasets and weights saved from Python can be loaded.
 */
import { Tensor } from "../core/tensor.ts";
import { CorruptFileError } from "./safetensors.ts";

const READERS: Record<string, [number, (v: DataView, o: number) => number]> = {
  "<f4": [4, (v, o) => v.getFloat32(o, true)],
  "<f8": [8, (v, o) => v.getFloat64(o, true)],
  "<i4": [4, (v, o) => v.getInt32(o, true)],
  "<i8": [8, (v, o) => Number(v.getBigInt64(o, true))],
  "|u1": [1, (v, o) => v.getUint8(o)],
  "|b1": [1, (v, o) => v.getUint8(o)],
};

/** Parses `.npy` bytes into a tensor (float64 for `<f8`, float32 otherwise). */
export function decodeNpy(bytes: Uint8Array, source = "npy"): Tensor {
  const fail = (what: string) => new CorruptFileError(`${source}: ${what}`);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b))
    throw fail("not a .npy file (bad magic string)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6] as number;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (start > bytes.length) throw fail("file is truncated inside its header");
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw fail(`cannot parse header ${header.trim()}`);
  if (fortran) throw fail("Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
  const reader = READERS[descr];
  if (!reader) throw fail(`dtype ${descr} is not supported (use one of ${Object.keys(READERS).join(", ")})`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const [width, read] = reader;
  if (start + count * width > bytes.length)
    throw fail(`file is truncated: need ${count * width} data bytes, got ${bytes.length - start}`);
  const data = descr === "<f8" ? new Float64Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(view, start + i * width);
  return new Tensor(shape, data);
}
