// Copies and fills as SIMD loops. On shared memory V8 runs memory.copy and memory.fill as calls
// into the runtime that move data in small relaxed-atomic pieces, far slower than these loops for
// the row-sized blocks the kernels move at every step. Sizes are whole floats (multiples of 4 bytes).

/** bytes [0, n) at dst ← the same bytes at src (the ranges do not overlap). */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < n; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

/** bytes [0, n) at dst ← 0. */
export function zeroBytes(dst: usize, n: usize): void {
  const z = i32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= n; o += 16) v128.store(dst + o, z);
  for (; o < n; o += 4) store<i32>(dst + o, 0);
}
