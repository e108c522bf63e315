// One stroke of the sphere brush, painted on the main thread as the pointer moves: a dab where the
// stroke starts, then dabs along the pointer's path, close enough (a quarter of the radius apart) that a
// fast drag paints a continuous tube. Each dab writes the shared layer at once (the slice views redraw
// it while dragging) and is counted in the store; the stroke's dabs become one undo step.
//
// A dab of radius 10 mm on 0.8 mm voxels (about 8,000 voxels) takes well under a millisecond, so
// strokes need no worker.
import { brush } from '../../workers/core/brush';
import { mergePatches, patchOf, type Patch } from '../../workers/core/patch';
import type { SegmentRef } from '../../workers/core/segments';
import type { ThresholdRange, Vec3, VolumeGeometry } from '../../workers/core/types';
import type { SegmentStore } from './segmentStore';

export interface BrushSettings {
  radiusMm: number;
  /** only voxels whose HU lies in `hu` change (Slicer's "masking by intensity") */
  limitHu: boolean;
  hu: ThresholdRange;
}

/** Dabs are at most this fraction of the radius apart along the path. */
const STEP = 0.25;

export class BrushStroke {
  private patches: Patch[] = [];
  private last: Vec3 | null = null;

  constructor(
    private readonly store: SegmentStore,
    private readonly target: SegmentRef,
    private readonly grid: Pick<VolumeGeometry, 'dims' | 'spacing' | 'direction'>,
    private readonly settings: BrushSettings & { erase: boolean },
    /** the scan's values (read only with an HU limit) */
    private readonly hu: Int16Array,
  ) {}

  private dab(centre: Vec3): void {
    const { radiusMm, erase, limitHu, hu } = this.settings;
    const p = brush(this.store.layers[this.target.layer], this.target, this.grid, { centre, radiusMm, erase, huRange: limitHu ? hu : undefined }, this.hu);
    if (!p) return;
    const patch = patchOf(p);
    this.store.counted(patch);
    this.patches.push(patch);
  }

  /** Moves the brush to `centre` (voxel index coordinates, fractional), painting along the way. */
  to(centre: Vec3): void {
    const from = this.last;
    this.last = centre;
    if (!from) return this.dab(centre);
    const s = this.grid.spacing;
    const mm = Math.hypot((centre[0] - from[0]) * s[0], (centre[1] - from[1]) * s[1], (centre[2] - from[2]) * s[2]);
    const n = Math.ceil(mm / (STEP * this.settings.radiusMm));
    for (let t = 1; t <= n; t++) this.dab([0, 1, 2].map((a) => from[a] + ((centre[a] - from[a]) * t) / n) as Vec3);
  }

  /** The stroke's voxel change as one patch (null when it changed nothing). */
  finish(): Patch | null {
    return this.patches.length ? mergePatches(this.patches) : null;
  }
}
