import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'fflate';
import { isNifti, readNifti } from './nifti';
import type { Volume } from '../core/types';

// Real files (see ../shared/data/README.md, nifti row). Expected headers were read independently
// with Python's struct module (sform rows, dims, datatypes, voxel values at chosen indices).
const DIR = resolve(process.cwd(), '..', 'shared', 'data', 'nifti');
const haveData = existsSync(DIR);
const load = (file: string) => {
  const bytes = new Uint8Array(readFileSync(resolve(DIR, file)));
  return { bytes, ...readNifti(bytes, file) };
};

const near = (a: number[], b: number[], tol: number, msg = '') =>
  assert.ok(a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= tol), `${msg} ${JSON.stringify(a)} ≉ ${JSON.stringify(b)}`);
const range = (a: Int16Array) => {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) (min = Math.min(min, a[i])), (max = Math.max(max, a[i]));
  return [min, max];
};
const at = (v: Volume, i: number, j: number, k: number) => v.data[i + v.dims[0] * (j + v.dims[1] * k)];
/** Voxel centre per the Volume convention. */
const centre = (v: Volume, i: number, j: number, k: number) =>
  [0, 1, 2].map((r) => v.origin[r] + i * v.spacing[0] * v.direction[r] + j * v.spacing[1] * v.direction[3 + r] + k * v.spacing[2] * v.direction[6 + r]);
/** LPS position of voxel (i,j,k) from a RAS affine (3 rows of 4). */
const lpsFromAffine = (A: number[][], i: number, j: number, k: number) =>
  A.map((row, r) => (r < 2 ? -1 : 1) * (row[0] * i + row[1] * j + row[2] * k + row[3]));
const corners = (d: number[]) => [0, 1].flatMap((a) => [0, 1].flatMap((b) => [0, 1].map((c) => [a * (d[0] - 1), b * (d[1] - 1), c * (d[2] - 1)])));

test('CT abdomen (int32 HU, sform only, RAS): dims, 3 mm, HU range, LPS directions, corner voxels', (t) => {
  if (!haveData) return t.skip('no ../shared/data/nifti');
  const { bytes, volume: v, notes, modalityGuess, description } = load('ct_abdomen_totalsegmentator_example_ct.nii.gz');
  assert.ok(isNifti('ct_abdomen_totalsegmentator_example_ct.nii.gz', bytes.subarray(0, 512)));
  assert.deepEqual(v.dims, [122, 101, 112]);
  near(v.spacing, [3, 3, 3], 1e-6, 'spacing');
  assert.deepEqual(range(v.data), [-1207, 3382]);
  // sform is +3·I in RAS → i runs to patient right = −x in LPS, j to anterior = −y, k to head.
  near(v.direction, [-1, 0, 0, 0, -1, 0, 0, 0, 1], 1e-9, 'direction');
  const sform = [[3, 0, 0, -177.95632935], [0, 3, 0, 11.31900024], [0, 0, 3, 94.30175781]];
  for (const [i, j, k] of corners(v.dims)) near(centre(v, i, j, k), lpsFromAffine(sform, i, j, k), 1e-3, `voxel ${i},${j},${k}`);
  // voxel order: data[i + nx*(j + ny*k)], values checked against numpy
  assert.deepEqual([at(v, 61, 50, 56), at(v, 10, 20, 30), at(v, 121, 100, 111)], [164, -132, -997]);
  assert.equal(modalityGuess, 'CT');
  assert.equal(description, ''); // descrip is empty: never the file name, which may name the patient
  assert.deepEqual(notes, []);
});

test('MR head (uint8 with scl_slope 2.0078, qform = sform): scaled 0…512, 1 × 0.898 × 0.898 mm', (t) => {
  if (!haveData) return t.skip('no ../shared/data/nifti');
  const { volume: v, modalityGuess, description, notes } = load('mr_head_seg3d_MR.nii.gz');
  assert.deepEqual(v.dims, [160, 232, 160]);
  near(v.spacing, [1, 0.898437, 0.898437], 1e-5, 'spacing');
  assert.deepEqual(range(v.data), [0, 512]);
  assert.deepEqual([at(v, 80, 116, 80), at(v, 40, 100, 120)], [Math.round(51 * 2.007843), Math.round(110 * 2.007843)]);
  near(v.direction, [-1, 0, 0, 0, -1, 0, 0, 0, 1], 1e-9, 'direction');
  near(v.origin, [388.26001, 81.119957, 405.42099], 1e-3, 'origin');
  assert.equal(modalityGuess, 'MR');
  assert.equal(description, 'NRRD i2nii v1.0.0707');
  assert.deepEqual(notes, []);
});

test('MR abdomen (int16, sform only, stored LPS): negative RAS diagonal → +x, +y in LPS', (t) => {
  if (!haveData) return t.skip('no ../shared/data/nifti');
  const { volume: v, modalityGuess } = load('mr_abdomen_totalsegmentator_example_mr_sm.nii.gz');
  assert.deepEqual(v.dims, [117, 91, 20]);
  near(v.spacing, [3, 3, 3], 1e-6, 'spacing');
  near(v.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-9, 'direction');
  const sform = [[-3, 0, 0, 168.59963989], [0, -3, 0, 166.35943604], [0, 0, 3, 28.98964119]];
  for (const [i, j, k] of corners(v.dims)) near(centre(v, i, j, k), lpsFromAffine(sform, i, j, k), 1e-3, `voxel ${i},${j},${k}`);
  assert.deepEqual(range(v.data), [-47, 833]);
  assert.deepEqual([at(v, 58, 45, 10), at(v, 30, 60, 5)], [303, 24]);
  assert.equal(modalityGuess, 'MR');
});

test('already-inflated bytes and a caller-supplied (shared) buffer work too', (t) => {
  if (!haveData) return t.skip('no ../shared/data/nifti');
  const raw = gunzipSync(new Uint8Array(readFileSync(resolve(DIR, 'mr_abdomen_totalsegmentator_example_mr_sm.nii.gz'))));
  const made: Int16Array[] = [];
  const r = readNifti(raw, 'x.nii', (n) => made[made.push(new Int16Array(new SharedArrayBuffer(2 * n))) - 1]);
  assert.equal(made.length, 1);
  assert.equal(r.volume.data, made[0]);
  assert.ok(r.volume.data.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(range(r.volume.data), [-47, 833]);
});

// ---------- synthetic files ----------

interface Synth {
  dims: number[]; // dim[1..]
  datatype?: number;
  values?: number[];
  pixdim?: number[]; // pixdim[0..3]
  qform?: { code: number; q: number[]; offset: number[] };
  sform?: { code: number; rows: number[][] };
  slope?: number;
  inter?: number;
  units?: number;
  little?: boolean;
  descrip?: string;
}
const SIZES: Record<number, [number, (v: DataView, o: number, x: number, le: boolean) => void]> = {
  2: [1, (v, o, x) => v.setUint8(o, x)],
  256: [1, (v, o, x) => v.setInt8(o, x)],
  4: [2, (v, o, x, le) => v.setInt16(o, x, le)],
  512: [2, (v, o, x, le) => v.setUint16(o, x, le)],
  8: [4, (v, o, x, le) => v.setInt32(o, x, le)],
  768: [4, (v, o, x, le) => v.setUint32(o, x, le)],
  16: [4, (v, o, x, le) => v.setFloat32(o, x, le)],
  64: [8, (v, o, x, le) => v.setFloat64(o, x, le)],
};

/** A NIfTI-1 single file (.nii) written field by field from nifti1.h offsets. */
function nifti1(s: Synth): Uint8Array {
  const le = s.little ?? true;
  const dt = s.datatype ?? 4;
  const n = s.dims.reduce((a, b) => a * b, 1);
  const values = s.values ?? Array.from({ length: n }, (_, i) => i);
  const [size, put] = SIZES[dt];
  const b = new Uint8Array(352 + n * size);
  const v = new DataView(b.buffer);
  v.setInt32(0, 348, le);
  v.setInt16(40, s.dims.length, le);
  s.dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, le));
  v.setInt16(70, dt, le);
  v.setInt16(72, size * 8, le);
  (s.pixdim ?? [1, 1, 1, 1]).forEach((p, i) => v.setFloat32(76 + 4 * i, p, le));
  v.setFloat32(108, 352, le);
  v.setFloat32(112, s.slope ?? 0, le);
  v.setFloat32(116, s.inter ?? 0, le);
  b[123] = s.units ?? 2;
  if (s.descrip) b.set(new TextEncoder().encode(s.descrip), 148);
  if (s.qform) {
    v.setInt16(252, s.qform.code, le);
    [...s.qform.q, ...s.qform.offset].forEach((x, i) => v.setFloat32(256 + 4 * i, x, le));
  }
  if (s.sform) {
    v.setInt16(254, s.sform.code, le);
    s.sform.rows.flat().forEach((x, i) => v.setFloat32(280 + 4 * i, x, le));
  }
  b.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  values.forEach((x, i) => put(v, 352 + i * size, x, le));
  return b;
}

/** Rotation matrix about a unit axis (Rodrigues), independent of the quaternion formula. */
function rotation(axis: number[], angle: number): number[][] {
  const [x, y, z] = axis, c = Math.cos(angle), s = Math.sin(angle), C = 1 - c;
  return [
    [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
    [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
    [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
  ];
}
const axis = (() => { const a = [1, 2, 3], l = Math.hypot(...a); return a.map((x) => x / l); })();
const ANGLE = 0.7;
const quat = axis.map((x) => x * Math.sin(ANGLE / 2)); // b, c, d (a = cos(θ/2) > 0)
const R = rotation(axis, ANGLE);
/** Column c of diag(−1,−1,1)·R. */
const lpsColumn = (c: number, sign = 1) => [-R[0][c] * sign, -R[1][c] * sign, R[2][c] * sign];

test('qform only: direction is the quaternion rotation in LPS, spacing from pixdim, origin from qoffset', () => {
  const bytes = nifti1({ dims: [4, 3, 2], pixdim: [1, 0.5, 0.75, 2], qform: { code: 1, q: quat, offset: [10, -20, 30] } });
  const { volume: v, notes } = readNifti(bytes, 'q.nii');
  near(v.direction, [...lpsColumn(0), ...lpsColumn(1), ...lpsColumn(2)], 1e-6, 'direction');
  near(v.spacing, [0.5, 0.75, 2], 1e-6, 'spacing');
  near(v.origin, [-10, 20, 30], 1e-5, 'origin');
  assert.deepEqual([...v.data], Array.from({ length: 24 }, (_, i) => i));
  assert.deepEqual(notes, []);
});

test('qfac = −1 (pixdim[0]) flips k only', () => {
  const bytes = nifti1({ dims: [4, 3, 2], pixdim: [-1, 0.5, 0.75, 2], qform: { code: 1, q: quat, offset: [0, 0, 0] } });
  const { volume: v } = readNifti(bytes, 'qfac.nii');
  near(v.direction, [...lpsColumn(0), ...lpsColumn(1), ...lpsColumn(2, -1)], 1e-6, 'direction');
  near(v.spacing, [0.5, 0.75, 2], 1e-6, 'spacing');
});

test('sform beats qform when both are set', () => {
  const rows = [[0, 0, 2, 5], [-1.5, 0, 0, 6], [0, 1, 0, -7]]; // i → −y (RAS), j → +z, k → +x
  const bytes = nifti1({ dims: [2, 2, 2], qform: { code: 1, q: quat, offset: [1, 2, 3] }, sform: { code: 2, rows } });
  const { volume: v } = readNifti(bytes, 's.nii');
  near(v.spacing, [1.5, 1, 2], 1e-6, 'spacing');
  near(v.direction, [0, 1, 0, 0, 0, 1, -1, 0, 0], 1e-9, 'direction');
  near(v.origin, [-5, -6, -7], 1e-6, 'origin');
  for (const [i, j, k] of corners(v.dims)) near(centre(v, i, j, k), lpsFromAffine(rows, i, j, k), 1e-5);
});

test('no qform or sform: pixdim only, RAS assumed, with a note', () => {
  const { volume: v, notes } = readNifti(nifti1({ dims: [2, 2, 2], pixdim: [1, 2, 3, 4] }), 'bare.nii');
  near(v.spacing, [2, 3, 4], 1e-6);
  near(v.direction, [-1, 0, 0, 0, -1, 0, 0, 0, 1], 0);
  assert.ok(notes.some((s) => s.startsWith('no orientation in the file')), notes.join('|'));
});

test('big-endian header and int16 voxels read the same as little-endian', () => {
  const s: Synth = { dims: [3, 2, 2], values: [-1000, 0, 1, 2, 300, -5, 7, 8, 9, 10, 11, 32767], pixdim: [1, 1, 1, 1], sform: { code: 1, rows: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3]] } };
  const be = nifti1({ ...s, little: false });
  assert.equal(be[0], 0); // 348 big-endian: 00 00 01 5c
  assert.ok(isNifti('x.nii', be));
  const a = readNifti(nifti1(s), 'le.nii').volume, b = readNifti(be, 'be.nii').volume;
  assert.deepEqual([...b.data], s.values);
  assert.deepEqual(b, a);
});

test('big-endian float64 at an odd byte offset (copied and swapped)', () => {
  const bytes = nifti1({ dims: [2, 2, 1], datatype: 64, values: [1.4, -2.6, 1e6, -0.5], little: false });
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const r = readNifti(shifted.subarray(1), 'f64.nii');
  assert.deepEqual([...r.volume.data], [1, -3, 32767, 0]);
  assert.ok(r.notes.some((s) => s.includes('clamped')), r.notes.join('|'));
});

test('float32 with scl_slope/scl_inter is scaled, rounded and clamped (with a note)', () => {
  const bytes = nifti1({ dims: [5, 1, 1], datatype: 16, values: [0, 1.5, -10, 1000, 40000], slope: 2, inter: -1024 });
  const { volume: v, notes, modalityGuess } = readNifti(bytes, 'f.nii');
  assert.deepEqual([...v.data], [-1024, -1021, -1044, 976, 32767]);
  assert.ok(notes.some((s) => s.startsWith('1 voxels were outside')), notes.join('|'));
  assert.equal(modalityGuess, 'CT');
});

test('scl_slope 0 means unscaled; uint16/uint32/int8 types; 4D keeps the first volume', () => {
  const u16 = readNifti(nifti1({ dims: [2, 1, 1], datatype: 512, values: [65535, 7], inter: 100 }), 'u16.nii');
  assert.deepEqual([...u16.volume.data], [32767, 7]);
  const i8 = readNifti(nifti1({ dims: [2, 1, 1], datatype: 256, values: [-128, 127], slope: 1, inter: 0.4 }), 'i8.nii');
  assert.deepEqual([...i8.volume.data], [-128, 127]);
  const u32 = readNifti(nifti1({ dims: [2, 1, 1], datatype: 768, values: [3, 4], slope: 0.5 }), 'u32.nii');
  assert.deepEqual([...u32.volume.data], [2, 2]); // 1.5 → 2, 2 → 2
  const four = readNifti(nifti1({ dims: [2, 2, 1, 3] }), 'four.nii');
  assert.deepEqual(four.volume.dims, [2, 2, 1]);
  assert.deepEqual([...four.volume.data], [0, 1, 2, 3]);
  assert.ok(four.notes.some((s) => s.includes('3 volumes')), four.notes.join('|'));
});

test('units: micrometres and metres are converted to mm; descrip becomes the description', () => {
  const um = readNifti(nifti1({ dims: [2, 2, 2], pixdim: [1, 500, 500, 1000], units: 3, descrip: '  tiny  ' }), 'um.nii');
  near(um.volume.spacing, [0.5, 0.5, 1], 1e-6);
  assert.equal(um.description, 'tiny');
  const m = readNifti(nifti1({ dims: [2, 2, 2], sform: { code: 1, rows: [[0.001, 0, 0, 0.1], [0, 0.002, 0, 0], [0, 0, 0.003, 0]] }, units: 1 }), 'm.nii');
  near(m.volume.spacing, [1, 2, 3], 1e-6);
  near(m.volume.origin, [-100, 0, 0], 1e-4);
});

test('gzipped synthetic file round-trips; isNifti needs .nii.gz for gzip', () => {
  const gz = gzipSync(nifti1({ dims: [2, 2, 2] }));
  assert.ok(isNifti('a.nii.gz', gz));
  assert.ok(!isNifti('a.tar.gz', gz));
  assert.deepEqual([...readNifti(gz, 'a.nii.gz').volume.data], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.ok(!isNifti('x.dcm', new Uint8Array(400)));
});

test('errors name the file: truncated, bad magic, bad header size, absurd or zero dims, unsupported type', () => {
  const good = nifti1({ dims: [4, 4, 4] });
  assert.throws(() => readNifti(good.subarray(0, good.length - 1), 'cut.nii'), /^Error: cut\.nii: truncated: header says 128 bytes of voxels from offset 352, file has 127$/);
  assert.throws(() => readNifti(good.subarray(0, 200), 'tiny.nii'), /tiny\.nii: truncated/);
  const magic = good.slice();
  magic[345] = 0x3f;
  assert.throws(() => readNifti(magic, 'm.nii'), /m\.nii: not a NIfTI-1 file \(bad magic/);
  assert.throws(() => readNifti(new Uint8Array(400), 'z.nii'), /z\.nii: not a NIfTI file \(bad header size\)/);
  const huge = nifti1({ dims: [1, 1, 1] });
  for (const o of [42, 44, 46]) new DataView(huge.buffer).setInt16(o, 32767, true);
  assert.throws(() => readNifti(huge, 'huge.nii'), /huge\.nii: too large: 32767×32767×32767/);
  const zero = nifti1({ dims: [2, 2, 2] });
  new DataView(zero.buffer).setInt16(44, 0, true);
  assert.throws(() => readNifti(zero, 'zero.nii'), /zero\.nii: bad dimensions 2×0×2/);
  const rgb = nifti1({ dims: [2, 1, 1], datatype: 2 });
  new DataView(rgb.buffer).setInt16(70, 128, true);
  assert.throws(() => readNifti(rgb, 'rgb.nii'), /rgb\.nii: unsupported datatype RGB24/);
  assert.throws(() => readNifti(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'bad.nii.gz'), /bad\.nii\.gz: corrupt gzip/);
});

test('NIfTI-2 header (540 bytes, int64 dims, float64 affine)', () => {
  const n = 2 * 3 * 1, b = new Uint8Array(544 + n * 4), v = new DataView(b.buffer);
  v.setInt32(0, 540, true);
  b.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
  v.setInt16(12, 16, true); // float32
  [3, 2, 3, 1].forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), true));
  [1, 0.7, 0.8, 0.9].forEach((p, i) => v.setFloat64(104 + 8 * i, p, true));
  v.setBigInt64(168, 544n, true);
  v.setInt32(348, 1, true); // sform_code
  [[0.7, 0, 0, 1], [0, 0.8, 0, 2], [0, 0, 0.9, 3]].flat().forEach((x, i) => v.setFloat64(400 + 8 * i, x, true));
  v.setInt32(500, 2, true);
  for (let i = 0; i < n; i++) v.setFloat32(544 + 4 * i, i * 10 - 1000, true);
  assert.ok(isNifti('x.nii', b));
  const { volume: vol } = readNifti(b, 'two.nii');
  assert.deepEqual(vol.dims, [2, 3, 1]);
  near(vol.spacing, [0.7, 0.8, 0.9], 1e-12);
  near(vol.origin, [-1, -2, 3], 1e-12);
  assert.deepEqual([...vol.data], [-1000, -990, -980, -970, -960, -950]);
});

