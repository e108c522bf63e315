// The hostile-input corpus of the reliability probe (../shared/notes/reliability-probe.md), made in
// memory by testCorpus.ts: every case must end in a message naming the file (or a load with a note),
// and the work it causes is bounded: bytes read from the (virtual) files and bytes inflated are
// counted and capped; nothing is timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import dicomParser from 'dicom-parser';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { scanHeaders } from './headerScan';
import { INFLATE_SLICE, inflateMeter } from './inflate';
import type { LoadControl, LoadResult } from './loadTypes';
import { LoadCancelled } from './loadTypes';
import { nodeDecoder } from './nodeLoad';
import { fileSource, loadSources, type InputSource } from './sources';
import {
  composedFile,
  datasetBytes,
  deflatedZeros,
  elementBytes,
  ENHANCED_CT,
  gzippedZeros,
  memoryFile,
  metaHeader,
  niftiHeader,
  part10,
  readMeter,
  seeded,
  series,
  slice,
  sparseFile,
  TS,
  zipArchive,
  type El,
} from './testCorpus';
import { data } from './testData';
import { readZipDirectory, zipEntryFile } from './zip';

const MiB = 1 << 20;
const GiB = 1 << 30;
/** The most one inflation step can yield (DEFLATE expands at most ~1032:1): the slack over what a reader needs. */
const STEP = 1032 * INFLATE_SLICE;

/** What `work` did: its result or error, and the bytes it read from virtual files and inflated. */
async function metered<T>(work: () => Promise<T>): Promise<{ value?: T; error?: Error; read: number; inflated: number }> {
  const read0 = readMeter.bytes, inflated0 = inflateMeter.bytes;
  let value: T | undefined, error: Error | undefined;
  try {
    value = await work();
  } catch (e) {
    error = e as Error;
  }
  return { value, error, read: readMeter.bytes - read0, inflated: inflateMeter.bytes - inflated0 };
}

const load = (files: InputSource[], control: LoadControl = {}) => loadSources(files, nodeDecoder, () => {}, control);
const files = (list: { name: string; bytes: Uint8Array }[]) => list.map((f) => memoryFile(f.name, f.bytes));
/** A good series of 6 slices (32², 2 mm apart) that must still load beside a hostile file. */
const good = () => files(series(6));
const notes = (r: LoadResult) => r.warnings.join('\n');

/** Loads the hostile files beside a good series: the series loads, and the notes name the hostile file with what is wrong. */
async function besideGood(hostile: InputSource[], expect: RegExp, bounds: { read?: number; inflated?: number } = {}) {
  const m = await metered(() => load([...good(), ...hostile]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.match(notes(m.value!), expect);
  if (bounds.read !== undefined) assert.ok(m.read <= bounds.read, `read ${m.read} bytes, more than ${bounds.read}`);
  if (bounds.inflated !== undefined) assert.ok(m.inflated <= bounds.inflated, `inflated ${m.inflated} bytes, more than ${bounds.inflated}`);
  return m;
}

/** Loads a series with every slice changed by `o`: the result, or the error. */
const seriesWith = (o: Parameters<typeof series>[1]) => metered(() => load(files(series(6, o))));

/** The peak memory (RSS) of this process before the corpus: every case below must stay far from GiBs. */
const baseline = process.resourceUsage().maxRSS * 1024;

// ---------------------------------------------------------------- DICOM sizes (D3, D4, D7)

test('d02: Rows and Columns of 65535 with 200 bytes of pixels: damaged, nothing allocated', async () => {
  const huge = part10(slice({ extra: [{ tag: '0028,0010', vr: 'US', value: [65535] }, { tag: '0028,0011', vr: 'US', value: [65535] }, { tag: '7fe0,0010', vr: 'OW', value: new Uint8Array(200) }] }));
  await besideGood([memoryFile('huge.dcm', huge)], /huge\.dcm: the header says 65535 × 65535 pixels \(8589672450 bytes\) but the pixel data holds only 200 bytes/, { read: 64 * 1024 });
});

test('d25/d25b: sparse 1 and 2 GiB files with DICM then zeros: damaged from their first 128 KiB, never read further', async () => {
  const head = new Uint8Array(132);
  head.set([0x44, 0x49, 0x43, 0x4d], 128);
  const m = await besideGood(
    [sparseFile('big1.dcm', head, GiB), sparseFile('big2.dcm', head, GiB), sparseFile('huge.dcm', head, 2 * GiB)],
    /big1\.dcm: damaged DICOM: its meta header \(the start of the file\) cannot be read/,
    { read: 3 * 128 * 1024 + 64 * 1024 },
  );
  assert.match(notes(m.value!), /huge\.dcm: damaged DICOM: its meta header/);
});

test('a valid meta header followed by a GiB of zeros: damaged at once, the zeros not read', async () => {
  const meta = metaHeader(TS.explicit, '1.2.840.10008.5.1.4.1.1.2', '2.25.1');
  await besideGood([sparseFile('zeros.dcm', meta, GiB)], /zeros\.dcm: damaged DICOM: no valid elements after the meta header/, { read: 128 * 1024 + 64 * 1024 });
});

test('d16: a 200 MiB private block before the pixel data is jumped over, not read; the file loads', async () => {
  const all = series(6);
  // slice 3 rebuilt with a 200 MiB OB (0029,1020) whose value is never materialised
  const els = slice({ k: 3 });
  const pixels = els.find((e) => e.tag === '7fe0,0010')!;
  const before = Buffer.concat([metaHeader(TS.explicit, '1.2.840.10008.5.1.4.1.1.2', '2.25.100.4'), datasetBytes(els.filter((e) => e.tag < '0029,1020'))]);
  const blockHead = elementBytes({ tag: '0029,1020', vr: 'OB', value: new Uint8Array(0), length: 200 * MiB });
  const big = composedFile('B/IM0003.dcm', [before, blockHead, 200 * MiB, elementBytes(pixels)]);
  const m = await metered(() => load([...files(all.filter((_, k) => k !== 3)), big]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  // the slice decodes: its ring of bone is there (values read from after the jump)
  const slice3 = m.value!.volume.data.subarray(3 * 32 * 32, 4 * 32 * 32);
  assert.ok(slice3.some((v) => v === 1200), 'bone ring in slice 3');
  assert.ok(m.read < 4 * MiB, `read ${m.read} bytes`);
});

test('D7: a header longer than 128 KiB is read in growing windows; one that never reaches its pixel data stops at 64 MiB', async () => {
  // a private sequence of 400 items of 5 KiB (2 MiB: a sequence is parsed, not jumped over) before the pixels
  const items: El[][] = Array.from({ length: 400 }, () => [{ tag: '0029,1001', vr: 'OB', value: new Uint8Array(5000) }]);
  const long = part10(slice({ k: 4, extra: [{ tag: '0029,1010', vr: 'SQ', value: items }] }));
  const all = series(6);
  const m = await metered(() => load([...files(all.filter((_, k) => k !== 4)), memoryFile('B/IM0004.dcm', long)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.ok(m.read < 2 * long.length + 6 * 128 * 1024, `read ${m.read}`);
  // a sequence of undefined length whose items never come (zeros up to 1 GiB)
  const els = slice({ k: 7 });
  const head = Buffer.concat([
    metaHeader(TS.explicit, '1.2.840.10008.5.1.4.1.1.2', '2.25.100.8'),
    datasetBytes(els.filter((e) => e.tag < '0029,1010')),
    elementBytes({ tag: '0029,1010', vr: 'SQ', value: new Uint8Array(0), length: 0xffffffff }),
  ]);
  await besideGood([sparseFile('endless.dcm', head, GiB)], /endless\.dcm: damaged DICOM: no image header in its first 64 MiB/, { read: 64 * MiB + 2 * 128 * 1024 });
});

test('d15b: sequences nested 100,000 deep: that file is named, the rest loads', async () => {
  const level = 100_000;
  const open = Buffer.concat([
    elementBytes({ tag: '0029,1010', vr: 'SQ', value: new Uint8Array(0), length: 0xffffffff }),
    Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]),
  ]);
  const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const els = slice({ k: 9, z: 100 });
  const nested = Buffer.concat([
    metaHeader(TS.explicit, '1.2.840.10008.5.1.4.1.1.2', '2.25.100.10'),
    datasetBytes(els.filter((e) => e.tag < '0029,1010')),
    ...Array(level).fill(open),
    ...Array(level).fill(close),
    datasetBytes(els.filter((e) => e.tag > '0029,1010')),
  ]);
  await besideGood([memoryFile('deep.dcm', nested)], /deep\.dcm: damaged DICOM: its sequences are nested too deeply to read/, { read: 2 * nested.length });
});

test('d27: a 1 MB deflated dataset that inflates to 1 GiB: refused after inflating at most the header window', async () => {
  const body = Buffer.concat([
    elementBytes({ tag: '0008,0060', vr: 'CS', value: 'CT' }),
    elementBytes({ tag: '0029,1020', vr: 'OB', value: new Uint8Array(0), length: GiB }),
  ]);
  const file = Buffer.concat([metaHeader(TS.deflated, '1.2.840.10008.5.1.4.1.1.2', '2.25.7'), deflatedZeros(body, 1024)]);
  assert.ok(file.length < 2 * MiB);
  await besideGood([memoryFile('bomb.dcm', file)], /bomb\.dcm: damaged DICOM: no image header in its first 64 MiB/, { inflated: 128 * 1024 + 2 * STEP });
});

test('a deflated slice decodes, inflating only up to the end of its pixel data', async () => {
  const deflated = series(6, { transferSyntax: TS.deflated });
  // a deflated slice followed by 64 MiB of junk zeros in its stream: never inflated
  const els = slice({ k: 5 });
  const junk = Buffer.concat([metaHeader(TS.deflated, '1.2.840.10008.5.1.4.1.1.2', '2.25.100.6'), deflatedZeros(datasetBytes(els), 64)]);
  const m = await metered(() => load([...files(deflated.slice(0, 5)), memoryFile('B/IM0005.dcm', junk)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.ok(m.inflated < 6 * 4 * 1024 + 2 * STEP, `inflated ${m.inflated}`);
});

/** An Enhanced CT file of 64² frames with shared functional groups, `frames` declared and `present` frames of pixels. */
function enhanced(frames: number, present: number): Uint8Array {
  const item = (els: El[]): El[] => els;
  return part10(
    [
      { tag: '0008,0016', vr: 'UI', value: ENHANCED_CT },
      { tag: '0008,0018', vr: 'UI', value: '2.25.55' },
      { tag: '0008,0060', vr: 'CS', value: 'CT' },
      { tag: '0020,000e', vr: 'UI', value: '2.25.56' },
      { tag: '0028,0002', vr: 'US', value: [1] },
      { tag: '0028,0004', vr: 'CS', value: 'MONOCHROME2' },
      { tag: '0028,0008', vr: 'IS', value: String(frames) },
      { tag: '0028,0010', vr: 'US', value: [64] },
      { tag: '0028,0011', vr: 'US', value: [64] },
      { tag: '0028,0100', vr: 'US', value: [16] },
      { tag: '0028,0101', vr: 'US', value: [16] },
      { tag: '0028,0103', vr: 'US', value: [1] },
      {
        tag: '5200,9229',
        vr: 'SQ',
        value: [
          item([
            { tag: '0020,9113', vr: 'SQ', value: [[{ tag: '0020,0032', vr: 'DS', value: '0\\0\\0' }]] },
            { tag: '0020,9116', vr: 'SQ', value: [[{ tag: '0020,0037', vr: 'DS', value: '1\\0\\0\\0\\1\\0' }]] },
          ]),
        ],
      },
      { tag: '7fe0,0010', vr: 'OW', value: new Uint8Array(64 * 64 * 2 * present) },
    ],
    { sopClass: ENHANCED_CT },
  );
}

test('d28: NumberOfFrames 2e9, 2e7 or 1000 with one frame present: damaged, nothing per frame made', async () => {
  const m = await besideGood(
    [memoryFile('f2e9.dcm', enhanced(2_000_000_000, 1)), memoryFile('f2e7.dcm', enhanced(20_000_000, 1)), memoryFile('f1000.dcm', enhanced(1000, 1))],
    /f2e9\.dcm: the header says 2000000000 frames, more than the 65536 this app reads from one file/,
    { read: 256 * 1024 },
  );
  assert.match(notes(m.value!), /f2e7\.dcm: the header says 20000000 frames, more than the 65536/);
  assert.match(notes(m.value!), /f1000\.dcm: the file ends too early \(truncated\): it holds 1 of 1000 frames of pixel data/);
});

test('d29: compressed pixel data in 300,000 fragments: damaged, no stack overflow, read once at most', async () => {
  const items = Buffer.alloc(8 + 300_000 * 10 + 8);
  items.writeUInt32LE(0xe000fffe, 0); // empty offset table
  for (let i = 0; i < 300_000; i++) {
    items.writeUInt32LE(0xe000fffe, 8 + 10 * i);
    items.writeUInt32LE(2, 12 + 10 * i);
  }
  items.writeUInt32LE(0xe0ddfffe, 8 + 3_000_000);
  const els = slice({ k: 8, z: 50 }).filter((e) => e.tag !== '7fe0,0010');
  const file = Buffer.concat([
    metaHeader(TS.rle, '1.2.840.10008.5.1.4.1.1.2', '2.25.100.9'),
    datasetBytes(els),
    elementBytes({ tag: '7fe0,0010', vr: 'OB', value: new Uint8Array(0), length: 0xffffffff }),
    items,
  ]);
  await besideGood([memoryFile('frag.dcm', file)], /frag\.dcm: the compressed pixel data is split into more than 100000 fragments/, { read: 2 * file.length });
});

// ---------------------------------------------------------------- transfer syntax and messages (D16)

test('d14b/d14d: a meta header naming the wrong transfer syntax is said so, not "truncated"', async () => {
  for (const size of [32, 300]) {
    // explicit little endian data, meta says big endian; implicit data, meta says explicit
    const be = part10(slice({ size, k: 20, z: 99 }), { transferSyntax: TS.explicit, metaSyntax: TS.bigEndian });
    const im = part10(slice({ size, k: 21, z: 97 }), { transferSyntax: TS.implicit, metaSyntax: TS.explicit });
    const m = await besideGood([memoryFile('be.dcm', be), memoryFile('im.dcm', im)], /be\.dcm: the meta header says the dataset is explicit VR big endian, .*but it is written as explicit VR little endian/);
    assert.match(notes(m.value!), /im\.dcm: the meta header says the dataset is explicit VR little endian, .*but it is written as implicit VR little endian/);
    assert.doesNotMatch(notes(m.value!), /be\.dcm: the file ends too early/);
  }
});

// ---------------------------------------------------------------- geometry (D11) and orientation (D16)

test('d04/d04b: negative PixelSpacing is used by its size with a note; the volume is never mirrored', async () => {
  const plain = await seriesWith({});
  for (const spacing of ['-0.8\\-0.8', '0.8\\-0.8']) {
    const m = await seriesWith({ spacing });
    assert.ifError(m.error);
    const v = m.value!.volume;
    assert.deepEqual(v.spacing, [0.8, 0.8, 2]);
    assert.deepEqual(v.direction, plain.value!.volume.direction);
    assert.deepEqual(v.origin, plain.value!.volume.origin);
    assert.match(notes(m.value!), /PixelSpacing .* is negative: its size 0\.8\\0\.8 mm is used/);
  }
});

test('d05/d07b/d07c: zero, 1e-30 and 1e30 mm pixels: 1 mm assumed with a note', async () => {
  for (const spacing of ['0\\0', '1e-30\\1e-30', '1e30\\1e30']) {
    const m = await seriesWith({ spacing });
    assert.ifError(m.error);
    assert.deepEqual(m.value!.volume.spacing.slice(0, 2), [1, 1], spacing);
    assert.match(notes(m.value!), /is not a usable pixel size \(it must lie between 0\.001 and 1000 mm\): 1 mm assumed/);
  }
});

test('d09/d10/d10b: zero, parallel or 45° orientation vectors: refused with an orientation message, not "same position"', async () => {
  for (const [orientation, why] of [
    ['0\\0\\0\\0\\0\\0', /has a zero direction: the header is damaged/],
    ['1\\0\\0\\1\\0\\0', /gives row and column directions 0° apart, not 90°/],
    ['1\\0\\0\\0\\0.7071\\0.7071', /gives row and column directions 90° apart/], // perpendicular, fine
    ['1\\0\\0\\0.7071\\0.7071\\0', /gives row and column directions 45° apart, not 90°/],
  ] as const) {
    const m = await seriesWith({ orientation });
    if (orientation === '1\\0\\0\\0\\0.7071\\0.7071') {
      assert.ifError(m.error); // an oblique but valid orientation loads
      continue;
    }
    assert.ok(m.error, orientation);
    assert.match(m.error!.message, why);
    assert.doesNotMatch(m.error!.message, /same position/);
  }
});

test('d10c: orientation vectors of length 5 are normalised with a note; the volume keeps its size', async () => {
  const m = await seriesWith({ orientation: '5\\0\\0\\0\\5\\0' });
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.direction.slice(0, 6), [1, 0, 0, 0, 1, 0]);
  assert.deepEqual(m.value!.volume.spacing, [0.8, 0.8, 2]);
  assert.match(notes(m.value!), /is not made of unit vectors: normalised/);
});

test('d32/d32b: slope 0 is taken as 1; values clamped to int16 are counted in a note', async () => {
  const zero = await seriesWith({ slope: '0' });
  assert.ifError(zero.error);
  assert.match(notes(zero.value!), /RescaleSlope 0 would make every voxel the same value: 1 used/);
  assert.ok(zero.value!.volume.data.some((v) => v === 1200), 'the bone is there');
  const huge = await seriesWith({ slope: '1e30', intercept: '-1e30' });
  assert.ifError(huge.error);
  assert.match(notes(huge.value!), /6144 voxels lay outside −32768…32767 after the rescale \(RescaleSlope 1e\+30, RescaleIntercept -1e\+30\) and were clamped/);
});

// ---------------------------------------------------------------- duplicates (D8)

test('d33: the same series twice (a/ and b/): the copies are dropped with a note, the series loads', async () => {
  const m = await metered(() => load([...files(series(6, { prefix: 'a' })), ...files(series(6, { prefix: 'b' }))]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.match(notes(m.value!), /Dropped 6 duplicate images \(the same image twice: the same SOP Instance UID at the same position.*\): b\/IM0000\.dcm, a copy of a\/IM0000\.dcm/);
});

test('d08b: one slice sent again under a new SOP Instance UID: dropped (identical pixels), named', async () => {
  const again = part10(slice({ k: 2, sopInstance: '2.25.999' }));
  const m = await metered(() => load([...good(), memoryFile('B/IM0002-again.dcm', again)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.match(notes(m.value!), /Dropped 1 duplicate image \(identical pixels at the same position as another file\): B\/IM0002-again\.dcm, a copy of B\/IM0002\.dcm/);
});

test('a different image at the position of another: refused as conflicting, both files named', async () => {
  const other = part10(slice({ k: 2, sopInstance: '2.25.998', pixels: new Int16Array(32 * 32).fill(7) }));
  const m = await metered(() => load([...good(), memoryFile('B/IM0002-other.dcm', other)]));
  assert.ok(m.error);
  assert.match(m.error!.message, /several images at the same position \(6 positions only\): e\.g\. B\/IM0002\.dcm and B\/IM0002-other\.dcm lie at one position and are not copies of one image/);
});

// ---------------------------------------------------------------- text (D13)

test('d20: a UTF-8 (ISO_IR 192) description is decoded, bidi overrides removed', async () => {
  const description = Buffer.from('Kopf 🦴 \u202Egpj.exe\u202C שלום', 'utf8');
  const m = await metered(() => load(files(series(6, { charset: 'ISO_IR 192', extra: [{ tag: '0008,103e', vr: 'LO', value: description }] }))));
  assert.ifError(m.error);
  assert.equal(m.value!.seriesDescription, 'Kopf 🦴 gpj.exe שלום');
  // Latin-1 (ISO_IR 100) as Latin-1
  const latin = await metered(() => load(files(series(6, { charset: 'ISO_IR 100', extra: [{ tag: '0008,103e', vr: 'LO', value: Buffer.from('Schädel', 'latin1') }] }))));
  assert.equal(latin.value!.seriesDescription, 'Schädel');
});

test('file and zip entry names with a right-to-left override are shown without it', async () => {
  const zip = zipArchive([{ name: 'x/\u202Egpj.dcm', data: new Uint8Array(300) }]);
  const m = await metered(() => load([...good(), fileSource(new File([new Uint8Array(300)], '\u202Emcd.dcm')), memoryFile('names.zip', zip)]));
  assert.ifError(m.error);
  assert.match(notes(m.value!), /^mcd\.dcm: named like a DICOM file/m);
  assert.match(notes(m.value!), /names\.zip\/x\/gpj\.dcm: named like a DICOM file/);
  assert.doesNotMatch(notes(m.value!), /\u202E/);
});

// ---------------------------------------------------------------- zip (D2, D9, D14)

test('z02: a zip within both limits whose entries are 256 MiB each: headers read from 128 KiB of each, never whole', async () => {
  // 1 MiB of zeros with a random byte every 2 KiB compresses ~140:1: under the 1000:1 limit
  const rnd = seeded(7);
  const mib = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i += 2048) mib[i] = 1 + Math.floor(rnd() * 255);
  const segment = deflateRawSync(mib, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  const entry = Buffer.concat([...Array(256).fill(segment), Buffer.from([0x03, 0x00])]);
  const zip = zipArchive(
    [0, 1, 2, 3].map((i) => ({ name: `part${i}.dcm`, data: new Uint8Array(0), compressed: entry, declaredSize: 256 * MiB })),
  );
  const m = await besideGood([memoryFile('parts.zip', zip)], /parts\.zip\/part0\.dcm: named like a DICOM file, but its content is not DICOM/, { inflated: 4 * (128 * 1024 + 2 * STEP) });
  assert.ok(m.read < 2 * zip.length, `read ${m.read}`);
});

test('z03: an entry inflating past its declared size stops there, a few MiB over at most', async () => {
  const zip = zipArchive([{ name: 'liar.dcm', data: new Uint8Array(0), compressed: deflatedZeros(new Uint8Array(0), 1024), declaredSize: MiB - 1 }]);
  const archive = memoryFile('liar.zip', zip).blob!;
  const [entry] = await readZipDirectory(archive, 'liar.zip');
  const m = await metered(() => zipEntryFile(archive, entry, 'liar.zip').read());
  assert.match(m.error!.message, /inflates to more than its declared 1024 KiB/);
  assert.ok(m.inflated < MiB + 2 * STEP, `inflated ${m.inflated}`);
});

test('z10/H15: a zip whose directory is scrambled is named as damaged and skipped; the files beside it load', async () => {
  const zip = Buffer.from(zipArchive(series(6, { prefix: 'z' }).map((f) => ({ name: f.name, data: f.bytes }))));
  const cdStart = zip.readUInt32LE(zip.length - 6);
  for (let i = cdStart; i < zip.length - 22; i += 7) zip[i] ^= 0x5a;
  const m = await metered(() => load([...good(), memoryFile('scrambled.zip', zip)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [32, 32, 6]);
  assert.match(notes(m.value!), /scrambled\.zip: not a readable zip archive \(.*\)\. Unzip it yourself/);
});

test('z14: 400 directory entries sharing one compressed stream: refused before inflating anything', async () => {
  const stream = deflatedZeros(new Uint8Array(0), 8);
  const items = Array.from({ length: 400 }, (_, i) => ({
    name: `e${i}.dcm`,
    data: new Uint8Array(0),
    compressed: stream,
    declaredSize: 8 * MiB,
    localOffsetOf: 0,
    directoryOnly: i > 0,
  }));
  const m = await metered(() => load([memoryFile('overlap.zip', zipArchive(items))]));
  assert.match(m.error!.message, /overlap\.zip: refused: its entries e0\.dcm and e1\.dcm overlap/);
  assert.equal(m.inflated, 0);
});

test('z01/z07/z11/z12: a flat bomb, a password, a cut and a random .zip are named; the series beside them loads', async () => {
  const flat = zipArchive([{ name: 'zeros.dcm', data: new Uint8Array(0), compressed: deflatedZeros(new Uint8Array(0), 2), declaredSize: 2 * GiB - 1 }]);
  const locked = zipArchive([{ name: 'a.dcm', data: new Uint8Array(100), flags: 1 }]);
  const whole = zipArchive(series(3, { prefix: 'c' }).map((f) => ({ name: f.name, data: f.bytes })));
  const rnd = seeded(12);
  const random = Uint8Array.from({ length: 100_000 }, () => Math.floor(rnd() * 256));
  const m = await metered(() =>
    load([...good(), memoryFile('flat.zip', flat), memoryFile('locked.zip', locked), memoryFile('cut.zip', whole.subarray(0, whole.length >> 1)), memoryFile('random.zip', random)]),
  );
  assert.ifError(m.error);
  const text = notes(m.value!);
  assert.match(text, /flat\.zip: refused: zeros\.dcm would expand from .* to 2 GiB \(more than 1000:1/);
  assert.match(text, /locked\.zip: the archive is password-protected/);
  assert.match(text, /cut\.zip: not a readable zip archive/);
  assert.match(text, /random\.zip: not a readable zip archive/);
  assert.equal(m.inflated, 0);
});

// ---------------------------------------------------------------- NIfTI (D5, D6, D12, D16)

const nii = (o: Parameters<typeof niftiHeader>[0], voxels = 0) => Buffer.concat([niftiHeader(o), Buffer.alloc(voxels)]);

test('n10b/n17: vox_offset infinite, or 1.9e9 before 2 GiB of gzipped zeros: refused from the header', async () => {
  const inf = nii({ dims: [8, 8, 8], voxOffset: Infinity }, 1024);
  const far = gzippedZeros(niftiHeader({ dims: [8, 8, 8], voxOffset: 1.9e9 }), 2048);
  const m = await besideGood(
    [memoryFile('inf.nii', inf), memoryFile('far.nii.gz', far)],
    /inf\.nii: bad vox_offset Infinity \(not a number of bytes\): the header is damaged/,
    { inflated: 2 * STEP },
  );
  assert.match(notes(m.value!), /far\.nii\.gz: vox_offset 1900000000 puts the voxels 1\.8 GiB after the header, more than the 64 MiB/);
});

test('n14: a 64³ NIfTI followed by 1 GiB of gzipped zeros loads, inflating no further than its volume', async () => {
  const voxels = 64 * 64 * 64 * 2;
  const file = gzippedZeros(Buffer.concat([niftiHeader({ dims: [64, 64, 64], descrip: 'bomb' }), Buffer.alloc(voxels, 1)]), 1024);
  const m = await metered(() => load([memoryFile('DOE_JOHN_PID314159.nii.gz', file)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.dims, [64, 64, 64]);
  assert.equal(m.value!.seriesDescription, 'bomb');
  assert.ok(m.inflated < 352 + voxels + 2 * STEP, `inflated ${m.inflated}`);
});

test('n15/n16: an over-budget header offers before inflating; gzipped zeros without a header are "not NIfTI" after a few KiB', async () => {
  const offered: number[] = [];
  const big = gzippedZeros(niftiHeader({ dims: [1024, 1024, 1024] }), 4096);
  const m = await metered(() =>
    load([memoryFile('big.nii.gz', big)], {
      budget: { bytes: 256 * MiB, why: 'test' },
      offer: async () => {
        offered.push(inflateMeter.bytes);
        throw new LoadCancelled();
      },
    }),
  );
  assert.ok(m.error instanceof LoadCancelled);
  assert.ok(m.inflated < 2 * STEP, `inflated ${m.inflated} before the offer`);
  await besideGood([memoryFile('zeros.nii.gz', gzippedZeros(new Uint8Array(0), 4096))], /zeros\.nii\.gz: not a NIfTI file \(bad header size\)/, { inflated: 2 * STEP });
});

test('n03: negative pixdim is used by its size, with a note (as nibabel reads it)', async () => {
  const file = nii({ dims: [8, 8, 8], pixdim: [1, -1.5, -1.5, -2, 1, 1, 1, 1], qformCode: 1 }, 8 * 8 * 8 * 2);
  const m = await metered(() => load([memoryFile('neg.nii', file)]));
  assert.ifError(m.error);
  assert.deepEqual(m.value!.volume.spacing, [1.5, 1.5, 2]);
  assert.match(notes(m.value!), /neg\.nii: pixdim\[1\] is -1\.5; its size 1\.5 mm is used/);
});

test('D12: a NIfTI with an empty descrip is not described by its file name (which may name the patient)', async () => {
  const file = nii({ dims: [8, 8, 8] }, 8 * 8 * 8 * 2);
  const m = await metered(() => load([memoryFile('DOE_JOHN_19700101_PID314159.nii', file)]));
  assert.ifError(m.error);
  assert.equal(m.value!.seriesDescription, '');
});

test('n01/n08/n13: absurd dims, a cut .nii.gz and random bytes named .nii.gz: each named with what is wrong', async () => {
  const rnd = seeded(3);
  const cut = gzipSync(nii({ dims: [32, 32, 32] }, 32 * 32 * 32 * 2));
  const m = await besideGood(
    [
      memoryFile('huge.nii', nii({ dims: [32767, 32767, 1024] })),
      memoryFile('cut.nii.gz', cut.subarray(0, cut.length >> 1)),
      memoryFile('random.nii.gz', Uint8Array.from({ length: 5000 }, () => Math.floor(rnd() * 256))),
    ],
    /huge\.nii: too large: 32767×32767×1024 = \d+ voxels \(limit 2\^31\)/,
  );
  assert.match(notes(m.value!), /random\.nii\.gz: /);
  // the cut file's header reads fine: its volume fails when chosen alone
  const alone = await metered(() => load([memoryFile('cut.nii.gz', cut.subarray(0, cut.length >> 1))]));
  assert.match(alone.error!.message, /cut\.nii\.gz: corrupt gzip data|cut\.nii\.gz: truncated/);
});

// ---------------------------------------------------------------- truncations and bit flips

const REAL = data('ct_abdomen_tcia_pancreas/1-039.dcm');

/** Every element boundary (start of each element's tag and of its value) of a Part 10 file, plus the preamble's. */
function boundaries(bytes: Uint8Array): number[] {
  const cuts = new Set<number>([0, 1, 64, 128, 130, 132]);
  const ds = dicomParser.parseDicom(bytes);
  for (const el of Object.values(ds.elements)) {
    cuts.add(el.dataOffset);
    cuts.add(el.dataOffset + el.length);
    cuts.add(Math.max(0, el.dataOffset - 8));
    cuts.add(Math.max(0, el.dataOffset - 12));
  }
  return [...cuts].filter((c) => c < bytes.length).sort((a, b) => a - b);
}

test('a real slice cut at every element boundary: each cut file is named with what is wrong, read at most once', async (t) => {
  if (!existsSync(REAL)) return t.skip('no ../shared/data');
  const whole = new Uint8Array(readFileSync(REAL));
  const cuts = boundaries(whole);
  assert.ok(cuts.length > 100, `${cuts.length} cut points`);
  for (const at of cuts) {
    const m = await metered(() => scanHeaders([memoryFile('cut.dcm', whole.subarray(0, at))]));
    assert.ifError(m.error);
    const scan = m.value!;
    assert.equal(scan.stacks.length, 0, `cut at ${at}`);
    assert.equal(scan.skipped.problems.length, 1, `cut at ${at}: ${JSON.stringify(scan.skipped.reasons)}`);
    assert.match(scan.skipped.problems[0], /^cut\.dcm: (the file|named like a DICOM file|damaged DICOM|an element runs past the end)/, `cut at ${at}`);
    assert.doesNotMatch(scan.skipped.problems[0], /could not be read/, `cut at ${at}`);
    assert.ok(m.read <= Math.max(at, 1), `cut at ${at}: read ${m.read}`);
  }
});

/** `bytes` with `flips` random bits flipped in [0, end). */
function flipped(bytes: Uint8Array, end: number, rnd: () => number, flips: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < flips; i++) out[Math.floor(rnd() * end)] ^= 1 << Math.floor(rnd() * 8);
  return out;
}

/** Loads the bit-flipped file beside 5 good slices: a load or an Error naming what is wrong, bounded, never anything else. */
async function flipCase(name: string, bytes: Uint8Array, neighbours: InputSource[]) {
  const m = await metered(() => load([...neighbours, memoryFile(name, bytes)]));
  assert.ok(m.read <= 8 * (bytes.length + neighbours.length * 4096) + MiB, `${name}: read ${m.read}`);
  assert.ok(m.inflated <= 2 * STEP, `${name}: inflated ${m.inflated}`);
  if (m.error) {
    assert.equal(m.error.constructor, Error, `${name}: ${m.error.stack}`);
    assert.doesNotMatch(m.error.message, /undefined|NaN|\[object/, name);
  } else for (const line of m.value!.warnings) assert.doesNotMatch(line, /undefined|\[object/, `${name}: ${line}`);
}

test('300 seeded bit flips in the headers of a synthetic slice: every load ends in a volume or a clear message', async () => {
  const rnd = seeded(20261206);
  const all = series(6);
  const target = all[5].bytes;
  const pixelAt = target.length - 32 * 32 * 2;
  const neighbours = files(all.slice(0, 5));
  for (let i = 0; i < 300; i++) await flipCase(`B/IM0005-flip${i}.dcm`, flipped(target, pixelAt, rnd, 1 + (i % 3)), neighbours);
});

test('100 seeded bit flips in the header of a real CT slice', async (t) => {
  if (!existsSync(REAL)) return t.skip('no ../shared/data');
  const rnd = seeded(42);
  const whole = new Uint8Array(readFileSync(REAL));
  const pixelAt = dicomParser.parseDicom(whole).elements.x7fe00010.dataOffset;
  for (let i = 0; i < 100; i++) {
    const m = await metered(() => scanHeaders([memoryFile(`flip${i}.dcm`, flipped(whole, pixelAt, rnd, 1 + (i % 3)))]));
    assert.ifError(m.error);
    assert.ok(m.read <= 8 * whole.length, `flip ${i}: read ${m.read}`);
    for (const p of m.value!.skipped.problems) assert.match(p, new RegExp(`^flip${i}\\.dcm: `));
  }
});

test('the whole corpus kept this process far from the GiBs the probe saw (peak RSS)', () => {
  const peak = process.resourceUsage().maxRSS * 1024;
  assert.ok(peak - baseline < 768 * MiB, `peak RSS grew by ${((peak - baseline) / MiB).toFixed(0)} MiB`);
});
