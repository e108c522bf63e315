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
import { importLabelFile } from '../intake/labels/importLabels';
import { addImportedSegments, createSegmentation } from './segments';
import { applySegmentEdit } from './segmentEdits';
import { mergePatches, patchCountDeltas, revertPatch } from './patch';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  // and a second segment, the air around the sphere (its box is most of the scan: meshed on the scan itself)
  const air = { lower: -32768, upper: -1 };
  for (let p = 0; p < labels.length; p++) if (vol.data[p] < 0 && p % nx > 3 && !labels[p]) labels[p] = 5;
  const full = { min: [0, 0, 0] as Vec3, max: [nx - 1, ny - 1, nz - 1] as Vec3 };
  const reference = marchingCubes(vol, range, segmentMask(labels, 2, vol, range, new Uint8Array(vol.data.length), full));
  const airReference = marchingCubes(vol, air, segmentMask(labels, 5, vol, air, new Uint8Array(vol.data.length), full));
  const segments = [seg(1, 0, 2, { range, source: 'threshold' }), seg(2, 0, 5, { range: air, source: 'threshold' })];
  const one = await buildSegmentMeshes([meshApi], vol, [labels], segments, RAW);
  const pool = createNodePool(2);
  let two;
  try {
    two = await buildSegmentMeshes(pool.workers, vol, [labels], segments, RAW);
  } finally {
    await pool.close();
  }
  for (const r of [one, two]) {
    for (const [q, ref] of [reference, airReference].entries()) {
      const m = r.results[q].mesh;
      assert.deepEqual(m.indices, ref.indices);
      assert.equal(m.positions.length, ref.positions.length);
      let worst = 0;
      for (let c = 0; c < m.positions.length; c++) worst = Math.max(worst, Math.abs(m.positions[c] - ref.positions[c]));
      assert.ok(worst < 1e-4, `vertices within 0.1 µm of the whole-volume mesh (${worst} mm)`);
    }
    assert.equal(r.results[0].offsetMm, 0, 'a segment with an HU band keeps its surface');
    assertPrintable(r.results[0].report, 'segment');
    assert.equal(r.results[0].report.shells, 2);
  }
  assert.deepEqual(one.results[0].mesh.positions, two.results[0].mesh.positions);
  assertPrintable(one.results[1].report, 'air around the sphere');
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
const checker = resolve(process.cwd(), '..', 'shared', 'tools', 'check_3mf.py');
test(
  'TotalSegmentator CT, 41 imported labels: a rib painted away, every other segment closed and within 3 % of its voxel volume; vertebrae and aorta as one 3MF',
  { skip: existsSync(ts) ? false : '../shared/data/labels is missing' },
  async () => {
    const ct = readNifti(new Uint8Array(readFileSync(`${ts}/ct.nii.gz`)), 'ct.nii.gz', (n) => new Int16Array(sharedBytes(2 * n))).volume;
    const imp = await importLabelFile('labels.nii.gz', new Uint8Array(readFileSync(`${ts}/labels.nii.gz`)), ct);
    const s = createSegmentation(ct.dims);
    const { segments } = addImportedSegments(s, imp.layers, imp.segments);
    assert.equal(segments.length, 41);
    // paint a rib away: erase-brush dabs (radius 4 mm) on each of its voxels, one undo step
    const rib = segments.find((g) => g.name === 'rib_left_12')!;
    const ref = { layer: rib.layer, value: rib.value };
    const [nx, ny] = ct.dims;
    const dabs = [];
    for (let p = 0; p < s.layers[0].length; p++)
      if (s.layers[0][p] === rib.value)
        dabs.push(applySegmentEdit(s.layers, ct, { kind: 'brush', target: ref, stroke: { centre: [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))], radiusMm: 4, erase: true } }).patch);
    const stroke = mergePatches(dabs);
    assert.equal(patchCountDeltas(stroke).get(0)![rib.value], -132, 'the rib\'s 132 voxels are gone, nothing else changed');
    assert.equal(patchCountDeltas(stroke).get(0)![0], 132);
    const r = await buildSegmentMeshes([meshApi], ct, s.layers, segments, DEFAULT_REFINE);
    assert.deepEqual(r.empty, [rib.id]);
    revertPatch(s.layers, stroke);
    assert.equal(s.layers[0].filter((x) => x === rib.value).length, 132, 'undo brings it back');
    assert.equal(r.results.length, 40);
    let worst = { err: 0, name: '' };
    for (const g of r.results) {
      assertPrintable(g.report, g.name);
      const err = Math.abs(g.report.volumeMm3 / g.voxelVolumeMm3 - 1);
      if (err > worst.err) worst = { err, name: g.name };
      assert.ok(err < 0.03, `${g.name}: ${g.report.volumeMm3.toFixed(0)} vs ${g.voxelVolumeMm3.toFixed(0)} mm³`);
    }
    console.log(`  worst volume vs voxels: ${worst.name} ${(100 * worst.err).toFixed(3)} %; largest offset ${Math.max(...r.results.map((g) => Math.abs(g.offsetMm))).toFixed(2)} mm`);
    // the "done when" selection: the vertebrae and the aorta, one named, coloured object each
    const chosen = r.results.filter((g) => /^vertebrae_|^aorta$/.test(g.name));
    assert.equal(chosen.length, 5, chosen.map((g) => g.name).join(', '));
    const objects = chosen.map((g) => ({ mesh: g.mesh, name: g.name, color: g.color }));
    const bytes = concat(meshApi.writeSegments(objects, '3mf', 'zip', undefined, { where: 'scanner', scalePercent: 100 }));
    if (!existsSync(checker)) return;
    const file = join(mkdtempSync(join(tmpdir(), 'segments-')), 'spine.3mf');
    writeFileSync(file, bytes);
    const run = spawnSync('python3', [checker, file], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { objects: { name: string; color: string; closed: boolean; built: boolean; volume_ml: number }[] };
    assert.equal(out.objects.length, chosen.length);
    out.objects.forEach((o, q) => {
      const g = chosen[q];
      assert.equal(o.name, g.name);
      assert.equal(o.color, '#' + g.color.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase());
      assert.ok(o.closed && o.built, g.name);
      assert.ok(Math.abs((o.volume_ml * 1000) / g.voxelVolumeMm3 - 1) < 0.03, `${g.name}: ${o.volume_ml} mL vs ${g.voxelVolumeMm3 / 1000} mL of voxels`);
    });
  },
);

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
