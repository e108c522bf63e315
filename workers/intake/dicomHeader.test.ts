import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { headerOf } from './headerScan';
import { bytesReader } from './byteReader';
import { datasetBytes } from './dicomDataset';
import { HEADER_PREFIX, readHeader, readHeaderFrom } from './dicomHeader';
import type { DicomHeader, NotImage } from './headerTypes';
import { listFiles } from './nodeLoad';
import { bytesOf, data, headerAt, needsShared } from './testData';
import { part10, slice } from './testCorpus';

test('a real CT slice is recognised by content and its header read', needsShared, async () => {
  const h = (await headerAt(data('ct_abdomen_tcia_pancreas/1-039.dcm'))) as DicomHeader;
  assert.equal(h.kind, 'image');
  assert.equal(h.modality, 'CT');
  assert.equal(h.transferSyntax, '1.2.840.10008.1.2');
  assert.deepEqual([h.columns, h.rows, h.bitsAllocated, h.pixelRepresentation, h.samplesPerPixel], [512, 512, 16, 0, 1]);
  assert.deepEqual([h.rescaleSlope, h.rescaleIntercept], [1, -1000]);
  assert.deepEqual(h.imageOrientationPatient, [1, 0, 0, 0, 1, 0]);
  assert.ok(Math.abs(h.imagePositionPatient![2] - 370.91) < 1e-6, String(h.imagePositionPatient));
  assert.ok(Math.abs(h.pixelSpacing[0] - 1.0742) < 1e-4);
  // native pixel data: one run of 512×512×2 bytes, not encapsulated
  assert.equal(h.pixelData.fragments, null);
  assert.equal(h.pixelData.length, 512 * 512 * 2);
});

test('the header is a small plain object: cloneable, and no patient identity in it', needsShared, async () => {
  const h = await headerAt(data('ct_abdomen_tcia_pancreas/1-039.dcm'));
  const clone = structuredClone(h);
  assert.deepEqual(clone, h);
  const text = JSON.stringify(h);
  assert.ok(text.length < 2000, `${text.length} characters`);
  // the file's PatientName / PatientID values must not appear anywhere in what we keep
  const raw = Buffer.from(bytesOf(data('ct_abdomen_tcia_pancreas/1-039.dcm'))).toString('latin1');
  const name = /Pancreas-CT-CB_001/.exec(raw);
  assert.ok(name, 'the test file carries the (anonymised) subject id');
  assert.ok(!text.includes('Pancreas-CT-CB_001'));
});

test('DICOMDIR, directory files and non-DICOM files are skipped with a reason', needsShared, async () => {
  assert.deepEqual(await headerAt(data('mixed_philips_ct_cdexport/DICOMDIR')), { kind: 'skip', fileName: 'DICOMDIR', reason: 'DICOMDIR' });
  assert.equal(((await headerAt(data('mixed_philips_ct_cdexport/S21570/DIRFILE'))) as { reason: string }).reason, 'DICOMDIR');
  // pydicom's DICOMDIR-nooffset: dicom-parser rejects its body; the meta header still says DICOMDIR
  const noOffset = data('nonimage/pydicom_dicomdirtests/DICOMDIR-nooffset');
  assert.deepEqual(await headerAt(noOffset), { kind: 'skip', fileName: 'DICOMDIR-nooffset', reason: 'DICOMDIR' });
  assert.deepEqual(await headerAt(data('README.md')), { kind: 'skip', fileName: 'README.md', reason: 'not DICOM' });
  assert.deepEqual(await headerAt(data('MANIFEST.sha256')), { kind: 'skip', fileName: 'MANIFEST.sha256', reason: 'not DICOM' });
});

test('a dataset without preamble, "DICM" or meta header is read, and recognised as a non-image', needsShared, async () => {
  assert.deepEqual(await headerAt(data('nonimage/rt/rtstruct.dcm')), { kind: 'skip', fileName: 'rtstruct.dcm', reason: 'RT object' });
  assert.equal(((await headerAt(data('nonimage/sr/pydicom_test-SR.dcm'))) as { reason: string }).reason, 'structured report');
  // deflated transfer syntax: inflated (DecompressionStream), then recognised as an SR
  assert.equal(((await headerAt(data('nonimage/sr/report_dfl'))) as { reason: string }).reason, 'structured report');
});

test('bare-dataset detection is conservative: bytes that merely start with 08 00 are not DICOM', () => {
  const junk = new Uint8Array(4096);
  junk.set([0x08, 0x00, 0x05, 0x00, 0xff, 0xff, 0xff, 0x7f]); // implicit length beyond the file
  assert.equal(readHeader('junk', junk).kind, 'skip');
  const words = new TextEncoder().encode('\u0008\u0000\u0016\u0000UI\u0004\u00001.2 then plain text follows here, not a dataset at all....................................');
  assert.equal(readHeader('text', words).kind, 'skip');
});

test('a deflated image: the pixel location refers to the inflated dataset', needsShared, async () => {
  const h = (await headerAt(data('codecs/misc/image_dfl'))) as DicomHeader;
  assert.equal(h.kind, 'image');
  assert.equal(h.transferSyntax, '1.2.840.10008.1.2.1.99');
  assert.equal(h.pixelData.fragments, null);
  assert.equal(h.pixelData.length, h.rows * h.columns * (h.bitsAllocated / 8) * h.samplesPerPixel);
});

test('encapsulated JPEG 2000 with empty UIDs and no extension: fragments located', needsShared, async () => {
  const h = (await headerAt(data('codecs/ct_series_jpeg2000_no_ext/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573'))) as DicomHeader;
  assert.equal(h.kind, 'image');
  assert.equal(h.transferSyntax, '1.2.840.10008.1.2.4.90');
  assert.deepEqual([h.seriesUid, h.studyUid], ['', '']);
  // the dataset's SOPClassUID is empty; the meta header's MediaStorageSOPClassUID stands in
  assert.equal(h.sopClassUid, '1.2.840.10008.5.1.4.1.1.2');
  assert.ok(h.pixelData.fragments && h.pixelData.fragments.length >= 1);
  // a JPEG 2000 codestream starts with the SOC marker FF 4F
  const bytes = bytesOf(data('codecs/ct_series_jpeg2000_no_ext/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573'));
  const [pos] = h.pixelData.fragments![0];
  assert.deepEqual([bytes[pos], bytes[pos + 1]], [0xff, 0x4f]);
});

/** A reader over `bytes` that records the ranges read. */
function countingReader(bytes: Uint8Array) {
  const reads: [number, number][] = [];
  const inner = bytesReader(bytes);
  return { reads, reader: { size: inner.size, seekable: true, read: (s: number, e: number) => (reads.push([s, e]), inner.read(s, e)) } };
}

test('a header read from the first 128 KiB equals the one read from the whole file; compressed data is listed item by item', needsShared, async () => {
  const prefixed: Record<string, number> = {};
  for (const dir of ['ct_abdomen_tcia_pancreas', 'ct_head_ge_gantry_tilt', 'mr_t1_head_sag_siemens', 'mixed_philips_ct_cdexport', 'codecs', 'enhanced', 'nonimage']) {
    prefixed[dir] = 0;
    for (const path of listFiles(data(dir))) {
      const whole = bytesOf(path);
      const size = statSync(path).size;
      if (size <= HEADER_PREFIX) continue; // read whole anyway
      const { reads, reader } = countingReader(whole);
      const fromPrefix = await readHeaderFrom(path, reader);
      const read = reads.reduce((n, [s, e]) => n + Math.min(e, size) - s, 0);
      // the pixels are never read for a header: up to two windows of 128 KiB, or (compressed data:
      // its item headers, a window each) far less than the file
      if (read <= Math.max(2 * HEADER_PREFIX, size / 2)) prefixed[dir]++;
      assert.deepEqual(fromPrefix, readHeader(path, await datasetBytes(whole)), path);
    }
  }
  // uncompressed slices, multi-frame files and compressed ones alike take the short read
  assert.equal(prefixed.ct_abdomen_tcia_pancreas, 96);
  assert.equal(prefixed.mr_t1_head_sag_siemens, 192);
  assert.equal(prefixed.ct_head_ge_gantry_tilt, 28);
  assert.equal(prefixed.enhanced, 4);
  // a slice cut short: the prefix names the truncation
  const slice = bytesOf(listFiles(data('ct_abdomen_tcia_pancreas'))[0]);
  const cut = slice.slice(0, slice.length - 1000);
  const h = await headerOf({ name: 'cut.dcm', read: async () => assert.fail('the whole file was read'), head: async (n) => ({ bytes: cut.slice(0, n).buffer, size: cut.length }) });
  assert.equal(h.kind, 'skip');
  assert.match((h as NotImage).problem ?? '', /the file ends too early \(truncated\): 523288 of 524288 bytes/);
});

test('a large file that is not DICOM is recognised from its first bytes, never read whole', async () => {
  const video = new Uint8Array(8 << 20).map((_, i) => (i * 7919) & 0xff); // 8 MiB, starts 00 df be …
  const neverRead = async (): Promise<ArrayBuffer> => assert.fail('the whole file was read');
  for (const name of ['holiday.mp4', 'IM0001.dcm']) {
    const h = await headerOf({ name, read: neverRead, head: async (n) => ({ bytes: video.slice(0, n).buffer, size: video.length }) });
    assert.equal(h.kind, 'skip');
    assert.equal((h as NotImage).reason, 'not DICOM');
  }
});

test('a short header is read from the first 16 KiB alone; a longer one from 128 KiB, in two reads, the pixels never', async () => {
  // 512 × 512 slices (512 KiB of pixels): one plain, one with a 40 KiB private block before the pixels
  const plain = slice({ size: 512 });
  const padded = [...plain, { tag: '0029,1010', vr: 'OB', value: new Uint8Array(40 * 1024).fill(7) }];
  for (const [elements, reads, upTo] of [
    [plain, 1, 16 * 1024],
    [padded, 2, HEADER_PREFIX],
  ] as const) {
    const bytes = part10([...elements]);
    const { reads: made, reader } = countingReader(bytes);
    const h = await readHeaderFrom('x.dcm', reader);
    assert.deepEqual(h, readHeader('x.dcm', await datasetBytes(bytes)));
    assert.equal(h.kind, 'image');
    assert.equal(made.length, reads);
    assert.ok(Math.max(...made.map(([, e]) => e)) <= upTo, `read up to ${Math.max(...made.map(([, e]) => e))}`);
    assert.ok(upTo < bytes.length - 100_000, 'the pixels are beyond what is read');
  }
});
