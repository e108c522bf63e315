// Curvature anisotropic diffusion: ITK's CurvatureAnisotropicDiffusionImageFilter (the modified
// curvature diffusion equation, MCDE, of Whitaker and Xu), as dicom2stl's `-a` runs it:
// sitk.CurvatureAnisotropicDiffusion(img, 0.03) on the scan cast to float32, then cast back (dicom2stl/
// Dicom2STL.py). SimpleITK's defaults fill in the rest: conductance 3, the conductance rescaled every
// iteration, 5 iterations. Smooths noise in flat regions and keeps edges where they are:
//
//   f_t = |∇f| ∇·( c(|∇f|) ∇f/|∇f| ),   c(g) = exp(−g² / (2 · conductance² · mean |∇f|²))
//
// Stages, each a pass over z ranges of shared memory so a pool of workers splits it:
//   load (int16 → float32) → per iteration: gradient (mean |∇f|² from per-slice sums, the sums added in
//   slice order) and step (f += dt · update, into a second buffer) → store (float32 → int16, truncated
//   toward zero as SimpleITK's Cast does).
// The arithmetic follows ITK's CurvatureNDAnisotropicDiffusionFunction::ComputeUpdate term by term
// (derivatives scaled by 1/spacing, borders repeating the edge voxel, the image held in float32
// between iterations). Every voxel's result depends only on the previous iteration and the slice sums,
// never on how the slices were split, so any number of workers gives the same volume bit for bit.
import { splitRange } from './split';
import { sharedBytes } from './sharedMemory';
import type { Vec3, Volume } from './types';

export interface DiffusionParams {
  /** time step of the explicit scheme (ITK: stable below min spacing / 2^(N+1), i.e. / 16 in 3D) */
  timeStep: number;
  /** conductance parameter: higher diffuses more readily across gradients */
  conductance: number;
  iterations: number;
  /** recompute mean |∇f|² (the conductance scale) every this many iterations */
  conductanceScalingUpdateInterval: number;
}

/** dicom2stl's call: time step 0.03, and SimpleITK's defaults for the rest. */
export const DICOM2STL_DIFFUSION: DiffusionParams = { timeStep: 0.03, conductance: 3, iterations: 5, conductanceScalingUpdateInterval: 1 };

/** What one worker offers the filter (meshApi.diffusion*). Results may be promises (comlink). */
export interface DiffusionWorker {
  diffusionLoad(src: Int16Array, f: Float32Array, dims: Vec3, zRange: [number, number]): unknown;
  diffusionGradient(f: Float32Array, dims: Vec3, spacing: Vec3, zRange: [number, number]): Float64Array | Promise<Float64Array>;
  diffusionStep(f: Float32Array, out: Float32Array, dims: Vec3, spacing: Vec3, k: number, dt: number, zRange: [number, number]): unknown;
  diffusionStore(f: Float32Array, dst: Int16Array, dims: Vec3, zRange: [number, number]): unknown;
}

const fr = Math.fround;
/** ITK's m_MIN_NORM: keeps |∇f| away from 0 in the normalisation. */
const MIN_NORM = 1e-10;

/** Slices [z0, z1) of the int16 volume into float32. */
export function diffusionLoad(src: Int16Array, f: Float32Array, dims: Vec3, zRange: [number, number]): void {
  const plane = dims[0] * dims[1];
  for (let p = zRange[0] * plane, e = zRange[1] * plane; p < e; p++) f[p] = src[p];
}

/**
 * Σ |∇f|² over each slice of [z0, z1) (central differences scaled by 1/spacing, edges repeated), one
 * sum per slice: ITK's CalculateAverageGradientMagnitudeSquared, before dividing by the voxel count.
 */
export function diffusionGradient(f: Float32Array, dims: Vec3, spacing: Vec3, zRange: [number, number]): Float64Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const sx = 1 / spacing[0], sy = 1 / spacing[1], sz = 1 / spacing[2];
  const sums = new Float64Array(zRange[1] - zRange[0]);
  for (let z = zRange[0]; z < zRange[1]; z++) {
    const zm = z > 0 ? -plane : 0, zp = z < nz - 1 ? plane : 0;
    let sum = 0;
    for (let y = 0; y < ny; y++) {
      const ym = y > 0 ? -nx : 0, yp = y < ny - 1 ? nx : 0;
      const row = z * plane + y * nx;
      for (let x = 0; x < nx; x++) {
        const c = row + x;
        const xm = x > 0 ? -1 : 0, xp = x < nx - 1 ? 1 : 0;
        const gx = ((f[c + xp] - f[c + xm]) / -2) * sx;
        const gy = ((f[c + yp] - f[c + ym]) / -2) * sy;
        const gz = ((f[c + zp] - f[c + zm]) / -2) * sz;
        sum += gx * gx + gy * gy + gz * gz;
      }
    }
    sums[z - zRange[0]] = sum;
  }
  return sums;
}

/** ITK's conductance term K (a float32, negative) from the mean squared gradient magnitude. */
export const conductanceK = (meanGradientSq: number, conductance: number): number => fr(meanGradientSq * conductance * conductance * -2);

/** Central difference (f[a] − f[b]) / 2 as ITK's float inner product computes it. */
const half = (fa: number, fb: number) => fr(0.5 * fa - 0.5 * fb);

/**
 * One explicit step over slices [z0, z1): out = f + dt · update(f), with ITK's MCDE update at every
 * voxel (its 18-neighbourhood: face and edge neighbours, edges repeated). Reads `f` anywhere, writes
 * only those slices of `out`.
 */
export function diffusionStep(f: Float32Array, out: Float32Array, dims: Vec3, spacing: Vec3, k: number, dt: number, zRange: [number, number]): void {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const sc = [1 / spacing[0], 1 / spacing[1], 1 / spacing[2]];
  // offsets to the neighbours − and + along each axis (0 at the border: the edge voxel repeats)
  const om = [0, 0, 0], op = [0, 0, 0];
  const dxF = [0, 0, 0], dxB = [0, 0, 0], dx = [0, 0, 0];
  for (let z = zRange[0]; z < zRange[1]; z++) {
    om[2] = z > 0 ? -plane : 0;
    op[2] = z < nz - 1 ? plane : 0;
    for (let y = 0; y < ny; y++) {
      om[1] = y > 0 ? -nx : 0;
      op[1] = y < ny - 1 ? nx : 0;
      const row = z * plane + y * nx;
      for (let x = 0; x < nx; x++) {
        om[0] = x > 0 ? -1 : 0;
        op[0] = x < nx - 1 ? 1 : 0;
        const c = row + x;
        const fc = f[c];
        for (let i = 0; i < 3; i++) {
          const fp = f[c + op[i]], fm = f[c + om[i]];
          dxF[i] = fr(fp - fc) * sc[i];
          dxB[i] = fr(fc - fm) * sc[i];
          dx[i] = half(fp, fm) * sc[i];
        }
        let speed = 0;
        for (let i = 0; i < 3; i++) {
          let g = dxF[i] * dxF[i];
          let gd = dxB[i] * dxB[i];
          for (let j = 0; j < 3; j++) {
            if (j === i) continue;
            // the derivative along j one voxel forward (aug) and back (dim) along i
            const a = c + op[i], d = c + om[i];
            const aug = half(f[a + op[j]], f[a + om[j]]) * sc[j];
            const dim = half(f[d + op[j]], f[d + om[j]]) * sc[j];
            g += 0.25 * (dx[j] + aug) * (dx[j] + aug);
            gd += 0.25 * (dx[j] + dim) * (dx[j] + dim);
          }
          const cx = k === 0 ? 0 : Math.exp(g / k);
          const cxd = k === 0 ? 0 : Math.exp(gd / k);
          speed += (dxF[i] / Math.sqrt(MIN_NORM + g)) * cx - (dxB[i] / Math.sqrt(MIN_NORM + gd)) * cxd;
        }
        // upwind gradient magnitude
        let prop = 0;
        for (let i = 0; i < 3; i++) {
          const b = dxB[i], fw = dxF[i];
          prop += speed > 0 ? Math.min(b, 0) ** 2 + Math.max(fw, 0) ** 2 : Math.max(b, 0) ** 2 + Math.min(fw, 0) ** 2;
        }
        const update = fr(Math.sqrt(prop) * speed);
        out[c] = fc + fr(update * dt);
      }
    }
  }
}

/** Slices [z0, z1) back to int16: truncated toward zero (C++ static_cast, as sitk.Cast), clamped. */
export function diffusionStore(f: Float32Array, dst: Int16Array, dims: Vec3, zRange: [number, number]): void {
  const plane = dims[0] * dims[1];
  for (let p = zRange[0] * plane, e = zRange[1] * plane; p < e; p++) dst[p] = Math.max(-32768, Math.min(32767, Math.trunc(f[p])));
}

/** Slices per task: several tasks per worker, so a worker that finishes early takes more. */
const TASKS_PER_WORKER = 4;

/** Runs `task` over every z range, each worker taking the next range when free; results in range order. */
async function overSlices<R>(workers: DiffusionWorker[], nz: number, task: (w: DiffusionWorker, z: [number, number]) => R | Promise<R>): Promise<R[]> {
  const ranges = splitRange(nz, workers.length * TASKS_PER_WORKER);
  const results = new Array<R>(ranges.length);
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < ranges.length) {
        const i = next++;
        results[i] = await task(w, ranges[i]);
      }
    }),
  );
  return results;
}

/** The whole filter over `workers`, in place on `vol.data`. Returns notes for the user (an unstable time step). */
export async function curvatureDiffusion(
  workers: DiffusionWorker[],
  vol: Volume,
  params: DiffusionParams = DICOM2STL_DIFFUSION,
  onIteration?: (done: number, total: number) => void,
): Promise<string[]> {
  if (workers.length === 0) throw new Error('curvatureDiffusion needs at least one worker');
  const { dims, spacing } = vol;
  const nz = dims[2];
  const n = vol.data.length;
  const notes: string[] = [];
  const stable = Math.min(...spacing) / 16;
  if (params.timeStep > stable)
    notes.push(`anisotropic diffusion: time step ${params.timeStep} is above ITK's stable limit for ${Math.min(...spacing).toFixed(3)} mm voxels (${stable.toFixed(4)}); ITK warns and runs it as given, so does this`);
  let f = new Float32Array(sharedBytes(4 * n));
  let g = new Float32Array(sharedBytes(4 * n));
  await overSlices(workers, nz, (w, z) => w.diffusionLoad(vol.data, f, dims, z));
  let k = 0;
  for (let it = 0; it < params.iterations; it++) {
    if (it % params.conductanceScalingUpdateInterval === 0) {
      const sums = await overSlices(workers, nz, (w, z) => w.diffusionGradient(f, dims, spacing, z));
      let total = 0;
      for (const s of sums) for (const v of s) total += v;
      k = conductanceK(total / n, params.conductance);
    }
    const from = f, to = g;
    await overSlices(workers, nz, (w, z) => w.diffusionStep(from, to, dims, spacing, k, params.timeStep, z));
    [f, g] = [g, f];
    onIteration?.(it + 1, params.iterations);
  }
  await overSlices(workers, nz, (w, z) => w.diffusionStore(f, vol.data, dims, z));
  return notes;
}
