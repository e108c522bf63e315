import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rng } from '../../core/testVolumes';
import { loadDicomFolderNode } from '../nodeLoad';
import { dicomLabToRgb } from './cielab';
import { readDicomSeg } from './dicomSeg';
import { importLabelFile, sniffLabelFile } from './importLabels';
import { segBytes, type SegFrame } from './testFiles';

// A SEG of 5 × 3 pixels per frame (15 bits: every frame after the first starts inside a byte), on
// 4 planes 2.5 mm apart along an oblique normal, two overlapping segments, some planes missing.
const rows = 3, cols = 5;
const r = [0.8, 0.6, 0], c = [0, 0, 1];
const n = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
const p0 = [10, -20, 30];
const at = (k: number): [number, number, number] => [p0[0] + 2.5 * k * n[0], p0[1] + 2.5 * k * n[1], p0[2] + 2.5 * k * n[2]];
function frames(seed: number): SegFrame[] {
  const rand = rng(seed);
  const px = () => Array.from({ length: rows * cols }, () => (rand() < 0.5 ? 1 : 0));
  return [
    { segment: 1, position: at(0), pixels: px() },
    { segment: 1, position: at(1), pixels: px() },
    { segment: 1, position: at(3), pixels: px() }, // plane 2 holds nothing of segment 1
    { segment: 2, position: at(1), pixels: px() },
    { segment: 2, position: at(2), pixels: px() },
  ];
}
const base = {
  rows, cols, type: 'BINARY' as const, orientation: [...r, ...c], spacing: [0.7, 0.9] as [number, number], between: 2.5,
  segments: [
    { number: 1, label: 'Femur', lab: [41661, 41167, 40792] as [number, number, number] },
    { number: 2, label: 'Cyst' },
  ],
};

function shuffled<T>(a: T[], seed: number): T[] {
  const rand = rng(seed);
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('SEG frames are placed by their position and segment number, whatever their order; odd frame sizes unpack across bytes', async () => {
  const fs = frames(5);
  const ref = await readDicomSeg(segBytes({ ...base, frames: fs }), 'ordered.dcm');
  // geometry: columns along r (0.9 mm: PixelSpacing's second value), rows along c (0.7 mm), planes along n
  assert.deepEqual(ref.geometry.dims, [5, 3, 4]);
  assert.deepEqual(ref.geometry.spacing, [0.9, 0.7, 2.5]);
  assert.deepEqual(ref.geometry.origin, at(0));
  ref.geometry.direction.forEach((x, q) => assert.ok(Math.abs(x - [...r, ...c, ...n][q]) < 1e-12));
  // the two segments overlap on plane 1 (random halves), so they are in two layers
  assert.equal(ref.layers.length, 2);
  assert.deepEqual(ref.segments.map((s) => [s.name, s.layer, s.value]), [['Femur', 0, 1], ['Cyst', 1, 1]]);
  assert.deepEqual(ref.segments[0].color, [221, 130, 101]);
  for (const f of fs) {
    const k = Math.round(((f.position[0] - p0[0]) * n[0] + (f.position[1] - p0[1]) * n[1] + (f.position[2] - p0[2]) * n[2]) / 2.5);
    const layer = ref.layers[f.segment - 1];
    f.pixels.forEach((x, q) => assert.equal(layer[k * 15 + q], x, `segment ${f.segment}, plane ${k}, pixel ${q}`));
  }
  assert.ok(ref.layers[0].subarray(30, 45).every((x) => x === 0), 'plane 2 holds nothing of segment 1');
  for (const seed of [1, 2, 3]) {
    const again = await readDicomSeg(segBytes({ ...base, frames: shuffled(fs, seed) }), 'shuffled.dcm');
    assert.deepEqual(again.layers, ref.layers, `shuffle ${seed}`);
    assert.deepEqual(again.geometry, ref.geometry);
  }
});

test('segments that do not overlap share a layer; a fractional SEG is thresholded at half its maximum', async () => {
  const apart: SegFrame[] = [
    { segment: 1, position: at(0), pixels: [1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
    { segment: 2, position: at(0), pixels: [0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1] },
  ];
  const bin = await readDicomSeg(segBytes({ ...base, frames: apart }), 'apart.dcm');
  assert.equal(bin.layers.length, 1);
  assert.deepEqual([...bin.layers[0]], [1, 1, 0, 2, 2, 1, 1, 0, 2, 2, 0, 0, 0, 0, 2]);
  const fractional = apart.map((f) => ({ ...f, pixels: f.pixels.map((x, q) => (x ? 100 + q : q % 3 ? 99 : 0)) }));
  const frac = await readDicomSeg(segBytes({ ...base, type: 'FRACTIONAL', maxFraction: 200, frames: fractional }), 'fractional.dcm');
  assert.deepEqual(frac.layers, bin.layers, 'values of 100 or more out of 200 are in, 99 is out');
  assert.match(frac.notes.join('\n'), /half of 200/);
});

test('damaged and unsupported SEGs are refused with the file named', async () => {
  const good = segBytes({ ...base, frames: frames(1) });
  await assert.rejects(readDicomSeg(good.subarray(0, good.length - 3), 'cut.dcm'), /^Error: cut\.dcm: .*truncated/);
  const noPos = segBytes({ ...base, frames: frames(1) });
  const ascii = new TextDecoder('latin1').decode(noPos);
  // break the first frame's position tag (0020,0032 → 0020,0031)
  const at32 = ascii.indexOf('\x20\x00\x32\x00DS');
  noPos[at32 + 2] = 0x31;
  await assert.rejects(readDicomSeg(noPos, 'nopos.dcm'), /nopos\.dcm: frame 1 has no position/);
  await assert.rejects(readDicomSeg(new Uint8Array(300), 'zeros.dcm'), /zeros\.dcm/);
});

test('DICOM CIELab to sRGB: white, black and the colours dcmqi wrote for Slicer\'s liver and tissue', () => {
  assert.deepEqual(dicomLabToRgb([65535, 32896, 32896]), [255, 255, 255]);
  assert.deepEqual(dicomLabToRgb([0, 32896, 32896]), [0, 0, 0]);
  assert.deepEqual(dicomLabToRgb([41661, 41167, 40792]), [221, 130, 101]);
  assert.deepEqual(dicomLabToRgb([43803, 26565, 37722]), [128, 174, 128]);
});

const dir = resolve(process.cwd(), '..', 'shared', 'data', 'labels', 'dcmqi_ct_3slice');
test('the real SEGs on their 3 CT slices: names, colours, overlaps in layers, voxel counts', { skip: existsSync(dir) ? false : '../shared/data/labels is missing' }, async () => {
  const scan = (await loadDicomFolderNode(dir)).volume;
  assert.deepEqual(scan.dims, [512, 512, 3]);
  const read = (f: string) => new Uint8Array(readFileSync(`${dir}/${f}`));
  assert.equal(sniffLabelFile('seg_liver.dcm', read('seg_liver.dcm').subarray(0, 65536)), 'dicom-seg');
  assert.equal(sniffLabelFile('01.dcm', read('01.dcm').subarray(0, 65536)), null);
  const count = (a: Uint8Array, v: number) => a.reduce((s, x) => s + (x === v ? 1 : 0), 0);
  const liver = await importLabelFile('seg_liver.dcm', read('seg_liver.dcm'), scan);
  assert.equal(liver.exact, true);
  assert.deepEqual(liver.segments, [{ name: 'Liver', color: [221, 130, 101], layer: 0, value: 1 }]);
  const nrrd = await importLabelFile('labels_liver_spine.nrrd', read('labels_liver_spine.nrrd'), scan);
  // the same liver, written by dcmqi as SEG and as NRRD label 1: the same voxels
  assert.equal(count(liver.layers[0], 1), 107098);
  assert.deepEqual(liver.layers[0].map((x) => x), nrrd.layers[0].map((x) => (x === 1 ? 1 : 0)));
  const overlaps = await importLabelFile('seg_partial_overlaps.dcm', read('seg_partial_overlaps.dcm'), scan);
  assert.deepEqual(overlaps.segments.map((s) => s.name), ['GREEN', 'ORANGE', 'PURPLE', 'LIGHT_BLUE', 'DARK_BLUE']);
  assert.deepEqual(overlaps.segments.map((s) => s.color), [[128, 174, 128], [216, 101, 79], [183, 156, 220], [140, 224, 228], [0, 151, 206]]);
  assert.equal(overlaps.layers.length, 3);
  // segments sharing a layer never share a voxel of it, by construction; segments in different layers do overlap
  const voxels = overlaps.segments.map((s) => {
    const set = new Set<number>();
    overlaps.layers[s.layer].forEach((x, p) => x === s.value && set.add(p));
    return set;
  });
  assert.deepEqual(voxels.map((s) => s.size), [9602, 11888, 10743, 6693, 4713]);
  const shared = (a: Set<number>, b: Set<number>) => [...a].filter((p) => b.has(p)).length;
  assert.ok(shared(voxels[0], voxels[1]) > 0, 'GREEN and ORANGE overlap');
  // frames live where their positions say: PURPLE has frames on all three slices, GREEN and ORANGE on the middle one
  const slice = 512 * 512;
  const onSlice = (s: Set<number>, k: number) => [...s].some((p) => Math.floor(p / slice) === k);
  assert.deepEqual([0, 1, 2].map((k) => onSlice(voxels[2], k)), [true, true, true]);
  assert.deepEqual([0, 1, 2].map((k) => onSlice(voxels[0], k)), [false, true, false]);
});
