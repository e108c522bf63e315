// Thick or tilted slices print with visible steps (terraces one slice high): say so, and suggest the
// smoothing that hides them.
import type { Volume } from '../../workers/core/types';

/** Smoothing passes of the "Strong" option, which hides steps of up to about three voxels. */
export const STRONG_SMOOTHING = 60;

/** Slices further apart than this (mm), or this many times the in-plane spacing, show as steps. */
const THICK_MM = 1.5;
const THICK_RATIO = 2;

/** The angle (degrees) between the slice axis and the normal of the slices: a gantry tilt. */
export function tiltDegrees(direction: number[]): number {
  const [a, b, c] = [direction.slice(0, 3), direction.slice(3, 6), direction.slice(6, 9)];
  const n = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const len = Math.hypot(...n) * Math.hypot(...c);
  const cos = Math.abs(n[0] * c[0] + n[1] * c[1] + n[2] * c[2]) / (len || 1);
  return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
}

/** A note for a scan whose slices will show as steps, with the smoothing to suggest (if more than now). */
export function steppingHint(v: Pick<Volume, 'spacing' | 'direction'>, smoothing: number): { text: string; smoothing?: number } | null {
  const [sx, sy, sz] = v.spacing;
  const tilt = tiltDegrees(v.direction);
  const thick = sz > THICK_MM || sz > THICK_RATIO * Math.min(sx, sy);
  if (!thick && tilt < 1) return null;
  const why = [
    ...(thick ? [`the slices are ${Math.round(sz * 100) / 100} mm apart (${Math.round((sx * 100)) / 100} mm in-plane)`] : []),
    ...(tilt >= 1 ? [`the slices are tilted by ${tilt.toFixed(1)}° (gantry tilt)`] : []),
  ].join(' and ');
  const more = smoothing < STRONG_SMOOTHING;
  return {
    text: `Steps will show on the model: ${why}. ${more ? 'Strong smoothing hides them.' : 'Strong smoothing is on, which hides them.'}`,
    ...(more ? { smoothing: STRONG_SMOOTHING } : {}),
  };
}
