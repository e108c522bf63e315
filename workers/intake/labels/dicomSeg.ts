// DICOM Segmentation objects (SOP class 1.2.840.10008.5.1.4.1.1.66.4), BINARY or FRACTIONAL.
//
// Every frame is one segment's mask on one plane. Where a frame goes is read from its functional
// groups, never from the frame order: the plane from its PlanePositionSequence (per-frame) and
// PlaneOrientationSequence (per-frame or shared), the segment from its SegmentIdentificationSequence's
// ReferencedSegmentNumber. The planes are laid on a regular grid (spacing from SpacingBetweenSlices, or
// the gap between planes), which registration.ts then maps onto the scan.
//
// BINARY frames hold one bit per pixel, packed without padding across frame boundaries (a frame of
// 5 × 3 pixels starts at bit 15), least significant bit first. FRACTIONAL frames hold a byte per pixel,
// a pixel is in the segment at 50 % of MaximumFractionalValue or more. Overlapping segments (allowed
// in SEG) are packed into as few label layers as keep them apart.
import type { DataSet } from 'dicom-parser';
import { SEGMENT_COLORS, type ImportedSegment } from '../../core/segments';
import type { Vec3 } from '../../core/types';
import { datasetBytes, nums, parseDataset } from '../dicomDataset';
import { dicomLabToRgb } from './cielab';
import type { SourceLabels } from './types';

export const SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
const LABELMAP_SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.7';

const item = (ds: DataSet | undefined, tag: string): DataSet | undefined => ds?.elements[tag]?.items?.[0]?.dataSet;

/** A value from the frame's functional group macro, else the shared one's. */
function groupValue<T>(frame: DataSet | undefined, shared: DataSet | undefined, macro: string, read: (ds: DataSet) => T | null | undefined): T | undefined {
  for (const g of [frame, shared]) {
    const it = item(g, macro);
    const v = it ? read(it) : undefined;
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

const dotv = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Reads a DICOM SEG file into label layers on the SEG's own grid. */
export async function readDicomSeg(bytes: Uint8Array, name: string): Promise<SourceLabels> {
  let ds: DataSet | null;
  try {
    bytes = await datasetBytes(bytes);
    ds = parseDataset(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { exception?: string }).exception ?? e);
    const cut = /overrun|end of (buffer|file)|past the end/i.test(why);
    throw new Error(`${name}: ${cut ? 'the file ends too early (truncated)' : 'damaged DICOM'} (${why})`);
  }
  if (!ds) throw new Error(`${name}: not a DICOM file`);
  const sop = (ds.string('x00080016') || ds.string('x00020002') || '').trim();
  if (sop === LABELMAP_SEG_SOP_CLASS) throw new Error(`${name}: a DICOM Label Map Segmentation, which is not supported yet (only binary and fractional SEG)`);
  if (sop !== SEG_SOP_CLASS) throw new Error(`${name}: not a DICOM Segmentation (SOP class ${sop || 'missing'})`);
  const type = (ds.string('x00620001') ?? '').trim().toUpperCase();
  if (type !== 'BINARY' && type !== 'FRACTIONAL') throw new Error(`${name}: SegmentationType "${type}" is not supported (BINARY and FRACTIONAL are)`);
  const rows = ds.uint16('x00280010') ?? 0, cols = ds.uint16('x00280011') ?? 0;
  const frames = ds.intString('x00280008') ?? 1;
  const bits = ds.uint16('x00280100') ?? (type === 'BINARY' ? 1 : 8);
  if (!rows || !cols || !(frames >= 1)) throw new Error(`${name}: the SEG has no image size or frames`);
  if ((type === 'BINARY' && bits !== 1) || (type === 'FRACTIONAL' && bits !== 8))
    throw new Error(`${name}: ${type} SEG with BitsAllocated ${bits} (expected ${type === 'BINARY' ? 1 : 8})`);
  const pixels = ds.elements.x7fe00010;
  if (!pixels) throw new Error(`${name}: the SEG has no pixel data`);
  if (pixels.encapsulatedPixelData) throw new Error(`${name}: the SEG's pixel data is compressed, which is not supported yet (save it uncompressed)`);
  const frameBits = rows * cols * bits;
  if (pixels.length * 8 < frameBits * frames || pixels.dataOffset + Math.ceil((frameBits * frames) / 8) > bytes.length)
    throw new Error(`${name}: the file ends too early (truncated): ${frames} frames of ${cols} × ${rows} need ${Math.ceil((frameBits * frames) / 8)} bytes of pixel data, it has ${Math.min(pixels.length, bytes.length - pixels.dataOffset)}`);
  const maxFraction = ds.uint16('x0062000e') ?? 255;
  const notes: string[] = [];

  // segments: number → name, colour
  const segInfo = new Map<number, { name: string; color: ImportedSegment['color'] }>();
  for (const it of ds.elements.x00620002?.items ?? []) {
    const s = it.dataSet!;
    const number = s.uint16('x00620004');
    if (number === undefined) continue;
    const lab = s.elements.x0062000d?.length === 6 ? [0, 1, 2].map((i) => s.uint16('x0062000d', i)!) : null;
    segInfo.set(number, {
      name: (s.string('x00620005') ?? '').trim() || `Segment ${number}`,
      color: lab ? dicomLabToRgb(lab) : SEGMENT_COLORS[segInfo.size % SEGMENT_COLORS.length],
    });
  }
  if (!segInfo.size) throw new Error(`${name}: the SEG lists no segments (SegmentSequence is empty)`);

  // each frame's plane and segment
  const shared = item(ds, 'x52009229');
  const perFrame = ds.elements.x52009230?.items ?? [];
  if (perFrame.length !== frames) throw new Error(`${name}: the SEG has ${frames} frames but ${perFrame.length} per-frame functional group items: it cannot place its frames`);
  const iop = (f: number) => groupValue(perFrame[f].dataSet, shared, 'x00209116', (d) => nums(d, 'x00200037'));
  const o0 = iop(0);
  if (!o0 || o0.length !== 6) throw new Error(`${name}: the SEG gives no plane orientation (PlaneOrientationSequence)`);
  const r = o0.slice(0, 3), c = o0.slice(3, 6);
  const n: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const ps = groupValue(perFrame[0].dataSet, shared, 'x00289110', (d) => nums(d, 'x00280030'));
  if (!ps || ps.length !== 2 || !(ps[0] > 0 && ps[1] > 0)) throw new Error(`${name}: the SEG gives no pixel spacing (PixelMeasuresSequence)`);
  const between = groupValue(perFrame[0].dataSet, shared, 'x00289110', (d) => nums(d, 'x00180088')?.[0]);
  const thickness = groupValue(perFrame[0].dataSet, shared, 'x00289110', (d) => nums(d, 'x00180050')?.[0]);
  const place: { pos: number[]; d: number; segment: number }[] = [];
  for (let f = 0; f < frames; f++) {
    const fd = perFrame[f].dataSet;
    const o = iop(f);
    if (!o || o.some((x, q) => Math.abs(x - o0[q]) > 1e-4)) throw new Error(`${name}: frame ${f + 1} lies in another orientation than frame 1; such SEGs are not supported`);
    const pos = groupValue(fd, undefined, 'x00209113', (d) => nums(d, 'x00200032'));
    if (!pos || pos.length !== 3) throw new Error(`${name}: frame ${f + 1} has no position (PlanePositionSequence)`);
    let segment = groupValue(fd, shared, 'x0062000a', (d) => d.uint16('x0062000b'));
    if (segment === undefined && segInfo.size === 1) segment = [...segInfo.keys()][0];
    if (segment === undefined) throw new Error(`${name}: frame ${f + 1} names no segment (ReferencedSegmentNumber)`);
    place.push({ pos, d: dotv(pos, n), segment });
  }
  // the planes on a regular grid along the normal
  const ref = place.reduce((a, b) => (b.d < a.d ? b : a));
  for (const [f, p] of place.entries()) {
    const off = [0, 1, 2].map((a) => p.pos[a] - ref.pos[a] - (p.d - ref.d) * n[a]);
    if (Math.hypot(...off) > 1e-2) throw new Error(`${name}: frame ${f + 1} is shifted within its plane by ${Math.hypot(...off).toFixed(3)} mm from the others; such SEGs are not supported`);
  }
  const planes = [...new Set(place.map((p) => p.d - ref.d))].sort((a, b) => a - b).filter((d, q, a) => q === 0 || d - a[q - 1] > 1e-3);
  const gaps = planes.slice(1).map((d, q) => d - planes[q]);
  let step = between && between > 0 ? between : gaps.length ? Math.min(...gaps) : thickness && thickness > 0 ? thickness : 1;
  if (gaps.some((g) => Math.abs(g / step - Math.round(g / step)) > 0.01)) {
    step = Math.min(...gaps);
    if (gaps.some((g) => Math.abs(g / step - Math.round(g / step)) > 0.01))
      throw new Error(`${name}: the SEG's frames do not lie on a regular grid of planes (gaps ${gaps.map((g) => g.toFixed(3)).join(', ')} mm)`);
  }
  const K = planes.length ? Math.round(planes[planes.length - 1] / step) + 1 : 1;
  const slice = rows * cols;
  const dims: Vec3 = [cols, rows, K];
  const geometry = { dims, spacing: [ps[1], ps[0], step] as Vec3, origin: ref.pos as Vec3, direction: [...r, ...c, ...n] };

  // frames → masks per segment, packed into layers
  const data = bytes.subarray(pixels.dataOffset);
  /** The pixels of frame f in its segment (indices in the frame, ascending); empty stretches skipped a byte at a time. */
  const framePixels = (f: number): Int32Array => {
    const out: number[] = [];
    if (type === 'BINARY') {
      const start = f * frameBits, shift = start & 7;
      let byte = start >> 3;
      for (let q = 0; q < slice; q += 8, byte++) {
        // the 8 bits from bit `start + q`, across a byte boundary when the frame starts mid-byte
        const w = shift ? ((data[byte] >> shift) | (data[byte + 1] << (8 - shift))) & 0xff : data[byte];
        if (!w) continue;
        for (let b = 0; b < 8 && q + b < slice; b++) if ((w >> b) & 1) out.push(q + b);
      }
    } else {
      for (let q = 0, o = f * slice; q < slice; q++, o++) if (data[o] * 2 >= maxFraction && data[o]) out.push(q);
    }
    return Int32Array.from(out);
  };
  const bySegment = new Map<number, { f: number; k: number }[]>();
  for (const [f, p] of place.entries()) {
    if (!segInfo.has(p.segment)) {
      notes.push(`frame ${f + 1} refers to segment ${p.segment}, which the SEG does not list; skipped`);
      continue;
    }
    const k = Math.round((p.d - ref.d) / step);
    bySegment.set(p.segment, [...(bySegment.get(p.segment) ?? []), { f, k }]);
  }
  const layers: Uint8Array[] = [];
  const used: number[] = [];
  const segments: ImportedSegment[] = [];
  for (const [number, info] of [...segInfo.entries()].sort((a, b) => a[0] - b[0])) {
    const fs = (bySegment.get(number) ?? []).map(({ f, k }) => ({ k, pixels: framePixels(f) })).filter((x) => x.pixels.length);
    if (!fs.length) {
      notes.push(`segment "${info.name}" is empty in the file`);
      continue;
    }
    let layer = layers.findIndex((l, li) => used[li] < 255 && !fs.some(({ k, pixels }) => pixels.some((q) => l[k * slice + q] !== 0)));
    if (layer < 0) {
      layers.push(new Uint8Array(slice * K));
      used.push(0);
      layer = layers.length - 1;
    }
    const value = ++used[layer];
    const l = layers[layer];
    for (const { k, pixels } of fs) for (const q of pixels) l[k * slice + q] = value;
    segments.push({ name: info.name, color: info.color, layer, value });
  }
  if (!segments.length) throw new Error(`${name}: every segment of the SEG is empty: nothing to import`);
  if (layers.length > 1) notes.push(`${segments.length} segments overlap: they were placed in ${layers.length} layers`);
  if (type === 'FRACTIONAL') notes.push(`fractional segments: a voxel is in where its value is at least half of ${maxFraction}`);
  return { format: 'DICOM SEG', geometry, layers, segments, notes };
}
