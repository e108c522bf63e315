import { clampCrop, cropIsEmpty, isFullCrop, zeroOutsideCrop, type CropBox } from './maskOps';
import type { ThresholdRange, Volume } from './types';

export type { CropBox } from './maskOps';

/**
 * mask[v] = 1 where lower ≤ value ≤ upper (and v lies inside `crop`, when given), else 0. `zRange` limits
 * the work to slices [z0, z1) so workers can split it; `out` (e.g. shared memory) is written in place,
 * every voxel of those slices included (outside the crop box they are set to 0).
 */
export function thresholdMask(
  vol: Pick<Volume, 'data' | 'dims'>,
  range: ThresholdRange,
  out: Uint8Array = new Uint8Array(vol.data.length),
  zRange: [number, number] = [0, vol.dims[2]],
  crop?: CropBox,
): Uint8Array {
  const [nx, ny] = vol.dims;
  const slice = nx * ny;
  const d = vol.data;
  // Integer bounds (data are integers) clamped to just outside the int16 range, so that
  // (v − lo) | (hi − v) is an int32 whose sign bit says "outside": no branch per voxel.
  let lo = Math.min(32768, Math.max(-32769, Math.ceil(range.lower)));
  let hi = Math.min(32768, Math.max(-32769, Math.floor(range.upper)));
  if (Number.isNaN(lo) || Number.isNaN(hi)) (lo = 32768), (hi = -32769); // a NaN bound selects nothing
  const box = crop && clampCrop(crop, vol.dims);
  if (!box || isFullCrop(box, vol.dims)) {
    const end = zRange[1] * slice;
    for (let i = zRange[0] * slice; i < end; i++) {
      const v = d[i];
      out[i] = (((v - lo) | (hi - v)) >>> 31) ^ 1;
    }
    return out;
  }
  zeroOutsideCrop(out, vol.dims, box, zRange);
  if (cropIsEmpty(box)) return out;
  const z0 = Math.max(zRange[0], box.min[2]), z1 = Math.min(zRange[1], box.max[2] + 1);
  const [x0, y0] = box.min, [x1, y1] = box.max;
  for (let k = z0; k < z1; k++) {
    for (let j = y0; j <= y1; j++) {
      const row = k * slice + j * nx;
      const end = row + x1;
      for (let i = row + x0; i <= end; i++) {
        const v = d[i];
        out[i] = (((v - lo) | (hi - v)) >>> 31) ^ 1;
      }
    }
  }
  return out;
}
