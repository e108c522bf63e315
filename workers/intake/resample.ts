// Uneven slice spacing → a regular grid: each output slice is interpolated linearly, along the
// stack's direction, between the two source slices around it. First and last slices are kept as
// they are, so the stack keeps its true extent and never moves.

/**
 * The regular step for slices at `positions` (mm along the stack, ascending, from 0): the median of
 * the finer half of the steps, so thin slices are not thrown away and a stray small gap does not
 * blow the grid up. Returns the slice count and the exact step that spans the stack.
 */
export function regularGrid(positions: number[]): { count: number; step: number } {
  const steps = positions.slice(1).map((p, i) => p - positions[i]).sort((a, b) => a - b);
  const finer = steps.slice(0, Math.max(1, Math.ceil(steps.length / 2)));
  const want = finer[finer.length >> 1];
  const length = positions[positions.length - 1] - positions[0];
  const count = Math.max(2, Math.round(length / want) + 1);
  return { count, step: length / (count - 1) };
}

/**
 * Fills `out` (count slices of `sliceSize` voxels, regularly `step` apart from positions[0]) from
 * `src` (one slice per position).
 */
export function resampleSlices(src: Int16Array, sliceSize: number, positions: number[], count: number, step: number, out: Int16Array): void {
  let k = 0;
  for (let z = 0; z < count; z++) {
    const t = positions[0] + z * step;
    while (k < positions.length - 2 && positions[k + 1] < t) k++;
    const span = positions[k + 1] - positions[k];
    const w = Math.min(1, Math.max(0, span > 0 ? (t - positions[k]) / span : 0));
    const a = k * sliceSize, b = (k + 1) * sliceSize, o = z * sliceSize;
    if (w === 0) out.set(src.subarray(a, a + sliceSize), o);
    else if (w === 1) out.set(src.subarray(b, b + sliceSize), o);
    else for (let i = 0; i < sliceSize; i++) out[o + i] = Math.round((1 - w) * src[a + i] + w * src[b + i]);
  }
}
