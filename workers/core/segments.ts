// Segments: named, coloured structures stored in LAYERS of one-byte label maps on the scan's grid
// (3D Slicer's "shared labelmap"). Each layer is a Uint8Array on a SharedArrayBuffer that every
// worker reads and writes in place; a segment is one label value (1–255) in one layer. Segments that
// do not overlap share a layer (TotalSegmentator's 117 structures fit in one byte per voxel); a
// segment that would overlap every existing layer gets a new layer (DICOM SEG allows overlap). Editing
// a segment writes its value in its own layer only: it takes voxels from other segments of that layer
// (Slicer's default "overwrite other segments") and never touches other layers.
//
// This file holds the model (Segment, Segmentation) and the operations that add or remove segments;
// voxel edits of one segment are in segmentEdits.ts, undo/redo in patch.ts.
import { commitMask, patchOf, PatchRecorder, type LayerPatch, type Patch } from './patch';
import type { CropBox } from './maskOps';
import { boxDims, layerStats, valueBox } from './segmentStats';
import { sharedBytes } from './sharedMemory';
import type { ThresholdRange, Vec3 } from './types';

export type Rgb = [number, number, number];

export type SegmentSource = 'threshold' | 'paint' | 'import';

export interface Segment {
  /** unique within its segmentation and never reused (stable across undo/redo) */
  id: number;
  name: string;
  /** sRGB, 0–255 */
  color: Rgb;
  /** index into Segmentation.layers */
  layer: number;
  /** label value in its layer, 1–255 */
  value: number;
  visible: boolean;
  source: SegmentSource;
  /** the HU band it was made from: meshing keeps that band's sub-voxel surface (see segmentMask.ts) */
  range?: ThresholdRange;
}

/**
 * The segments of one scan. A mutable model: the functions below change it in place and return the
 * voxel changes as a Patch for undo/redo (segment records are the caller's to keep in its history).
 */
export interface Segmentation {
  /** the scan's grid: [columns, rows, slices] */
  dims: Vec3;
  /** label maps, one byte per voxel, x fastest (same layout as the volume), on SharedArrayBuffers */
  layers: Uint8Array[];
  segments: Segment[];
  /** the id the next segment gets */
  nextId: number;
}

/** Where a segment's voxels are: its layer and label value. */
export interface SegmentRef {
  layer: number;
  value: number;
}

/** Distinguishable colours given to new segments in turn (sRGB). */
export const SEGMENT_COLORS: readonly Rgb[] = [
  [241, 214, 145], [216, 101, 79], [128, 174, 128], [111, 184, 210], [221, 130, 101], [183, 156, 220],
  [230, 220, 70], [144, 238, 144], [255, 160, 60], [100, 130, 230], [200, 90, 160], [90, 200, 190],
];

export function createSegmentation(dims: Vec3): Segmentation {
  return { dims: [...dims] as Vec3, layers: [], segments: [], nextId: 1 };
}

const voxels = (dims: Vec3) => dims[0] * dims[1] * dims[2];

/** Appends an empty layer (shared memory); returns its index. */
export function addLayer(s: Segmentation): number {
  s.layers.push(new Uint8Array(sharedBytes(voxels(s.dims))));
  return s.layers.length - 1;
}

/** Label values used in `layer` by segments of `s`. */
function usedValues(s: Segmentation, layer: number): Set<number> {
  return new Set(s.segments.filter((g) => g.layer === layer).map((g) => g.value));
}

/** A free label value of `layer` (`prefer` when it is free), or 0 when all 255 are taken. */
export function freeValue(s: Segmentation, layer: number, prefer = 0): number {
  const used = usedValues(s, layer);
  if (prefer >= 1 && prefer <= 255 && !used.has(prefer)) return prefer;
  for (let v = 1; v <= 255; v++) if (!used.has(v)) return v;
  return 0;
}

/** Every free label value of `layer`, ascending (for a split's new pieces). */
export function freeValues(s: Segmentation, layer: number): number[] {
  const used = usedValues(s, layer);
  const out: number[] = [];
  for (let v = 1; v <= 255; v++) if (!used.has(v)) out.push(v);
  return out;
}

export interface NewSegment {
  name?: string;
  color?: Rgb;
  source: SegmentSource;
  range?: ThresholdRange;
  visible?: boolean;
}

/** The segment record for `ref`, with defaults for what `meta` leaves out. */
function record(s: Segmentation, meta: NewSegment, ref: SegmentRef): Segment {
  const id = s.nextId++;
  const g: Segment = {
    id,
    name: meta.name ?? `Segment ${id}`,
    color: meta.color ?? SEGMENT_COLORS[(id - 1) % SEGMENT_COLORS.length],
    layer: ref.layer,
    value: ref.value,
    visible: meta.visible ?? true,
    source: meta.source,
  };
  if (meta.range) g.range = { ...meta.range };
  s.segments.push(g);
  return g;
}

/** Adds an empty segment (to be painted) in the first layer with a free value. */
export function addEmptySegment(s: Segmentation, meta: NewSegment): Segment {
  for (let layer = 0; layer < s.layers.length; layer++) {
    const value = freeValue(s, layer);
    if (value) return record(s, meta, { layer, value });
  }
  return record(s, meta, { layer: addLayer(s), value: 1 });
}

export function segmentById(s: Segmentation, id: number): Segment {
  const g = s.segments.find((x) => x.id === id);
  if (!g) throw new Error(`no segment with id ${id}`);
  return g;
}

/**
 * Records the pieces a split gave (segmentEdits 'split' with values from freeValues): the first piece
 * stays segment `id`, each other becomes a segment named "<name> 2", "<name> 3", … in the same layer.
 */
export function addSplitPieces(s: Segmentation, id: number, pieces: { value: number }[]): Segment[] {
  const g = segmentById(s, id);
  return pieces.slice(1).map((p, q) => record(s, { name: `${g.name} ${q + 2}`, source: g.source, range: g.range }, { layer: g.layer, value: p.value }));
}

/** Does any voxel set in `mask` (full size) hold a non-zero label in `labels`? */
function overlaps(labels: Uint8Array, mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0 && labels[i] !== 0) return true;
  return false;
}

/**
 * Adds a segment holding the voxels set in `mask` (any non-zero value; full size, e.g. printMask's
 * output for "Add segment" from the current threshold and edits). It goes into the first layer where it
 * overlaps no other segment and a value is free, else into a new layer.
 */
export function addSegmentFromMask(s: Segmentation, meta: NewSegment, mask: Uint8Array): { segment: Segment; patch: Patch } {
  if (mask.length !== voxels(s.dims)) throw new Error(`mask has ${mask.length} voxels, the scan ${voxels(s.dims)}`);
  let ref: SegmentRef | null = null;
  for (let layer = 0; layer < s.layers.length && !ref; layer++) {
    const value = freeValue(s, layer);
    if (value && !overlaps(s.layers[layer], mask)) ref = { layer, value };
  }
  ref ??= { layer: addLayer(s), value: 1 };
  const segment = record(s, meta, ref);
  const rec = new PatchRecorder(s.layers[ref.layer], ref.layer);
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) rec.set(i, ref.value);
  return { segment, patch: patchOf(rec.finish()) };
}

/** Removes segment `id` and clears its voxels; revert the patch and re-add the record to undo. */
export function removeSegment(s: Segmentation, id: number): { segment: Segment; patch: Patch } {
  const segment = segmentById(s, id);
  s.segments = s.segments.filter((g) => g !== segment);
  const labels = s.layers[segment.layer];
  const rec = new PatchRecorder(labels, segment.layer);
  for (let i = 0; i < labels.length; i++) if (labels[i] === segment.value) rec.set(i, 0);
  return { segment, patch: patchOf(rec.finish()) };
}

/**
 * Moves segment `id` to a layer of its own (a new one), so edits of it no longer take voxels from the
 * segments it shared a layer with, and others may then overlap it. Returns the patch (voxels cleared
 * in the old layer, set in the new) and the segment's new place (the record is updated).
 */
export function isolateSegment(s: Segmentation, id: number): { patch: Patch; from: SegmentRef; to: SegmentRef } {
  const g = segmentById(s, id);
  const from = { layer: g.layer, value: g.value };
  const stats = layerStats(s.layers[g.layer], s.dims);
  const layer = addLayer(s);
  const to = { layer, value: 1 };
  const box = valueBox(stats, g.value);
  let patches: (LayerPatch | null)[] = [];
  if (box) {
    const src = s.layers[g.layer];
    const mask = extractMask(src, s.dims, g.value, box);
    patches = [commitMask(s.layers[layer], layer, 1, s.dims, box, mask), commitMask(src, g.layer, g.value, s.dims, box, new Uint8Array(mask.length))];
  }
  g.layer = to.layer;
  g.value = to.value;
  return { patch: patchOf(...patches), from, to };
}

/** An imported segment: its voxels are `value` in layer `layer` of the import's layers. */
export interface ImportedSegment {
  name: string;
  color: Rgb;
  layer: number;
  value: number;
}

/**
 * Adds imported segments: `layers` are label maps on the scan's grid (e.g. from importLabelFile),
 * segments within one of them do not overlap. Each segment goes into the first layer of `s` where it
 * overlaps nothing and a value is free (its own value when free), else into a new layer; so a
 * TotalSegmentator map lands in one layer with its own label numbers, and DICOM SEG's overlapping
 * segments spread over as few layers as they need. Returns the new segments in the order given.
 */
export function addImportedSegments(
  s: Segmentation,
  layers: Uint8Array[],
  imported: ImportedSegment[],
  meta: Omit<NewSegment, 'name' | 'color'> = { source: 'import' },
): { segments: Segment[]; patch: Patch } {
  const n = voxels(s.dims);
  const out = new Array<Segment>(imported.length);
  const patches: LayerPatch[] = [];
  for (let src = 0; src < layers.length; src++) {
    const labels = layers[src];
    if (labels.length !== n) throw new Error(`imported layer ${src} has ${labels.length} voxels, the scan ${n}`);
    const mine = imported.map((g, i) => [g, i] as const).filter(([g]) => g.layer === src);
    if (!mine.length) continue;
    // label value in `labels` → place in s (layer, value); 0 = not placed yet
    const toLayer = new Int32Array(256).fill(-1);
    const toValue = new Uint8Array(256);
    let pending = mine.map(([g]) => g.value);
    for (let t = 0; t <= s.layers.length && pending.length; t++) {
      if (t === s.layers.length) addLayer(s);
      const target = s.layers[t];
      // which of the pending values meet a voxel already labelled in this layer
      const hit = new Uint8Array(256);
      for (let i = 0; i < n; i++) {
        const v = labels[i];
        if (v !== 0 && target[i] !== 0) hit[v] = 1;
      }
      const used = usedValues(s, t);
      const next: number[] = [];
      for (const v of pending) {
        if (hit[v]) {
          next.push(v);
          continue;
        }
        let w = !used.has(v) ? v : 0;
        for (let c = 1; !w && c <= 255; c++) if (!used.has(c)) w = c;
        if (!w) {
          next.push(v);
          continue;
        }
        used.add(w);
        toLayer[v] = t;
        toValue[v] = w;
      }
      // write the placed ones now, so later layers of the import see them
      const rec = new PatchRecorder(target, t);
      for (let i = 0; i < n; i++) {
        const v = labels[i];
        if (v !== 0 && toLayer[v] === t) rec.set(i, toValue[v]);
      }
      const p = rec.finish();
      if (p) patches.push(p);
      for (const [g, idx] of mine) if (toLayer[g.value] === t && !out[idx]) out[idx] = record(s, { ...meta, name: g.name, color: g.color }, { layer: t, value: toValue[g.value] });
      pending = next;
    }
  }
  return { segments: out.filter(Boolean), patch: { layers: patches } };
}

/** A segment's voxels inside `box` as a box-sized 0/1 mask (x fastest). */
export function extractMask(labels: Uint8Array, dims: Vec3, value: number, box: CropBox, out = new Uint8Array(boxDims(box).reduce((a, b) => a * b, 1))): Uint8Array {
  const [nx, ny] = dims;
  let m = 0;
  for (let k = box.min[2]; k <= box.max[2]; k++)
    for (let j = box.min[1]; j <= box.max[1]; j++)
      for (let p = nx * (j + ny * k) + box.min[0], e = p + box.max[0] - box.min[0]; p <= e; p++) out[m++] = labels[p] === value ? 1 : 0;
  return out;
}
