// Four-lane loads and stores for loops over a row of any length: whole vectors, then the last 1-3
// columns one at a time, each splat to every lane so the tail runs the same lane arithmetic as the
// vectors. Every element is then computed the same way wherever a shard's row boundaries fall.

/** Four floats at p, or one float splat to every lane. */
export function ld(p: usize, full: bool): v128 {
  return full ? v128.load(p) : f32x4.splat(load<f32>(p));
}

/** Stores four floats at p, or lane 0 alone. */
export function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** Adds v to the floats at p (four, or one). */
export function addTo(p: usize, v: v128, full: bool): void {
  st(p, f32x4.add(ld(p, full), v), full);
}
