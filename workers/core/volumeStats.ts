import type { Volume } from './types';

/** Smallest and largest voxel value (one pass). */
export function valueRange(vol: Pick<Volume, 'data'>): { min: number; max: number } {
  const d = vol.data;
  let min = 32767;
  let max = -32768;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return d.length ? { min, max } : { min: 0, max: 0 };
}
