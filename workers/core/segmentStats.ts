// One pass over a label layer gives every label value's voxel count and bounding box, so a segment's
// volume is known without meshing and each segment is meshed (and edited) on its box only. Workers
// split the pass over z ranges and the parts merge.
import type { CropBox } from './maskOps';
import type { Vec3 } from './types';

/** Counts and boxes of the 256 label values of one layer (value 0, the background, included). */
export interface LayerStats {
  /** voxels per value */
  counts: Float64Array;
  /** per value: minX, minY, minZ, maxX, maxY, maxZ (min > max when the value is absent) */
  boxes: Int32Array;
}

export function emptyStats(): LayerStats {
  const boxes = new Int32Array(256 * 6);
  for (let v = 0; v < 256; v++) boxes.set([0x7fffffff, 0x7fffffff, 0x7fffffff, -1, -1, -1], 6 * v);
  return { counts: new Float64Array(256), boxes };
}

/**
 * Counts and boxes of every value in slices [z0, z1) of `labels` (x fastest). Runs of equal values
 * along x are counted at once, so a layer of mostly background is read at memory speed.
 */
export function layerStats(labels: Uint8Array, dims: Vec3, zRange: [number, number] = [0, dims[2]]): LayerStats {
  const [nx, ny] = dims;
  const s = emptyStats();
  const { counts, boxes } = s;
  for (let k = zRange[0]; k < zRange[1]; k++)
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      let i = 0;
      while (i < nx) {
        const v = labels[row + i];
        let e = i + 1;
        while (e < nx && labels[row + e] === v) e++;
        counts[v] += e - i;
        if (v !== 0) {
          const b = 6 * v;
          if (i < boxes[b]) boxes[b] = i;
          if (j < boxes[b + 1]) boxes[b + 1] = j;
          if (k < boxes[b + 2]) boxes[b + 2] = k;
          if (e - 1 > boxes[b + 3]) boxes[b + 3] = e - 1;
          if (j > boxes[b + 4]) boxes[b + 4] = j;
          if (k > boxes[b + 5]) boxes[b + 5] = k;
        }
        i = e;
      }
    }
  return s;
}

/** The stats of a whole layer from those of its parts (e.g. z ranges counted by different workers). */
export function mergeStats(parts: LayerStats[]): LayerStats {
  const out = emptyStats();
  for (const p of parts) {
    for (let v = 0; v < 256; v++) {
      out.counts[v] += p.counts[v];
      for (let a = 0; a < 3; a++) {
        out.boxes[6 * v + a] = Math.min(out.boxes[6 * v + a], p.boxes[6 * v + a]);
        out.boxes[6 * v + 3 + a] = Math.max(out.boxes[6 * v + 3 + a], p.boxes[6 * v + 3 + a]);
      }
    }
  }
  return out;
}

/** The bounding box of `value` in `stats`, or null when the value has no voxel. */
export function valueBox(stats: LayerStats, value: number): CropBox | null {
  if (!stats.counts[value]) return null;
  const b = stats.boxes.subarray(6 * value, 6 * value + 6);
  return { min: [b[0], b[1], b[2]], max: [b[3], b[4], b[5]] };
}

/** `box` grown by `by` voxels on every side, clamped to the volume. */
export function growBox(box: CropBox, by: number | Vec3, dims: Vec3): CropBox {
  const g = typeof by === 'number' ? [by, by, by] : by;
  return {
    min: box.min.map((x, a) => Math.max(0, x - g[a])) as Vec3,
    max: box.max.map((x, a) => Math.min(dims[a] - 1, x + g[a])) as Vec3,
  };
}

/** Voxels of an inclusive box. */
export const boxVoxels = (b: CropBox): number => (b.max[0] - b.min[0] + 1) * (b.max[1] - b.min[1] + 1) * (b.max[2] - b.min[2] + 1);

/** The box's size per axis. */
export const boxDims = (b: CropBox): Vec3 => [b.max[0] - b.min[0] + 1, b.max[1] - b.min[1] + 1, b.max[2] - b.min[2] + 1];
