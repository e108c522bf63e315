// dicom2stl's median filter for its soft-tissue and fat presets: each voxel becomes the median of the
// 3 × 3 voxels around it in its own slice ("a 3x3x1 median filter. I only use 1 in the Z direction so
// it's not so slow", dicom2stl/Dicom2STL.py). Borders repeat the edge voxel, as ITK's
// MedianImageFilter does (zero-flux Neumann boundary). Here it runs on the scan's values, in place on
// the shared int16 volume, slice by slice:
//   copy the slice → sort each column of 3 rows → per voxel, median of the 3 sorted columns.
// Slices are independent, so any split of the slices over workers gives the same volume bit for bit.
//
// What dicom2stl's code actually runs differs from its comment: sitk.Median(img, [3, 3, 1]) passes a
// radius, i.e. a 7 × 7 × 3 window, and it is applied to the binary image after the double threshold.
// This 3 × 3 × 1 median on the values is the filter the comment (and issue 14) describes.
import { splitRange } from './split';
import type { Vec3, Volume } from './types';

/** What one worker offers the filter (meshApi.medianSlices). Results may be promises (comlink). */
export interface MedianWorker {
  medianSlices(data: Int16Array, dims: Vec3, zRange: [number, number]): unknown;
}

/** Median of three. */
const med3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/**
 * Replaces slices [z0, z1) of `data` (x fastest, `dims` = [nx, ny, nz]) by their 3 × 3 in-plane
 * median, in place. Only those slices are read or written.
 *
 * The median of 9 is med3(max of the columns' minima, med3 of their middles, min of their maxima) once
 * each column of 3 is sorted; a column is sorted once per row and shared by the 3 windows over it.
 */
export function medianSlices(data: Int16Array, dims: Vec3, zRange: [number, number]): void {
  const [nx, ny] = dims;
  const plane = nx * ny;
  const slice = new Int16Array(plane);
  const lo = new Int16Array(nx), mid = new Int16Array(nx), hi = new Int16Array(nx);
  for (let z = zRange[0]; z < zRange[1]; z++) {
    const base = z * plane;
    slice.set(data.subarray(base, base + plane));
    for (let y = 0; y < ny; y++) {
      const above = nx * Math.max(0, y - 1), row = nx * y, below = nx * Math.min(ny - 1, y + 1);
      // sort each column (rows y − 1, y, y + 1, edges repeated)
      for (let x = 0; x < nx; x++) {
        let a = slice[above + x], b = slice[row + x], c = slice[below + x], t: number;
        if (a > b) (t = a), (a = b), (b = t);
        if (b > c) (t = b), (b = c), (c = t);
        if (a > b) (t = a), (a = b), (b = t);
        lo[x] = a;
        mid[x] = b;
        hi[x] = c;
      }
      const out = base + row;
      for (let x = 0; x < nx; x++) {
        const l = x > 0 ? x - 1 : 0, r = x < nx - 1 ? x + 1 : nx - 1;
        const maxLo = Math.max(lo[l], lo[x], lo[r]);
        const medMid = med3(mid[l], mid[x], mid[r]);
        const minHi = Math.min(hi[l], hi[x], hi[r]);
        data[out + x] = med3(maxLo, medMid, minHi);
      }
    }
  }
}

/** Slices per task: several tasks per worker, so a worker that finishes early takes more. */
const TASKS_PER_WORKER = 4;

/** The 3 × 3 × 1 median of the whole volume, in place, its slices shared out over `workers`. */
export async function medianFilter(workers: MedianWorker[], vol: Volume): Promise<void> {
  if (workers.length === 0) throw new Error('medianFilter needs at least one worker');
  const tasks = splitRange(vol.dims[2], workers.length * TASKS_PER_WORKER);
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < tasks.length) await w.medianSlices(vol.data, vol.dims, tasks[next++]);
    }),
  );
}
