import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { nodeDecoder } from './nodeLoad';
import { fileSource, loadSources } from './sources';
import { data, needsShared } from './testData';

// Every input is built in memory as a File (nothing is written anywhere); the good data is read from
// ../shared/data by path.
const GE = data('ct_head_ge_gantry_tilt');
const CT_NII = data('nifti/ct_abdomen_totalsegmentator_example_ct.nii.gz');
const fileOf = (bytes: Uint8Array, name: string) => fileSource(new File([bytes as Uint8Array<ArrayBuffer>], name));
const geFiles = () => readdirSync(GE).sort().map((f) => fileOf(readFileSync(`${GE}/${f}`), `ge/${f}`));
const load = (files: ReturnType<typeof fileOf>[]) => loadSources(files, nodeDecoder);

/** A copy of a DICOM file with Rows and Columns (explicit VR LE, (0028,0010)/(0028,0011) US) set to `n`. */
function withSize(bytes: Uint8Array, n: number): Uint8Array {
  const c = bytes.slice();
  const v = new DataView(c.buffer);
  for (let i = 0; i < c.length - 20; i++)
    if (v.getUint32(i, true) === 0x00100028 && c[i + 4] === 0x55 && c[i + 5] === 0x53 && v.getUint32(i + 10, true) === 0x00110028) {
      v.setUint16(i + 8, n, true);
      v.setUint16(i + 18, n, true);
      return c;
    }
  throw new Error('Rows/Columns not found');
}

test('a NIfTI file alone loads into shared memory with its geometry, modality guess and name', needsShared, async () => {
  const r = await load([fileOf(readFileSync(CT_NII), 'ct.nii.gz')]);
  assert.deepEqual(r.volume.dims, [122, 101, 112]);
  assert.deepEqual(r.volume.spacing, [3, 3, 3]);
  assert.ok(r.volume.data.buffer instanceof SharedArrayBuffer);
  assert.equal(r.seriesDescription, ''); // no descrip: the file name (it may name the patient) is not used
  assert.equal(r.modality, 'CT');
  assert.deepEqual(r.otherSeries, []);
  assert.equal(r.fileCount, 1);
  assert.match(r.warnings.join('\n'), /NIfTI files store no modality: treated as CT/);
});

test('NIfTI by content under another name; a 4D file gives its first volume, gzipped or not', needsShared, async () => {
  // a 2×2×2 int16 volume with 3 time points
  const hdr = new Uint8Array(352 + 3 * 16);
  const v = new DataView(hdr.buffer);
  v.setInt32(0, 348, true);
  [4, 2, 2, 2, 3, 1, 1, 1].forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(70, 4, true);
  v.setInt16(72, 16, true);
  [1, 1, 1, 1].forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, 352, true);
  hdr.set([0x6e, 0x2b, 0x31, 0], 344);
  for (let i = 0; i < 24; i++) v.setInt16(352 + 2 * i, i, true);
  for (const [bytes, name] of [[hdr, 'scan'], [gzipSync(hdr), 'scan.nii.gz']] as const) {
    const r = await load([fileOf(bytes, name)]);
    assert.deepEqual([...r.volume.data], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(r.warnings.includes(`${name}: 4D file with 3 volumes (2×2×2×3); loaded the first one`), r.warnings.join('\n'));
  }
});

test('NIfTI and DICOM together: the larger volume wins and the other is named', needsShared, async () => {
  const dicomWins = await load([...geFiles(), fileOf(readFileSync(CT_NII), 'ct.nii.gz')]);
  assert.deepEqual(dicomWins.volume.dims, [512, 512, 37]);
  assert.ok(dicomWins.warnings.includes('Not chosen: ct.nii.gz (NIfTI, 122 × 101 × 112 voxels, smaller)'), dicomWins.warnings.join('\n'));
  // two of the slices: 512 × 512 × 2 voxels, fewer than the NIfTI's 122 × 101 × 112
  const niftiWins = await load([...geFiles().slice(0, 2), fileOf(readFileSync(CT_NII), 'ct.nii.gz')]);
  assert.deepEqual(niftiWins.volume.dims, [122, 101, 112]);
  assert.deepEqual(niftiWins.otherSeries.map((s) => [s.slices, s.why]), [[2, 'smaller than the NIfTI volume']]);
});

test('a zip of a DICOM folder loads like the folder; macOS resource files are counted', needsShared, async () => {
  const entries: Zippable = {};
  for (const f of readdirSync(GE)) {
    entries[`ct_head/${f}`] = readFileSync(`${GE}/${f}`);
    entries[`__MACOSX/ct_head/._${f}`] = new Uint8Array(120);
  }
  const r = await load([fileOf(zipSync(entries, { level: 1 }), 'head.zip')]);
  assert.deepEqual(r.volume.dims, [512, 512, 37]);
  assert.deepEqual(r.skipped, { count: 28, reasons: { 'macOS resource files': 28 } });
  assert.equal(r.fileCount, 56);
});

test('damaged files are each named with their problem, and the series beside them still loads', needsShared, async () => {
  const one = new Uint8Array(readFileSync(`${GE}/01.dcm`));
  const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
  const bad = [
    fileOf(new Uint8Array(0), 'bad/empty.dcm'),
    fileOf(junk, 'bad/junk.dcm'),
    fileOf(one.subarray(0, one.length >> 1), 'bad/cut.dcm'),
    fileOf(withSize(one, 60000), 'bad/huge.dcm'),
    fileOf(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]), 'bad/broken.nii.gz'),
    fileOf(new TextEncoder().encode('readme'), 'bad/README.txt'),
  ];
  const r = await load([...geFiles(), ...bad]);
  assert.deepEqual(r.volume.dims, [512, 512, 37]);
  const w = r.warnings.join('\n');
  assert.match(w, /bad\/empty\.dcm: the file is empty \(0 bytes\)/);
  assert.match(w, /bad\/junk\.dcm: named like a DICOM file, but its content is not DICOM/);
  assert.match(w, /bad\/cut\.dcm: the file ends too early \(truncated\)/);
  assert.match(w, /bad\/huge\.dcm: the header says 60000 × 60000 pixels \(7200000000 bytes\) but the pixel data holds only 524288 bytes/);
  assert.match(w, /bad\/broken\.nii\.gz: corrupt gzip data/);
  assert.doesNotMatch(w, /README/); // an ordinary non-DICOM file is counted, not reported as damaged
  assert.deepEqual(r.skipped, { count: 6, reasons: { 'empty file': 1, 'not DICOM': 2, 'damaged DICOM': 2, 'unreadable NIfTI': 1 } });
});

test('a refused zip is named with the reason; alone it is an error, beside a series a note', needsShared, async () => {
  const bombZip = zipSync({ 'zeros.dcm': new Uint8Array(2 ** 21) }, { level: 9 });
  const cd = bombZip.length - 22 - 46 - 'zeros.dcm'.length;
  new DataView(bombZip.buffer).setUint32(cd + 24, 0xfffffff0, true); // declares ~4 GiB from a few KiB
  await assert.rejects(load([fileOf(bombZip, 'bomb.zip')]), /^Error: bomb\.zip: refused: zeros\.dcm would expand from .* to 4 GiB \(more than 1000:1/);
  const r = await load([...geFiles(), fileOf(bombZip, 'bomb.zip')]);
  assert.deepEqual(r.volume.dims, [512, 512, 37]);
  assert.match(r.warnings[0], /^bomb\.zip: refused: .*Unzip it yourself and open or drop the folder\.$/);
});

test('nothing loadable: the error lists what was found and names the damaged files', async () => {
  await assert.rejects(
    load([fileOf(new Uint8Array(0), 'a.dcm'), fileOf(new Uint8Array(10), 'b.dcm')]),
    /^Error: No image volume found in 2 files \(1 × empty file; 1 × not DICOM\)\. a\.dcm: the file is empty \(0 bytes\)\. b\.dcm: named like a DICOM file/,
  );
});
