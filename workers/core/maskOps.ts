// The crop box (a voxel region of interest) that every mask stage respects, and small helpers over it.
// Convention for every stage that takes a crop: voxels outside the box are background (0) in its output,
// and for cavity filling the space outside the box counts as "outside" (reachable from the border).
import type { Vec3 } from './types';

/** Inclusive voxel index box: voxel (i,j,k) is inside when min[a] ≤ idx[a] ≤ max[a] on every axis. */
export interface CropBox {
  min: Vec3;
  max: Vec3;
}

/** The box covering the whole volume. */
export function fullCrop(dims: Vec3): CropBox {
  return { min: [0, 0, 0], max: [dims[0] - 1, dims[1] - 1, dims[2] - 1] };
}

/**
 * `crop` limited to the volume: per axis the two bounds are ordered (a box dragged from either corner
 * works), fractional bounds shrink inwards to whole voxels, and each is clamped to [0, n−1]. A box lying
 * entirely outside the volume comes back empty (min > max on some axis; see cropIsEmpty). Absent → full.
 */
export function clampCrop(crop: CropBox | undefined, dims: Vec3): CropBox {
  if (!crop) return fullCrop(dims);
  const min: Vec3 = [0, 0, 0], max: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const lo = Math.min(crop.min[a], crop.max[a]), hi = Math.max(crop.min[a], crop.max[a]);
    min[a] = Math.max(0, Math.ceil(lo));
    max[a] = Math.min(dims[a] - 1, Math.floor(hi));
    if (min[a] > max[a]) {
      // empty on this axis: a canonical empty box inside the index range
      min[a] = 0;
      max[a] = -1;
    }
  }
  return { min, max };
}

export const cropIsEmpty = (c: CropBox): boolean => c.min[0] > c.max[0] || c.min[1] > c.max[1] || c.min[2] > c.max[2];

export const isFullCrop = (c: CropBox, dims: Vec3): boolean =>
  c.min[0] === 0 && c.min[1] === 0 && c.min[2] === 0 && c.max[0] === dims[0] - 1 && c.max[1] === dims[1] - 1 && c.max[2] === dims[2] - 1;

/** Voxels inside a clamped crop box. */
export const cropVoxelCount = (c: CropBox): number =>
  cropIsEmpty(c) ? 0 : (c.max[0] - c.min[0] + 1) * (c.max[1] - c.min[1] + 1) * (c.max[2] - c.min[2] + 1);

/**
 * Sets to 0 every voxel of slices [zRange[0], zRange[1]) that lies outside `crop` (already clamped), in
 * place, with one contiguous fill per gap. Workers splitting z write only their own slices.
 */
export function zeroOutsideCrop(mask: Uint8Array, dims: Vec3, crop: CropBox, zRange: [number, number] = [0, dims[2]]): void {
  const [nx, ny] = dims;
  const slice = nx * ny;
  const z0 = Math.max(0, zRange[0]), z1 = Math.min(dims[2], zRange[1]);
  if (cropIsEmpty(crop)) {
    if (z1 > z0) mask.fill(0, z0 * slice, z1 * slice);
    return;
  }
  const [x0, y0, cz0] = crop.min, [x1, y1, cz1] = crop.max;
  for (let k = z0; k < z1; k++) {
    const s = k * slice;
    if (k < cz0 || k > cz1) {
      mask.fill(0, s, s + slice);
      continue;
    }
    // from the slice start to the first kept voxel, between rows, and from the last kept voxel on
    let from = s;
    for (let j = y0; j <= y1; j++) {
      const row = s + j * nx;
      mask.fill(0, from, row + x0);
      from = row + x1 + 1;
    }
    mask.fill(0, from, s + slice);
  }
}

/** Smallest voxel count whose volume (with this spacing, mm) is at least `mm3`. */
export function mm3ToVoxels(mm3: number, spacing: Vec3): number {
  const v = spacing[0] * spacing[1] * spacing[2];
  return Math.max(0, Math.ceil(mm3 / v - 1e-9));
}
