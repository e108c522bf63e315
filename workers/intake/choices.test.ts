import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { DicomHeader } from './headerTypes';
import { listFiles, nodeDecoder } from './nodeLoad';
import { groupStacks, chooseStack } from './series';
import { orderedSlices } from './choices';
import { fileSource, loadSources, type InputSource } from './sources';
import { data, imageHeaders, needsShared } from './testData';
import { imageThumb, middleSlice, thumbSize, type Thumb } from './thumbnail';

// Inputs are Files built in memory from the shared real data (read by path, never copied).
const filesOf = (dir: string, prefix = ''): InputSource[] =>
  listFiles(dir).map((p) => fileSource(new File([readFileSync(p)], `${prefix}${relative(dir, p)}`)));
const PHILIPS = data('mixed_philips_ct_cdexport');
const GE = data('ct_head_ge_gantry_tilt');
const J2K = data('codecs/ct_series_jpeg2000_no_ext');
const near = (a: number, b: number, tol = 1e-3) => Math.abs(a - b) <= tol;

test('a CD export: the axial series is the default and loaded; the localizer and screenshots are listed as not volumes', needsShared, async () => {
  const r = await loadSources(filesOf(PHILIPS), nodeDecoder);
  const s = r.series!;
  assert.ok(s.length >= 3, JSON.stringify(s));
  const [first, ...rest] = s;
  assert.equal(first.description, 'STD BRAIN 5MM');
  assert.equal(first.modality, 'CT');
  assert.deepEqual([first.slices, first.columns, first.rows], [28, 512, 512]);
  assert.ok(near(first.spacing[0], 0.4512, 1e-4) && near(first.spacing[1], 0.4512, 1e-4) && near(first.spacing[2], 5), String(first.spacing));
  assert.ok(first.volume && first.isDefault && first.chosen);
  assert.equal(first.why, undefined);
  // nothing else can be loaded: every other entry says why, and none is chosen or default
  for (const c of rest) assert.ok(!c.volume && !c.chosen && !c.isDefault && c.why, JSON.stringify(c));
  const why = rest.map((c) => c.why);
  assert.ok(why.includes('localizer'), why.join());
  assert.ok(why.includes('secondary capture (screenshot)'), why.join());
  const loc = rest.find((c) => c.why === 'localizer')!;
  assert.equal(loc.spacing[2], 0); // not a volume: no slice spacing
  // non-volumes: most images first
  for (let i = 1; i < rest.length; i++) assert.ok(rest[i - 1].slices >= rest[i].slices);
  // ids are unique; no thumbnails without a thumbnail encoder (Node)
  assert.equal(new Set(s.map((c) => c.id)).size, s.length);
  assert.ok(s.every((c) => c.thumbnail === undefined));
  // a non-volume cannot be loaded
  await assert.rejects(r.reload!(loc.id), /cannot be loaded as a volume: localizer/);
  await assert.rejects(r.reload!('nope'), /No series "nope"/);
});

test('two real series in one folder: the larger is the default; the other loads by id without reading headers again', needsShared, async () => {
  const files = [...filesOf(GE, 'ge/'), ...filesOf(J2K, 'j2k/')];
  let headerReads = 0;
  // without the Blob every read goes through read(), so it can be counted (with it, a slice reads only its bytes)
  const counted = files.map((f) => ({ ...f, blob: undefined, chunks: undefined, ref: undefined, read: () => (headerReads++, f.read()) }));
  const r = await loadSources(counted, nodeDecoder);
  assert.deepEqual(r.volume.dims, [512, 512, 37]);
  const s = r.series!;
  assert.equal(s.length, 2);
  assert.deepEqual(s.map((c) => [c.slices, c.isDefault, c.chosen, c.volume, c.why ?? null]), [
    [28, true, true, true, null],
    [20, false, false, true, 'smaller'],
  ]);
  assert.ok(near(s[1].spacing[2], 2) && near(s[1].spacing[0], 0.9766, 1e-4), String(s[1].spacing));
  assert.equal(s[1].description, 'CT Body 3.0');

  headerReads = 0;
  const phases: string[] = [];
  const other = await r.reload!(s[1].id, (p) => phases.push(p.phase));
  assert.deepEqual(other.volume.dims, [512, 512, 20]);
  assert.ok(other.volume.data.buffer instanceof SharedArrayBuffer);
  assert.ok(near(other.volume.spacing[2], 2));
  assert.equal(headerReads, 20, 'only the 20 slices are read, no header scan');
  assert.ok(!phases.includes('reading headers'));
  assert.deepEqual(other.series!.map((c) => [c.id, c.chosen, c.isDefault]), [
    [s[0].id, false, true],
    [s[1].id, true, false],
  ]);
  // the default is named as not loaded, and not as "smaller"
  assert.deepEqual(other.otherSeries.map((o) => [o.slices, o.why]), [[28, 'not picked']]);
  // and back: the reload of the reload works the same
  const back = await other.reload!(s[0].id);
  assert.deepEqual(back.volume.dims, [512, 512, 37]);
  assert.deepEqual(back.otherSeries.map((o) => [o.slices, o.why]), [[20, 'smaller']]);
});

test('NIfTI files are choices too; a larger DICOM series stays the default', needsShared, async () => {
  const nii = data('nifti/mr_abdomen_totalsegmentator_example_mr_sm.nii.gz'); // 117×91×20: smaller than the GE head
  const files = [...filesOf(GE, 'ge/'), fileSource(new File([readFileSync(nii)], 'mr_sm.nii.gz'))];
  const r = await loadSources(files, nodeDecoder);
  const s = r.series!;
  assert.deepEqual(s.map((c) => [c.modality, c.slices, c.columns, c.rows, c.isDefault, c.why ?? null]), [
    ['CT', 28, 512, 512, true, null],
    ['', 20, 117, 91, false, 'smaller'],
  ]);
  assert.deepEqual(s[1].spacing.map((v) => +v.toFixed(3)), [3, 3, 3]);
  const m = await r.reload!(s[1].id);
  assert.deepEqual(m.volume.dims, [117, 91, 20]);
  assert.equal(m.modality, 'MR');
  assert.deepEqual(m.otherSeries.map((o) => [o.slices, o.why]), [[28, 'not picked']]);
});

test('thumbnails: the middle slice, windowed, at most 64×64 with the true aspect; uncompressed, JPEG 2000 and RGB', needsShared, async () => {
  const cases: [string, string][] = [
    [data('mixed_philips_ct_cdexport/S21570/S2010'), 'native CT'],
    [J2K, 'JPEG 2000 CT'],
    [data('mr_t1_head_sag_siemens'), 'MR'],
  ];
  for (const [dir, name] of cases) {
    const headers = await imageHeaders(dir);
    const stack = chooseStack(groupStacks(headers))!;
    const h = middleSlice(orderedSlices(stack));
    const t = (await imageThumb(h, fileSource(new File([readFileSync(`${dir}/${h.fileName}`)], h.fileName)), nodeDecoder, stack.modality))!;
    assert.ok(t, name);
    assert.deepEqual([t.width, t.height], [64, 64], name);
    assert.equal(t.rgba.length, 64 * 64 * 4);
    const g = grey(t);
    assert.ok(g.dark > 0.1 && g.bright > 0.02, `${name}: ${JSON.stringify(g)}`);
  }
  // the middle slice in volume order, not in file order
  const ge = chooseStack(groupStacks(await imageHeaders(GE)))!;
  assert.equal(middleSlice(orderedSlices(ge)), orderedSlices(ge)[13]);

  // the Philips screenshots: 8-bit RGB drawn in colour; the localizer keeps its aspect
  const sc = (await imageHeaders(data('mixed_philips_ct_cdexport/S21570/S4010'))).filter((x) => x.samplesPerPixel === 3);
  assert.ok(sc.length);
  const rgb = (await imageThumb(sc[0], fileSource(new File([readFileSync(`${data('mixed_philips_ct_cdexport/S21570/S4010')}/${sc[0].fileName}`)], 'x')), nodeDecoder, 'CT'))!;
  assert.ok(rgb && rgb.width <= 64 && rgb.height <= 64);
  assert.deepEqual(thumbSize(512, 256, [1, 1]), [64, 32]);
  assert.deepEqual(thumbSize(256, 512, [0.5, 1]), [64, 64]);
});

test('a series holding two acquisitions of the same slices is split into two stacks; one in two parts stays whole', needsShared, () => {
  const at = (z: number, acq: string, i: number): DicomHeader => ({ ...header(), fileName: `f${acq}-${i}`, acquisitionNumber: acq, imagePositionPatient: [0, 0, z] });
  const repeated = [1, 2].flatMap((a) => [0, 1, 2, 3].map((z, i) => at(z, String(a), i)));
  const stacks = groupStacks(repeated);
  assert.deepEqual(stacks.map((s) => [s.headers.length, s.notVolume, s.description]), [
    [4, null, 'test (acquisition 1)'],
    [4, null, 'test (acquisition 2)'],
  ]);
  // different acquisitions covering different ranges (like the GE head: 4 mm, then 7 mm): one stack
  const parts = [...[0, 1, 2].map((z, i) => at(z, '1', i)), ...[5, 10].map((z, i) => at(z, '2', i))];
  assert.deepEqual(groupStacks(parts).map((s) => s.headers.length), [5]);
  // repeated positions that acquisitions do not explain stay one (non-volume) stack
  const same = [1, 1].map((z, i) => at(z, '1', i));
  assert.equal(groupStacks(same)[0].notVolume, 'several images at the same position (1 position only): e.g. f1-0 and f1-1 lie at one position and are not copies of one image');
});

test('the real GE head (AcquisitionNumber changes inside the series) stays one 28-slice stack', needsShared, async () => {
  const stacks = groupStacks(await imageHeaders(GE));
  assert.deepEqual(stacks.map((s) => s.headers.length), [28]);
  assert.ok(new Set(stacks[0].headers.map((h) => h.acquisitionNumber)).size > 1);
});

function grey(t: Thumb) {
  let dark = 0, bright = 0;
  for (let i = 0; i < t.rgba.length; i += 4) {
    if (t.rgba[i] < 30) dark++;
    if (t.rgba[i] > 120) bright++;
  }
  const n = t.rgba.length / 4;
  return { dark: dark / n, bright: bright / n };
}

function header(): DicomHeader {
  return {
    kind: 'image', fileName: 'x', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '', modality: 'CT', seriesUid: '1.2.3', studyUid: '', frameOfReferenceUid: '',
    seriesDescription: 'test', seriesNumber: '1', acquisitionNumber: '1', imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'], rows: 4, columns: 4,
    pixelSpacing: [1, 1], pixelSpacingKnown: true, imagePositionPatient: [0, 0, 0], imageOrientationPatient: [1, 0, 0, 0, 1, 0], rescaleSlope: 1,
    rescaleIntercept: 0, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, pixelPadding: null, samplesPerPixel: 1, photometric: 'MONOCHROME2',
    planarConfiguration: 0, numberOfFrames: 1, transferSyntax: '1.2.840.10008.1.2.1', pixelData: { offset: 0, length: 32, fragments: null },
  };
}
