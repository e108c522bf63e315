// Test helpers: a hostile-input corpus made in memory by the tests (no binary fixture is stored). A
// minimal DICOM Part 10 writer, a zip writer whose directory can lie, a NIfTI header packer, deflate
// and gzip streams of any length made from a repeated flushed segment (a GiB of zeros in about a MiB),
// and virtual files whose bytes are produced on demand and whose reads are counted (a 2 GiB sparse
// file without 2 GiB of memory). Used by hostile.test.ts (Node) and e2e/hostile.spec.ts (browser).
import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { blobChunks } from './inflate';
import type { InputSource } from './sources';

// ---------------------------------------------------------------- DICOM

/** One data element: tag as 'gggg,eeee', VR, value (text, numbers for binary VRs, bytes, or sequence items). */
export interface El {
  tag: string;
  vr: string;
  value: string | number[] | Uint8Array | El[][];
  /** write this length instead of the value's (a lying header) */
  length?: number;
}

const LONG_VRS = new Set('OB OD OF OL OV OW SQ UC UN UR UT UV'.split(' '));
const NUMBER_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };

const tagNumbers = (tag: string) => tag.split(',').map((h) => parseInt(h, 16)) as [number, number];

function valueBytes(el: El, explicit: boolean): Uint8Array {
  const { vr, value } = el;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    const b = Buffer.from(value, vr === 'UI' || vr === 'CS' || vr === 'DS' || vr === 'IS' ? 'latin1' : 'latin1');
    return b.length % 2 ? Buffer.concat([b, Buffer.from(vr === 'UI' ? '\0' : ' ')]) : b;
  }
  if (vr === 'SQ') return Buffer.concat((value as El[][]).map((item) => itemBytes(item, explicit)));
  const size = NUMBER_SIZE[vr];
  const out = Buffer.alloc(size * (value as number[]).length);
  (value as number[]).forEach((v, i) => {
    if (vr === 'US') out.writeUInt16LE(v, 2 * i);
    else if (vr === 'SS') out.writeInt16LE(v, 2 * i);
    else if (vr === 'UL') out.writeUInt32LE(v, 4 * i);
    else if (vr === 'SL') out.writeInt32LE(v, 4 * i);
    else if (vr === 'FL') out.writeFloatLE(v, 4 * i);
    else out.writeDoubleLE(v, 8 * i);
  });
  return out;
}

function itemBytes(item: El[], explicit: boolean): Uint8Array {
  const body = datasetBytes(item, explicit);
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(0xe000, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** One element, explicit or implicit VR little endian. */
export function elementBytes(el: El, explicit = true): Uint8Array {
  const [g, e] = tagNumbers(el.tag);
  const value = valueBytes(el, explicit);
  const length = el.length ?? value.length;
  const long = LONG_VRS.has(el.vr);
  const head = Buffer.alloc(!explicit ? 8 : long ? 12 : 8);
  head.writeUInt16LE(g, 0);
  head.writeUInt16LE(e, 2);
  if (!explicit) head.writeUInt32LE(length >>> 0, 4);
  else {
    head.write(el.vr, 4, 'latin1');
    if (long) head.writeUInt32LE(length >>> 0, 8);
    else head.writeUInt16LE(length & 0xffff, 6);
  }
  return Buffer.concat([head, value]);
}

/** Elements in ascending tag order, encoded one after the other. */
export function datasetBytes(elements: El[], explicit = true): Uint8Array {
  const sorted = [...elements].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return Buffer.concat(sorted.map((el) => elementBytes(el, explicit)));
}

export const TS = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  bigEndian: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpeg2000: '1.2.840.10008.1.2.4.90',
};
export const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
export const ENHANCED_CT = '1.2.840.10008.5.1.4.1.1.2.1';

/** The 128-byte preamble, "DICM" and a meta header (explicit VR little endian, as Part 10 requires). */
export function metaHeader(transferSyntax: string, sopClass: string, sopInstance: string): Uint8Array {
  const group = datasetBytes([
    { tag: '0002,0001', vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: '0002,0002', vr: 'UI', value: sopClass },
    { tag: '0002,0003', vr: 'UI', value: sopInstance },
    { tag: '0002,0010', vr: 'UI', value: transferSyntax },
    { tag: '0002,0012', vr: 'UI', value: '2.25.1' },
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), elementBytes({ tag: '0002,0000', vr: 'UL', value: [group.length] }), group]);
}

/**
 * A Part 10 file: meta header naming `metaSyntax` (the dataset's own encoding unless told otherwise,
 * to make a lying one), then `elements` encoded explicit (default) or implicit, deflated when the
 * meta header says so and `deflate` is not false.
 */
export function part10(
  elements: El[],
  opts: { transferSyntax?: string; metaSyntax?: string; sopClass?: string; sopInstance?: string } = {},
): Uint8Array {
  const ts = opts.transferSyntax ?? TS.explicit;
  const sopClass = opts.sopClass ?? CT_IMAGE;
  const sopInstance = opts.sopInstance ?? (elements.find((e) => e.tag === '0008,0018')?.value as string | undefined) ?? '2.25.9';
  const body = datasetBytes(elements, ts !== TS.implicit);
  const meta = metaHeader(opts.metaSyntax ?? ts, sopClass, sopInstance);
  return Buffer.concat([meta, ts === TS.deflated ? deflateRawSync(body) : body]);
}

export interface SliceOptions {
  /** rows = columns */
  size?: number;
  z?: number;
  k?: number;
  spacing?: string;
  orientation?: string;
  slope?: string;
  intercept?: string;
  description?: string;
  /** SpecificCharacterSet */
  charset?: string;
  seriesUid?: string;
  sopInstance?: string;
  bitsAllocated?: number;
  /** extra elements, or ones replacing the defaults (by tag) */
  extra?: El[];
  /** pixel values (default: a body cylinder with a bone ring) */
  pixels?: Int16Array;
}

/**
 * One slice of "B": a small synthetic CT series (16-bit signed, intercept −1024, 0.8 mm pixels, slices
 * 2 mm apart, IOP identity): a 40 HU body cylinder with a 1200 HU bone ring. Carries patient
 * identifiers (DOE^JOHN, PID-314159) so a test can look for leaks.
 */
export function slice(o: SliceOptions = {}): El[] {
  const n = o.size ?? 32;
  const k = o.k ?? 0;
  const pixels = o.pixels ?? phantomSlice(n);
  const px = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const base: El[] = [
    ...(o.charset ? [{ tag: '0008,0005', vr: 'CS', value: o.charset }] : []),
    { tag: '0008,0008', vr: 'CS', value: 'ORIGINAL\\PRIMARY\\AXIAL' },
    { tag: '0008,0016', vr: 'UI', value: CT_IMAGE },
    { tag: '0008,0018', vr: 'UI', value: o.sopInstance ?? `2.25.100.${k + 1}` },
    { tag: '0008,0060', vr: 'CS', value: 'CT' },
    { tag: '0008,103e', vr: 'LO', value: o.description ?? 'SYNTH CT' },
    { tag: '0010,0010', vr: 'PN', value: 'DOE^JOHN' },
    { tag: '0010,0020', vr: 'LO', value: 'PID-314159' },
    { tag: '0020,000d', vr: 'UI', value: '2.25.200' },
    { tag: '0020,000e', vr: 'UI', value: o.seriesUid ?? '2.25.300' },
    { tag: '0020,0013', vr: 'IS', value: String(k + 1) },
    { tag: '0020,0032', vr: 'DS', value: `-12.8\\-12.8\\${o.z ?? 2 * k}` },
    { tag: '0020,0037', vr: 'DS', value: o.orientation ?? '1\\0\\0\\0\\1\\0' },
    { tag: '0028,0002', vr: 'US', value: [1] },
    { tag: '0028,0004', vr: 'CS', value: 'MONOCHROME2' },
    { tag: '0028,0010', vr: 'US', value: [n] },
    { tag: '0028,0011', vr: 'US', value: [n] },
    { tag: '0028,0030', vr: 'DS', value: o.spacing ?? '0.8\\0.8' },
    { tag: '0028,0100', vr: 'US', value: [o.bitsAllocated ?? 16] },
    { tag: '0028,0101', vr: 'US', value: [o.bitsAllocated ?? 16] },
    { tag: '0028,0102', vr: 'US', value: [(o.bitsAllocated ?? 16) - 1] },
    { tag: '0028,0103', vr: 'US', value: [1] },
    { tag: '0028,1052', vr: 'DS', value: o.intercept ?? '-1024' },
    { tag: '0028,1053', vr: 'DS', value: o.slope ?? '1' },
    { tag: '7fe0,0010', vr: 'OW', value: px },
  ];
  const extra = o.extra ?? [];
  return [...base.filter((b) => !extra.some((x) => x.tag === b.tag)), ...extra];
}

/** Stored values (HU + 1024) of one phantom slice: air, a 40 HU body disc, a 1200 HU ring. */
export function phantomSlice(n: number): Int16Array {
  const out = new Int16Array(n * n);
  const c = (n - 1) / 2;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const r = Math.hypot(x - c, y - c) / (n / 2);
      out[y * n + x] = (r < 0.5 && r > 0.35 ? 1200 : r < 0.8 ? 40 : -1000) + 1024;
    }
  return out;
}

/** A whole series of `count` slices as named files (Part 10, explicit VR LE unless told otherwise). */
export function series(count: number, o: SliceOptions & { prefix?: string; transferSyntax?: string } = {}): { name: string; bytes: Uint8Array }[] {
  return Array.from({ length: count }, (_, k) => ({
    name: `${o.prefix ?? 'B'}/IM${String(k).padStart(4, '0')}.dcm`,
    bytes: part10(slice({ ...o, k }), { transferSyntax: o.transferSyntax }),
  }));
}

// ---------------------------------------------------------------- zip

export interface ZipItem {
  name: string;
  /** the entry's (uncompressed) content */
  data: Uint8Array;
  /** stored (0) or deflate (8, default); `compressed` gives the bytes as they go in the archive */
  method?: 0 | 8;
  compressed?: Uint8Array;
  /** lies in the central directory */
  declaredSize?: number;
  declaredCompressedSize?: number;
  flags?: number;
  /** the directory entry points at another entry's local header (index) instead of its own */
  localOffsetOf?: number;
  /** write no local header and data (a directory entry only: use with localOffsetOf) */
  directoryOnly?: boolean;
}

/** A zip archive (no Zip64) whose central directory says what each item tells it to. */
export function zipArchive(items: ZipItem[]): Uint8Array {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  const central: Buffer[] = [];
  let at = 0;
  const encoded = items.map((it) => {
    const method = it.method ?? 8;
    return { it, method, data: it.compressed ?? (method === 8 ? deflateRawSync(it.data) : it.data), crc: crc32(it.data) };
  });
  for (const { it, method, data, crc } of encoded) {
    offsets.push(at);
    if (it.directoryOnly) continue;
    const name = Buffer.from(it.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(it.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(it.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, Buffer.from(data));
    at += 30 + name.length + data.length;
  }
  const cdOffset = at;
  encoded.forEach(({ it, method, data, crc }, i) => {
    const name = Buffer.from(it.name);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(it.flags ?? 0, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(it.declaredCompressedSize ?? data.length, 20);
    c.writeUInt32LE(it.declaredSize ?? it.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offsets[it.localOffsetOf ?? i], 42);
    central.push(c, name);
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([...parts, cd, end]);
}

// ---------------------------------------------------------------- deflate and gzip of any length

const MiB = 1 << 20;
let zeroSegment: Buffer | null = null;
/** Raw DEFLATE of 1 MiB of zeros, sync-flushed (non-final, byte-aligned): it can be repeated. */
const zerosSegment = () => (zeroSegment ??= deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_SYNC_FLUSH }));

/**
 * A raw DEFLATE stream of `prefix` followed by `zeroMiB` MiB of zeros: the prefix and one flushed
 * segment of zeros repeated, then an empty final block. 1 GiB of zeros takes about 1 MiB.
 */
export function deflatedZeros(prefix: Uint8Array, zeroMiB: number): Uint8Array {
  const head = deflateRawSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH });
  const seg = zerosSegment();
  return Buffer.concat([head, ...Array.from({ length: zeroMiB }, () => seg), Buffer.from([0x03, 0x00])]);
}

/** A gzip file of `prefix` followed by `zeroMiB` MiB of zeros, as concatenated gzip members. */
export function gzippedZeros(prefix: Uint8Array, zeroMiB: number): Uint8Array {
  const member = gzipSync(Buffer.alloc(MiB));
  return Buffer.concat([gzipSync(prefix), ...Array.from({ length: zeroMiB }, () => member)]);
}

// ---------------------------------------------------------------- NIfTI

export interface NiftiOptions {
  dims: number[];
  /** NIfTI datatype code (default 4, int16) and bits */
  datatype?: number;
  bitpix?: number;
  pixdim?: number[];
  voxOffset?: number;
  descrip?: string;
  sclSlope?: number;
  sclInter?: number;
  sformCode?: number;
  srow?: number[][];
  qformCode?: number;
}

/** A NIfTI-1 header (348 bytes) plus the 4-byte extension flag: 352 bytes, little endian. */
export function niftiHeader(o: NiftiOptions): Uint8Array {
  const b = Buffer.alloc(352);
  b.writeInt32LE(348, 0);
  const dims = [o.dims.length, ...o.dims, ...Array(7 - o.dims.length).fill(1)];
  dims.forEach((d, i) => b.writeInt16LE(d, 40 + 2 * i));
  b.writeInt16LE(o.datatype ?? 4, 70);
  b.writeInt16LE(o.bitpix ?? 16, 72);
  (o.pixdim ?? [1, 1, 1, 1, 1, 1, 1, 1]).forEach((p, i) => b.writeFloatLE(p, 76 + 4 * i));
  b.writeFloatLE(o.voxOffset ?? 352, 108);
  b.writeFloatLE(o.sclSlope ?? 1, 112);
  b.writeFloatLE(o.sclInter ?? 0, 116);
  b[123] = 2; // mm
  Buffer.from(o.descrip ?? '').copy(b, 148, 0, 79);
  b.writeInt16LE(o.qformCode ?? 0, 252);
  b.writeInt16LE(o.sformCode ?? 0, 254);
  (o.srow ?? []).forEach((row, r) => row.forEach((v, c) => b.writeFloatLE(v, 280 + 16 * r + 4 * c)));
  b.write('n+1\0', 344, 'latin1');
  return b;
}

// ---------------------------------------------------------------- virtual files

/** Bytes read from virtual files (see virtualFile), for bounds on the work hostile input causes. */
export const readMeter = { bytes: 0 };

/** A Blob-like file whose bytes [start, end) come from `bytesAt` when read, counted in readMeter. */
class VirtualBlob {
  constructor(
    readonly bytesAt: (start: number, end: number) => Uint8Array,
    readonly start: number,
    readonly size: number,
  ) {}
  slice(a = 0, b = this.size): VirtualBlob {
    const from = Math.max(0, Math.min(this.size, a < 0 ? this.size + a : a));
    const to = Math.max(from, Math.min(this.size, b < 0 ? this.size + b : b));
    return new VirtualBlob(this.bytesAt, this.start + from, to - from);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    readMeter.bytes += this.size;
    const out = new Uint8Array(this.size);
    out.set(this.bytesAt(this.start, this.start + this.size));
    return out.buffer;
  }
}

/**
 * A file of `size` bytes given by `bytesAt` (e.g. a short head, then zeros: a sparse 2 GiB file), as
 * the browser's fileSource makes of a File: read in place, in chunks, by a worker's ref. Reads are
 * counted in readMeter.
 */
export function virtualFile(name: string, size: number, bytesAt: (start: number, end: number) => Uint8Array): InputSource {
  const blob = new VirtualBlob(bytesAt, 0, size) as unknown as Blob;
  return {
    name,
    read: () => blob.arrayBuffer(),
    head: async (n) => ({ bytes: await blob.slice(0, n).arrayBuffer(), size }),
    chunks: () => blobChunks(blob),
    blob,
    ref: { blob },
  };
}

/** A virtual file holding `bytes` (counted like any virtual file). */
export const memoryFile = (name: string, bytes: Uint8Array) => virtualFile(name, bytes.length, (s, e) => bytes.subarray(s, e));

/** A virtual file: `head`, then zeros up to `size` (a sparse file). */
export const sparseFile = (name: string, head: Uint8Array, size: number) =>
  virtualFile(name, size, (s, e) => {
    const out = new Uint8Array(e - s);
    if (s < head.length) out.set(head.subarray(s, Math.min(e, head.length)));
    return out;
  });

/** A virtual file made of byte runs and runs of zeros (numbers): e.g. a header, 200 MiB of zeros, the pixel data. */
export function composedFile(name: string, parts: (Uint8Array | number)[]): InputSource {
  const runs: { start: number; end: number; bytes: Uint8Array | null }[] = [];
  let at = 0;
  for (const p of parts) {
    const n = typeof p === 'number' ? p : p.length;
    runs.push({ start: at, end: at + n, bytes: typeof p === 'number' ? null : p });
    at += n;
  }
  return virtualFile(name, at, (s, e) => {
    const out = new Uint8Array(e - s);
    for (const r of runs)
      if (r.bytes && r.end > s && r.start < e) {
        const from = Math.max(s, r.start), to = Math.min(e, r.end);
        out.set(r.bytes.subarray(from - r.start, to - r.start), from - s);
      }
    return out;
  });
}

/** A seeded pseudo-random generator (mulberry32): the same cases on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
