// Test helpers: label files written from scratch in the tests (NIfTI-1, DICOM SEG, NRRD), so every
// geometry and packing case is built on purpose, independently of the readers under test.
import { gzipSync } from 'fflate';

/** A NIfTI-1 file (.nii bytes) of uint8 labels with sform `srow` (3 rows × 4, RAS), x fastest. */
export function niftiBytes(dims: [number, number, number], srow: number[][], data: Uint8Array, opts: { intent?: number; extension?: string } = {}): Uint8Array {
  const ext = opts.extension ? new TextEncoder().encode(opts.extension) : null;
  const extSize = ext ? Math.ceil((ext.length + 8) / 16) * 16 : 0;
  const offset = 352 + extSize;
  const out = new Uint8Array(offset + data.length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  [3, ...dims, 1, 1, 1, 1].forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(68, opts.intent ?? 0, true);
  v.setInt16(70, 2, true); // uint8
  v.setInt16(72, 8, true);
  [1, ...srow.map((r) => Math.hypot(r[0], r[1], r[2])), 1, 1, 1, 1].forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, offset, true);
  v.setFloat32(112, 1, true);
  out[123] = 2; // mm
  v.setInt16(254, 2, true); // sform_code aligned
  srow.forEach((r, i) => r.forEach((x, c) => v.setFloat32(280 + 16 * i + 4 * c, x, true)));
  out.set(new TextEncoder().encode('n+1\0'), 344);
  if (ext) {
    out[348] = 1;
    v.setInt32(352, extSize, true);
    v.setInt32(356, 0, true);
    out.set(ext, 360);
  }
  out.set(data, offset);
  return out;
}

/** An NRRD file: the header lines given, then `data` (gzip when asked). */
export function nrrdBytes(header: string[], data: Uint8Array, gzip: boolean): Uint8Array {
  const head = new TextEncoder().encode(['NRRD0004', ...header, `encoding: ${gzip ? 'gzip' : 'raw'}`, '', ''].join('\n'));
  const body = gzip ? gzipSync(data) : data;
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

// ---- DICOM (explicit VR little endian) ----------------------------------------------------------

const LONG = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);
const cat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};

/** One data element; `value` is padded to even length. */
export function element(tag: number, vr: string, value: Uint8Array | string | number[]): Uint8Array {
  let bytes: Uint8Array;
  if (typeof value === 'string') {
    bytes = new TextEncoder().encode(value);
    if (bytes.length % 2) bytes = cat([bytes, Uint8Array.of(vr === 'UI' ? 0 : 0x20)]);
  } else if (Array.isArray(value)) {
    bytes = new Uint8Array(2 * value.length);
    value.forEach((x, i) => new DataView(bytes.buffer).setUint16(2 * i, x, true));
  } else bytes = value.length % 2 ? cat([value, new Uint8Array(1)]) : value;
  const long = LONG.has(vr);
  const head = new Uint8Array(long ? 12 : 8);
  const v = new DataView(head.buffer);
  v.setUint16(0, tag >>> 16, true);
  v.setUint16(2, tag & 0xffff, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  if (long) v.setUint32(8, bytes.length, true);
  else v.setUint16(6, bytes.length, true);
  return cat([head, bytes]);
}

/** A sequence of items, each the concatenation of its elements (defined lengths). */
export function sequence(tag: number, items: Uint8Array[][]): Uint8Array {
  const body = cat(
    items.map((els) => {
      const content = cat(els);
      const h = new Uint8Array(8);
      const v = new DataView(h.buffer);
      v.setUint16(0, 0xfffe, true);
      v.setUint16(2, 0xe000, true);
      v.setUint32(4, content.length, true);
      return cat([h, content]);
    }),
  );
  return element(tag, 'SQ', body);
}

/** A Part 10 file: preamble, meta header (explicit VR LE), then the dataset's elements in the order given. */
export function dicomFile(sopClass: string, elements: Uint8Array[]): Uint8Array {
  const meta = cat([
    element(0x00020001, 'OB', Uint8Array.of(0, 1)),
    element(0x00020002, 'UI', sopClass),
    element(0x00020003, 'UI', '1.2.3.4.5'),
    element(0x00020010, 'UI', '1.2.840.10008.1.2.1'),
  ]);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, meta.length, true);
  return cat([new Uint8Array(128), new TextEncoder().encode('DICM'), element(0x00020000, 'UL', len), meta, ...elements]);
}

export interface SegFrame {
  segment: number;
  /** ImagePositionPatient */
  position: [number, number, number];
  /** rows × columns values (0/1 for BINARY, 0–max for FRACTIONAL), row by row */
  pixels: number[];
}

/** A DICOM SEG with the given frames, in the order given (BINARY packs the bits with no padding between frames). */
export function segBytes(opts: {
  rows: number;
  cols: number;
  type: 'BINARY' | 'FRACTIONAL';
  orientation: number[];
  spacing: [number, number];
  between?: number;
  segments: { number: number; label: string; lab?: [number, number, number] }[];
  frames: SegFrame[];
  maxFraction?: number;
}): Uint8Array {
  const n = opts.rows * opts.cols;
  let pixels: Uint8Array;
  if (opts.type === 'BINARY') {
    pixels = new Uint8Array(Math.ceil((n * opts.frames.length) / 8));
    opts.frames.forEach((f, k) => f.pixels.forEach((x, q) => x && (pixels[(k * n + q) >> 3] |= 1 << ((k * n + q) & 7))));
  } else pixels = Uint8Array.from(opts.frames.flatMap((f) => f.pixels));
  const ds = (x: number[]) => x.map((v) => String(v)).join('\\');
  return dicomFile('1.2.840.10008.5.1.4.1.1.66.4', [
    element(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.66.4'),
    element(0x00080060, 'CS', 'SEG'),
    element(0x00280002, 'US', [1]),
    element(0x00280004, 'CS', 'MONOCHROME2'),
    element(0x00280008, 'IS', String(opts.frames.length)),
    element(0x00280010, 'US', [opts.rows]),
    element(0x00280011, 'US', [opts.cols]),
    element(0x00280100, 'US', [opts.type === 'BINARY' ? 1 : 8]),
    element(0x00280101, 'US', [opts.type === 'BINARY' ? 1 : 8]),
    element(0x00620001, 'CS', opts.type),
    sequence(
      0x00620002,
      opts.segments.map((s) => [
        element(0x00620004, 'US', [s.number]),
        element(0x00620005, 'LO', s.label),
        ...(s.lab ? [element(0x0062000d, 'US', s.lab)] : []),
      ]),
    ),
    ...(opts.type === 'FRACTIONAL' ? [element(0x0062000e, 'US', [opts.maxFraction ?? 255])] : []),
    sequence(0x52009229, [
      [
        sequence(0x00209116, [[element(0x00200037, 'DS', ds(opts.orientation))]]),
        sequence(0x00289110, [
          [
            element(0x00180050, 'DS', String(opts.between ?? 1)),
            ...(opts.between ? [element(0x00180088, 'DS', String(opts.between))] : []),
            element(0x00280030, 'DS', ds(opts.spacing)),
          ],
        ]),
      ],
    ]),
    sequence(
      0x52009230,
      opts.frames.map((f) => [sequence(0x00209113, [[element(0x00200032, 'DS', ds(f.position))]]), sequence(0x0062000a, [[element(0x0062000b, 'US', [f.segment])]])]),
    ),
    element(0x7fe00010, 'OB', pixels),
  ]);
}
