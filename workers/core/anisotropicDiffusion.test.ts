import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conductanceK, curvatureDiffusion, DICOM2STL_DIFFUSION, diffusionGradient, diffusionLoad, diffusionStep } from './anisotropicDiffusion';
import { sharedBytes } from './sharedMemory';
import type { Vec3, Volume } from './types';
import { meshApi } from '../meshApi';
import { createNodePool } from '../nodePool';

const volumeOf = (dims: Vec3, spacing: Vec3, at: (x: number, y: number, z: number) => number): Volume => {
  const data = new Int16Array(sharedBytes(2 * dims[0] * dims[1] * dims[2]));
  for (let z = 0, p = 0; z < dims[2]; z++) for (let y = 0; y < dims[1]; y++) for (let x = 0; x < dims[0]; x++) data[p++] = Math.round(at(x, y, z));
  return { dims, spacing, origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
};

/** Reproducible Gaussian noise (xorshift32 + Box–Muller). */
function gaussian(seed: number) {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const std = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

// A CT-like step: 0 HU (σ 30 noise) for x < 20, 1000 HU beyond; 0.8 × 0.8 × 2 mm voxels.
const DIMS: Vec3 = [40, 32, 12];
const SPACING: Vec3 = [0.8, 0.8, 2];
const EDGE = 19.5;
const noisyStep = (seed: number) => {
  const n = gaussian(seed);
  return volumeOf(DIMS, SPACING, (x) => (x < 20 ? 0 : 1000) + 30 * n());
};
const inFlat = (vol: Volume, x0: number, x1: number) => {
  const [nx, ny, nz] = vol.dims;
  const out: number[] = [];
  for (let z = 1; z < nz - 1; z++) for (let y = 1; y < ny - 1; y++) for (let x = x0; x < x1; x++) out.push(vol.data[x + nx * (y + ny * z)]);
  return out;
};
/** Where each row crosses 500 HU (linear interpolation), averaged over the rows. */
function edgePosition(vol: Volume): number {
  const [nx, ny, nz] = vol.dims;
  let sum = 0, rows = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 12; x < 28; x++) {
        const a = vol.data[row + x], b = vol.data[row + x + 1];
        if (a < 500 && b >= 500) {
          sum += x + (500 - a) / (b - a);
          rows++;
          break;
        }
      }
    }
  return sum / rows;
}

test("dicom2stl's parameters: time step 0.03, conductance 3, 5 iterations, rescaled every iteration", () => {
  assert.deepEqual(DICOM2STL_DIFFUSION, { timeStep: 0.03, conductance: 3, iterations: 5, conductanceScalingUpdateInterval: 1 });
  // K = −2 · conductance² · mean|∇f|², held as a float32 as in ITK
  assert.equal(conductanceK(100, 3), -1800);
  assert.equal(conductanceK(0.1, 3), Math.fround(0.1 * 9 * -2));
});

test('noise in flat regions is smoothed; the edge moves less than a hundredth of a voxel (σ 30 → 8 HU)', async () => {
  const vol = noisyStep(5);
  const before = { low: std(inFlat(vol, 2, 14)), high: std(inFlat(vol, 26, 38)), edge: edgePosition(vol) };
  assert.ok(Math.abs(before.edge - EDGE) < 0.1, `edge before: ${before.edge}`);
  await curvatureDiffusion([meshApi], vol);
  const after = { low: std(inFlat(vol, 2, 14)), high: std(inFlat(vol, 26, 38)), edge: edgePosition(vol) };
  assert.ok(after.low < 0.35 * before.low, `σ below the edge: ${before.low.toFixed(1)} → ${after.low.toFixed(1)}`);
  assert.ok(after.high < 0.35 * before.high, `σ above the edge: ${before.high.toFixed(1)} → ${after.high.toFixed(1)}`);
  assert.ok(Math.abs(after.edge - before.edge) < 0.01, `edge ${before.edge.toFixed(3)} → ${after.edge.toFixed(3)}`);
  // the levels stay: means within a few HU of 0 and 1000
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean(inFlat(vol, 2, 14))) < 5 && Math.abs(mean(inFlat(vol, 26, 38)) - 1000) < 5);
});

test('a constant volume stays exactly constant, and a linear ramp is unchanged away from the border', () => {
  const dims: Vec3 = [12, 10, 8];
  for (const [at, interior] of [
    [() => 250, false],
    [(x: number, y: number, z: number) => 3 * x - 2 * y + 5 * z, true],
  ] as const) {
    const vol = volumeOf(dims, [1, 1.5, 2], at);
    const n = vol.data.length;
    const f = new Float32Array(n), g = new Float32Array(n);
    diffusionLoad(vol.data, f, dims, [0, dims[2]]);
    const mean = diffusionGradient(f, dims, vol.spacing, [0, dims[2]]).reduce((a, b) => a + b, 0) / n;
    diffusionStep(f, g, dims, vol.spacing, conductanceK(mean, 3), 0.03, [0, dims[2]]);
    for (let z = 0, p = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++, p++) {
          const inside = x > 0 && y > 0 && z > 0 && x < dims[0] - 1 && y < dims[1] - 1 && z < dims[2] - 1;
          if (!interior || inside) assert.equal(g[p], f[p], `voxel ${x},${y},${z}`);
        }
  }
});

test('split over 2 worker threads (and 3 in-process workers) equals one thread bit for bit', async () => {
  const reference = noisyStep(9);
  await curvatureDiffusion([meshApi], reference);
  const three = noisyStep(9);
  await curvatureDiffusion([meshApi, meshApi, meshApi], three);
  assert.deepEqual(three.data, reference.data, '3 in-process workers');
  const pool = createNodePool(2);
  try {
    const vol = noisyStep(9);
    const iterations: number[] = [];
    await curvatureDiffusion(pool.workers, vol, DICOM2STL_DIFFUSION, (done) => iterations.push(done));
    assert.deepEqual(vol.data, reference.data);
    assert.deepEqual(iterations, [1, 2, 3, 4, 5]);
  } finally {
    await pool.close();
  }
});

test('a time step above the stable limit is run as ITK runs it, with a note', async () => {
  const vol = volumeOf([8, 8, 4], [0.4, 0.4, 1], () => 7);
  const notes = await curvatureDiffusion([meshApi], vol);
  assert.match(notes.join(), /time step 0\.03 is above ITK's stable limit for 0\.400 mm voxels \(0\.0250\)/);
  assert.ok(vol.data.every((v) => v === 7));
});
