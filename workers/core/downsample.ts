// A coarse copy of a volume for live previews: block averages of f_i × f_j × f_k voxels, placed at
// the blocks' centres so the coarse surface sits where the full one does.
import type { Vec3, Volume } from './types';

/** Integer factors per axis that bring the volume under `maxVoxels`, coarsening the finest axes first. */
export function previewFactors(vol: Pick<Volume, 'dims' | 'spacing'>, maxVoxels: number): Vec3 {
  const f: Vec3 = [1, 1, 1];
  const count = () => vol.dims.reduce((p, n, a) => p * Math.ceil(n / f[a]), 1);
  while (count() > maxVoxels) {
    // grow the factor of the axis whose coarse spacing is smallest
    let a = 0;
    for (let b = 1; b < 3; b++) if (vol.spacing[b] * f[b] < vol.spacing[a] * f[a] && vol.dims[b] > f[b]) a = b;
    f[a]++;
  }
  return f;
}

/** `out` (e.g. shared memory) receives the voxels when given; it must hold the coarse grid exactly. */
export function downsampleVolume(vol: Volume, f: Vec3, out?: Int16Array): Volume {
  const [nx, ny, nz] = vol.dims;
  const [fx, fy, fz] = f;
  const mx = Math.ceil(nx / fx), my = Math.ceil(ny / fy), mz = Math.ceil(nz / fz);
  const sum = new Float64Array(mx * my);
  const count = new Uint32Array(mx * my);
  if (out && out.length !== mx * my * mz) throw new Error(`downsample: out holds ${out.length} voxels, the coarse grid ${mx * my * mz}`);
  out ??= new Int16Array(mx * my * mz);
  const src = vol.data;
  for (let k = 0; k < mz; k++) {
    sum.fill(0);
    count.fill(0);
    for (let z = k * fz; z < Math.min(nz, (k + 1) * fz); z++)
      for (let y = 0; y < ny; y++) {
        const row = ((y / fy) | 0) * mx;
        const base = nx * (y + ny * z);
        for (let x = 0; x < nx; x++) {
          const c = row + ((x / fx) | 0);
          sum[c] += src[base + x];
          count[c]++;
        }
      }
    const o = k * mx * my;
    for (let c = 0; c < mx * my; c++) out[o + c] = Math.round(sum[c] / count[c]);
  }
  // The centre of block (0,0,0) is half a block minus half a voxel along each axis from voxel 0's.
  const d = vol.direction;
  const shift = [0, 1, 2].map((a) => ((Math.min(f[a], vol.dims[a]) - 1) / 2) * vol.spacing[a]);
  const origin: Vec3 = [0, 1, 2].map((c) => vol.origin[c] + shift[0] * d[c] + shift[1] * d[3 + c] + shift[2] * d[6 + c]) as Vec3;
  return {
    dims: [mx, my, mz],
    spacing: [vol.spacing[0] * fx, vol.spacing[1] * fy, vol.spacing[2] * fz],
    origin,
    direction: [...d],
    data: out,
  };
}
