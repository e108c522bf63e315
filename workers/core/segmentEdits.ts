// The edits of one segment, as one serialisable description each, so the UI can send any of them to a
// worker (meshApi.editSegment) or run them in place: every edit changes only the target's layer (or
// nothing) and returns the Patch that undoes it.
//
//   brush             paint/erase a sphere (mm), optionally only within an HU band    brush.ts
//   scissors          erase or fill inside/outside a polygon, through the volume      scissors.ts
//   keepIsland        keep the piece under a voxel                                     islands.ts
//   removeSmallIslands remove pieces under a volume (mL)                               islands.ts
//   split             one segment per piece, largest first                            islands.ts
//   margin            grow (+) or shrink (−) by mm, exact (distance transform)        margin.ts
//   fillHoles         fill 3D cavities (free voxels only)                             fillHoles.ts
//   logical           add / subtract / intersect another segment                      logical.ts
// A new segment from the threshold and piece edits is segments.ts's addSegmentFromMask (printMask).
import { brush, type BrushStroke } from './brush';
import { fillHoles } from './fillHoles';
import { keepIsland, removeSmallIslands, splitIslands, type SplitPiece } from './islands';
import { logical, type LogicalOp } from './logical';
import { margin } from './margin';
import { patchOf, type Patch } from './patch';
import { scissors, type ScissorsCut } from './scissors';
import type { SegmentRef } from './segments';
import type { VolumeGeometry } from './types';

export type SegmentEdit =
  | { kind: 'brush'; target: SegmentRef; stroke: BrushStroke }
  | { kind: 'scissors'; target: SegmentRef; cut: ScissorsCut }
  /** `seed`: linear voxel index i + nx·(j + ny·k) */
  | { kind: 'keepIsland'; target: SegmentRef; seed: number }
  | { kind: 'removeSmallIslands'; target: SegmentRef; minMl: number }
  /** `values`: free values of the target's layer for the new pieces (segments.ts freeValues) */
  | { kind: 'split'; target: SegmentRef; values: number[]; maxPieces?: number }
  | { kind: 'margin'; target: SegmentRef; mm: number }
  | { kind: 'fillHoles'; target: SegmentRef }
  | { kind: 'logical'; target: SegmentRef; other: SegmentRef; op: LogicalOp };

export interface SegmentEditResult {
  /** the voxels changed (empty when nothing did); revertPatch undoes the edit */
  patch: Patch;
  /** split only: the pieces, largest first, with the value each has now */
  pieces?: SplitPiece[];
}

/**
 * Applies `edit` to `layers` (the segmentation's, on `vol`'s grid) in place. `vol.data` (the scan's
 * HU) is read only by a brush with an HU band.
 */
export function applySegmentEdit(layers: Uint8Array[], vol: VolumeGeometry & { data?: Int16Array }, edit: SegmentEdit): SegmentEditResult {
  const t = edit.target;
  const labels = layers[t.layer];
  if (!labels) throw new Error(`no layer ${t.layer}`);
  if (!(t.value >= 1 && t.value <= 255)) throw new Error(`label value ${t.value} is not 1–255`);
  switch (edit.kind) {
    case 'brush':
      return { patch: patchOf(brush(labels, t, vol, edit.stroke, vol.data)) };
    case 'scissors':
      return { patch: patchOf(scissors(labels, t, vol, edit.cut)) };
    case 'keepIsland':
      return { patch: patchOf(keepIsland(labels, t, vol.dims, edit.seed)) };
    case 'removeSmallIslands':
      return { patch: patchOf(removeSmallIslands(labels, t, vol.dims, vol.spacing, edit.minMl * 1000)) };
    case 'split': {
      const r = splitIslands(labels, t, vol.dims, edit.values, edit.maxPieces);
      return { patch: patchOf(r.patch), pieces: r.pieces };
    }
    case 'margin':
      return { patch: patchOf(margin(labels, t, vol.dims, vol.spacing, edit.mm)) };
    case 'fillHoles':
      return { patch: patchOf(fillHoles(labels, t, vol.dims)) };
    case 'logical':
      return { patch: patchOf(logical(layers, t, edit.other, vol.dims, edit.op)) };
    default: {
      const never: never = edit;
      throw new Error(`unknown segment edit ${JSON.stringify(never)}`);
    }
  }
}
