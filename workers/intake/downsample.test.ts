import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vec3, Volume } from '../core/types';
import { LoadCancelled, type LoadControl } from './loadTypes';
import type { DicomHeader } from './headerTypes';
import { assertLoadable, downsampleGeometry, downsampleNote, sizeOffer, type Downsample } from './downsample';
import { MEMORY_PER_VOLUME_BYTE, memoryBudget, TAB_MEMORY_BYTES } from './limits';
import { listFiles, nodeDecoder, fileSource } from './nodeLoad';
import { bin2x2, sliceLength, storeHU } from './pixels';
import type { StackGeometry } from './series';
import { loadSources } from './sources';
import { data, needsShared } from './testData';

const MiB = 2 ** 20;
const near = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol;

/** Patient position of voxel (i, j, k)'s centre (see VolumeGeometry). */
const at = (g: Pick<StackGeometry, 'origin' | 'spacing' | 'direction'>, i: number, j: number, k: number): Vec3 =>
  [0, 1, 2].map((a) => g.origin[a] + i * g.spacing[0] * g.direction[a] + j * g.spacing[1] * g.direction[3 + a] + k * g.spacing[2] * g.direction[6 + a]) as Vec3;

/** An oblique, sheared stack of `n` fake slices (only their identity matters to the geometry). */
function geometry(dims: Vec3, resample?: number[]): StackGeometry {
  const c = Math.cos(0.3), s = Math.sin(0.3);
  return {
    dims,
    spacing: [0.7, 0.8, 2.5],
    origin: [-120.5, 33.25, 400],
    direction: [c, s, 0, -s, c, 0, 0.05, 0, Math.sqrt(1 - 0.0025)],
    slices: Array.from({ length: resample?.length ?? dims[2] }, (_, k) => ({ fileName: `s${k}` }) as DicomHeader),
    resample: resample && { positions: resample },
    warnings: [],
  };
}

test('in-plane 2×: each voxel sits at the mean of its 2 × 2 source voxels; odd sizes drop the last row/column', () => {
  const g = geometry([7, 5, 4]);
  const d = downsampleGeometry(g, { inPlane: true, slices: false });
  assert.deepEqual(d.dims, [3, 2, 4]);
  assert.deepEqual(d.spacing, [1.4, 1.6, 2.5]);
  assert.equal(d.slices.length, 4);
  for (const [i, j, k] of [[0, 0, 0], [2, 1, 3], [1, 0, 2]]) {
    const src = [at(g, 2 * i, 2 * j, k), at(g, 2 * i + 1, 2 * j, k), at(g, 2 * i, 2 * j + 1, k), at(g, 2 * i + 1, 2 * j + 1, k)];
    const mean = [0, 1, 2].map((a) => src.reduce((t, p) => t + p[a], 0) / 4);
    const p = at(d, i, j, k);
    for (let a = 0; a < 3; a++) assert.ok(near(p[a], mean[a]), `voxel ${i},${j},${k} axis ${a}: ${p[a]} vs ${mean[a]}`);
  }
});

test('every other slice: slices 0, 2, 4… kept, step doubled, origin and the first slice unchanged', () => {
  const g = geometry([4, 4, 9]);
  const d = downsampleGeometry(g, { inPlane: false, slices: true });
  assert.deepEqual(d.dims, [4, 4, 5]);
  assert.equal(d.spacing[2], 5);
  assert.deepEqual(d.origin, g.origin);
  assert.deepEqual(d.slices.map((h) => h.fileName), ['s0', 's2', 's4', 's6', 's8']);
  // an odd count keeps the full extent; the last kept slice is the source's last
  assert.deepEqual(at(d, 0, 0, 4), at(g, 0, 0, 8));
  // an even count ends one source slice short
  assert.deepEqual(downsampleGeometry(geometry([4, 4, 10]), { inPlane: false, slices: true }).dims, [4, 4, 5]);
});

test('every other slice with uneven spacing: every file is still decoded, the regular grid step doubles', () => {
  const g = geometry([4, 4, 7], [0, 2.5, 5, 10, 12.5, 15]);
  const d = downsampleGeometry(g, { inPlane: false, slices: true });
  assert.equal(d.slices.length, 6);
  assert.deepEqual(d.resample, g.resample);
  assert.deepEqual(d.dims, [4, 4, 4]);
  assert.equal(d.spacing[2], 5);
  assert.match(downsampleNote(g, d, { inPlane: false, slices: true }), /^Downsampled to fit memory: 4 × 4 × 7 → 4 × 4 × 4 voxels, every other slice kept \(2\.5 mm → 5 mm/);
});

test('2 × 2 averaging: rounded means, odd last row and column dropped', () => {
  // 5 × 3: columns 0–3 and rows 0–1 are used
  const src = [0, 1, 10, 20, 99, 2, 3, -10, -21, 99, 99, 99, 99, 99, 99];
  const dst = new Int16Array(2);
  bin2x2(src, 5, 3, dst);
  assert.deepEqual([...dst], [2, 0]); // (0+1+2+3)/4 = 1.5 → 2; (10+20−10−21)/4 = −0.25 → 0
  assert.equal(sliceLength({ columns: 5, rows: 3, bin: 2 }), 2);
  assert.equal(sliceLength({ columns: 5, rows: 3 }), 15);
});

test('storeHU with bin 2 rescales and pads first, then averages HU', () => {
  const h = {
    fileName: 'x', rows: 2, columns: 4, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, samplesPerPixel: 1,
    photometric: 'MONOCHROME2', planarConfiguration: 0, rescaleSlope: 2, rescaleIntercept: -1000, pixelPadding: [0, 0] as [number, number],
    modality: 'CT', transferSyntax: '1.2.840.10008.1.2.1', pixelData: { offset: 0, length: 16, fragments: null }, bin: 2 as const,
  };
  const dst = new Int16Array(2);
  storeHU(h, [500, 500, 0, 600, 500, 500, 600, 600], dst);
  // block 1: 4 × (2·500 − 1000) = 0; block 2: padding → −1024, three × 200 → (−1024 + 600) / 4 = −106
  assert.deepEqual([...dst], [0, -106]);
  assert.throws(() => storeHU(h, new Array(8).fill(0), new Int16Array(8)), /holds 8 values, the image 2/);
});

test('memory budget: 1 GiB by default, deviceMemory / 8 on small devices, the address parameter wins', () => {
  assert.equal(memoryBudget({}).bytes, TAB_MEMORY_BYTES / MEMORY_PER_VOLUME_BYTE);
  assert.equal(memoryBudget({}).bytes, 2 ** 30);
  assert.equal(memoryBudget({ deviceMemoryGiB: 8 }).bytes, 2 ** 30);
  assert.equal(memoryBudget({ deviceMemoryGiB: 4 }).bytes, 512 * MiB);
  assert.match(memoryBudget({ deviceMemoryGiB: 2 }).why, /reports 2 GiB/);
  assert.equal(memoryBudget({ deviceMemoryGiB: 2, overrideMiB: 20 }).bytes, 20 * MiB);
});

test('size offer: none within the budget; singles first, "both" only when neither alone fits', () => {
  const budget = (mib: number) => ({ bytes: mib * MiB, why: 'test' });
  assert.equal(sizeOffer('CT', [512, 512, 96], budget(48), true), null);
  const o = sizeOffer('CT', [512, 512, 96], budget(20), true)!;
  assert.equal(o.bytes, 48 * MiB);
  assert.deepEqual(o.choices.map((c) => [c.dims, c.bytes / MiB, c.fits]), [
    [[256, 256, 96], 12, true],
    [[512, 512, 48], 24, false],
  ]);
  const tight = sizeOffer('CT', [512, 512, 96], budget(10), true)!;
  assert.deepEqual(tight.choices.map((c) => c.downsample), [
    { inPlane: true, slices: false },
    { inPlane: false, slices: true },
    { inPlane: true, slices: true },
  ]);
  assert.deepEqual(tight.choices[2].dims, [256, 256, 48]);
  assert.deepEqual(sizeOffer('a.nii', [512, 512, 96], budget(20), false)!.choices, []);
  assert.equal(o.canLoadFull, true);
});

test('a series over 2^31 voxels is offered only smaller versions, and refuses to load at full size', needsShared, () => {
  const o = sizeOffer('micro-CT', [1024, 1024, 2500], { bytes: 2 ** 30, why: 'test' }, true)!;
  assert.equal(o.canLoadFull, false);
  assert.deepEqual(o.choices.map((c) => c.dims), [[512, 512, 2500], [1024, 1024, 1250], [512, 512, 1250]]);
  assert.throws(() => assertLoadable('micro-CT', [1024, 1024, 2500]), /micro-CT is 1024 × 1024 × 2500 voxels, more than a browser tab can hold .*load it downsampled/);
  assert.doesNotThrow(() => assertLoadable('micro-CT', [512, 512, 2500]));
});

// ---- the pancreas CT (512 × 512 × 96, 48 MiB) loaded in Node through the same path as the browser ----

const PANCREAS = data('ct_abdomen_tcia_pancreas');
const pancreasFiles = () => listFiles(PANCREAS).map(fileSource);
const budget20 = { bytes: 20 * MiB, why: 'a test says so' };
/** Loads the pancreas CT answering the offer with `d`; records the offers made. */
async function loadPancreas(d: Downsample | null, control: LoadControl = {}) {
  const offers: unknown[] = [];
  const r = await loadSources(pancreasFiles(), nodeDecoder, undefined, {
    budget: d ? budget20 : undefined,
    offer: async (o) => (offers.push(o), d!),
    ...control,
  });
  return { r, offers };
}
const meanOf = (v: Volume) => v.data.reduce((s, x) => s + x, 0) / v.data.length;

let full: Volume | null = null;
const fullVolume = async () => (full ??= (await loadPancreas(null)).r.volume);

test('pancreas CT over a 20 MiB budget, in-plane 2×: 256 × 256 × 96, spacing doubled, HU like full resolution', needsShared, async () => {
  const { r, offers } = await loadPancreas({ inPlane: true, slices: false });
  assert.equal(offers.length, 1);
  const f = await fullVolume();
  const v = r.volume;
  assert.deepEqual(v.dims, [256, 256, 96]);
  assert.ok(near(v.spacing[0], 2 * f.spacing[0]) && near(v.spacing[1], 2 * f.spacing[1]) && v.spacing[2] === f.spacing[2]);
  assert.ok(near(v.origin[0], f.origin[0] + f.spacing[0] / 2, 1e-6) && near(v.origin[1], f.origin[1] + f.spacing[1] / 2, 1e-6));
  assert.ok(v.data.buffer instanceof SharedArrayBuffer);
  let lo = Infinity, hi = -Infinity;
  for (const x of v.data) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  assert.ok(lo >= -1100 && hi > 1000 && hi < 4000, `HU range ${lo}…${hi}`);
  assert.ok(Math.abs(meanOf(v) - meanOf(f)) < 2, `mean ${meanOf(v)} vs ${meanOf(f)}`);
  // one voxel is exactly the rounded mean of its 2 × 2 block
  const [fx, fy] = f.dims, [x, y, z] = [100, 120, 40];
  const b = (i: number, j: number) => f.data[i + fx * (j + fy * z)];
  assert.equal(v.data[x + 256 * (y + 256 * z)], Math.floor((b(2 * x, 2 * y) + b(2 * x + 1, 2 * y) + b(2 * x, 2 * y + 1) + b(2 * x + 1, 2 * y + 1) + 2) / 4));
  assert.ok(r.warnings.some((w) => w.startsWith('Downsampled to fit memory: 512 × 512 × 96 → 256 × 256 × 96 voxels')), r.warnings.join('\n'));
});

test('pancreas CT, every other slice: 48 slices 6 mm apart, equal to the full volume\'s even slices', needsShared, async () => {
  const { r } = await loadPancreas({ inPlane: false, slices: true });
  const f = await fullVolume();
  assert.deepEqual(r.volume.dims, [512, 512, 48]);
  assert.ok(near(r.volume.spacing[2], 6, 1e-6), String(r.volume.spacing[2]));
  assert.deepEqual(r.volume.origin, f.origin);
  const n = 512 * 512;
  assert.deepEqual(r.volume.data.subarray(5 * n, 6 * n), f.data.subarray(10 * n, 11 * n));
});

test('a cancelled load rejects with LoadCancelled and never gives a volume', needsShared, async () => {
  // cancelled before it starts
  const before = new AbortController();
  before.abort();
  await assert.rejects(loadPancreas(null, { signal: before.signal }), LoadCancelled);
  // cancelled while decoding
  const during = new AbortController();
  let decoded = 0;
  const p = loadSources(pancreasFiles(), nodeDecoder, (pr) => {
    if (pr.phase === 'decoding slices' && ++decoded === 10) during.abort();
  }, { signal: during.signal });
  await assert.rejects(p, (e: Error) => e instanceof LoadCancelled && e.message === 'Loading cancelled');
  assert.ok(decoded < 20, `decoding went on after cancel: ${decoded} slices`);
  // cancelled from the size offer
  const offered = new AbortController();
  await assert.rejects(
    loadPancreas({ inPlane: true, slices: false }, { offer: async () => { offered.abort(); throw new LoadCancelled(); }, signal: offered.signal }),
    LoadCancelled,
  );
});
