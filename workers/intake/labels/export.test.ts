// The segmentation saved as .seg.nrrd and .nii.gz reads back, through the importers, as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'fflate';
import { writeNiftiLabels, writeSegNrrd } from '../../core/labelWriters';
import { addSegmentFromMask, createSegmentation, type Segmentation } from '../../core/segments';
import type { Vec3, VolumeGeometry } from '../../core/types';
import { readNifti } from '../nifti';
import { importLabelFile } from './importLabels';

const a = 0.4;
// a rotated grid whose RAS axes form a left-handed frame (qfac −1 in the qform)
const geometry: VolumeGeometry = {
  dims: [9, 7, 5],
  spacing: [0.8, 1.1, 2.5],
  origin: [12.5, -40.25, 101],
  direction: [Math.cos(a), Math.sin(a), 0, -Math.sin(a), Math.cos(a), 0, 0, 0, 1],
};

function segmentation(): Segmentation {
  const s = createSegmentation(geometry.dims);
  const n = 9 * 7 * 5;
  const mask = (f: (i: number, j: number, k: number) => boolean) => Uint8Array.from({ length: n }, (_, p) => (f(p % 9, Math.floor(p / 9) % 7, Math.floor(p / 63)) ? 1 : 0));
  addSegmentFromMask(s, { name: 'vertebra L1', color: [241, 214, 145], source: 'import' }, mask((i, j) => i < 4 && j < 5));
  addSegmentFromMask(s, { name: 'aorta', color: [216, 101, 79], source: 'paint' }, mask((i, _j, k) => i > 5 && k > 1));
  addSegmentFromMask(s, { name: 'tumour ]]> <b>', color: [10, 200, 30], source: 'paint' }, mask((i, j) => i > 2 && i < 7 && j > 3)); // overlaps both: layer 1
  return s;
}
const voxelsOf = (layers: Uint8Array[], layer: number, value: number) => layers[layer].reduce((set, x, p) => (x === value ? set.add(p) : set), new Set<number>());

test('.seg.nrrd keeps every segment (names, colours, layers, voxels) and reads back through importLabelFile', async () => {
  const s = segmentation();
  assert.equal(s.layers.length, 2);
  const bytes = writeSegNrrd(geometry, s.layers, s.segments);
  const head = new TextDecoder().decode(bytes.subarray(0, 2000));
  assert.match(head, /^NRRD0004\n/);
  assert.match(head, /\ndimension: 4\n/);
  assert.match(head, /\nkinds: list domain domain domain\n/);
  assert.match(head, /\nspace: left-posterior-superior\n/);
  assert.match(head, /\nSegment0_Name:=vertebra L1\n/);
  assert.match(head, /\nSegment2_Layer:=1\n/);
  assert.match(head, /\nSegment0_Extent:=0 3 0 4 0 4\n/);
  assert.match(head, /\nSegmentation_MasterRepresentation:=Binary labelmap\n/);
  const imp = await importLabelFile('saved.seg.nrrd', bytes, geometry);
  assert.equal(imp.exact, true);
  assert.deepEqual(imp.segments.map((g) => [g.name, g.color]), s.segments.map((g) => [g.name, g.color]));
  s.segments.forEach((g, q) => assert.deepEqual(voxelsOf(imp.layers, imp.segments[q].layer, imp.segments[q].value), voxelsOf(s.layers, g.layer, g.value), g.name));
  // one layer only: a 3D file
  const one = writeSegNrrd(geometry, s.layers, s.segments.slice(0, 2));
  assert.match(new TextDecoder().decode(one.subarray(0, 400)), /\ndimension: 3\n/);
});

test('.nii.gz: a uint8 label map on the same grid (sform and qform), names and colours in its label table', async () => {
  const s = segmentation();
  const out = writeNiftiLabels(geometry, s.layers, s.segments);
  assert.deepEqual(out.values, [1, 2, 3], 'segments in two layers are numbered in order');
  assert.ok(out.overlapVoxels > 0);
  assert.match(out.colorTable, /^# Color table[^\n]*\n1 vertebra_L1 241 214 145 255\n2 aorta 216 101 79 255\n3 tumour_]]>_<b> 10 200 30 255\n$/);
  const imp = await importLabelFile('saved.nii.gz', out.nifti, geometry);
  assert.equal(imp.exact, true);
  assert.deepEqual(imp.segments.map((g) => [g.name, g.color, g.value]), s.segments.map((g, q) => [g.name, g.color, q + 1]));
  // the tumour (written last) keeps all its voxels; the others lose the overlapped ones
  assert.deepEqual(voxelsOf(imp.layers, 0, 3), voxelsOf(s.layers, 1, 1));
  // the qform alone places it the same (sform_code 0)
  const raw = gunzipSync(out.nifti);
  new DataView(raw.buffer).setInt16(254, 0, true);
  const q = readNifti(gzipSync(raw), 'q.nii.gz').volume;
  const s2 = readNifti(out.nifti, 's.nii.gz').volume;
  for (const g of [q, s2]) {
    g.origin.forEach((x, r) => assert.ok(Math.abs(x - geometry.origin[r]) < 1e-4, `origin ${g.origin}`));
    g.spacing.forEach((x, r) => assert.ok(Math.abs(x - geometry.spacing[r]) < 1e-5, `spacing ${g.spacing}`));
    g.direction.forEach((x, r) => assert.ok(Math.abs(x - geometry.direction[r]) < 1e-5, `direction ${g.direction}`));
  }
  // all in one layer: the label values are kept
  const single = writeNiftiLabels(geometry, s.layers, s.segments.slice(0, 2));
  assert.deepEqual(single.values, [1, 2]);
  assert.equal(single.overlapVoxels, 0);
});

test('a flipped (left-handed in RAS) LPS grid round-trips its geometry through the qform too', () => {
  const g: VolumeGeometry = { dims: [3, 2, 2], spacing: [1, 2, 3], origin: [1, 2, 3], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const s = createSegmentation(g.dims);
  addSegmentFromMask(s, { source: 'paint' }, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
  const raw = gunzipSync(writeNiftiLabels(g, s.layers, s.segments).nifti);
  new DataView(raw.buffer).setInt16(254, 0, true);
  const q = readNifti(raw, 'q.nii').volume;
  const close = (x: number[], y: number[]) => x.every((v, i) => Math.abs(v - y[i]) < 1e-5);
  assert.ok(close(q.direction, g.direction), `${q.direction}`);
  assert.ok(close(q.origin, g.origin as Vec3));
});
