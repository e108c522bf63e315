// Loading a scan smaller than it was stored, so a big one fits the tab's memory budget: in-plane 2×
// (each 2 × 2 pixel block averaged into one voxel, while decoding) and/or every other slice. The
// geometry stays exact: each voxel of the smaller grid sits at the centre of what it averages.
import type { Vec3 } from '../core/types';
import { formatBytes, MAX_VOLUME_VOXELS, type MemoryBudget } from './limits';
import type { StackGeometry } from './series';

/** How a volume is reduced; both false loads it as stored. */
export interface Downsample {
  /** average 2 × 2 pixel blocks: columns and rows halved (an odd last column or row is dropped) */
  inPlane: boolean;
  /** keep slices 0, 2, 4, … of the regular grid: the slice step doubles */
  slices: boolean;
}

export const FULL_SIZE: Downsample = { inPlane: false, slices: false };

/** Voxel counts after `d`: in-plane halved rounding down, slices ceil(n / 2) (the first and every other one). */
export const downsampledDims = ([nx, ny, nz]: Vec3, d: Downsample): Vec3 => [
  d.inPlane ? nx >> 1 : nx,
  d.inPlane ? ny >> 1 : ny,
  d.slices ? Math.ceil(nz / 2) : nz,
];

/** Bytes of an int16 volume of these dimensions. */
export const volumeBytes = (dims: Vec3) => dims[0] * dims[1] * dims[2] * 2;

/**
 * The stack's geometry after `d`. In-plane 2×: spacing along i and j doubles and the origin moves to
 * the centre of the first 2 × 2 block (half a source voxel along dirI and dirJ). Every other slice:
 * evenly spaced stacks keep source slices 0, 2, 4, … (so only those are decoded); with uneven spacing
 * every source slice is still decoded and the regular grid they are interpolated to keeps every
 * other slice (its step doubles). The origin does not move along the slices.
 */
export function downsampleGeometry(g: StackGeometry, d: Downsample): StackGeometry {
  const dims = downsampledDims(g.dims, d);
  const [sx, sy, sz] = g.spacing;
  const origin: Vec3 = d.inPlane
    ? [0, 1, 2].map((a) => g.origin[a] + (sx / 2) * g.direction[a] + (sy / 2) * g.direction[3 + a]) as Vec3
    : g.origin;
  const slices = d.slices && !g.resample ? g.slices.filter((_, k) => k % 2 === 0) : g.slices;
  return { ...g, dims, origin, slices, spacing: [d.inPlane ? 2 * sx : sx, d.inPlane ? 2 * sy : sy, d.slices ? 2 * sz : sz] };
}

/** "512 × 512 × 300" */
export const dimsText = (d: Vec3) => `${d[0]} × ${d[1]} × ${d[2]}`;
const mm = (v: number) => `${+v.toFixed(2)} mm`;

/** The note a downsampled load carries: "Downsampled to fit memory: …" saying what was done. */
export function downsampleNote(from: StackGeometry, to: StackGeometry, d: Downsample): string {
  const what = [
    ...(d.inPlane ? [`2 × 2 pixel blocks averaged (${mm(from.spacing[0])} → ${mm(to.spacing[0])} in-plane${from.dims[0] % 2 || from.dims[1] % 2 ? '; the odd last row or column dropped' : ''})`] : []),
    ...(d.slices ? [`every other slice kept (${mm(from.spacing[2])} → ${mm(to.spacing[2])} between slices)`] : []),
  ];
  return `Downsampled to fit memory: ${dimsText(from.dims)} → ${dimsText(to.dims)} voxels, ${what.join(', ')}`;
}

/** One way to load a volume that is over the budget, with its size. */
export interface SizeChoice {
  downsample: Downsample;
  dims: Vec3;
  bytes: number;
  /** within the budget */
  fits: boolean;
}

/** What the user is asked when a volume is over the memory budget. */
export interface SizeOffer {
  /** what is about to load: a series description or file name */
  description: string;
  dims: Vec3;
  bytes: number;
  budget: MemoryBudget;
  /** false above MAX_VOLUME_VOXELS: no tab can hold it at full size, so "load anyway" is not offered */
  canLoadFull: boolean;
  /** smaller versions (none for a NIfTI file): in-plane half, every other slice, and both when neither alone fits; never above MAX_VOLUME_VOXELS */
  choices: SizeChoice[];
}

const voxels = (d: Vec3) => d[0] * d[1] * d[2];

/** Throws a message saying what to do when `dims` is more than any tab can hold (MAX_VOLUME_VOXELS). */
export function assertLoadable(description: string, dims: Vec3): void {
  if (voxels(dims) > MAX_VOLUME_VOXELS)
    throw new Error(`${description} is ${dimsText(dims)} voxels, more than a browser tab can hold (2^31 voxels): load it downsampled (half resolution in-plane or every other slice).`);
}

/**
 * The offer for a volume of `dims`, or null when it fits the budget. `canDownsample` is false where
 * the loader cannot reduce while reading (NIfTI): then only "load anyway" or cancel remain.
 */
export function sizeOffer(description: string, dims: Vec3, budget: MemoryBudget, canDownsample: boolean): SizeOffer | null {
  const bytes = volumeBytes(dims);
  if (bytes <= budget.bytes) return null;
  const choice = (downsample: Downsample): SizeChoice => {
    const to = downsampledDims(dims, downsample);
    return { downsample, dims: to, bytes: volumeBytes(to), fits: volumeBytes(to) <= budget.bytes };
  };
  const singles = canDownsample ? [choice({ inPlane: true, slices: false }), choice({ inPlane: false, slices: true })].filter((c) => c.dims.every((n) => n > 0)) : [];
  const both = singles.length === 2 && !singles.some((c) => c.fits) ? [choice({ inPlane: true, slices: true })] : [];
  const choices = [...singles, ...both].filter((c) => voxels(c.dims) <= MAX_VOLUME_VOXELS);
  return { description, dims, bytes, budget, canLoadFull: voxels(dims) <= MAX_VOLUME_VOXELS, choices };
}

/** "512 × 512 × 300 voxels, 150 MiB" */
export const sizeText = (dims: Vec3, bytes: number) => `${dimsText(dims)} voxels, ${formatBytes(bytes)}`;
