// Groups image headers into stacks and picks the volume to load; computes its geometry exactly.
import type { VolumeGeometry } from '../../workers/core/types';
import type { ImageHeader } from './dicomHeader';

export interface Stack {
  key: string;
  headers: ImageHeader[];
  description: string;
  modality: string;
  /** why this stack cannot be a volume, or null */
  notVolume: string | null;
}

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Series (empty UIDs fall back to other identifying fields), split by orientation and matrix size. */
export function groupStacks(headers: ImageHeader[]): Stack[] {
  const stacks = new Map<string, Stack>();
  for (const h of headers) {
    const series = h.seriesUid || `noUID|${h.studyUid}|${h.frameOfReferenceUid}|${h.seriesNumber}|${h.seriesDescription}|${h.modality}`;
    const ori = h.orientation ? h.orientation.map((v) => v.toFixed(3)).join(',') : 'none';
    const key = `${series}|${ori}|${h.rows}x${h.columns}`;
    let s = stacks.get(key);
    if (!s) stacks.set(key, (s = { key, headers: [], description: h.seriesDescription, modality: h.modality, notVolume: null }));
    s.headers.push(h);
  }
  for (const s of stacks.values()) s.notVolume = whyNotVolume(s);
  return [...stacks.values()];
}

function whyNotVolume(s: Stack): string | null {
  const h = s.headers[0];
  if (h.sopClassUid.startsWith(SECONDARY_CAPTURE)) return 'secondary capture (screenshot)';
  if (h.imageType.includes('LOCALIZER')) return 'localizer';
  if (h.samplesPerPixel !== 1) return 'colour image';
  if (h.frames > 1) return 'multi-frame image (not supported yet)';
  if (!h.position || !h.orientation) return 'no patient position';
  if (s.headers.length < 3) return `only ${s.headers.length} image${s.headers.length === 1 ? '' : 's'}`;
  const n = cross(h.orientation.slice(0, 3), h.orientation.slice(3));
  const d = new Set(s.headers.map((x) => dot(x.position!, n).toFixed(3)));
  if (d.size < s.headers.length) return 'several images at the same position';
  return null;
}

/** The stack with the most voxels among the volumetric ones. */
export function chooseStack(stacks: Stack[]): Stack | null {
  let best: Stack | null = null;
  const size = (s: Stack) => s.headers.length * s.headers[0].rows * s.headers[0].columns;
  for (const s of stacks) if (!s.notVolume && (!best || size(s) > size(best))) best = s;
  return best;
}

export interface StackGeometry extends VolumeGeometry {
  /** headers in slice order */
  slices: ImageHeader[];
  warnings: string[];
}

/**
 * Orders slices by position along the normal (never InstanceNumber) and derives the voxel grid.
 * dirK is the unit vector from the first to the last slice, so the stack is never mirrored; with
 * gantry tilt it is not perpendicular to the rows and columns (a sheared grid, kept exact).
 */
export function stackGeometry(stack: Stack): StackGeometry {
  const h0 = stack.headers[0];
  const row = h0.orientation!.slice(0, 3);
  const col = h0.orientation!.slice(3, 6);
  const normal = cross(row, col);
  const slices = [...stack.headers].sort((a, b) => dot(a.position!, normal) - dot(b.position!, normal));
  const first = slices[0].position!;
  const last = slices[slices.length - 1].position!;
  const span = [last[0] - first[0], last[1] - first[1], last[2] - first[2]];
  const length = Math.hypot(span[0], span[1], span[2]);
  const dirK = span.map((v) => v / length);
  const steps: number[] = [];
  for (let i = 1; i < slices.length; i++) {
    const p = slices[i].position!, q = slices[i - 1].position!;
    steps.push(Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
  }
  const sorted = [...steps].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const warnings: string[] = [];
  if (sorted[sorted.length - 1] - sorted[0] > 0.01 * median + 1e-3)
    warnings.push(`Uneven slice spacing (${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)} mm); shown at a regular ${(length / (slices.length - 1)).toFixed(2)} mm`);
  const tilt = (Math.acos(Math.min(1, Math.abs(dot(dirK, normal)))) * 180) / Math.PI;
  if (tilt > 0.5) warnings.push(`Gantry tilt of ${tilt.toFixed(1)}°: the slices are sheared; the model keeps the true geometry`);
  return {
    dims: [h0.columns, h0.rows, slices.length],
    // along i (a row) the distance between columns, along j between rows
    spacing: [h0.pixelSpacing[1], h0.pixelSpacing[0], length / (slices.length - 1)],
    origin: [first[0], first[1], first[2]],
    direction: [...row, ...col, ...dirK],
    slices,
    warnings,
  };
}
