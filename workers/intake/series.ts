// Groups image headers into stacks, picks the volume to load and computes its geometry exactly.
import type { Vec3, VolumeGeometry } from '../core/types';
import type { DicomHeader } from './headerTypes';
import { regularGrid } from './resample';
import { paddingBackground } from './pixels';

export interface Stack {
  key: string;
  headers: DicomHeader[];
  description: string;
  modality: string;
  /** why this stack cannot be a volume, or null */
  notVolume: string | null;
}

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

const cross = (a: number[], b: number[]): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Series by SeriesInstanceUID (an empty UID falls back to study, frame of reference, series number,
 * description and modality), then split by StackID (frames of Enhanced files), orientation and
 * matrix size, and by acquisition where the slice positions repeat (see splitAcquisitions).
 */
export function groupStacks(headers: DicomHeader[]): Stack[] {
  const stacks = new Map<string, Stack>();
  for (const h of headers) {
    const series = h.seriesUid || `noUID|${h.studyUid}|${h.frameOfReferenceUid}|${h.seriesNumber}|${h.seriesDescription}|${h.modality}`;
    const ori = h.imageOrientationPatient ? h.imageOrientationPatient.map((v) => v.toFixed(3)).join(',') : 'none';
    const key = `${series}|stack${h.stackId ?? ''}|${ori}|${h.columns}x${h.rows}`;
    let s = stacks.get(key);
    if (!s) stacks.set(key, (s = { key, headers: [], description: h.seriesDescription, modality: h.modality, notVolume: null }));
    s.headers.push(h);
  }
  const out = [...stacks.values()].flatMap(splitAcquisitions);
  for (const s of out) s.notVolume = whyNotVolume(s);
  return out;
}

/** Distance of each slice along the stack's normal, rounded (null without position or orientation). */
function positionsAlongNormal(hs: DicomHeader[]): string[] | null {
  const o = hs[0].imageOrientationPatient;
  if (!o || hs.some((h) => !h.imagePositionPatient)) return null;
  const n = cross(o.slice(0, 3), o.slice(3));
  return hs.map((h) => dot(h.imagePositionPatient!, n).toFixed(3));
}

/**
 * A "series" that is really several stacks of the same slices (repeated acquisitions: dynamic or
 * multi-phase scans) is split by AcquisitionNumber, but only when the slice positions repeat and each
 * acquisition on its own has distinct positions. A series whose acquisitions cover different ranges
 * (e.g. a head CT in two parts with different thickness) stays one stack.
 */
function splitAcquisitions(s: Stack): Stack[] {
  const pos = positionsAlongNormal(s.headers);
  if (!pos || new Set(pos).size === pos.length) return [s];
  const parts = new Map<string, DicomHeader[]>();
  for (const h of s.headers) {
    const a = parts.get(h.acquisitionNumber);
    if (a) a.push(h);
    else parts.set(h.acquisitionNumber, [h]);
  }
  if (parts.size < 2) return [s];
  for (const hs of parts.values()) {
    const p = positionsAlongNormal(hs)!;
    if (new Set(p).size !== p.length) return [s];
  }
  return [...parts.entries()]
    .sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
    .map(([acq, headers]) => ({
      ...s,
      key: `${s.key}|acq${acq}`,
      headers,
      description: `${s.description || 'unnamed series'} (acquisition ${acq || '?'})`,
    }));
}

/**
 * A Siemens mosaic: many slices tiled into one image (ImageType MOSAIC, or NumberOfImagesInMosaic),
 * described with the tile size when the slice count is known (tiles fill the smallest square grid).
 */
function mosaicReason(h: DicomHeader): string | null {
  if (!h.imageType.includes('MOSAIC') && !h.mosaicImages) return null;
  if (!h.mosaicImages) return 'Siemens mosaic (several slices tiled in one image): not a volume';
  const side = Math.ceil(Math.sqrt(h.mosaicImages));
  return `Siemens mosaic (${h.mosaicImages} slices of ${Math.floor(h.columns / side)} × ${Math.floor(h.rows / side)} in one image): not a volume`;
}

/** Why a stack cannot be loaded as a volume (short: shown in the picker and in the no-volume error), or null. */
export function whyNotVolume(s: Stack): string | null {
  const h = s.headers[0];
  if (h.sopClassUid.startsWith(SECONDARY_CAPTURE)) return 'secondary capture (screenshot)';
  if (h.imageType.includes('LOCALIZER')) return 'localizer';
  if (h.samplesPerPixel !== 1 || !h.photometric.startsWith('MONOCHROME')) return `colour image (${h.photometric})`;
  const mosaic = mosaicReason(h);
  if (mosaic) return mosaic;
  // multi-frame files with a position per frame arrive as one header per frame (see framesOf)
  if (h.numberOfFrames > 1) return 'multi-frame image without a position per frame (cine or projections): not a volume';
  // a damaged orientation first: without a normal every slice would seem to sit at one position
  const badOrientation = s.headers.find((x) => x.orientationProblem);
  if (badOrientation) return badOrientation.orientationProblem!;
  if (!h.imageOrientationPatient) return 'no patient position';
  const unplaced = s.headers.filter((x) => !x.imagePositionPatient).length;
  if (unplaced) return unplaced === s.headers.length ? 'no patient position' : `no patient position in ${unplaced} of its ${s.headers.length} images (e.g. ${s.headers.find((x) => !x.imagePositionPatient)!.fileName})`;
  if (s.headers.length < 2) return 'single image, not a volume (a model needs a stack of slices)';
  const pos = positionsAlongNormal(s.headers)!;
  const d = new Set(pos);
  const oneFile = h.frame !== undefined && s.headers.every((x) => x.fileName === h.fileName);
  if (oneFile && d.size === 1) return `cine (${s.headers.length} frames at one position): not a volume`;
  if (d.size < s.headers.length) return `several images at the same position (${d.size} position${d.size === 1 ? '' : 's'} only)${conflictExample(s.headers, pos)}`;
  return null;
}

/**
 * ": e.g. a and b lie at one position…" for the first two files sharing a position. Loads drop copies
 * of one image first (see dropDuplicates), so those left are conflicting slices.
 */
function conflictExample(headers: DicomHeader[], pos: string[]): string {
  const first = new Map<string, DicomHeader>();
  for (const [i, h] of headers.entries()) {
    const other = first.get(pos[i]);
    if (!other) first.set(pos[i], h);
    else if (other.fileName !== h.fileName) return `: e.g. ${other.fileName} and ${h.fileName} lie at one position and are not copies of one image`;
  }
  return '';
}

/** The volumetric stack with the most voxels (slices × rows × columns), or null. */
export function chooseStack(stacks: Stack[]): Stack | null {
  let best: Stack | null = null;
  const size = (s: Stack) => s.headers.length * s.headers[0].rows * s.headers[0].columns;
  for (const s of stacks) if (!s.notVolume && (!best || size(s) > size(best))) best = s;
  return best;
}

export interface StackGeometry extends VolumeGeometry {
  /** headers in slice order (source slice k is slices[k]) */
  slices: DicomHeader[];
  /**
   * With uneven spacing: where each source slice lies (mm along dirK from the first); the volume's
   * dims[2] regular slices are interpolated from them (see resample.ts). Absent: slice k is slices[k].
   */
  resample?: { positions: number[] };
  warnings: string[];
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Orders slices by position along the normal cross(row, col) (never InstanceNumber) and derives the
 * voxel grid. dirK is the unit vector from the first to the last slice position, so the stack is
 * never mirrored; with gantry tilt it is not perpendicular to the rows and columns (a sheared grid,
 * kept exact). The grid spans the true extent, first to last slice; uneven steps are resampled to a
 * regular grid, and both that and tilt are reported as warnings.
 */
export function stackGeometry(stack: Stack): StackGeometry {
  const h0 = stack.headers[0];
  const row = h0.imageOrientationPatient!.slice(0, 3);
  const col = h0.imageOrientationPatient!.slice(3, 6);
  const normal = cross(row, col);
  const slices = [...stack.headers].sort((a, b) => dot(a.imagePositionPatient!, normal) - dot(b.imagePositionPatient!, normal));
  const first = slices[0].imagePositionPatient!;
  const last = slices[slices.length - 1].imagePositionPatient!;
  const span = [last[0] - first[0], last[1] - first[1], last[2] - first[2]];
  const length = Math.hypot(span[0], span[1], span[2]);
  const dirK = span.map((v) => v / length);
  const positions = slices.map((h) => {
    const p = h.imagePositionPatient!;
    return (p[0] - first[0]) * dirK[0] + (p[1] - first[1]) * dirK[1] + (p[2] - first[2]) * dirK[2];
  });
  const steps = positions.slice(1).map((p, i) => p - positions[i]);
  let lo = Infinity, hi = -Infinity;
  for (const st of steps) (lo = Math.min(lo, st)), (hi = Math.max(hi, st));
  // what was repaired in the headers (spacing, orientation, rescale), once each
  const warnings: string[] = [...new Set(stack.headers.flatMap((h) => h.repairs ?? []))];
  // Even steps: one grid slice per file. Uneven: a regular grid over the true extent, interpolated.
  let nz = slices.length;
  let step = length / (slices.length - 1);
  let resample: StackGeometry['resample'];
  if (hi - lo > 0.01 * median(steps) + 1e-3) {
    const grid = regularGrid(positions);
    nz = grid.count;
    step = grid.step;
    resample = { positions };
    warnings.push(
      `Uneven slice spacing (${lo.toFixed(2)}–${hi.toFixed(2)} mm): resampled to a regular ${step.toFixed(2)} mm grid ` +
        `(${slices.length} slices → ${nz}) by linear interpolation between neighbouring slices`,
    );
  }
  const tilt = (Math.acos(Math.min(1, Math.abs(dot(dirK, normal)))) * 180) / Math.PI;
  if (tilt > 0.5) warnings.push(`Gantry tilt of ${tilt.toFixed(1)}°: the slices are sheared; the model keeps the true geometry`);
  if (h0.pixelPadding)
    warnings.push(
      `Pixels marked as padding (stored value ${h0.pixelPadding[0]}${h0.pixelPadding[1] !== h0.pixelPadding[0] ? `…${h0.pixelPadding[1]}` : ''}, ` +
        `outside the scanned field) are set to ${paddingBackground(h0.modality)}${h0.modality === 'CT' ? ' HU (air)' : ''}`,
    );
  if (!h0.pixelSpacingKnown) warnings.push('No pixel spacing in the files: 1 mm assumed, so the model size may be wrong');
  return {
    dims: [h0.columns, h0.rows, nz],
    // along i (a row) the distance between columns, along j between rows
    spacing: [h0.pixelSpacing[1], h0.pixelSpacing[0], step],
    origin: [first[0], first[1], first[2]],
    direction: [...row, ...col, ...dirK],
    slices,
    resample,
    warnings,
  };
}

/** Voxels of a stack: slices × rows × columns. */
export const stackVoxels = (s: Stack) => s.headers.length * s.headers[0].rows * s.headers[0].columns;
