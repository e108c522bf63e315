import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeStack } from './decodeStack';
import { scanHeaders } from './headerScan';
import type { SourceFile } from './loadTypes';
import type { DicomHeader } from './headerTypes';
import { startsCodestream } from './fragments';
import { frameRange, framesOf, readFrame, splitFragments } from './multiframe';
import { fileSource, listFiles, loadDicomFolderNode, nodeDecoder } from './nodeLoad';
import { sliceHeader } from './pixels';
import { stackGeometry } from './series';
import { bytesOf, data, headerAt, needsShared } from './testData';

const XA30 = data('enhanced/xa30_anat-T1w_acq-tfl_enhanced_mr.dcm');
const CT0012 = (variant: string) => data(`enhanced/CT0012.${variant}.dcm`);
const EXPLICIT = 'explicit_little_endian';
const RLE = 'not_fragmented_bot_rle';
const JPEG_LOSSLESS = 'fragmented_no_bot_jpeg_lossless.70';
const JPEG_LS_NEAR = 'fragmented_no_bot_jpeg_ls.81';
const JPEG_12BIT = 'fragmented_no_bot_jpeg_baseline.51';

const range = (a: ArrayLike<number>) => {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) (min = Math.min(min, a[i])), (max = Math.max(max, a[i]));
  return [min, max];
};

/** The frame headers of one file (as the scan makes them). */
async function framesAt(path: string): Promise<DicomHeader[]> {
  const h = await headerAt(path);
  assert.equal(h.kind, 'image', path);
  return framesOf(h as DicomHeader);
}

/** Each frame of one file → HU, decoded as the loader does (only the frame's bytes read). */
async function decodeFrames(path: string): Promise<Int16Array[]> {
  const src = fileSource(path);
  const out: Int16Array[] = [];
  for (const f of await framesAt(path)) {
    const hu = new Int16Array(f.rows * f.columns);
    await nodeDecoder.decode(src, sliceHeader(f), 0, hu);
    out.push(hu);
  }
  return out;
}

test('Enhanced MR (XA30): one stack of 96 frames, geometry only from the per-frame functional groups', needsShared, async () => {
  const file = (await headerAt(XA30)) as DicomHeader;
  // the top level holds no position, orientation or spacing: all of it is per frame
  assert.deepEqual([file.numberOfFrames, file.imagePositionPatient, file.pixelSpacingKnown], [96, null, false]);
  const scan = await scanHeaders([fileSource(XA30)]);
  assert.equal(scan.stacks.length, 1);
  const stack = scan.stack!;
  assert.ok(stack, String(scan.stacks[0].notVolume));
  assert.equal(stack.headers.length, 96);
  const g = stackGeometry(stack);
  assert.deepEqual(g.dims, [128, 128, 96]);
  // PixelMeasuresSequence says PixelSpacing 2\2; the frames lie 2 mm apart (README)
  assert.deepEqual(g.spacing.map((s) => +s.toFixed(4)), [2, 2, 2]);
  // PlaneOrientationSequence 0\1\0\0\0\-1 (sagittal): normal = row × col = (−1, 0, 0)
  assert.deepEqual(g.direction.slice(0, 6), [0, 1, 0, 0, 0, -1]);
  assert.deepEqual(g.direction.slice(6).map((d) => +d.toFixed(6) + 0), [-1, 0, 0]);
  // ordered by position along the normal, not by frame number: frame 96 (x = 89.58) comes first
  assert.deepEqual(g.origin, [89.5761, -156.094, 113.224]);
  assert.equal(g.slices[0].frame, 95);
  assert.deepEqual(g.warnings, []);
  for (const [k, h] of g.slices.entries()) {
    const p = h.imagePositionPatient!;
    const q = [0, 1, 2].map((a) => g.origin[a] + k * g.spacing[2] * g.direction[6 + a]);
    assert.ok(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) < 0.01, `frame ${h.frame}: ${p} vs ${q}`);
  }
  // every frame maps to the file, and its pixel data is its own 128×128×2 bytes
  assert.ok(stack.headers.every((h) => scan.fileOf.get(h)?.name === XA30));
  assert.equal(new Set(stack.headers.map((h) => h.pixelData.offset)).size, 96);
  assert.ok(stack.headers.every((h) => h.pixelData.length === 128 * 128 * 2 && h.numberOfFrames === 1));
});

test('Enhanced MR (XA30): the folder loads it as the volume, with a plausible MR range', needsShared, async () => {
  const r = await loadDicomFolderNode(data('enhanced'));
  assert.equal(r.seriesDescription, 'anat-T1w_acq-tfl');
  assert.deepEqual(r.volume.dims, [128, 128, 96]);
  const [min, max] = range(r.volume.data);
  assert.ok(min >= 0 && max > 500 && max < 4096, `${min}…${max}`);
  let nonzero = 0;
  for (const v of r.volume.data) if (v > 100) nonzero++;
  assert.ok(nonzero > 0.1 * r.volume.data.length, `${nonzero} voxels above 100`);
  // the CT0012 variants (the same 2 frames in 5 files): the two that share the original's SOP Instance
  // UID are dropped as copies; the three left (lossy variants under other UIDs) stay one understandable non-volume
  assert.equal(r.otherSeries.length, 1);
  assert.equal(r.otherSeries[0].slices, 6);
  assert.match(r.otherSeries[0].why, /^several images at the same position \(2 positions only\): e\.g\. .*CT0012\.explicit_little_endian\.dcm and .*CT0012\.\S+\.dcm lie at one position/);
  assert.match(r.warnings.join('\n'), /Dropped 4 duplicate images \(the same image twice: the same SOP Instance UID at the same position/);
});

test('Enhanced CT (CT0012): per-frame position, shared orientation/spacing/rescale; 2 frames 10 mm apart', needsShared, async () => {
  const frames = await framesAt(CT0012(EXPLICIT));
  assert.equal(frames.length, 2);
  assert.deepEqual(frames.map((f) => f.imagePositionPatient), [[99.5, -301.5, -159], [99.5, -301.5, -149]]);
  assert.ok(frames.every((f) => f.rescaleIntercept === -1024 && f.rescaleSlope === 1 && f.stackId === '1'));
  const scan = await scanHeaders([fileSource(CT0012(EXPLICIT))]);
  const g = stackGeometry(scan.stack!);
  assert.deepEqual(g.dims, [512, 512, 2]);
  assert.deepEqual(g.spacing.map((s) => +s.toFixed(6)), [0.388672, 0.388672, 10]);
});

test('Enhanced CT (CT0012): explicit LE, RLE and fragmented JPEG lossless decode to identical HU = stored − 1024', needsShared, async () => {
  const ref = await decodeFrames(CT0012(EXPLICIT));
  // HU from the stored values read straight from the file, frame after frame
  const h = (await headerAt(CT0012(EXPLICIT))) as DicomHeader;
  const bytes = bytesOf(CT0012(EXPLICIT));
  const view = new DataView(bytes.buffer, bytes.byteOffset + h.pixelData.offset);
  ref.forEach((hu, k) => {
    for (let i = 0; i < hu.length; i += 997) assert.equal(hu[i], view.getUint16(2 * (k * hu.length + i), true) - 1024, `frame ${k} pixel ${i}`);
  });
  const [min, max] = range(ref[0]);
  assert.ok(min === -1024 && max > 100 && max < 250, `${min}…${max}`);
  assert.notDeepEqual(ref[0], ref[1]);
  for (const variant of [RLE, JPEG_LOSSLESS]) assert.deepEqual(await decodeFrames(CT0012(variant)), ref, variant);
});

test('Enhanced CT (CT0012): fragmented JPEG-LS near-lossless within ±2; fragmented 12-bit JPEG extended decodes', needsShared, async () => {
  const ref = await decodeFrames(CT0012(EXPLICIT));
  const ls = await decodeFrames(CT0012(JPEG_LS_NEAR));
  ls.forEach((hu, k) => {
    let worst = 0;
    for (let i = 0; i < hu.length; i++) worst = Math.max(worst, Math.abs(hu[i] - ref[k][i]));
    assert.ok(worst <= 2, `frame ${k}: max difference ${worst}`);
  });
  const lossy = await decodeFrames(CT0012(JPEG_12BIT));
  assert.equal(lossy.length, 2);
  for (const hu of lossy) {
    const [min, max] = range(hu);
    assert.ok(max > min, `a real image, not blank: ${min}…${max}`);
  }
});

test('frames of fragmented files without an offset table are found by their codestream starts', needsShared, async () => {
  for (const [variant, fragments] of [[JPEG_LOSSLESS, [10, 9]], [JPEG_LS_NEAR, [4, 4]], [JPEG_12BIT, [6, 5]]] as const) {
    const frames = await framesAt(CT0012(variant));
    assert.deepEqual(frames.map((f) => f.pixelData.fragments!.length), fragments, variant);
    const bytes = bytesOf(CT0012(variant));
    assert.ok(frames.every((f) => startsCodestream(bytes, f.pixelData.fragments![0][0])), variant);
  }
});

test('splitFragments: offset table, one fragment per frame, codestream starts, and what cannot be split', () => {
  // fragments [position, length]; items are 8 bytes apart (tag + length) in a real file
  const f: [number, number][] = [[100, 50], [158, 30], [196, 40], [244, 20]];
  const starts = (at: number) => at === 100 || at === 196;
  // a valid offset table (offsets from the first fragment's item) wins
  assert.deepEqual(splitFragments(f, [0, 58], 2, () => false), [[f[0]], [f[1], f[2], f[3]]]);
  // an offset table that does not match a fragment start is ignored: codestream starts decide
  assert.deepEqual(splitFragments(f, [0, 60], 2, starts), [[f[0], f[1]], [f[2], f[3]]]);
  assert.deepEqual(splitFragments(f, [], 2, starts), [[f[0], f[1]], [f[2], f[3]]]);
  // as many fragments as frames (RLE): one each, whatever their content
  assert.deepEqual(splitFragments(f, [], 4, () => false), f.map((x) => [x]));
  // one frame: all fragments
  assert.deepEqual(splitFragments(f, [], 1, () => false), [f]);
  // neither table nor markers give the frame count
  assert.equal(splitFragments(f, [], 3, starts), null);
  assert.equal(splitFragments([], [], 1, starts), null);
  // markers: JPEG SOI and JPEG 2000 SOC+SIZ start a codestream, other bytes do not
  const b = new Uint8Array([0xff, 0xd8, 0xff, 0x4f, 0xff, 0x51, 0xff, 0x00]);
  assert.deepEqual([0, 2, 4, 6].map((at) => startsCodestream(b, at)), [true, true, false, false]);
});

test('a frame is read on its own: only its bytes, with offsets rebased, decoding like the whole file', needsShared, async () => {
  for (const variant of [EXPLICIT, JPEG_LOSSLESS]) {
    const path = CT0012(variant);
    const frame = (await framesAt(path))[1];
    const r = frameRange(sliceHeader(frame))!;
    const reads: [number, number][] = [];
    const src = { read: () => Promise.reject(new Error('the whole file must not be read')), readRange: fileSource(path).readRange, blob: undefined };
    const counted = { ...src, readRange: (s: number, e: number) => (reads.push([s, e]), src.readRange!(s, e)) };
    const part = await readFrame(counted, sliceHeader(frame));
    assert.deepEqual(reads, [[r.start, r.end]]);
    assert.ok(r.end - r.start < bytesOf(path).length / 1.9, `${variant}: ${r.end - r.start} bytes`);
    assert.equal(part.header.pixelData.offset, 0);
    // the same frame decoded from the whole dataset with the original offsets
    const whole = new Int16Array(512 * 512), alone = new Int16Array(512 * 512);
    await nodeDecoder.decode({ name: path, read: async () => readFileSync(path).buffer as ArrayBuffer }, sliceHeader(frame), 0, whole);
    await nodeDecoder.decode(counted as never, sliceHeader(frame), 0, alone);
    assert.deepEqual(alone, whole, variant);
  }
  // a Blob source (a File in the browser) is sliced, not read whole
  const blob = new Blob([bytesOf(XA30) as Uint8Array<ArrayBuffer>]);
  const frame = (await framesAt(XA30))[40];
  const part = await readFrame({ read: () => Promise.reject(new Error('whole file read')), blob }, sliceHeader(frame));
  assert.equal(part.bytes.length, 128 * 128 * 2);
  assert.deepEqual(part.bytes, bytesOf(XA30).subarray(frame.pixelData.offset, frame.pixelData.offset + 128 * 128 * 2));
});

/** Bytes with `edit` applied to a copy. */
const edited = (bytes: Uint8Array, edit: (b: Uint8Array) => void) => {
  const out = bytes.slice();
  edit(out);
  return out;
};

/** Offset of the first IS element (gggg,eeee) in explicit VR little endian bytes. */
function explicitIS(bytes: Uint8Array, group: number, element: number): number {
  for (let i = 132; i < bytes.length - 8; i++)
    if (bytes[i] === (group & 0xff) && bytes[i + 1] === group >> 8 && bytes[i + 2] === (element & 0xff) && bytes[i + 3] === element >> 8 && bytes[i + 4] === 0x49 && bytes[i + 5] === 0x53)
      return i;
  throw new Error('element not found');
}

test('damaged multi-frame files are named with what is wrong', needsShared, async () => {
  const named = (name: string, bytes: Uint8Array): SourceFile => ({ name, read: async () => bytes.slice().buffer as ArrayBuffer });
  // cut inside the pixel data
  const cut = bytesOf(XA30).subarray(0, 2_000_000);
  // NumberOfFrames 3, but two per-frame functional group items
  const frameCount = edited(bytesOf(CT0012(EXPLICIT)), (b) => b.set([0x33], explicitIS(b, 0x0028, 0x0008) + 8));
  // the pixel data cut after 1 of its 2 frames, its length fixed to match (so only the frame count tells)
  const ct = (await headerAt(CT0012(EXPLICIT))) as DicomHeader;
  const oneFrame = edited(bytesOf(CT0012(EXPLICIT)).subarray(0, ct.pixelData.offset + 512 * 512 * 2), (b) =>
    new DataView(b.buffer).setUint32(ct.pixelData.offset - 4, 512 * 512 * 2, true),
  );
  // the second frame's JPEG start marker damaged: 19 fragments, no offset table, one codestream start
  const jl = (await framesAt(CT0012(JPEG_LOSSLESS)))[1];
  const noStart = edited(bytesOf(CT0012(JPEG_LOSSLESS)), (b) => b.set([0x00], jl.pixelData.fragments![0][0] + 1));
  const scan = await scanHeaders([named('cut.dcm', cut), named('count.dcm', frameCount), named('short.dcm', oneFrame), named('split.dcm', noStart)]);
  assert.equal(scan.stacks.length, 0);
  const [a, b, c, d] = scan.skipped.problems;
  assert.match(a, /^cut\.dcm: the file ends too early \(truncated\)/);
  assert.match(b, /^count\.dcm: the header says 3 frames but describes 2 \(per-frame functional groups\)/);
  assert.match(c, /^short\.dcm: the file ends too early \(truncated\): it holds 1 of 2 frames of pixel data/);
  assert.match(d, /^split\.dcm: the compressed pixel data \(19 fragments, no usable offset table\) cannot be split into its 2 frames/);
});

test('a Siemens mosaic says so, in every transfer syntax', needsShared, async () => {
  const scan = await scanHeaders(listFiles(data('codecs/dcm_qa_ts')).map(fileSource));
  assert.equal(scan.stack, null);
  assert.deepEqual(
    scan.stacks.map((s) => [s.headers.length, s.notVolume]),
    // 9 encodings of one image: 7.dcm and 8.dcm (JPEG-LS by GDCM and by dcmtk) are byte-identical, so one is dropped
    [[8, 'Siemens mosaic (35 slices of 64 × 64 in one image): not a volume']],
  );
  assert.ok(scan.stacks[0].headers.every((h) => h.mosaicImages === 35));
});

test('a frame that fails to decode is named by file and frame', needsShared, async () => {
  const scan = await scanHeaders([fileSource(CT0012('explicit_little_endian'))]);
  const failing = { concurrency: 1, decode: () => Promise.reject(new Error('bad data')) };
  await assert.rejects(decodeStack(scan, failing), /Could not decode .*CT0012\.explicit_little_endian\.dcm \(frame [12]\) \(explicit VR little endian.*\): bad data/);
});
