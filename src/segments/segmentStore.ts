// The segments of the scan on screen: their label layers (shared memory, written in place by the main
// thread's brush and by the segments worker) and each label's voxel count, kept exact from the patches
// every edit returns (patchCountDeltas), so volumes show without a pass over the layers.
//
// The segment records (names, colours, where their voxels are) live in the edit history (EditState),
// immutable; the store's Segmentation holds a working copy that the core's functions read and change,
// set from the history before each operation (useRecords) and copied back after (records()).
//
// Everything that writes voxels goes through serial(): operations run in a worker take a while, and an
// undo must never revert voxels while an edit is still writing them.
//
// One store per scan, named by the scan's key; no layer is made until the first segment is.
import { applyPatch, patchCountDeltas, revertPatch, type Patch } from '../../workers/core/patch';
import { createSegmentation, type Segment, type SegmentRef, type Segmentation } from '../../workers/core/segments';
import type { VolumeGeometry } from '../../workers/core/types';

export const cloneSegment = (g: Segment): Segment => ({ ...g, color: [...g.color] as Segment['color'], ...(g.range ? { range: { ...g.range } } : {}) });

export class SegmentStore {
  readonly seg: Segmentation;
  /** mm³ of one voxel */
  readonly voxelMm3: number;
  /** per layer, voxels holding each label value */
  private counts: Float64Array[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  /** goes up with every voxel change (views and previews redraw when it does) */
  version = 0;
  private pending = 0;

  constructor(
    /** the scan's key (LoadedVolume.key) */
    readonly key: string,
    geometry: Pick<VolumeGeometry, 'dims' | 'spacing' | 'direction'>,
  ) {
    this.seg = createSegmentation(geometry.dims);
    const [a, b, c] = [0, 1, 2].map((i) => geometry.direction.slice(3 * i, 3 * i + 3));
    // a sheared (gantry-tilted) grid's voxel is a parallelepiped: |det| of the scaled axes
    const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    this.voxelMm3 = geometry.spacing[0] * geometry.spacing[1] * geometry.spacing[2] * Math.abs(det);
  }

  get layers(): Uint8Array[] {
    return this.seg.layers;
  }

  /** The counts of `layer` (a fresh layer is all background). */
  private layerCounts(layer: number): Float64Array {
    let c = this.counts[layer];
    if (!c) {
      c = this.counts[layer] = new Float64Array(256);
      c[0] = this.seg.layers[layer]?.length ?? 0;
    }
    return c;
  }

  /** Counts what a patch changed; `sign` −1 when it was reverted. Every voxel change must pass here once. */
  counted(patch: Patch, sign: 1 | -1 = 1): void {
    if (patch.layers.length) this.version++;
    for (const [layer, d] of patchCountDeltas(patch)) {
      const c = this.layerCounts(layer);
      for (let v = 0; v < 256; v++) if (d[v]) c[v] += sign * d[v];
    }
  }

  /** Redo: writes the patch's new values and counts them. */
  apply(patch: Patch): void {
    applyPatch(this.seg.layers, patch);
    this.counted(patch, 1);
  }

  /** Undo: writes the patch's old values back and counts them. */
  revert(patch: Patch): void {
    revertPatch(this.seg.layers, patch);
    this.counted(patch, -1);
  }

  /** Voxels of a segment. */
  voxels(g: SegmentRef): number {
    return this.counts[g.layer]?.[g.value] ?? 0;
  }

  /** A segment's volume in mL (its voxels × the voxel volume). */
  ml(g: SegmentRef): number {
    return (this.voxels(g) * this.voxelMm3) / 1000;
  }

  /** Sets the working records the core's functions see (call before each operation). */
  useRecords(records: readonly Segment[]): void {
    this.seg.segments = records.map(cloneSegment);
  }

  /** The working records after an operation, as an immutable snapshot for the history. */
  records(): Segment[] {
    return this.seg.segments.map(cloneSegment);
  }

  /** Runs `task` after every task queued before it (voxel writes never interleave). */
  serial<T>(task: () => T | Promise<T>): Promise<T> {
    this.pending++;
    const run = this.tail.then(task);
    this.tail = run.then(
      () => this.pending--,
      () => this.pending--,
    );
    return run;
  }

  /** Some queued task has not finished. */
  get busy(): boolean {
    return this.pending > 0;
  }
}
