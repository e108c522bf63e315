// NIfTI-1 / NIfTI-2 single-file reader (.nii, .nii.gz) → our Int16 Volume in DICOM LPS.
//
// The voxels are converted as the bytes arrive (NiftiVolumeReader): memory is the Int16 volume plus a
// 1 MiB scratch buffer, whatever the stored type, and reading stops at the end of the first volume.
// Geometry follows the NIfTI-1 spec (nifti1.h): the sform (method 3) wins when sform_code > 0, else
// the qform quaternion (method 2) when qform_code > 0, else pixdim only (method 1). NIfTI world space
// is RAS+, so the affine's x and y rows are negated to get LPS.
import { gunzipSync } from 'fflate';
import type { Vec3, Volume } from '../core/types';
import { collect, inflateChunks } from './inflate';
import { formatBytes, MAX_NIFTI_EXTENSION_BYTES, MAX_VOLUME_VOXELS } from './limits';
import { decodeUnknownText } from './text';

export interface NiftiResult {
  volume: Volume;
  /** things the user should know (first volume of a 4D file, clamping, assumed orientation…) */
  notes: string[];
  /** `descrip` from the header ('' when empty: a file name is never used, it may name the patient) */
  description: string;
  /**
   * Rough guess: 'CT' when the scaled values reach below −500 and above 500 (air and bone in HU),
   * else 'MR'; 'unknown' for a constant volume. NIfTI stores no modality, so this is only a hint.
   */
  modalityGuess: 'CT' | 'MR' | 'unknown';
}

type Affine = number[][]; // 3 rows × 4 columns, maps [i, j, k, 1] to world

/** Voxel types we read: bytes per voxel and a constructor viewing them. */
const DATATYPES: Record<number, { name: string; ctor: (b: ArrayBufferLike, off: number, n: number) => ArrayLike<number>; size: number; float: boolean }> = {
  2: { name: 'uint8', size: 1, float: false, ctor: (b, o, n) => new Uint8Array(b, o, n) },
  256: { name: 'int8', size: 1, float: false, ctor: (b, o, n) => new Int8Array(b, o, n) },
  4: { name: 'int16', size: 2, float: false, ctor: (b, o, n) => new Int16Array(b, o, n) },
  512: { name: 'uint16', size: 2, float: false, ctor: (b, o, n) => new Uint16Array(b, o, n) },
  8: { name: 'int32', size: 4, float: false, ctor: (b, o, n) => new Int32Array(b, o, n) },
  768: { name: 'uint32', size: 4, float: false, ctor: (b, o, n) => new Uint32Array(b, o, n) },
  16: { name: 'float32', size: 4, float: true, ctor: (b, o, n) => new Float32Array(b, o, n) },
  64: { name: 'float64', size: 8, float: true, ctor: (b, o, n) => new Float64Array(b, o, n) },
};
/** Datatypes (uint8, int8, int16) whose every value is an int16 value. */
const INT16_FIT = new Set([2, 256, 4]);
const UNSUPPORTED: Record<number, string> = {
  1: 'binary', 32: 'complex64', 128: 'RGB24', 1024: 'int64', 1280: 'uint64', 1536: 'float128',
  1792: 'complex128', 2048: 'complex256', 2304: 'RGBA32',
};

const nativeLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const ascii = (b: Uint8Array, from: number, len: number) => {
  let s = '';
  for (let i = from; i < from + len && i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
};
/** A NUL-terminated text field (descrip), decoded and made safe to show. */
const text = (b: Uint8Array, from: number, len: number) => {
  let end = from;
  while (end < from + len && end < b.length && b[end] !== 0) end++;
  return decodeUnknownText(b.subarray(from, end));
};

/** Header size field (348 = NIfTI-1/Analyze, 540 = NIfTI-2) in either byte order, or 0. */
function headerSize(b: Uint8Array): { size: number; littleEndian: boolean } | null {
  if (b.length < 4) return null;
  const v = new DataView(b.buffer, b.byteOffset, 4);
  for (const le of [true, false]) {
    const s = v.getInt32(0, le);
    if (s === 348 || s === 540) return { size: s, littleEndian: le };
  }
  return null;
}

/** Whether a file looks like NIfTI, from its name and first bytes (≥ 348 of them for the magic test). */
export function isNifti(name: string, head: Uint8Array): boolean {
  if (isGzip(head)) return /\.nii\.gz$/i.test(name);
  if (head.length >= 348) {
    const m = ascii(head, 344, 4);
    if (m === 'n+1' || m === 'ni1') return true;
  }
  if (head.length >= 8 && ascii(head, 4, 4) === 'n+2') return true;
  return headerSize(head) !== null;
}

/** The fields of a NIfTI-1 or -2 header that we use, as plain numbers. */
interface Header {
  version: 1 | 2;
  dim: number[]; // dim[0..7]
  datatype: number;
  pixdim: number[]; // pixdim[0..7]
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  descrip: string;
  qformCode: number;
  sformCode: number;
  quatern: number[]; // b, c, d, qoffset x, y, z
  srow: Affine;
}

function parseHeader(b: Uint8Array, name: string): { h: Header; littleEndian: boolean } {
  const hs = headerSize(b);
  if (!hs) throw new Error(`${name}: not a NIfTI file (bad header size)`);
  const { size, littleEndian: le } = hs;
  if (b.length < size) throw new Error(`${name}: truncated: header needs ${size} bytes, file has ${b.length}`);
  const v = new DataView(b.buffer, b.byteOffset, size);
  if (size === 348) {
    const magic = ascii(b, 344, 4);
    if (magic === 'ni1') throw new Error(`${name}: a .hdr/.img pair (magic "ni1"): the voxels are in a separate .img file; convert it to a single .nii`);
    if (magic !== 'n+1') throw new Error(`${name}: not a NIfTI-1 file (bad magic ${JSON.stringify(magic)}; Analyze 7.5 is not supported)`);
    const f = (o: number) => v.getFloat32(o, le);
    const s = (o: number) => v.getInt16(o, le);
    return {
      littleEndian: le,
      h: {
        version: 1,
        dim: Array.from({ length: 8 }, (_, i) => s(40 + 2 * i)),
        datatype: s(70),
        pixdim: Array.from({ length: 8 }, (_, i) => f(76 + 4 * i)),
        voxOffset: f(108),
        sclSlope: f(112),
        sclInter: f(116),
        xyztUnits: b[123],
        descrip: text(b, 148, 80),
        qformCode: s(252),
        sformCode: s(254),
        quatern: Array.from({ length: 6 }, (_, i) => f(256 + 4 * i)),
        srow: [0, 1, 2].map((r) => Array.from({ length: 4 }, (_, c) => f(280 + 16 * r + 4 * c))),
      },
    };
  }
  const magic = ascii(b, 4, 4);
  if (magic !== 'n+2') throw new Error(`${name}: not a NIfTI-2 file (bad magic ${JSON.stringify(magic)})`);
  const d = (o: number) => v.getFloat64(o, le);
  const i64 = (o: number) => Number(v.getBigInt64(o, le));
  const i32 = (o: number) => v.getInt32(o, le);
  return {
    littleEndian: le,
    h: {
      version: 2,
      dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
      datatype: v.getInt16(12, le),
      pixdim: Array.from({ length: 8 }, (_, i) => d(104 + 8 * i)),
      voxOffset: i64(168),
      sclSlope: d(176),
      sclInter: d(184),
      xyztUnits: i32(500),
      descrip: text(b, 240, 80),
      qformCode: i32(344),
      sformCode: i32(348),
      quatern: Array.from({ length: 6 }, (_, i) => d(352 + 8 * i)),
      srow: [0, 1, 2].map((r) => Array.from({ length: 4 }, (_, c) => d(400 + 32 * r + 8 * c))),
    },
  };
}

/** qform (method 2): rotation from the quaternion, scaled by pixdim, k flipped when qfac = −1. */
function qformAffine(h: Header, notes: string[]): Affine {
  let [b, c, d] = h.quatern;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // 180° rotation: renormalise b, c, d (as nifti1_io does)
    const s = 1 / Math.sqrt(b * b + c * c + d * d);
    (b *= s), (c *= s), (d *= s), (a = 0);
  } else a = Math.sqrt(a);
  const R = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const qfac = h.pixdim[0] < 0 ? -1 : 1;
  const step = [1, 2, 3].map((i) => positiveStep(h.pixdim[i], i, notes));
  step[2] *= qfac;
  return [0, 1, 2].map((r) => [R[r][0] * step[0], R[r][1] * step[1], R[r][2] * step[2], h.quatern[3 + r]]);
}

/**
 * A voxel size from pixdim: a negative one by its size (as nibabel reads it; the orientation, never
 * the sign of a size, decides direction), zero or one that is not finite as 1 mm; each with a note.
 */
function positiveStep(p: number, axis: number, notes: string[]): number {
  if (p > 0 && Number.isFinite(p)) return p;
  if (p < 0 && Number.isFinite(p)) {
    notes.push(`pixdim[${axis}] is ${p}; its size ${-p} mm is used`);
    return -p;
  }
  notes.push(`pixdim[${axis}] is ${p}; assumed 1 mm`);
  return 1;
}

const degenerate = (A: Affine) => [0, 1, 2].some((c) => A.every((row) => row[c] === 0) || !A.every((row) => Number.isFinite(row[c])));

function chooseAffine(h: Header, notes: string[]): Affine {
  if (h.sformCode > 0) {
    if (!degenerate(h.srow)) return h.srow.map((r) => [...r]);
    notes.push('the sform is degenerate; ignored it');
  }
  if (h.qformCode > 0) return qformAffine(h, notes);
  notes.push('no orientation in the file (qform_code and sform_code are 0); assumed i, j, k point to patient right, anterior and head (NIfTI method 1), voxel (0,0,0) at the origin');
  const s = [1, 2, 3].map((i) => positiveStep(Math.abs(h.pixdim[i]), i, notes));
  return [[s[0], 0, 0, 0], [0, s[1], 0, 0], [0, 0, s[2], 0]];
}

/**
 * Voxel values → Int16 with scl_slope/scl_inter, rounding and clamping, run over the volume piece by
 * piece; what it had to change is counted for the notes.
 */
class Converter {
  clamped = 0;
  nonFinite = 0;
  fractional = false;
  min = Infinity;
  max = -Infinity;
  /** `fitsInt16`: the stored type's values are all int16 values (int8, uint8, int16) */
  constructor(readonly slope: number, readonly inter: number, readonly float: boolean, readonly fitsInt16: boolean) {}

  /** Converts `src` into dst[at, at + src.length). */
  run(src: ArrayLike<number>, dst: Int16Array, at: number) {
    const { slope, inter } = this;
    const identity = slope === 1 && inter === 0;
    if (identity && this.fitsInt16) {
      // nothing to scale, round or clamp: a copy (most CT stored as int16)
      dst.set(src, at);
      return;
    }
    let { clamped, nonFinite, fractional, min, max } = this;
    for (let i = 0; i < src.length; i++) {
      let v = identity ? src[i] : src[i] * slope + inter;
      if (v !== v || v === Infinity || v === -Infinity) (nonFinite++, (v = 0));
      if (v < min) min = v;
      if (v > max) max = v;
      let r = Math.round(v);
      if (r !== v) fractional = true;
      if (r > 32767) (r = 32767), clamped++;
      else if (r < -32768) (r = -32768), clamped++;
      dst[at + i] = r;
    }
    Object.assign(this, { clamped, nonFinite, fractional, min, max });
  }

  notes(notes: string[]) {
    const { clamped, nonFinite, fractional, min, max } = this;
    if (nonFinite) notes.push(`${nonFinite} voxels were NaN or infinite; stored as 0`);
    if (clamped) notes.push(`${clamped} voxels were outside −32768…32767 (range ${fmt(min)}…${fmt(max)}) and were clamped`);
    if (fractional && max - min < 100)
      notes.push(`values are fractional and span only ${fmt(min)}…${fmt(max)}${this.float ? '' : ' after scl_slope/scl_inter'}; rounding to integers loses detail`);
  }
}
const fmt = (x: number) => String(Math.round(x * 1000) / 1000);

interface Layout {
  h: Header;
  littleEndian: boolean;
  dims: Vec3;
  /** voxels in the first volume */
  n: number;
  type: (typeof DATATYPES)[number];
  /** byte offset of the voxels, and their byte count (first volume) */
  offset: number;
  need: number;
  notes: string[];
}

/** Header → dimensions, voxel type and where the first volume's voxels lie. Needs only the header bytes. */
function layout(bytes: Uint8Array, name: string): Layout {
  const { h, littleEndian } = parseHeader(bytes, name);
  const notes: string[] = [];

  // Dimensions: dim[0] counts the used entries; unused ones default to 1.
  const nd = h.dim[0];
  if (!(nd >= 1 && nd <= 7)) throw new Error(`${name}: bad dim[0] = ${nd} (must be 1…7)`);
  const dimAt = (i: number) => (i <= nd ? h.dim[i] : 1);
  const dims: Vec3 = [dimAt(1), dimAt(2), dimAt(3)];
  if (dims.some((d) => !(d > 0))) throw new Error(`${name}: bad dimensions ${dims.join('×')} (must be positive)`);
  const n = dims[0] * dims[1] * dims[2];
  if (n > MAX_VOLUME_VOXELS) throw new Error(`${name}: too large: ${dims.join('×')} = ${n} voxels (limit 2^31)`);
  let extra = 1;
  for (let i = 4; i <= nd; i++) extra *= Math.max(1, h.dim[i]);
  if (extra > 1) notes.push(`${nd}D file with ${extra} volumes (${h.dim.slice(1, nd + 1).join('×')}); loaded the first one`);

  // Voxel type and location.
  const type = DATATYPES[h.datatype];
  if (!type) throw new Error(`${name}: unsupported datatype ${UNSUPPORTED[h.datatype] ?? 'code ' + h.datatype}`);
  if (!Number.isFinite(h.voxOffset)) throw new Error(`${name}: bad vox_offset ${h.voxOffset} (not a number of bytes): the header is damaged`);
  let offset = Math.floor(h.voxOffset);
  const minOffset = h.version === 1 ? 352 : 544;
  // header extensions (between the header and vox_offset) are small; a larger gap is a damaged header,
  // and would only make the reader skip (inflate) that many bytes
  if (offset > minOffset + MAX_NIFTI_EXTENSION_BYTES)
    throw new Error(
      `${name}: vox_offset ${offset} puts the voxels ${formatBytes(offset - minOffset)} after the header, more than the ` +
        `${formatBytes(MAX_NIFTI_EXTENSION_BYTES)} any header extension takes: the header is damaged`,
    );
  if (!(offset >= minOffset - 4)) {
    notes.push(`vox_offset ${h.voxOffset} is too small for a single-file NIfTI; used ${minOffset}`);
    offset = minOffset;
  }
  return { h, littleEndian, dims, n, type, offset, need: n * type.size, notes };
}

/** Bytes of an (inflated) NIfTI file that hold the whole header: enough for `niftiExtent`. */
export const NIFTI_HEADER_BYTES = 544;

/**
 * From the first NIFTI_HEADER_BYTES of an inflated file (or all of a shorter one): the dimensions and
 * how many bytes hold the header and the first volume, so a reader can stop inflating there.
 * Throws like `readNifti` on a bad header.
 */
export function niftiExtent(head: Uint8Array, name: string): { dims: Vec3; bytes: number; spacing: Vec3; description: string } {
  const l = layout(head, name);
  // pixdim as stored (the affine may scale differently; good enough to describe the file)
  const spacing = [1, 2, 3].map((i) => (Number.isFinite(l.h.pixdim[i]) && l.h.pixdim[i] !== 0 ? Math.abs(l.h.pixdim[i]) : 1)) as Vec3;
  return { dims: l.dims, bytes: l.offset + l.need, spacing, description: l.h.descrip };
}

/** Voxel bytes gathered before they are converted: aligned for any type, and a multiple of every type's size. */
const SCRATCH_BYTES = 1 << 20;

/**
 * Reads a NIfTI file pushed in pieces (inflated bytes, in order): the header from the first bytes,
 * then the first volume's voxels converted into `allocate(n)` as they arrive. `push` returns true
 * once the first volume is complete (the caller stops reading there); `finish` gives the result, or
 * throws when the bytes ended too early. Errors name the file.
 */
export class NiftiVolumeReader {
  #head: Uint8Array[] = [];
  #headBytes = 0;
  #layout: Layout | null = null;
  #data: Int16Array | null = null;
  #converter: Converter | null = null;
  #scratch = new Uint8Array(0);
  #scratchBytes = 0;
  /** bytes of the file seen so far, and voxels converted */
  #seen = 0;
  #voxels = 0;

  constructor(readonly name: string, readonly allocate: (n: number) => Int16Array = (n) => new Int16Array(n)) {}

  get done(): boolean {
    return !!this.#layout && this.#voxels === this.#layout.n;
  }

  push(chunk: Uint8Array): boolean {
    if (this.done) return true;
    if (!this.#layout) {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes < NIFTI_HEADER_BYTES) return false;
      this.#start();
      return this.done;
    }
    this.#voxelBytes(chunk);
    return this.done;
  }

  finish(): NiftiResult {
    if (!this.#layout) this.#start();
    const l = this.#layout!;
    this.#convert(true);
    if (!this.done)
      throw new Error(`${this.name}: truncated: header says ${l.need} bytes of voxels from offset ${l.offset}, file has ${Math.max(0, this.#seen - l.offset)}`);
    return result(l, this.#data!, this.#converter!);
  }

  /** The header is in (or the file ended): lay out the volume and take the voxels already read. */
  #start() {
    const head = new Uint8Array(this.#headBytes);
    let at = 0;
    for (const c of this.#head) head.set(c, (at += c.length) - c.length);
    this.#head = [];
    const l = layout(head, this.name);
    // scl_slope 0 (or NaN) means "no scaling"
    const scaled = l.h.sclSlope !== 0 && Number.isFinite(l.h.sclSlope);
    this.#converter = new Converter(scaled ? l.h.sclSlope : 1, scaled && Number.isFinite(l.h.sclInter) ? l.h.sclInter : 0, l.type.float, INT16_FIT.has(l.h.datatype));
    const data = this.allocate(l.n);
    if (data.length !== l.n) throw new Error(`${this.name}: allocate(${l.n}) returned ${data.length} elements`);
    this.#data = data;
    this.#scratch = new Uint8Array(Math.min(SCRATCH_BYTES, Math.max(8, l.need + 8)));
    this.#layout = l;
    this.#voxelBytes(head);
  }

  /** The next bytes of the file: those at or after vox_offset go to the scratch buffer, converted when it fills. */
  #voxelBytes(chunk: Uint8Array) {
    const l = this.#layout!;
    const from = Math.max(0, l.offset - this.#seen);
    this.#seen += chunk.length;
    for (let at = from; at < chunk.length && !this.done; ) {
      const room = Math.min(this.#scratch.length - this.#scratchBytes, l.need - this.#voxels * l.type.size - this.#scratchBytes);
      const take = Math.min(room, chunk.length - at);
      this.#scratch.set(chunk.subarray(at, at + take), this.#scratchBytes);
      this.#scratchBytes += take;
      at += take;
      this.#convert(false);
    }
  }

  /** Converts the whole voxels in the scratch buffer (when it is full, or `always`), keeping a partial one. */
  #convert(always: boolean) {
    const l = this.#layout!;
    const size = l.type.size;
    const whole = Math.floor(this.#scratchBytes / size);
    const complete = (this.#voxels + whole) * size >= l.need;
    if (!whole || (!always && !complete && this.#scratchBytes < this.#scratch.length)) return;
    const bytes = whole * size;
    if (l.littleEndian !== nativeLittleEndian && size > 1)
      for (let p = 0; p < bytes; p += size)
        for (let a = p, z = p + size - 1; a < z; a++, z--) {
          const t = this.#scratch[a];
          (this.#scratch[a] = this.#scratch[z]), (this.#scratch[z] = t);
        }
    this.#converter!.run(l.type.ctor(this.#scratch.buffer, 0, whole), this.#data!, this.#voxels);
    this.#voxels += whole;
    this.#scratch.copyWithin(0, bytes, this.#scratchBytes);
    this.#scratchBytes -= bytes;
  }
}

/** The volume, its geometry and notes, once every voxel is converted. */
function result(l: Layout, data: Int16Array, converter: Converter): NiftiResult {
  const { h, dims, n, notes } = l;
  converter.notes(notes);
  // Geometry: RAS affine → spatial units → LPS → spacing, direction, origin.
  const A = chooseAffine(h, notes);
  const unit = h.xyztUnits & 0x07;
  const toMm = unit === 1 ? 1000 : unit === 3 ? 0.001 : 1;
  if (toMm !== 1) notes.push(`spatial units are ${unit === 1 ? 'metres' : 'micrometres'}; converted to mm`);
  const L = A.map((row, r) => row.map((x) => x * toMm * (r < 2 ? -1 : 1)));
  const spacing = [0, 1, 2].map((c) => Math.hypot(L[0][c], L[1][c], L[2][c])) as Vec3;
  const direction = [0, 1, 2].flatMap((c) => [0, 1, 2].map((r) => L[r][c] / spacing[c]));
  const origin: Vec3 = [L[0][3], L[1][3], L[2][3]];

  let min = 0, max = 0;
  if (n) (min = data[0]), (max = data[0]);
  for (let i = 1; i < n; i++) {
    const x = data[i];
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  return {
    volume: { dims, spacing, origin, direction, data },
    notes,
    description: h.descrip,
    modalityGuess: min === max ? 'unknown' : min < -500 && max > 500 ? 'CT' : 'MR',
  };
}

/**
 * Reads a .nii or .nii.gz held whole in memory (gzipped or already inflated bytes): tests, bench
 * and trusted files. 4D files give their first volume. `allocate(n)` supplies the Int16Array for n
 * voxels (e.g. on a SharedArrayBuffer). Opened files are read with readNiftiStream instead.
 */
export function readNifti(bytes: Uint8Array, name: string, allocate: (n: number) => Int16Array = (n) => new Int16Array(n)): NiftiResult {
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${name}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  const reader = new NiftiVolumeReader(name, allocate);
  reader.push(bytes);
  return reader.finish();
}

/**
 * A file's bytes, inflated as they are pulled when they start like gzip. Errors of the gzip stream
 * say so and name the file.
 */
async function* inflated(chunks: AsyncIterable<Uint8Array>, name: string): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  try {
    const first: Uint8Array[] = [];
    let got = 0;
    // the first two bytes tell gzip apart
    while (got < 2) {
      const r = await it.next();
      if (r.done) break;
      first.push(r.value);
      got += r.value.length;
    }
    const rest = async function* () {
      yield* first;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    };
    const head = first.length === 1 ? first[0] : Uint8Array.from(first.flatMap((c) => [...c.subarray(0, 2)]));
    if (!isGzip(head)) {
      yield* rest();
      return;
    }
    const gz = inflateChunks(rest(), 'gzip');
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await gz.next();
      } catch (e) {
        throw new Error(`${name}: corrupt gzip data (${(e as Error).message ?? e})`);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // a reader that stops early closes the source (a file stream) too
    await it.return?.();
  }
}

/** The first NIFTI_HEADER_BYTES of a file (inflated when gzipped; fewer in a short file), inflating no further. */
export const readNiftiHead = (chunks: AsyncIterable<Uint8Array>, name: string) => collect(inflated(chunks, name), NIFTI_HEADER_BYTES);

/**
 * Reads a .nii or .nii.gz from its bytes in pieces (see NiftiVolumeReader): inflated and converted as
 * they come, read no further than the end of the first volume. `checkpoint` runs before each piece
 * (it throws to stop the read, e.g. when the load is cancelled).
 */
export async function readNiftiStream(
  chunks: AsyncIterable<Uint8Array>,
  name: string,
  allocate: (n: number) => Int16Array,
  checkpoint: () => void = () => {},
): Promise<NiftiResult> {
  const reader = new NiftiVolumeReader(name, allocate);
  for await (const c of inflated(chunks, name)) {
    checkpoint();
    if (reader.push(c)) break;
  }
  return reader.finish();
}
