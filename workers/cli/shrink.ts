// dicom2stl's shrink (--enable shrink): the volume reduced to at most 256 voxels along each axis by
// integer factors ceil(size / 256) ("The volume is shrunk to 256 cubed or less for speed and polygon
// count reasons", its README). dicom2stl's sitk.Shrink keeps one voxel of each block; here each block
// is averaged (workers/core/downsample.ts, the app's "half resolution"), which keeps thin structures
// better, and the grid keeps its place in patient space.
import { sharedBytes } from '../core/sharedMemory';
import type { Vec3, Volume, VolumeGeometry } from '../core/types';

const MAX_SIZE = 256;

/** dicom2stl's shrink factors for a volume of `dims`; null when it is already small enough. */
export function shrinkFactors(dims: Vec3): Vec3 | null {
  const f = dims.map((n) => Math.ceil(n / MAX_SIZE)) as Vec3;
  return f[0] + f[1] + f[2] > 3 ? f : null;
}

/** What shrinks a volume: a worker's meshApi.downsample (block averages into shared memory). */
export interface ShrinkWorker {
  downsample(vol: Volume, f: Vec3, out: Int16Array): VolumeGeometry | Promise<VolumeGeometry>;
}

/** The volume shrunk by dicom2stl's factors (a new shared volume), or the same volume when small enough. */
export async function shrinkVolume(worker: ShrinkWorker, vol: Volume): Promise<Volume> {
  const f = shrinkFactors(vol.dims);
  if (!f) return vol;
  const n = vol.dims.reduce((p, d, a) => p * Math.ceil(d / f[a]), 1);
  const data = new Int16Array(sharedBytes(2 * n));
  const g = await worker.downsample(vol, f, data);
  return { ...g, data };
}
