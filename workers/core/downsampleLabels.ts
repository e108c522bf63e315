// A coarse copy of a label layer for the live preview, on the grid downsampleVolume makes (blocks of
// f_i × f_j × f_k voxels): each coarse voxel takes the label most of its block holds, background
// included, so a segment keeps about its volume and thin parts thinner than half a block drop out.
import type { Vec3 } from './types';

export function downsampleLabels(labels: Uint8Array, dims: Vec3, f: Vec3, out?: Uint8Array): Uint8Array {
  const [nx, ny, nz] = dims;
  const [fx, fy, fz] = f;
  const mx = Math.ceil(nx / fx), my = Math.ceil(ny / fy), mz = Math.ceil(nz / fz);
  if (out && out.length !== mx * my * mz) throw new Error(`downsampleLabels: out holds ${out.length} voxels, the coarse grid ${mx * my * mz}`);
  out ??= new Uint8Array(mx * my * mz);
  const votes = new Uint16Array(256);
  const seen: number[] = [];
  for (let k = 0; k < mz; k++)
    for (let j = 0; j < my; j++)
      for (let i = 0; i < mx; i++) {
        for (let z = k * fz; z < Math.min(nz, (k + 1) * fz); z++)
          for (let y = j * fy; y < Math.min(ny, (j + 1) * fy); y++) {
            const row = nx * (y + ny * z);
            for (let x = i * fx; x < Math.min(nx, (i + 1) * fx); x++) {
              const v = labels[row + x];
              if (votes[v]++ === 0) seen.push(v);
            }
          }
        let best = 0, most = -1;
        for (const v of seen) {
          if (votes[v] > most || (votes[v] === most && v < best)) (most = votes[v]), (best = v);
          votes[v] = 0;
        }
        seen.length = 0;
        out[i + mx * (j + my * k)] = best;
      }
  return out;
}
