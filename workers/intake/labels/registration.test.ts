import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../core/testVolumes';
import type { Vec3, VolumeGeometry } from '../../core/types';
import { importLabelFile } from './importLabels';
import { gridMapping } from './registration';
import { niftiBytes, nrrdBytes } from './testFiles';

// The scan: LPS, anisotropic, off-origin.
const scan: VolumeGeometry = { dims: [12, 10, 8], spacing: [0.8, 0.7, 2], origin: [-5, 20, -100], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

const centreOf = (g: VolumeGeometry, i: number, j: number, k: number): Vec3 =>
  [0, 1, 2].map((r) => g.origin[r] + i * g.spacing[0] * g.direction[r] + j * g.spacing[1] * g.direction[3 + r] + k * g.spacing[2] * g.direction[6 + r]) as Vec3;

/** Random labels 0–5 on a grid. */
function randomLabels(g: VolumeGeometry, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: g.dims[0] * g.dims[1] * g.dims[2] }, () => (r() < 0.3 ? 0 : 1 + Math.floor(r() * 5)));
}

/**
 * What each scan voxel should get, by brute force: the label of the source voxel whose centre is
 * nearest to the scan voxel's centre, when that centre lies within the source grid's extent.
 */
function expected(src: VolumeGeometry, labels: Uint8Array): Uint8Array {
  const [nx, ny, nz] = scan.dims, [sx, sy, sz] = src.dims;
  const out = new Uint8Array(nx * ny * nz);
  const centres: Vec3[] = [];
  for (let k = 0; k < sz; k++) for (let j = 0; j < sy; j++) for (let i = 0; i < sx; i++) centres.push(centreOf(src, i, j, k));
  for (let k = 0, p = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, p++) {
        const c = centreOf(scan, i, j, k);
        let best = 0, bestD = Infinity;
        centres.forEach((q, s) => {
          const d = (q[0] - c[0]) ** 2 + (q[1] - c[1]) ** 2 + (q[2] - c[2]) ** 2;
          if (d < bestD) (bestD = d), (best = s);
        });
        // inside the source extent: the offset to the nearest centre is within half a voxel along each source axis
        const q = centres[best];
        const inside = [0, 1, 2].every((a) => {
          const dir = src.direction.slice(3 * a, 3 * a + 3);
          return Math.abs((c[0] - q[0]) * dir[0] + (c[1] - q[1]) * dir[1] + (c[2] - q[2]) * dir[2]) <= src.spacing[a] / 2 + 1e-9;
        });
        if (inside) out[p] = labels[best];
      }
  return out;
}

/** NIfTI sform rows (RAS) of an LPS geometry. */
const srowOf = (g: VolumeGeometry) =>
  [0, 1, 2].map((r) => [...[0, 1, 2].map((a) => g.direction[3 * a + r] * g.spacing[a] * (r < 2 ? -1 : 1)), g.origin[r] * (r < 2 ? -1 : 1)]);

/** The scan's grid with some axes flipped (the same voxel centres, stored in another order). */
function flipped(flip: [boolean, boolean, boolean]): VolumeGeometry {
  const d = [...scan.direction];
  let origin = [...scan.origin] as Vec3;
  flip.forEach((f, a) => {
    if (!f) return;
    origin = origin.map((x, r) => x + (scan.dims[a] - 1) * scan.spacing[a] * d[3 * a + r]) as Vec3;
    for (let r = 0; r < 3; r++) d[3 * a + r] = -d[3 * a + r];
  });
  return { ...scan, origin, direction: d };
}

const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);

test('RAS, LAS and LPS label maps of the scan\'s own voxels register voxel-exactly', async () => {
  const cases: [string, VolumeGeometry, 'nii' | 'nrrd'][] = [
    ['RAS NIfTI (i and j stored reversed)', flipped([true, true, false]), 'nii'],
    ['LAS NIfTI (j stored reversed)', flipped([false, true, false]), 'nii'],
    ['LPS NIfTI', flipped([false, false, false]), 'nii'],
    ['LPS NRRD, k reversed', flipped([false, false, true]), 'nrrd'],
  ];
  for (const [what, g, kind] of cases) {
    const labels = randomLabels(g, 42);
    const bytes =
      kind === 'nii'
        ? niftiBytes(g.dims, srowOf(g), labels)
        : nrrdBytes(
            [
              'type: unsigned char', 'dimension: 3', 'space: left-posterior-superior', `sizes: ${g.dims.join(' ')}`,
              `space directions: ${[0, 1, 2].map((a) => `(${[0, 1, 2].map((r) => g.direction[3 * a + r] * g.spacing[a]).join(',')})`).join(' ')}`,
              'kinds: domain domain domain', 'endian: little', `space origin: (${g.origin.join(',')})`,
            ],
            labels,
            true,
          );
    const imp = await importLabelFile(kind === 'nii' ? 'seg.nii' : 'seg.nrrd', bytes, scan);
    assert.equal(imp.exact, true, what);
    assert.equal(imp.insideVoxels, imp.labelledVoxels, what);
    const want = expected(g, labels);
    assert.deepEqual(imp.layers[0], want, what);
    for (let v = 1; v <= 5; v++) assert.equal(count(imp.layers[0], v), count(labels, v), `${what}: label ${v} keeps every voxel`);
    assert.match(imp.notes.join('\n'), /copied voxel for voxel/);
  }
});

test('a shifted, cropped label map lands on its voxels exactly, and the part outside the scan is noted', async () => {
  // 7 × 6 × 5 voxels starting at scan voxel (7, −2, 2): columns 12…13 and rows −2…−1 lie outside the scan
  const g: VolumeGeometry = { ...scan, dims: [7, 6, 5], origin: centreOf(scan, 7, -2, 2) };
  const labels = randomLabels(g, 7);
  const imp = await importLabelFile('crop.nii.gz', niftiBytes(g.dims, srowOf(g), labels), scan);
  assert.equal(imp.exact, true);
  assert.deepEqual(imp.layers[0], expected(g, labels));
  const outside = imp.labelledVoxels - imp.insideVoxels;
  assert.ok(outside > 0);
  let manual = 0;
  for (let k = 0, p = 0; k < 5; k++) for (let j = 0; j < 6; j++) for (let i = 0; i < 7; i++, p++) if (labels[p] && (i + 7 > 11 || j - 2 < 0)) manual++;
  assert.equal(outside, manual);
  assert.match(imp.notes.join('\n'), /% of the labelled voxels lie outside the scan/);
});

test('a label map on another grid (spacing, rotation, offset) is resampled to the nearest label in mm', async () => {
  const a = (10 * Math.PI) / 180;
  const g: VolumeGeometry = {
    dims: [9, 8, 9],
    spacing: [1.1, 0.9, 1.3],
    origin: [-4.37, 21.11, -99.23],
    direction: [Math.cos(a), Math.sin(a), 0, -Math.sin(a), Math.cos(a), 0, 0, 0, 1],
  };
  const labels = randomLabels(g, 3);
  const imp = await importLabelFile('rotated.nii', niftiBytes(g.dims, srowOf(g), labels), scan);
  assert.equal(imp.exact, false);
  assert.deepEqual(imp.layers[0], expected(g, labels));
  assert.match(imp.notes.join('\n'), /resampled to the nearest label in mm/);
});

test('a label map that does not overlap the scan is refused with a message naming the file', async () => {
  const g: VolumeGeometry = { ...scan, origin: [400, 20, -100] };
  await assert.rejects(importLabelFile('other-patient.nii.gz', niftiBytes(g.dims, srowOf(g), randomLabels(g, 1)), scan), (e: Error) => {
    assert.match(e.message, /^other-patient\.nii\.gz: the labels do not overlap the scan/);
    assert.match(e.message, /405 mm/);
    return true;
  });
});

test('grid mappings: exact only when centres coincide to 1e-3 mm', () => {
  const same = gridMapping(scan, scan);
  assert.deepEqual([same.m, same.t, same.exact], [[1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0], true]);
  assert.deepEqual(same.box, { min: [0, 0, 0], max: [11, 9, 7] });
  const nearly = gridMapping(scan, { ...scan, origin: [-5.0004, 20, -100] });
  assert.equal(nearly.exact, true);
  const off = gridMapping(scan, { ...scan, origin: [-5.01, 20, -100] });
  assert.equal(off.exact, false);
});
