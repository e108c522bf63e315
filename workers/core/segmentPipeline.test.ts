import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MASK_FILLED } from './components';
import { marchingCubes } from './marchingCubes';
import { DEFAULT_REFINE, type RefineOptions } from './refine';
import { cropVolume, segmentMask } from './segmentMask';
import { buildSegmentMeshes } from './segmentPipeline';
import type { Segment } from './segments';
import { sharedBytes } from './sharedMemory';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import type { Vec3, Volume } from './types';
import { meshApi } from '../meshApi';
import { createNodePool } from '../nodePool';
import { readNifti } from '../intake/nifti';

const RAW: RefineOptions = { smoothing: 0, detail: { kind: 'full' } };

/** A volume in shared memory: a sphere (radius 9 mm, HU +1000 inside with partial volume) on 0.9 × 1 × 1.2 mm voxels. */
function sphereScan(): Volume {
  const v = volumeFrom([40, 36, 30], [0.9, 1, 1.2], (x, y, z) => Math.hypot(x, y, z) - 9);
  const data = new Int16Array(sharedBytes(2 * v.data.length));
  data.set(v.data);
  return { ...v, data, origin: [-12.5, 40.25, -300] };
}

const seg = (id: number, layer: number, value: number, extra: Partial<Segment> = {}): Segment => ({
  id, name: `s${id}`, color: [200, 100, 50], layer, value, visible: true, source: 'paint', ...extra,
});

test('segmentMask: 1 where the HU is in the band, MASK_FILLED where not, 0 off the segment; cropVolume copies the box', () => {
  const vol = sphereScan();
  const labels = new Uint8Array(vol.data.length);
  const [nx, ny] = vol.dims;
  const a = 5 + nx * (6 + ny * 7), b = a + 1, c = a + 2;
  labels[a] = labels[b] = 3;
  labels[c] = 4;
  vol.data[a] = 500;
  vol.data[b] = -900;
  const box = { min: [4, 5, 6] as Vec3, max: [8, 7, 8] as Vec3 };
  const out = new Uint8Array(5 * 3 * 3).fill(9);
  segmentMask(labels, 3, vol, { lower: 0, upper: 3000 }, out, box);
  const at = (i: number, j: number, k: number) => out[i - 4 + 5 * (j - 5 + 3 * (k - 6))];
  assert.equal(at(5, 6, 7), 1);
  assert.equal(at(6, 6, 7), MASK_FILLED);
  assert.equal(at(7, 6, 7), 0);
  assert.equal(out.filter((x) => x !== 0).length, 2, 'every other voxel of the box is written 0');
  segmentMask(labels, 3, vol, undefined, out, box);
  assert.equal(at(6, 6, 7), 1, 'without a band every voxel of the segment is in');
  const hu = cropVolume(vol, box, new Int16Array(45));
  assert.equal(hu[1 + 5 * (1 + 3 * 1)], 500);
});

test('a segment meshed on its box equals the whole-volume isosurface of its mask, on 1 thread and on 2', async () => {
  const vol = sphereScan();
  const range = { lower: 0, upper: 32767 };
  const [nx, ny, nz] = vol.dims;
  // the sphere's voxels in range, cut by a plane, plus a painted slab of voxels outside the band
  const labels = new Uint8Array(sharedBytes(vol.data.length));
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        if ((vol.data[p] >= 0 && i < 25) || (k === 3 && i > 10 && i < 20 && j > 5 && j < 12)) labels[p] = 2;
      }
  const whole = new Uint8Array(vol.data.length);
  segmentMask(labels, 2, vol, range, whole, { min: [0, 0, 0], max: [nx - 1, ny - 1, nz - 1] });
  const reference = marchingCubes(vol, range, whole);
  const segments = [seg(1, 0, 2, { range, source: 'threshold' })];
  const one = await buildSegmentMeshes([meshApi], vol, [labels], segments, RAW);
  const pool = createNodePool(2);
  let two;
  try {
    two = await buildSegmentMeshes(pool.workers, vol, [labels], segments, RAW);
  } finally {
    await pool.close();
  }
  for (const r of [one, two]) {
    const m = r.results[0].mesh;
    assert.deepEqual(m.indices, reference.indices);
    assert.equal(m.positions.length, reference.positions.length);
    let worst = 0;
    for (let q = 0; q < m.positions.length; q++) worst = Math.max(worst, Math.abs(m.positions[q] - reference.positions[q]));
    assert.ok(worst < 1e-4, `vertices within 0.1 µm of the whole-volume mesh (${worst} mm)`);
    assert.equal(r.results[0].offsetMm, 0, 'a segment with an HU band keeps its surface');
    assertPrintable(r.results[0].report, 'segment');
    assert.equal(r.results[0].report.shells, 2);
  }
  assert.deepEqual(one.results[0].mesh.positions, two.results[0].mesh.positions);
});

test('a label segment (no band) encloses its voxel volume, raw and after smoothing and decimation', async () => {
  const vol = sphereScan();
  const [nx, ny, nz] = vol.dims;
  const labels = new Uint8Array(sharedBytes(vol.data.length));
  const rib = new Uint8Array(sharedBytes(vol.data.length)); // a thin bar in a second layer, overlapping
  let n = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        if (vol.data[p] >= 0) (labels[p] = 1), n++;
        if (j === 18 && k >= 14 && k <= 15 && i >= 4 && i < 36) rib[p] = 1;
      }
  const voxelMm3 = 0.9 * 1 * 1.2;
  const segments = [seg(1, 0, 1), seg(2, 1, 1)];
  const plain = await buildSegmentMeshes([meshApi], vol, [labels, rib], segments, { ...RAW, matchVoxelVolume: false });
  const loss = 1 - plain.results[1].report.volumeMm3 / plain.results[1].voxelVolumeMm3;
  assert.ok(loss > 0.1, `half-way surface of a bar 2 voxels thick loses ${(loss * 100).toFixed(1)} % of its volume`);
  for (const refine of [RAW, DEFAULT_REFINE]) {
    const r = await buildSegmentMeshes([meshApi], vol, [labels, rib], segments, refine);
    assert.equal(r.results[0].voxels, n);
    for (const g of r.results) {
      assertPrintable(g.report, g.name);
      assert.equal(g.report.shells, 1);
      const err = Math.abs(g.report.volumeMm3 / g.voxelVolumeMm3 - 1);
      assert.ok(err < 0.002, `${g.name}: volume ${g.report.volumeMm3.toFixed(1)} vs voxels ${g.voxelVolumeMm3.toFixed(1)} mm³`);
      assert.ok(Math.abs(g.offsetMm) < 0.6, `${g.name}: offset ${g.offsetMm} mm`);
    }
    assert.equal(r.results[0].voxelVolumeMm3, n * voxelMm3);
  }
});

test('segments without voxels are listed as empty, not meshed', async () => {
  const vol = sphereScan();
  const labels = new Uint8Array(sharedBytes(vol.data.length));
  labels[1000] = 1;
  const r = await buildSegmentMeshes([meshApi], vol, [labels], [seg(1, 0, 1), seg(2, 0, 5)], RAW);
  assert.deepEqual(r.results.map((x) => x.id), [1]);
  assert.deepEqual(r.empty, [2]);
  assertPrintable(r.results[0].report, 'single voxel');
});

const ts = resolve(process.cwd(), '..', 'shared', 'data', 'labels', 'totalsegmentator_ct_sm');
test(
  'TotalSegmentator CT, 41 labels: every segment closed and within 3 % of its voxel volume',
  { skip: existsSync(ts) ? false : '../shared/data/labels is missing' },
  async () => {
    const ct = readNifti(new Uint8Array(readFileSync(`${ts}/ct.nii.gz`)), 'ct.nii.gz', (n) => new Int16Array(sharedBytes(2 * n)));
    const map = readNifti(new Uint8Array(readFileSync(`${ts}/labels.nii.gz`)), 'labels.nii.gz');
    const layer = new Uint8Array(sharedBytes(map.volume.data.length));
    layer.set(map.volume.data);
    const values = [...new Set(layer)].filter((v) => v !== 0).sort((a, b) => a - b);
    assert.equal(values.length, 41);
    const r = await buildSegmentMeshes([meshApi], ct.volume, [layer], values.map((v) => seg(v, 0, v)), DEFAULT_REFINE);
    assert.equal(r.results.length, 41);
    let worst = { err: 0, name: '' };
    for (const g of r.results) {
      assertPrintable(g.report, g.name);
      const err = Math.abs(g.report.volumeMm3 / g.voxelVolumeMm3 - 1);
      if (err > worst.err) worst = { err, name: g.name };
      assert.ok(err < 0.03, `${g.name}: ${g.report.volumeMm3.toFixed(0)} vs ${g.voxelVolumeMm3.toFixed(0)} mm³`);
    }
    assert.ok(worst.err < 0.03);
  },
);
