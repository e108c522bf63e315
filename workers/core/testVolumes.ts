// Volumes for the core's tests: analytic shapes with partial-volume voxels, and adversarial masks.
import type { Vec3, Volume } from './types';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Smooth partial-volume HU from a signed distance (mm, negative inside): −1000 outside, +1000 inside. */
const pv = (d: number) => Math.round(-1000 + 2000 * Math.min(1, Math.max(0, 0.5 - d)));

export function volumeFrom(
  dims: Vec3,
  spacing: Vec3,
  signedDistance: (x: number, y: number, z: number) => number,
): Volume {
  const [nx, ny, nz] = dims;
  const data = new Int16Array(nx * ny * nz);
  const c = dims.map((n, a) => ((n - 1) / 2) * spacing[a]);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++)
        data[i + nx * (j + ny * k)] = pv(signedDistance(i * spacing[0] - c[0], j * spacing[1] - c[1], k * spacing[2] - c[2]));
  return { dims, spacing, origin: [0, 0, 0], direction: IDENTITY, data };
}

/** Binary volume (+1000 where `inside`, −1000 elsewhere) on a unit grid. */
export function binaryVolume(dims: Vec3, inside: (i: number, j: number, k: number) => boolean): Volume {
  const [nx, ny, nz] = dims;
  const data = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = inside(i, j, k) ? 1000 : -1000;
  return { dims, spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY, data };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export const BONE = { lower: 0, upper: 32767 };

/**
 * A rough ball in speckle (a noisy MR at a low threshold): single-voxel pieces that cannot go below
 * tetrahedra, so a decimation to a few per cent cannot reach its target.
 */
export function speckledBall(seed: number): Volume {
  const r = rng(seed);
  return binaryVolume([56, 56, 56], (i, j, k) => Math.hypot(i - 28, j - 28, k - 28) < 15 + 2 * r() || r() < 0.012);
}
