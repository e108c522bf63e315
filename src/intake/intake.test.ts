import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readHeader, type ImageHeader } from './dicomHeader';
import { loadDicomFolderNode } from './nodeLoad';
import { chooseStack, groupStacks, stackGeometry } from './series';

const data = (rel: string) => resolve(process.cwd(), '..', 'shared', 'data', rel);
const read = (p: string) => {
  const b = readFileSync(p);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const headersOf = (dir: string) =>
  readdirSync(dir).map((f) => readHeader(f, read(`${dir}/${f}`))).filter((h): h is ImageHeader => h.kind === 'image');

test('DICOM is recognised by content; non-image objects are named', () => {
  assert.equal(readHeader('1-039.dcm', read(data('ct_abdomen_tcia_pancreas/1-039.dcm'))).kind, 'image');
  assert.deepEqual(readHeader('DICOMDIR', read(data('mixed_philips_ct_cdexport/DICOMDIR'))), { kind: 'skip', fileName: 'DICOMDIR', reason: 'DICOMDIR' });
  assert.deepEqual(readHeader('README.md', read(data('README.md'))), { kind: 'skip', fileName: 'README.md', reason: 'not DICOM' });
  // no preamble, no "DICM", no file meta: still read, and recognised as an RT object
  assert.deepEqual(readHeader('rtstruct.dcm', read(data('nonimage/rt/rtstruct.dcm'))), { kind: 'skip', fileName: 'rtstruct.dcm', reason: 'RT object' });
  assert.equal((readHeader('sr', read(data('nonimage/sr/pydicom_test-SR.dcm'))) as { reason: string }).reason, 'structured report');
});

test('a CD export: the 28-slice axial series is chosen, not the localizer or the screenshots', async () => {
  const r = await loadDicomFolderNode(data('mixed_philips_ct_cdexport'));
  assert.deepEqual(r.volume.dims, [512, 512, 28]);
  assert.ok(Math.abs(r.volume.spacing[0] - 0.4512) < 1e-3 && Math.abs(r.volume.spacing[2] - 5) < 1e-6);
  assert.equal(r.seriesDescription, 'STD BRAIN 5MM');
  assert.ok(r.skipped.reasons.DICOMDIR >= 1, 'the DICOMDIR files are skipped and counted');
  const why = r.otherSeries.map((s) => s.why);
  assert.ok(why.includes('localizer') && why.includes('secondary capture (screenshot)'), why.join());
});

test('real CT geometry: slices ordered along the normal, HU from rescale, never InstanceNumber', async () => {
  const r = await loadDicomFolderNode(data('ct_abdomen_tcia_pancreas'));
  const v = r.volume;
  assert.deepEqual(v.dims, [512, 512, 96]);
  assert.deepEqual(v.spacing.map((s) => +s.toFixed(4)), [1.0742, 1.0742, 3]);
  // InstanceNumber 39 is at z 370.91 and 134 at 85.91: sorted along +z the first slice is 134's.
  assert.deepEqual(v.origin, [-275, -178.1, 85.91]);
  assert.deepEqual(v.direction.map((d) => Math.round(d * 1e6) / 1e6), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  let min = Infinity, max = -Infinity;
  for (const x of v.data) (min = Math.min(min, x)), (max = Math.max(max, x));
  assert.deepEqual([min, max], [-1000, 1365]);
});

test('empty UIDs (JPEG 2000 series without extensions): one stack of 20, 2 mm apart', () => {
  const stacks = groupStacks(headersOf(data('codecs/ct_series_jpeg2000_no_ext')));
  assert.equal(stacks.length, 1);
  const g = stackGeometry(chooseStack(stacks)!);
  assert.deepEqual(g.dims, [512, 512, 20]);
  assert.ok(Math.abs(g.spacing[2] - 2) < 1e-6);
  // positions decrease as InstanceNumber rises; the grid runs from the lowest z upwards anyway
  assert.ok(Math.abs(g.origin[2] - -804.5) < 1e-6 && g.direction[8] > 0.999);
});

test('gantry tilt and uneven spacing are detected; the sheared slice axis is kept exactly', async () => {
  const r = await loadDicomFolderNode(data('ct_head_ge_gantry_tilt'));
  assert.ok(r.warnings.some((w) => /Gantry tilt of 18\.5°/.test(w)), r.warnings.join());
  assert.ok(r.warnings.some((w) => /Uneven slice spacing/.test(w)));
  const d = r.volume.direction;
  const normal = [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
  const cos = Math.abs(normal[0] * d[6] + normal[1] * d[7] + normal[2] * d[8]);
  assert.ok(Math.abs((Math.acos(cos) * 180) / Math.PI - 18.5) < 0.2);
});

test('a folder without an image volume gives a message that says what was found and what to do', async () => {
  await assert.rejects(loadDicomFolderNode(data('nonimage/sr')), (e: Error) => /No image volume found in 3 files/.test(e.message) && /structured report/.test(e.message) && /Open the folder/.test(e.message));
});
