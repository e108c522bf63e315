// A synthetic uncompressed CT series for the "big scan" load figures (issue 4): the head phantom
// (workers/core/phantom.ts) at 512 × 512 × 300, written as 300 DICOM Part 10 files (explicit VR
// little endian, CT Image Storage, 12 bits stored, rescale −1024) into a folder under os.tmpdir().
// SYNTH_SLICES=N in the environment makes it N slices over the same 195 mm (e.g. 800: issue 11's
// thin-slice scan, 0.24 mm apart), in a folder of its own.
// The files carry the elements of the CT image IOD a scanner writes (type 2 ones empty), in ascending
// tag order, and are named by a hash of the slice index so that only the positions give the order.
// The folder is reused while its files (one per slice) have the expected names and sizes.
//
// Run directly (node --import tsx bench/synthSeries.ts) it writes the series; ensureSynthSeries()
// does that in a child process, so the 157 MB phantom never lingers in a process measuring memory.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoadResult } from '../workers/intake/loadTypes';
import { makeHeadPhantom } from '../workers/core/phantom';
import type { Vec3 } from '../workers/core/types';

const SLICES = Math.round(Number(process.env.SYNTH_SLICES ?? 300));
if (!(SLICES >= 2)) throw new Error(`SYNTH_SLICES must be a number of slices (2 or more), not ${process.env.SYNTH_SLICES}`);
export const SYNTH_DIMS: Vec3 = [512, 512, SLICES];
/** 0.7 mm pixels; 300 slices 0.65 mm apart cover the whole head (the phantom is 184 mm tall) */
export const SYNTH_SPACING: Vec3 = [0.7, 0.7, (0.65 * 300) / SLICES];
const [NX, NY, NZ] = SYNTH_DIMS;
const PIXEL_BYTES = NX * NY * 2;
const INTERCEPT = -1024;
const STORED_MAX = 4095; // 12 bits stored

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
/** 2.25.<UUID as an integer>: a UID root that needs no registered organisation */
const UID_ROOT = '2.25.78219171381353577366154592585901234898';
const UID = { study: `${UID_ROOT}.1`, series: `${UID_ROOT}.2`, frame: `${UID_ROOT}.3`, implementation: `${UID_ROOT}.4` };
const instanceUid = (k: number) => `${UID_ROOT}.5.${k + 1}`;

/** Where the series lives: versioned, so a change of format never reuses an old folder. */
export const SYNTH_DIR = join(tmpdir(), `scan2print-synth-ct-v1-${NX}x${NY}x${NZ}`);
/** Beside the folder (not in it: the folder holds only the series): the HU figures to check a load against. */
const EXPECTED_FILE = `${SYNTH_DIR}.json`;

interface Expected {
  huMin: number;
  huMax: number;
  /** sum of the HU of each slice, in slice order */
  sliceSums: number[];
}

export interface SynthSeries extends Expected {
  dir: string;
  files: number;
  bytes: number;
  origin: Vec3;
}

/** The phantom's geometry (makeHeadPhantom centres the grid on the origin). */
const ORIGIN: Vec3 = [-((NX - 1) / 2) * SYNTH_SPACING[0], -((NY - 1) / 2) * SYNTH_SPACING[1], -((NZ - 1) / 2) * SYNTH_SPACING[2]];

/** File name of slice k: a bijective hash of k, so names sort in no relation to the slice order. */
const fileName = (k: number) => (Math.imul(k + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');

// ---- explicit VR little endian encoding ----

type Element = { tag: number; vr: string; value: Uint8Array };
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

const tag = (group: number, element: number) => group * 0x10000 + element;

/** A text value padded to even length: UIs with a NUL, other VRs with a space. */
function text(group: number, element: number, vr: string, value: string): Element {
  const padded = value.length % 2 ? value + (vr === 'UI' ? '\0' : ' ') : value;
  return { tag: tag(group, element), vr, value: Buffer.from(padded, 'latin1') };
}

function us(group: number, element: number, value: number): Element {
  return { tag: tag(group, element), vr: 'US', value: Uint8Array.of(value & 0xff, value >>> 8) };
}

/** An element's tag, VR and length: 2 bytes, or 2 reserved and 4 for the long VRs. */
function elementHead(t: number, vr: string, length: number): Buffer {
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(t >>> 16, 0);
  head.writeUInt16LE(t & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(length, 8);
  else head.writeUInt16LE(length, 6);
  return head;
}

/** The elements in ascending tag order, each as its head and value. */
function encode(elements: Element[]): Buffer {
  return Buffer.concat(
    [...elements].sort((a, b) => a.tag - b.tag).flatMap((e) => [elementHead(e.tag, e.vr, e.value.length), e.value]),
  );
}

const ds = (v: number) => String(Math.round(v * 1e4) / 1e4);

/** Preamble, "DICM", file meta group and dataset of slice k, up to the pixel data's value. */
function sliceHeader(k: number): Buffer {
  const sop = instanceUid(k);
  const meta = encode([
    { tag: tag(2, 0x0001), vr: 'OB', value: Uint8Array.of(0, 1) },
    text(2, 0x0002, 'UI', CT_IMAGE_STORAGE),
    text(2, 0x0003, 'UI', sop),
    text(2, 0x0010, 'UI', EXPLICIT_VR_LE),
    text(2, 0x0012, 'UI', UID.implementation),
    text(2, 0x0013, 'SH', 'SCAN2PRINT_BENCH'),
  ]);
  const z = ORIGIN[2] + k * SYNTH_SPACING[2];
  const dataset = encode([
    text(8, 0x0008, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'),
    text(8, 0x0016, 'UI', CT_IMAGE_STORAGE),
    text(8, 0x0018, 'UI', sop),
    text(8, 0x0020, 'DA', '20240101'),
    text(8, 0x0030, 'TM', '120000'),
    text(8, 0x0050, 'SH', ''),
    text(8, 0x0060, 'CS', 'CT'),
    text(8, 0x0070, 'LO', 'scan2print synthetic'),
    text(8, 0x0090, 'PN', ''),
    text(8, 0x103e, 'LO', `Synthetic head phantom ${NX}x${NY}x${NZ}`),
    text(0x10, 0x0010, 'PN', 'Phantom^Synthetic'),
    text(0x10, 0x0020, 'LO', 'SYNTH'),
    text(0x10, 0x0030, 'DA', ''),
    text(0x10, 0x0040, 'CS', 'O'),
    text(0x18, 0x0050, 'DS', ds(SYNTH_SPACING[2])),
    text(0x18, 0x0060, 'DS', '120'),
    text(0x18, 0x5100, 'CS', 'HFS'),
    text(0x20, 0x000d, 'UI', UID.study),
    text(0x20, 0x000e, 'UI', UID.series),
    text(0x20, 0x0010, 'SH', '1'),
    text(0x20, 0x0011, 'IS', '2'),
    text(0x20, 0x0012, 'IS', '1'),
    text(0x20, 0x0013, 'IS', String(k + 1)),
    text(0x20, 0x0032, 'DS', [ORIGIN[0], ORIGIN[1], z].map(ds).join('\\')),
    text(0x20, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
    text(0x20, 0x0052, 'UI', UID.frame),
    text(0x20, 0x1040, 'LO', ''),
    text(0x20, 0x1041, 'DS', ds(z)),
    us(0x28, 0x0002, 1),
    text(0x28, 0x0004, 'CS', 'MONOCHROME2'),
    us(0x28, 0x0010, NY),
    us(0x28, 0x0011, NX),
    text(0x28, 0x0030, 'DS', `${ds(SYNTH_SPACING[1])}\\${ds(SYNTH_SPACING[0])}`),
    us(0x28, 0x0100, 16),
    us(0x28, 0x0101, 12),
    us(0x28, 0x0102, 11),
    us(0x28, 0x0103, 0),
    text(0x28, 0x1050, 'DS', '40'),
    text(0x28, 0x1051, 'DS', '400'),
    text(0x28, 0x1052, 'DS', String(INTERCEPT)),
    text(0x28, 0x1053, 'DS', '1'),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    encode([{ tag: tag(2, 0x0000), vr: 'UL', value: groupLength }]),
    meta,
    dataset,
    // the pixel data element's head: its value follows in the file
    elementHead(tag(0x7fe0, 0x0010), 'OW', PIXEL_BYTES),
  ]);
}

/** Writes the series (phantom, files, expected figures), replacing whatever was there. */
function writeSynthSeries(): void {
  const hu = makeHeadPhantom({ dims: SYNTH_DIMS, spacing: SYNTH_SPACING }).data;
  const partial = `${SYNTH_DIR}.partial-${process.pid}`;
  mkdirSync(partial, { recursive: true });
  const expected: Expected = { huMin: Infinity, huMax: -Infinity, sliceSums: [] };
  const pixels = Buffer.alloc(PIXEL_BYTES);
  for (let k = 0; k < NZ; k++) {
    const slice = hu.subarray(k * NX * NY, (k + 1) * NX * NY);
    let sum = 0;
    for (let i = 0; i < slice.length; i++) {
      const s = Math.min(STORED_MAX, Math.max(0, slice[i] - INTERCEPT));
      pixels.writeUInt16LE(s, 2 * i);
      const v = s + INTERCEPT;
      sum += v;
      if (v < expected.huMin) expected.huMin = v;
      if (v > expected.huMax) expected.huMax = v;
    }
    expected.sliceSums.push(sum);
    writeFileSync(join(partial, fileName(k)), Buffer.concat([sliceHeader(k), pixels]));
  }
  rmSync(SYNTH_DIR, { recursive: true, force: true });
  renameSync(partial, SYNTH_DIR);
  writeFileSync(EXPECTED_FILE, JSON.stringify(expected));
}

/** The series on disk if it is complete (every file present with its size), else null. */
function existing(): SynthSeries | null {
  if (!existsSync(SYNTH_DIR) || !existsSync(EXPECTED_FILE) || readdirSync(SYNTH_DIR).length !== NZ) return null;
  let bytes = 0;
  for (let k = 0; k < NZ; k++) {
    const path = join(SYNTH_DIR, fileName(k));
    const size = existsSync(path) ? statSync(path).size : -1;
    if (size !== sliceHeader(k).length + PIXEL_BYTES) return null;
    bytes += size;
  }
  const expected = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as Expected;
  return { dir: SYNTH_DIR, files: NZ, bytes, origin: ORIGIN, ...expected };
}

/** The synthetic series, written first (in a child process, ~15 s) when it is not on disk yet. */
export function ensureSynthSeries(): SynthSeries {
  const found = existing();
  if (found) return found;
  console.log(`writing the synthetic series to ${SYNTH_DIR}…`);
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  const made = existing();
  if (!made) throw new Error(`the synthetic series in ${SYNTH_DIR} is incomplete after writing it`);
  return made;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-3;

/** Throws unless the load gave the phantom back: geometry, no warnings, HU range and every slice's HU sum. */
export function checkSynthLoad(r: LoadResult, s: SynthSeries): void {
  const v = r.volume;
  const wrong = (what: string) => {
    throw new Error(`the synthetic series loaded wrong: ${what}`);
  };
  if (v.dims.join() !== SYNTH_DIMS.join()) wrong(`dims ${v.dims.join(' × ')}`);
  if (!v.spacing.every((x, a) => close(x, SYNTH_SPACING[a]))) wrong(`spacing ${v.spacing.join(' × ')}`);
  if (!v.origin.every((x, a) => close(x, s.origin[a]))) wrong(`origin ${v.origin.join(', ')}`);
  if (!v.direction.every((x, i) => close(x, i % 4 === 0 ? 1 : 0))) wrong(`direction ${v.direction.join(', ')}`);
  if (r.fileCount !== s.files || r.skipped.count || r.warnings.length) wrong(`${r.fileCount} files, ${r.skipped.count} skipped, warnings: ${r.warnings.join('; ')}`);
  const n = NX * NY;
  let min = Infinity, max = -Infinity;
  for (let k = 0; k < NZ; k++) {
    let sum = 0;
    for (let i = k * n; i < (k + 1) * n; i++) {
      const x = v.data[i];
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (sum !== s.sliceSums[k]) wrong(`slice ${k} sums to ${sum} HU, the phantom's to ${s.sliceSums[k]}`);
  }
  if (min !== s.huMin || max !== s.huMax) wrong(`HU ${min}…${max}, the phantom has ${s.huMin}…${s.huMax}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) writeSynthSeries();
