// Undo/redo for voxel edits of segment layers: every operation that changes labels returns a Patch,
// the voxels it changed with their values before and after, so the caller can revert and re-apply it
// on the shared layers. A patch is compact whatever the edit's size: changed voxels are stored as runs
// of consecutive indices (a brush dab is a few hundred runs, a fill of millions of voxels a few
// thousand), and the values before and after as runs of equal values.
//
// Table of contents: PatchRecorder (what an operation writes through) → commitMask (the common case:
// make a segment equal a binary mask inside a box) → applyPatch / revertPatch → patchCountDeltas (how
// many voxels each label value gained or lost, so volumes update without a pass over the layer).
import type { CropBox } from './maskOps';
import type { Vec3 } from './types';

/** The changes of one layer, in increasing voxel order. */
export interface LayerPatch {
  layer: number;
  /** runs of changed voxels: start index, length, start index, length, … (increasing, disjoint) */
  runs: Uint32Array;
  /** values before, run-length coded over the changed voxels in order: count, value, count, value, … */
  before: Uint32Array;
  /** values after, coded the same way */
  after: Uint32Array;
  /** changed voxels */
  voxels: number;
}

/** What one edit changed, layer by layer (usually one layer). */
export interface Patch {
  layers: LayerPatch[];
}

/** A growable Uint32Array. */
class U32List {
  data = new Uint32Array(64);
  length = 0;
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
  done(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Writes values into one layer and records what it changed. Voxels must be written in increasing
 * index order (every operation here scans z, y, x); writing a voxel its current value records nothing.
 */
export class PatchRecorder {
  private runs = new U32List();
  private before = new U32List();
  private after = new U32List();
  private last = -1;
  private runStart = -1;
  private beforeValue = -1;
  private beforeCount = 0;
  private afterValue = -1;
  private afterCount = 0;
  voxels = 0;

  constructor(readonly labels: Uint8Array, readonly layer: number) {}

  /** labels[i] = value, recorded. */
  set(i: number, value: number): void {
    const old = this.labels[i];
    if (old === value) return;
    if (i <= this.last) throw new Error(`PatchRecorder: voxel ${i} written after ${this.last} (writes must go in increasing order)`);
    this.labels[i] = value;
    if (this.runStart < 0) this.runStart = i;
    else if (i !== this.last + 1) {
      this.runs.push2(this.runStart, this.last + 1 - this.runStart);
      this.runStart = i;
    }
    this.last = i;
    if (old === this.beforeValue) this.beforeCount++;
    else {
      if (this.beforeCount) this.before.push2(this.beforeCount, this.beforeValue);
      (this.beforeValue = old), (this.beforeCount = 1);
    }
    if (value === this.afterValue) this.afterCount++;
    else {
      if (this.afterCount) this.after.push2(this.afterCount, this.afterValue);
      (this.afterValue = value), (this.afterCount = 1);
    }
    this.voxels++;
  }

  /** The layer's patch (null when nothing changed). */
  finish(): LayerPatch | null {
    if (!this.voxels) return null;
    this.runs.push2(this.runStart, this.last + 1 - this.runStart);
    this.before.push2(this.beforeCount, this.beforeValue);
    this.after.push2(this.afterCount, this.afterValue);
    return { layer: this.layer, runs: this.runs.done(), before: this.before.done(), after: this.after.done(), voxels: this.voxels };
  }
}

/** A patch of the layer patches that changed something. */
export const patchOf = (...layers: (LayerPatch | null)[]): Patch => ({ layers: layers.filter((p): p is LayerPatch => p !== null) });

/** One undo step of several edits (e.g. the dabs of one brush stroke), applied in order, reverted in reverse. */
export const mergePatches = (patches: Patch[]): Patch => ({ layers: patches.flatMap((p) => p.layers) });

/** How commitMask treats voxels of other segments of the same layer. */
export type Overwrite =
  /** a voxel set in the mask becomes the segment's, whoever held it (Slicer's default) */
  | 'all'
  /** only free voxels (0) are added; other segments keep theirs */
  | 'none';

/**
 * Makes segment `value` of `labels` equal `mask` inside `box` (inclusive voxel box of a volume with
 * `dims`; `mask` is box-sized, x fastest): a voxel set in the mask gets `value` (see Overwrite), a
 * voxel of the segment not set in the mask becomes 0. Voxels outside the box are untouched.
 */
export function commitMask(
  labels: Uint8Array,
  layer: number,
  value: number,
  dims: Vec3,
  box: CropBox,
  mask: Uint8Array,
  overwrite: Overwrite = 'all',
): LayerPatch | null {
  const [nx, ny] = dims;
  const [x0, y0, z0] = box.min, [x1, y1, z1] = box.max;
  const bx = x1 - x0 + 1, by = y1 - y0 + 1;
  const rec = new PatchRecorder(labels, layer);
  for (let k = z0; k <= z1; k++)
    for (let j = y0; j <= y1; j++) {
      const row = nx * (j + ny * k);
      const mrow = bx * (j - y0 + by * (k - z0)) - x0;
      for (let i = row + x0, e = row + x1, m = mrow + x0; i <= e; i++, m++) {
        const cur = labels[i];
        if (mask[m] !== 0) {
          if (cur !== value && (overwrite === 'all' || cur === 0)) rec.set(i, value);
        } else if (cur === value) rec.set(i, 0);
      }
    }
  return rec.finish();
}

/** Writes a layer patch's run-coded values (`before` or `after`) into its runs. */
function write(labels: Uint8Array, p: LayerPatch, values: Uint32Array): void {
  let v = 0; // index into values (pairs)
  let left = values[0];
  for (let r = 0; r < p.runs.length; r += 2) {
    let i = p.runs[r];
    const end = i + p.runs[r + 1];
    while (i < end) {
      while (left === 0) {
        v += 2;
        left = values[v];
      }
      const n = Math.min(left, end - i);
      labels.fill(values[v + 1], i, i + n);
      i += n;
      left -= n;
    }
  }
}

/** Re-applies `patch` (redo): its voxels get their values after the edit. */
export function applyPatch(layers: Uint8Array[], patch: Patch): void {
  for (const p of patch.layers) write(layers[p.layer], p, p.after);
}

/** Reverts `patch` (undo): its voxels get back their values before the edit. Revert patches newest first. */
export function revertPatch(layers: Uint8Array[], patch: Patch): void {
  for (let i = patch.layers.length - 1; i >= 0; i--) write(layers[patch.layers[i].layer], patch.layers[i], patch.layers[i].before);
}

/**
 * Voxels gained (positive) or lost (negative) per label value by applying `patch`, per layer:
 * deltas[layer][value]. Reverting the patch changes the counts by the opposite amounts.
 */
export function patchCountDeltas(patch: Patch): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  for (const p of patch.layers) {
    let d = out.get(p.layer);
    if (!d) out.set(p.layer, (d = new Float64Array(256)));
    for (let q = 0; q < p.after.length; q += 2) d[p.after[q + 1]] += p.after[q];
    for (let q = 0; q < p.before.length; q += 2) d[p.before[q + 1]] -= p.before[q];
  }
  return out;
}
