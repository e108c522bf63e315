import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { addImportedSegments, createSegmentation } from '../../core/segments';
import type { VolumeGeometry } from '../../core/types';
import { readNifti } from '../nifti';
import { loadDicomFolderNode } from '../nodeLoad';
import { importLabelFile, readLabelFile, sniffLabelFile } from './importLabels';
import { niftiLabelTable, readNiftiLabels } from './niftiLabels';
import { readNrrdLabels } from './nrrd';
import { niftiBytes, nrrdBytes } from './testFiles';
import { TOTALSEGMENTATOR_TOTAL } from './totalSegmentator';

const unit = [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0]]; // RAS sform of an LPS identity grid
const count = (a: ArrayLike<number>, v: number) => {
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] === v) n++;
  return n;
};
/** Voxels per value (0–65535 as stored), one pass. */
const histogram = (a: ArrayLike<number>) => {
  const h = new Float64Array(65536);
  for (let p = 0; p < a.length; p++) h[a[p] & 0xffff]++;
  return h;
};

test('NIfTI label maps: names from a label table, from TotalSegmentator\'s table, from the file name, or "Label N"', () => {
  const data = Uint8Array.from({ length: 24 }, (_, p) => [0, 1, 5, 117][p % 4]);
  const table =
    '<CaretExtension><VolumeInformation Index="0"><LabelTable>\n' +
    '<Label Key="1" Red="1.0" Green="0.5019607843137255" Blue="0.0" Alpha="1"><![CDATA[left thing]]></Label>\n' +
    '<Label Key="5" Red="0" Green="0" Blue="1" Alpha="1">right &amp; thing</Label>\n' +
    '</LabelTable></VolumeInformation></CaretExtension>';
  const withTable = readNiftiLabels(niftiBytes([2, 3, 4], unit, data, { extension: table }), 'seg.nii');
  assert.deepEqual(withTable.segments.map((s) => [s.name, s.color, s.value]).slice(0, 2), [['left thing', [255, 128, 0], 1], ['right & thing', [0, 0, 255], 5]]);
  assert.equal(withTable.segments[2].name, 'Label 117');
  assert.equal(niftiLabelTable(niftiBytes([2, 3, 4], unit, data, { extension: table })).size, 2);
  const total = readNiftiLabels(gzipSync(niftiBytes([2, 3, 4], unit, data)), 'patient_totalseg.nii.gz');
  assert.deepEqual(total.segments.map((s) => s.name), ['spleen', 'liver', 'costal_cartilages']);
  assert.equal(TOTALSEGMENTATOR_TOTAL.length, 117);
  const plain = readNiftiLabels(niftiBytes([2, 3, 4], unit, data), 'seg.nii');
  assert.deepEqual(plain.segments.map((s) => s.name), ['Label 1', 'Label 5', 'Label 117']);
  const binary = readNiftiLabels(niftiBytes([2, 3, 4], unit, data.map((x) => (x ? 1 : 0))), 'dir/kidney_left.nii.gz');
  assert.deepEqual(binary.segments.map((s) => [s.name, s.value]), [['kidney_left', 1]]);
  assert.equal(count(binary.layers[0], 1), 18);
  assert.throws(() => readNiftiLabels(niftiBytes([2, 3, 4], unit, new Uint8Array(24)), 'empty.nii'), /^Error: empty\.nii: the label map is empty/);

});

test('NRRD: Slicer .seg.nrrd with two layers (4D, list axis first), RAS space, raw and gzip', () => {
  // 2 layers × 3 × 2 × 2 voxels, interleaved (layer fastest)
  const l0 = [1, 1, 0, 2, 2, 0, 0, 1, 0, 0, 2, 0], l1 = [0, 1, 1, 0, 0, 0, 3, 3, 0, 0, 0, 0];
  const data = Uint8Array.from(l0.flatMap((x, p) => [x, l1[p]]));
  const header = [
    'type: unsigned char', 'dimension: 4', 'space: right-anterior-superior', 'sizes: 2 3 2 2',
    'space directions: none (2,0,0) (0,3,0) (0,0,4)', 'kinds: list domain domain domain', 'endian: little', 'space origin: (10,20,30)',
    'Segment0_ID:=Segment_1', 'Segment0_Name:=bone', 'Segment0_Color:=1 0.5 0', 'Segment0_LabelValue:=1', 'Segment0_Layer:=0',
    'Segment1_ID:=Segment_2', 'Segment1_Name:=vessel', 'Segment1_Color:=0 0 1', 'Segment1_LabelValue:=2', 'Segment1_Layer:=0',
    'Segment2_ID:=Segment_3', 'Segment2_Name:=tumour', 'Segment2_Color:=0.2 0.4 0.6', 'Segment2_LabelValue:=1', 'Segment2_Layer:=1',
    'Segment3_ID:=Segment_4', 'Segment3_Name:=margin', 'Segment3_LabelValue:=3', 'Segment3_Layer:=1',
    'Segment4_ID:=Segment_5', 'Segment4_Name:=nothing', 'Segment4_LabelValue:=4', 'Segment4_Layer:=1',
  ];
  for (const gzip of [false, true]) {
    const s = readNrrdLabels(nrrdBytes(header, data, gzip), 'case.seg.nrrd');
    assert.deepEqual(s.segments.map((g) => [g.name, g.layer, g.value]), [['bone', 0, 1], ['vessel', 0, 2], ['tumour', 1, 1], ['margin', 1, 3]]);
    assert.deepEqual(s.segments[0].color, [255, 128, 0]);
    assert.deepEqual([...s.layers[0]], l0);
    assert.deepEqual([...s.layers[1]], l1);
    assert.deepEqual(s.geometry.origin, [-10, -20, 30]);
    assert.deepEqual(s.geometry.spacing, [2, 3, 4]);
    assert.deepEqual(s.geometry.direction, [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    assert.match(s.notes.join('\n'), /"nothing" is empty/);
  }
  const big = readNrrdLabels(
    nrrdBytes(['type: short', 'dimension: 3', 'space: LPS', 'sizes: 2 1 1', 'space directions: (1,0,0) (0,1,0) (0,0,1)', 'endian: big'], Uint8Array.of(0x01, 0x2c, 0, 7), false),
    'big.nrrd',
  );
  assert.deepEqual(big.segments.map((g) => [g.name, g.value]), [['Label 7', 1], ['Label 300', 2]], 'values over 255 are renumbered');
  assert.throws(() => readNrrdLabels(nrrdBytes(['type: uchar', 'dimension: 3', 'sizes: 2 2 2', 'space directions: (1,0,0) (0,1,0) (0,0,1)'], new Uint8Array(3), false), 'cut.nrrd'), /cut\.nrrd: truncated/);
  assert.throws(() => readNrrdLabels(new TextEncoder().encode('P5 2 2 255\n'), 'pic.nrrd'), /pic\.nrrd: not an NRRD file/);
});

test('sniffLabelFile tells label maps from scans by content', () => {
  const lab = niftiBytes([2, 3, 4], unit, new Uint8Array(24), { intent: 1002 });
  assert.equal(sniffLabelFile('whatever.nii', lab), 'nifti');
  assert.equal(sniffLabelFile('whatever.nii.gz', gzipSync(lab).subarray(0, 200)), 'nifti', 'from a gzip stream cut after 200 bytes');
  assert.equal(sniffLabelFile('no-extension', gzipSync(lab)), 'nifti', 'by content, whatever the name');
  const plain = niftiBytes([2, 3, 4], unit, new Uint8Array(24));
  assert.equal(sniffLabelFile('ct.nii', plain), null);
  assert.equal(sniffLabelFile('ct_seg.nii', plain), 'nifti', 'an integer NIfTI named as a segmentation');
  assert.equal(sniffLabelFile('labels.nii', plain), 'nifti');
  assert.equal(sniffLabelFile('mr_head_seg3d_MR.nii', plain), null, 'a word of the name counts, not a part of one');
  assert.equal(sniffLabelFile('ct_abdomen_totalsegmentator_example_ct.nii', plain), null);
  assert.equal(sniffLabelFile('x.nrrd', new TextEncoder().encode('NRRD0005\ntype: short')), 'nrrd');
  assert.equal(sniffLabelFile('a.zip', Uint8Array.of(0x50, 0x4b, 3, 4)), null);
});

const data = resolve(process.cwd(), '..', 'shared', 'data');
const has = existsSync(`${data}/labels`);
const skip = has ? false : '../shared/data/labels is missing';

test('TotalSegmentator CT and its 41-label map: every label keeps exactly its voxel count, names from the file', { skip }, async () => {
  const read = (f: string) => new Uint8Array(readFileSync(`${data}/labels/totalsegmentator_ct_sm/${f}`));
  const ct = readNifti(read('ct.nii.gz'), 'ct.nii.gz').volume;
  const source = readNifti(read('labels.nii.gz'), 'labels.nii.gz').volume.data;
  const imp = await importLabelFile('labels.nii.gz', read('labels.nii.gz'), ct);
  assert.equal(imp.exact, true);
  assert.equal(imp.segments.length, 41);
  const [mine, theirs] = [histogram(imp.layers[0]), histogram(source)];
  for (const g of imp.segments) assert.equal(mine[g.value], theirs[g.value], g.name);
  assert.deepEqual(imp.segments.slice(0, 3).map((g) => g.name), ['spleen', 'kidney_right', 'kidney_left']);
  assert.deepEqual(
    imp.segments.map((g) => g.name),
    imp.segments.map((g) => TOTALSEGMENTATOR_TOTAL[g.value - 1]),
    "the file's label table agrees with TotalSegmentator's",
  );
  // into a segmentation: one layer, the label numbers kept
  const s = createSegmentation(ct.dims);
  const { segments } = addImportedSegments(s, imp.layers, imp.segments);
  assert.equal(s.layers.length, 1);
  assert.deepEqual(segments.map((g) => g.value), imp.segments.map((g) => g.value));
});

test('the LAS label map of the JPEG 2000 DICOM series (LPS on disk) registers exactly: every label keeps its voxels', { skip }, async () => {
  const scan = (await loadDicomFolderNode(`${data}/codecs/ct_series_jpeg2000_no_ext`)).volume;
  const file = `${data}/labels/totalsegmentator_labels_for_codecs_ct_series_jpeg2000_no_ext.nii.gz`;
  const bytes = new Uint8Array(readFileSync(file));
  const src = readNifti(bytes, 'map').volume;
  // the map is LAS: its rows run the other way from the series'
  assert.ok(src.direction[4] < 0 && scan.direction[4] > 0);
  const imp = await importLabelFile('map.nii.gz', bytes, scan);
  assert.equal(imp.exact, true);
  assert.equal(imp.segments.length, 31);
  assert.equal(imp.insideVoxels, imp.labelledVoxels);
  const [mine, theirs] = [histogram(imp.layers[0]), histogram(src.data)];
  for (const g of imp.segments) assert.equal(mine[g.value], theirs[g.value], g.name);
  // a voxel-exact spot check through both geometries: source voxel (i, j, k) → patient → scan voxel
  const [nx, ny] = src.dims;
  let checked = 0;
  for (let p = 0; p < src.data.length && checked < 2000; p += 997) {
    if (!src.data[p]) continue;
    const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / (nx * ny));
    const x = [0, 1, 2].map((r) => src.origin[r] + i * src.spacing[0] * src.direction[r] + j * src.spacing[1] * src.direction[3 + r] + k * src.spacing[2] * src.direction[6 + r]);
    const g: VolumeGeometry = scan;
    const idx = [0, 1, 2].map((a) => Math.round([0, 1, 2].reduce((sum, r) => sum + (x[r] - g.origin[r]) * g.direction[3 * a + r], 0) / g.spacing[a]));
    assert.equal(imp.layers[0][idx[0] + g.dims[0] * (idx[1] + g.dims[1] * idx[2])], src.data[p]);
    checked++;
  }
  assert.ok(checked > 50);
});

test('a CT given as a label map is refused: thousands of values, many negative', { skip }, () => {
  const ct = new Uint8Array(readFileSync(`${data}/labels/totalsegmentator_ct_sm/ct.nii.gz`));
  assert.throws(() => readNiftiLabels(ct, 'ct.nii.gz'), /^Error: ct\.nii\.gz: this looks like an image, not a label map \(\d+ different values, many of them negative\)/);
});

test('readLabelFile refuses files that are not segmentations, naming them', async () => {
  await assert.rejects(readLabelFile('notes.txt', new TextEncoder().encode('hello')), /^Error: notes\.txt: not a segmentation this app reads/);
});
