import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DicomHeader } from './headerTypes';
import { chooseStack, groupStacks, stackGeometry } from './series';
import { data, imageHeaders, needsShared } from './testData';

const near = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol;
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

test('a CD export: the 28-slice axial series is chosen, not the localizer or the screenshots', needsShared, async () => {
  const stacks = groupStacks(await imageHeaders(data('mixed_philips_ct_cdexport')));
  const chosen = chooseStack(stacks)!;
  assert.equal(chosen.description, 'STD BRAIN 5MM');
  assert.ok(chosen.headers.every((h) => h.fileName.startsWith('I')) && chosen.headers.length === 28);
  const g = stackGeometry(chosen);
  assert.deepEqual(g.dims, [512, 512, 28]);
  assert.ok(near(g.spacing[0], 0.4512, 1e-4) && near(g.spacing[1], 0.4512, 1e-4), String(g.spacing));
  assert.ok(near(g.spacing[2], 5, 1e-6));
  const why = stacks.filter((s) => s !== chosen).map((s) => s.notVolume);
  assert.ok(why.includes('localizer'), why.join());
  assert.ok(why.includes('secondary capture (screenshot)'), why.join());
});

test('pancreas CT: 512×512×96, slices sorted along the normal, origin and direction from first→last', needsShared, async () => {
  const headers = await imageHeaders(data('ct_abdomen_tcia_pancreas'));
  const stacks = groupStacks(headers);
  assert.equal(stacks.length, 1);
  const g = stackGeometry(stacks[0]);
  assert.deepEqual(g.dims, [512, 512, 96]);
  assert.deepEqual(g.spacing.map((s) => +s.toFixed(4)), [1.0742, 1.0742, 3]);
  const z = g.slices.map((h) => h.imagePositionPatient![2]);
  for (let k = 1; k < z.length; k++) assert.ok(near(z[k] - z[k - 1], 3, 1e-3), `step ${k}: ${z[k] - z[k - 1]}`);
  // InstanceNumber 39 (1-039) is at z 370.91 and 134 at 85.91: the first sorted slice is 1-134
  assert.equal(g.slices[0].fileName, '1-134.dcm');
  assert.deepEqual(g.origin, g.slices[0].imagePositionPatient);
  assert.deepEqual(g.origin, [-275, -178.1, 85.91]);
  assert.deepEqual(g.direction.map((d) => Math.round(d * 1e6) / 1e6), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  // every slice centre lies where the grid says: origin + k*sz*dirK
  for (const [k, h] of g.slices.entries()) {
    const p = h.imagePositionPatient!;
    for (let a = 0; a < 3; a++) assert.ok(near(p[a], g.origin[a] + k * g.spacing[2] * g.direction[6 + a], 1e-3), `slice ${k} axis ${a}`);
  }
  assert.deepEqual(g.warnings, []);
});

test('the grid is never mirrored: reversing the file order gives the same geometry', needsShared, async () => {
  const headers = await imageHeaders(data('ct_abdomen_tcia_pancreas'));
  const a = stackGeometry(groupStacks(headers)[0]);
  const b = stackGeometry(groupStacks([...headers].reverse())[0]);
  assert.deepEqual([b.origin, b.direction, b.slices.map((h) => h.fileName)], [a.origin, a.direction, a.slices.map((h) => h.fileName)]);
});

test('a stack whose normal points to −z: sorted along the normal, dirK = first→last = (0,0,−1), right-handed', () => {
  // synthetic: IOP whose normal cross(row, col) = (0,0,-1); positions along z
  const base = { rows: 4, columns: 4, imageOrientationPatient: [1, 0, 0, 0, -1, 0] };
  const hs = [10, 12, 14].map((z, i) => ({ ...header(), ...base, fileName: `f${i}`, imagePositionPatient: [0, 0, z] as [number, number, number] }));
  const g = stackGeometry(groupStacks(hs)[0]);
  // sorted by dot(IPP, normal) ascending: z 14, 12, 10, so the grid walks towards −z
  assert.deepEqual(g.slices.map((h) => h.fileName), ['f2', 'f1', 'f0']);
  assert.deepEqual(g.origin, [0, 0, 14]);
  assert.deepEqual(g.direction.slice(6), [0, 0, -1]);
  assert.deepEqual(g.direction.slice(0, 6), [1, 0, 0, 0, -1, 0]);
});

test('JPEG 2000 series with empty UIDs: one stack of 20, 2 mm apart (overlapping 3 mm slices)', needsShared, async () => {
  const stacks = groupStacks(await imageHeaders(data('codecs/ct_series_jpeg2000_no_ext')));
  assert.equal(stacks.length, 1);
  const g = stackGeometry(chooseStack(stacks)!);
  assert.deepEqual(g.dims, [512, 512, 20]);
  assert.ok(near(g.spacing[2], 2));
  assert.ok(near(g.origin[2], -804.5) && g.direction[8] > 0.999);
});

test('gantry tilt and uneven spacing are reported; the sheared slice axis is kept exactly', needsShared, async () => {
  const g = stackGeometry(chooseStack(groupStacks(await imageHeaders(data('ct_head_ge_gantry_tilt'))))!);
  assert.ok(g.warnings.some((w) => /Gantry tilt of 18\.5°/.test(w)), g.warnings.join());
  assert.ok(g.warnings.some((w) => /Uneven slice spacing/.test(w)));
  const d = g.direction;
  const normal = [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
  assert.ok(Math.abs((Math.acos(Math.abs(dot(normal, d.slice(6)))) * 180) / Math.PI - 18.5) < 0.2);
  // Uneven steps (13 of 4 mm, one of 1.08, 13 of 7 along the normal) on a regular grid that keeps the
  // true extent: the last grid slice sits exactly on the last file's position (the printed size).
  const lastGrid = [0, 1, 2].map((a) => g.origin[a] + (g.dims[2] - 1) * g.spacing[2] * d[6 + a]);
  const lastFile = g.slices[g.slices.length - 1].imagePositionPatient!;
  for (let a = 0; a < 3; a++) assert.ok(near(lastGrid[a], lastFile[a], 1e-6), `${lastGrid} vs ${lastFile}`);
  // Every file lies on the (sheared) slice axis where the resampling places it, within 0.01 mm, and
  // the regular grid is 4.22 mm (4 mm along the normal, over cos 18.5°) over the true extent.
  const at = g.resample!.positions;
  g.slices.forEach((h, k) => {
    const p = [0, 1, 2].map((a) => g.origin[a] + at[k] * d[6 + a]);
    const q = h.imagePositionPatient!;
    assert.ok(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) < 0.01, `file ${h.fileName}: ${p} vs ${q}`);
  });
  assert.equal(g.dims[2], 37);
  assert.ok(near(g.spacing[2], 4 / Math.cos((18.5 * Math.PI) / 180), 0.01), `step ${g.spacing[2]}`);
});

test('non-volumetric stacks are never chosen, and say why in short', () => {
  const one = [{ ...header(), fileName: 'single' }];
  assert.equal(groupStacks(one)[0].notVolume, 'single image, not a volume (a model needs a stack of slices)');
  assert.equal(chooseStack(groupStacks(one)), null);
  const rgb = [0, 1, 2].map((z) => ({ ...header(), samplesPerPixel: 3, photometric: 'RGB', imagePositionPatient: [0, 0, z] as [number, number, number] }));
  assert.match(groupStacks(rgb)[0].notVolume!, /colour/);
  const same = [0, 0].map(() => ({ ...header() }));
  assert.equal(groupStacks(same)[0].notVolume, 'several images at the same position (1 position only)');
  // an Enhanced file whose frames all sit at one position (cine); frames of one file elsewhere stay "same position"
  const cine = [1, 2, 3].map((frame) => ({ ...header(), fileName: 'cine.dcm', frame }));
  assert.equal(groupStacks(cine)[0].notVolume, 'cine (3 frames at one position): not a volume');
  const twoFiles = [1, 2].map((frame) => ({ ...header(), fileName: `f${frame}.dcm`, frame }));
  assert.equal(groupStacks(twoFiles)[0].notVolume, 'several images at the same position (1 position only): e.g. f1.dcm and f2.dcm lie at one position and are not copies of one image');
  // a Siemens mosaic: by the slice count (tile size from the smallest square grid), or by ImageType alone
  const mosaic = { ...header(), rows: 384, columns: 384, imageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND', 'MOSAIC'] };
  assert.equal(groupStacks([{ ...mosaic, mosaicImages: 35 }])[0].notVolume, 'Siemens mosaic (35 slices of 64 × 64 in one image): not a volume');
  assert.equal(groupStacks([mosaic])[0].notVolume, 'Siemens mosaic (several slices tiled in one image): not a volume');
  assert.equal(groupStacks([{ ...header(), rows: 256, columns: 256, mosaicImages: 16 }])[0].notVolume, 'Siemens mosaic (16 slices of 64 × 64 in one image): not a volume');
  // a multi-frame file without a position per frame (cine, legacy multi-frame) stays one header
  assert.equal(groupStacks([{ ...header(), numberOfFrames: 30 }])[0].notVolume, 'multi-frame image without a position per frame (cine or projections): not a volume');
});

test('frames of an Enhanced file split by StackID into stacks, each ordered by position, not frame number', () => {
  const frame = (stackId: string, z: number, frame: number): DicomHeader => ({ ...header(), stackId, frame, imagePositionPatient: [0, 0, z] });
  const stacks = groupStacks([frame('1', 2, 0), frame('2', 0, 1), frame('1', 0, 2), frame('2', 5, 3), frame('1', 1, 4)]);
  assert.deepEqual(stacks.map((s) => s.headers.length), [3, 2]);
  assert.deepEqual(stackGeometry(stacks[0]).slices.map((h) => h.frame), [2, 4, 0]);
  assert.ok(stacks.every((s) => s.notVolume === null));
});

function header(): DicomHeader {
  return {
    kind: 'image', fileName: 'x', sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '', modality: 'CT', seriesUid: '1.2.3', studyUid: '', frameOfReferenceUid: '',
    seriesDescription: 'test', seriesNumber: '1', acquisitionNumber: '1', imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'], rows: 4, columns: 4, pixelSpacing: [1, 1],
    pixelSpacingKnown: true, imagePositionPatient: [0, 0, 0], imageOrientationPatient: [1, 0, 0, 0, 1, 0], rescaleSlope: 1, rescaleIntercept: 0,
    bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, pixelPadding: null, samplesPerPixel: 1, photometric: 'MONOCHROME2', planarConfiguration: 0,
    numberOfFrames: 1, transferSyntax: '1.2.840.10008.1.2.1', pixelData: { offset: 0, length: 32, fragments: null },
  };
}
