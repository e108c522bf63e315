// Running sums in place, the middle step of every counting sort here (counts → where each group
// starts): a[i + 1] += a[i]. A function of its own (see decimate.ts stage 1 on why such loops are).

export function prefixSums(a: Int32Array | Uint32Array): void {
  for (let i = 0; i + 1 < a.length; i++) a[i + 1] += a[i];
}
