// The threshold overlay: a 2D canvas over each slice view, coloured where the voxel under the pixel
// is inside the threshold range. Orthographic views map canvas pixels to voxel indices affinely, so
// three canvas points fix the map.
import type { ThresholdRange, Vec3, Volume } from '../../workers/core/types';

export const OVERLAY_RGBA = [255, 120, 20, 150] as const;
/** In the threshold range but not printed (another piece, outside the crop box): faint. */
export const DROPPED_RGBA = [150, 150, 170, 70] as const;

export interface CanvasToWorld {
  (p: [number, number]): Vec3 | number[];
}

/** index = inverse(D·S)·(world − origin) for an orthonormal direction D and spacing S. */
export function worldToIndex(vol: ViewGeometry, w: ArrayLike<number>): Vec3 {
  const d = vol.direction;
  const x = w[0] - vol.origin[0], y = w[1] - vol.origin[1], z = w[2] - vol.origin[2];
  return [
    (d[0] * x + d[1] * y + d[2] * z) / vol.spacing[0],
    (d[3] * x + d[4] * y + d[5] * z) / vol.spacing[1],
    (d[6] * x + d[7] * y + d[8] * z) / vol.spacing[2],
  ];
}

export type ViewGeometry = Pick<Volume, 'dims' | 'spacing' | 'origin' | 'direction'>;

/**
 * The segments drawn over the slices: each layer's label → colour (RGBA packed as the canvas stores it,
 * 0 for a label not shown), so a pixel costs one lookup per layer.
 */
export interface SegmentOverlay {
  layers: Uint8Array[];
  colors: Uint32Array[];
}

/** RGBA → one 32-bit pixel as ImageData holds it (little-endian: R in the low byte). */
export const packRgba = (r: number, g: number, b: number, a: number): number => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;

/** The threshold band's outline over segments: what "Add segment" would add. */
export const BAND_OUTLINE_RGBA = [255, 150, 40, 255] as const;

/**
 * Draws the overlay of one view. Without segments: the threshold band (orange where it prints, faint
 * grey where it is in the band but dropped). With segments: every shown segment filled in its colour,
 * and what will print for the threshold settings as an orange outline (the band stays readable while
 * the threshold controls are used, and the segments' colours under it too).
 */
export function drawOverlay(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  canvasToWorld: CanvasToWorld,
  vol: ViewGeometry,
  data: Int16Array,
  range: ThresholdRange,
  /** what will print (from the mask edits), when known for this range: 1 = kept if in range, 2 = filled */
  mask: Uint8Array | null = null,
  segments: SegmentOverlay | null = null,
): void {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(width, height);
  const px = new Uint32Array(img.data.buffer);
  const i0 = worldToIndex(vol, canvasToWorld([0, 0]));
  const ix = worldToIndex(vol, canvasToWorld([1, 0]));
  const iy = worldToIndex(vol, canvasToWorld([0, 1]));
  const dx = [ix[0] - i0[0], ix[1] - i0[1], ix[2] - i0[2]];
  const dy = [iy[0] - i0[0], iy[1] - i0[1], iy[2] - i0[2]];
  const [nx, ny, nz] = vol.dims;
  const lo = range.lower, hi = range.upper;
  const layers = segments?.layers ?? [];
  const colors = segments?.colors ?? [];
  const nl = layers.length;
  // with segments, the band is outlined in a second pass: 1 where it prints
  const band = nl ? new Uint8Array(width * height) : null;
  const fill = packRgba(...OVERLAY_RGBA);
  const dropped = packRgba(...DROPPED_RGBA);
  for (let y = 0; y < height; y++) {
    // sample at pixel centres
    let fi = i0[0] + (y + 0.5) * dy[0] + 0.5 * dx[0];
    let fj = i0[1] + (y + 0.5) * dy[1] + 0.5 * dx[1];
    let fk = i0[2] + (y + 0.5) * dy[2] + 0.5 * dx[2];
    let o = y * width;
    for (let x = 0; x < width; x++, o++, fi += dx[0], fj += dx[1], fk += dx[2]) {
      const i = Math.round(fi), j = Math.round(fj), k = Math.round(fk);
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
      const q = i + nx * (j + ny * k);
      const v = data[q];
      const inRange = v >= lo && v <= hi;
      const m = mask === null ? (inRange ? 1 : 0) : mask[q];
      const prints = (m === 1 && inRange) || m === 2;
      if (band) {
        if (prints) band[o] = 1;
        // the last layer holding a shown label wins
        for (let l = 0; l < nl; l++) {
          const c = colors[l][layers[l][q]];
          if (c) px[o] = c;
        }
      } else if (prints) px[o] = fill;
      else if (inRange) px[o] = dropped;
    }
  }
  if (band) {
    const edge = packRgba(...BAND_OUTLINE_RGBA);
    for (let y = 0, o = 0; y < height; y++)
      for (let x = 0; x < width; x++, o++) {
        if (!band[o]) continue;
        if (x === 0 || !band[o - 1] || x === width - 1 || !band[o + 1] || y === 0 || !band[o - width] || y === height - 1 || !band[o + width]) px[o] = edge;
      }
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * The grid Cornerstone displays: orthonormal axes. For a sheared (gantry-tilted) stack the slice
 * axis becomes the slice normal and the spacing its projection on it; the mesh keeps the true shear.
 */
export function viewGeometry(vol: ViewGeometry): ViewGeometry {
  const d = vol.direction;
  const n = [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
  const along = n[0] * d[6] + n[1] * d[7] + n[2] * d[8];
  const s = along < 0 ? -1 : 1;
  return {
    dims: vol.dims,
    spacing: [vol.spacing[0], vol.spacing[1], vol.spacing[2] * Math.abs(along)],
    origin: vol.origin,
    direction: [d[0], d[1], d[2], d[3], d[4], d[5], s * n[0], s * n[1], s * n[2]],
  };
}

/**
 * Where a view's slice lies in index space: the index position of the canvas origin, the index axis
 * normal to the slice and the two in-plane axes (found from three canvas points).
 */
export function sliceFrame(canvasToWorld: CanvasToWorld, vol: ViewGeometry): { at: Vec3; normal: number; u: number; v: number } {
  const at = worldToIndex(vol, canvasToWorld([0, 0]));
  const cx = worldToIndex(vol, canvasToWorld([1, 0]));
  const cy = worldToIndex(vol, canvasToWorld([0, 1]));
  const moving = [0, 1, 2].map((a) => Math.abs(cx[a] - at[a]) + Math.abs(cy[a] - at[a]));
  const normal = moving.indexOf(Math.min(...moving));
  const [u, v] = [0, 1, 2].filter((a) => a !== normal);
  return { at, normal, u, v };
}

/** Patient position of (fractional) voxel index ijk (the inverse of worldToIndex). */
export function indexToWorld(vol: ViewGeometry, ijk: ArrayLike<number>): Vec3 {
  const d = vol.direction, s = vol.spacing;
  return [0, 1, 2].map((k) => vol.origin[k] + ijk[0] * s[0] * d[k] + ijk[1] * s[1] * d[3 + k] + ijk[2] * s[2] * d[6 + k]) as Vec3;
}

/** Marks picked voxels that lie in (within half a voxel of) the displayed slice: a ring around each. */
export function drawSeeds(canvas: HTMLCanvasElement, worldToCanvas: (w: Vec3) => number[], canvasToWorld: CanvasToWorld, vol: ViewGeometry, seeds: number[]): void {
  if (!seeds.length) return;
  const ctx = canvas.getContext('2d')!;
  const [nx, ny] = vol.dims;
  const { at, normal } = sliceFrame(canvasToWorld, vol);
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#3bf0ff';
  for (const v of seeds) {
    const ijk: Vec3 = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    if (Math.abs(ijk[normal] - at[normal]) > 0.5) continue;
    const [x, y] = worldToCanvas(indexToWorld(vol, ijk));
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

/** The crop box's outline in a view: where the box meets the shown slice (solid), else dashed. */
export function drawCrop(canvas: HTMLCanvasElement, worldToCanvas: (w: Vec3) => number[], canvasToWorld: CanvasToWorld, vol: ViewGeometry, box: { min: Vec3; max: Vec3 }): void {
  const ctx = canvas.getContext('2d')!;
  const { at, normal, u, v } = sliceFrame(canvasToWorld, vol);
  const inside = at[normal] >= box.min[normal] - 0.5 && at[normal] <= box.max[normal] + 0.5;
  const toCanvas = (a: number, b: number) => {
    const ijk: Vec3 = [0, 0, 0];
    ijk[normal] = at[normal];
    ijk[u] = a;
    ijk[v] = b;
    return worldToCanvas(indexToWorld(vol, ijk));
  };
  // voxel edges: half a voxel beyond the first and last voxel centres
  const corners = [
    toCanvas(box.min[u] - 0.5, box.min[v] - 0.5),
    toCanvas(box.max[u] + 0.5, box.min[v] - 0.5),
    toCanvas(box.max[u] + 0.5, box.max[v] + 0.5),
    toCanvas(box.min[u] - 0.5, box.max[v] + 0.5),
  ];
  ctx.save();
  ctx.strokeStyle = '#ffe04a';
  ctx.lineWidth = 2;
  ctx.setLineDash(inside ? [] : [6, 5]);
  ctx.beginPath();
  corners.forEach(([x, y], n) => (n ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.closePath();
  ctx.stroke();
  ctx.restore();
}
