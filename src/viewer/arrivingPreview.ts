// The slice views of a scan still loading, drawn from its voxels on a 2D canvas: the plane through the
// volume's centre that each of Cornerstone's views will show, along its camera's axes (MPR camera
// values: axial right +x down +y, sagittal right +y down −z, coronal right +x down −z, in LPS) and
// fitted as its reset camera fits the volume's box; nearest voxel, a slice not written yet black.
// No WebGL while the slices arrive: the volume texture, its upload and the first draw wait on the GPU
// process, and on the main thread they held up the load's own work by 2–2.5 s.
import type { Vec3 } from '../../workers/core/types';
import { indexToWorld, packRgba, worldToIndex, type ViewGeometry } from './overlay';

export type ViewName = 'axial' | 'sagittal' | 'coronal';

/** Screen right, screen down and the view plane's normal of each view, in patient (LPS) axes. */
export const VIEW_AXES: Record<ViewName, { right: Vec3; down: Vec3; normal: Vec3 }> = {
  axial: { right: [1, 0, 0], down: [0, 1, 0], normal: [0, 0, -1] },
  sagittal: { right: [0, 1, 0], down: [0, 0, -1], normal: [1, 0, 0] },
  coronal: { right: [1, 0, 0], down: [0, 0, -1], normal: [0, -1, 0] },
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Where canvas pixel (x, y) of a `width` × `height` view lies in the volume's index space, as an
 * origin (the pixel (0, 0)'s centre) and a step per pixel right and down: the volume's centre in the
 * middle of the canvas, on the middle slice (index ⌊n/2⌋) where the view is along an index axis
 * (Cornerstone's getVolumeCenterIJK), and the box's extent in the view fitted whole (its
 * getFitParallelScale, inset 1).
 */
export function previewFrame(g: ViewGeometry, view: ViewName, width: number, height: number): { at: Vec3; dx: Vec3; dy: Vec3 } {
  const { right, down, normal } = VIEW_AXES[view];
  const [nx, ny, nz] = g.dims;
  const along = [0, 1, 2].map((a) => Math.abs(dot(g.direction.slice(3 * a, 3 * a + 3), normal)));
  const slice = along.indexOf(Math.max(...along));
  const middle = g.dims.map((n, a) => (a === slice && Math.abs(along[a] - 1) < 1e-3 ? Math.floor(n / 2) : (n - 1) / 2));
  const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => indexToWorld(g, [c & 1 ? nx - 0.5 : -0.5, c & 2 ? ny - 0.5 : -0.5, c & 4 ? nz - 0.5 : -0.5]));
  const extent = (axis: Vec3) => Math.max(...corners.map((p) => dot(p, axis))) - Math.min(...corners.map((p) => dot(p, axis)));
  const w = extent(right), h = extent(down);
  // mm per canvas pixel: the box's height fills the canvas's, unless its width is the tighter fit
  const mm = Math.max(h / height, w / width) || 1;
  const centre = indexToWorld(g, middle);
  const origin = worldToIndex(g, centre);
  const dx = worldToIndex(g, [centre[0] + mm * right[0], centre[1] + mm * right[1], centre[2] + mm * right[2]]).map((v, a) => v - origin[a]) as Vec3;
  const dy = worldToIndex(g, [centre[0] + mm * down[0], centre[1] + mm * down[1], centre[2] + mm * down[2]]).map((v, a) => v - origin[a]) as Vec3;
  const at = origin.map((v, a) => v - ((width - 1) / 2) * dx[a] - ((height - 1) / 2) * dy[a]) as Vec3;
  return { at, dx, dy };
}

/**
 * The pixels (RGBA as a canvas stores them, one uint32 each) of view `view` of the volume (`data`,
 * geometry `g` as the views use it: see viewGeometry) at `width` × `height`: values through the
 * window `voi` (lower → black, upper → white), black outside the volume and in slices (k) whose
 * `arrived` entry is 0.
 */
export function previewPixels(
  width: number,
  height: number,
  g: ViewGeometry,
  data: Int16Array,
  arrived: Uint8Array,
  view: ViewName,
  voi: { lower: number; upper: number },
): Uint32Array {
  const px = new Uint32Array(width * height);
  const [nx, ny, nz] = g.dims;
  const { at, dx, dy } = previewFrame(g, view, width, height);
  const scale = 255 / Math.max(1e-6, voi.upper - voi.lower);
  const BLACK = packRgba(0, 0, 0, 255);
  for (let y = 0; y < height; y++) {
    let fi = at[0] + y * dy[0], fj = at[1] + y * dy[1], fk = at[2] + y * dy[2];
    for (let x = 0; x < width; x++, fi += dx[0], fj += dx[1], fk += dx[2]) {
      const i = Math.round(fi), j = Math.round(fj), k = Math.round(fk);
      if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz || !arrived[k]) {
        px[y * width + x] = BLACK;
        continue;
      }
      const v = Math.min(255, Math.max(0, Math.round((data[i + nx * (j + ny * k)] - voi.lower) * scale)));
      px[y * width + x] = packRgba(v, v, v, 255);
    }
  }
  return px;
}

/** previewPixels drawn onto `canvas`, made `width` × `height` (CSS pixels of its view). */
export function drawArriving(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  g: ViewGeometry,
  data: Int16Array,
  arrived: Uint8Array,
  view: ViewName,
  voi: { lower: number; upper: number },
): void {
  const w = Math.max(1, Math.round(width)), h = Math.max(1, Math.round(height));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(w, h);
  new Uint32Array(image.data.buffer).set(previewPixels(w, h, g, data, arrived, view, voi));
  ctx.putImageData(image, 0, 0);
}
