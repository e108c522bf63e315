import type { ThresholdRange, Volume } from './types';

/**
 * mask[v] = 1 where lower ≤ value ≤ upper, else 0. `zRange` limits the work to slices [z0, z1) so
 * workers can split it; `out` (e.g. shared memory) is written in place.
 */
export function thresholdMask(
  vol: Pick<Volume, 'data' | 'dims'>,
  range: ThresholdRange,
  out: Uint8Array = new Uint8Array(vol.data.length),
  zRange: [number, number] = [0, vol.dims[2]],
): Uint8Array {
  const slice = vol.dims[0] * vol.dims[1];
  const d = vol.data;
  const lo = range.lower;
  const hi = range.upper;
  const end = zRange[1] * slice;
  for (let i = zRange[0] * slice; i < end; i++) {
    const v = d[i];
    out[i] = v >= lo && v <= hi ? 1 : 0;
  }
  return out;
}
