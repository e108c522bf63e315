// What the slice views draw for the segment tools, on a light canvas of their own above the overlay
// (redrawn on every pointer move without redrawing the overlay): the brush's circle under the pointer
// and the scissors' outline being drawn.
import type { CanvasToWorld } from './overlay';

/** Millimetres per canvas pixel in a view (orthographic views scale evenly). */
export function mmPerPixel(canvasToWorld: CanvasToWorld): number {
  const a = canvasToWorld([0, 0]), b = canvasToWorld([1, 0]);
  return Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
}

/** Clears a tool canvas, sized to its view. */
export function clearTool(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** The brush under the pointer: a circle of the brush's radius on the slice (dashed when erasing). */
export function drawBrush(ctx: CanvasRenderingContext2D, x: number, y: number, radiusPx: number, erase: boolean): void {
  ctx.save();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = erase ? '#ff8a8a' : '#ffffff';
  ctx.setLineDash(erase ? [4, 3] : []);
  ctx.beginPath();
  ctx.arc(x, y, Math.max(1, radiusPx), 0, 2 * Math.PI);
  ctx.stroke();
  ctx.restore();
}

/** A scissors outline: its points joined, closed back to the first with a dashed line while drawing. */
export function drawOutline(ctx: CanvasRenderingContext2D, points: [number, number][], cursor: [number, number] | null): void {
  if (!points.length) return;
  ctx.save();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffe04a';
  ctx.beginPath();
  points.forEach(([x, y], n) => (n ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  if (cursor) ctx.lineTo(cursor[0], cursor[1]);
  ctx.stroke();
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  const last = cursor ?? points[points.length - 1];
  ctx.moveTo(last[0], last[1]);
  ctx.lineTo(points[0][0], points[0][1]);
  ctx.stroke();
  ctx.fillStyle = '#ffe04a';
  for (const [x, y] of points.length < 40 ? points : [points[0]]) ctx.fillRect(x - 2, y - 2, 4, 4);
  ctx.restore();
}
