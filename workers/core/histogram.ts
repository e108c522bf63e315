// Intensity statistics of a volume: the exact count of every int16 value present, and what follows
// from it (a display histogram, percentiles, Otsu's threshold). Framework-free, no allocation per voxel.
//
// One pass over the voxels fills a counting table over the int16 domain (4 × 65 536 Int32, 1 MiB); everything
// else works on that table, so percentiles and Otsu are exact rather than binned approximations.

/** How many voxels hold each value: `counts[v - offset]`, for v from `offset` (the volume's minimum) to its maximum. */
export interface ValueCounts {
  /** smallest value present (the value of `counts[0]`) */
  offset: number;
  /** one entry per value from min to max inclusive; `counts[0]` and `counts[counts.length - 1]` are > 0 unless empty */
  counts: Uint32Array;
  /** number of voxels counted (the sum of counts) */
  total: number;
}

/**
 * A display histogram over integer values. Bin `i` holds the voxels with values in
 * `[min + i*binWidth, min + (i+1)*binWidth)`; `binWidth` is a whole number so every bin covers the same
 * number of integer values (no comb artefacts). The bins cover `min..max` inclusive; the last bin may
 * reach past `max` when the span is not a multiple of `binWidth`.
 */
export interface Histogram {
  min: number;
  max: number;
  binWidth: number;
  counts: Uint32Array;
}

const EMPTY: ValueCounts = { offset: 0, counts: new Uint32Array(0), total: 0 };

/** Exact count of every value in the data (one pass). Empty data gives an empty table at offset 0. */
export function valueCounts(data: Int16Array): ValueCounts {
  const n = data.length;
  if (n === 0) return { ...EMPTY, counts: new Uint32Array(0) };
  // Four interleaved sub-tables in one Int32Array: long runs of one value (air, padding) would
  // otherwise make every increment wait for the previous store to the same slot. Sub-table j holds
  // voxels i ≡ j (mod 4), indexed by v + 32768 (the int16 domain). Int32 stays in V8's fast integer
  // path; 2³¹ voxels per sub-table is far beyond any volume.
  const t = new Int32Array(4 * 65536);
  const end4 = n & ~3;
  for (let i = 0; i < end4; i += 4) {
    t[data[i] + 32768]++;
    t[data[i + 1] + 98304]++;
    t[data[i + 2] + 163840]++;
    t[data[i + 3] + 229376]++;
  }
  for (let i = end4; i < n; i++) t[data[i] + 32768]++;
  const sum = (v: number) => t[v] + t[v + 65536] + t[v + 131072] + t[v + 196608];
  let lo = 0;
  while (sum(lo) === 0) lo++;
  let hi = 65535;
  while (sum(hi) === 0) hi--;
  const counts = new Uint32Array(hi - lo + 1);
  for (let v = lo; v <= hi; v++) counts[v - lo] = sum(v);
  return { offset: lo - 32768, counts, total: n };
}

/** Smallest and largest value present ({0, 0} when empty). */
export function countsRange(vc: ValueCounts): { min: number; max: number } {
  return vc.counts.length ? { min: vc.offset, max: vc.offset + vc.counts.length - 1 } : { min: 0, max: 0 };
}

/**
 * Rebin a value table into at most `bins` bins of whole-number width covering `range` (default: the
 * data's min..max). Values outside `range` are not counted.
 */
export function histogramOf(vc: ValueCounts, bins = 256, range?: { min: number; max: number }): Histogram {
  const full = countsRange(vc);
  const min = Math.round(range ? Math.min(range.min, range.max) : full.min);
  const max = Math.round(range ? Math.max(range.min, range.max) : full.max);
  const span = max - min + 1;
  const binWidth = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(bins))));
  const out = new Uint32Array(Math.ceil(span / binWidth));
  const from = Math.max(min, vc.offset);
  const to = Math.min(max, vc.offset + vc.counts.length - 1);
  for (let v = from; v <= to; v++) out[((v - min) / binWidth) | 0] += vc.counts[v - vc.offset];
  return { min, max, binWidth, counts: out };
}

/** The display histogram of a volume's values (see `Histogram`): one counting pass, then a rebin. */
export function volumeHistogram(data: Int16Array, bins = 256, range?: { min: number; max: number }): Histogram {
  return histogramOf(valueCounts(data), bins, range);
}

/**
 * The value at cumulative fraction `p` (0…1): the smallest value v such that at least p·total voxels
 * are ≤ v. Exact (no interpolation needed: the table has every value). p ≤ 0 gives the minimum,
 * p ≥ 1 the maximum. Optional `from` restricts the population to values ≥ from (e.g. the foreground
 * above an Otsu cut).
 */
export function percentile(vc: ValueCounts, p: number, from?: number): number {
  const c = vc.counts;
  if (c.length === 0) return 0;
  const start = from === undefined ? 0 : Math.min(c.length - 1, Math.max(0, Math.ceil(from) - vc.offset));
  let total = 0;
  for (let i = start; i < c.length; i++) total += c[i];
  let i = start;
  // first non-empty value at or after `start` (p = 0 must give a value that is present)
  while (i < c.length - 1 && c[i] === 0) i++;
  if (total === 0) return vc.offset + start;
  const need = Math.min(1, Math.max(0, p)) * total;
  let cum = c[i];
  while (cum < need && i < c.length - 1) cum += c[++i];
  return vc.offset + i;
}

/**
 * Otsu's threshold, exact on the value table: the value t that maximises the between-class variance of
 * {values < t} and {values ≥ t}, so `{ lower: t }` selects the bright class. When the maximum is a
 * plateau (an empty gap between two populations) t is the middle of the gap. A single-valued (or empty)
 * table gives its only value.
 */
export function otsuThreshold(vc: ValueCounts): number {
  const c = vc.counts;
  const n = c.length;
  if (n < 2) return vc.offset;
  let N = 0;
  let S = 0;
  for (let i = 0; i < n; i++) {
    N += c[i];
    S += i * c[i];
  }
  // Between-class variance ∝ (S·n0 − N·s0)² / (n0·(N − n0)), with n0, s0 the count and index-sum of
  // values ≤ k. Indices (not values) keep the sums small; the variance is shift-invariant.
  let n0 = 0;
  let s0 = 0;
  let best = -1;
  let bestK = 0;
  for (let k = 0; k < n - 1; k++) {
    n0 += c[k];
    s0 += k * c[k];
    if (n0 === 0 || n0 === N) continue;
    const d = S * n0 - N * s0;
    const v = (d * d) / (n0 * (N - n0));
    if (v > best) {
      best = v;
      bestK = k;
    }
  }
  // Values after bestK with no voxels give the same split: centre the threshold in that gap.
  let k2 = bestK;
  while (k2 + 1 < n - 1 && c[k2 + 1] === 0) k2++;
  return vc.offset + Math.round((bestK + 1 + (k2 + 1)) / 2);
}
