// The cut plane the user places and the alignment pins, for the file (useExport) and the 3D view: the
// plane as the controls and the view show it at once, and as the file is cut at, a quarter of a second
// after it stops moving (each cut runs in manifold-3d's worker; a newer one stops the one before).
// What the cut gave, in words: each part's size and whether it fits, and the pins.
import { useEffect, useMemo, useState } from 'react';
import type { PinOptions } from '../../workers/core/pins';
import type { Vec3 } from '../../workers/core/types';
import { fractionAt, planeFrame, type Bounds, type UserPlane } from '../../workers/core/userPlane';
import type { CutPlaneView } from '../preview/cutPlaneView';
import type { CutPart } from '../../workers/manifoldApi';

export interface PlaneSetting extends UserPlane {
  tiltDeg: [number, number];
}

export interface PinSetting {
  diameterMm: number;
  clearanceMm: number;
}

export const DEFAULT_PINS: PinSetting = { diameterMm: 4, clearanceMm: 0.2 };
const SETTLE_MS = 250;

export function useCutPlane() {
  const [on, setOn] = useState(false);
  const [plane, setPlane] = useState<PlaneSetting>({ axis: 2, at: 0.5, tiltDeg: [0, 0] });
  const [settled, setSettled] = useState(plane);
  const [pins, setPins] = useState<PinSetting | null>(null);
  useEffect(() => {
    if (settled === plane) return;
    const t = setTimeout(() => setSettled(plane), SETTLE_MS);
    return () => clearTimeout(t);
  }, [plane, settled]);
  // the pins as the core takes them: a pin twice as long as it is thick
  const pinOptions = useMemo<PinOptions | undefined>(() => (pins ? { diameterMm: pins.diameterMm, lengthMm: 2 * pins.diameterMm, clearanceMm: pins.clearanceMm } : undefined), [pins]);
  return {
    /** "Cut at a plane you place" is on */
    on,
    setOn,
    /** the plane as shown (controls, 3D view) */
    plane,
    setPlane,
    /** the plane the file is cut at (the shown one once it has settled) */
    settled: on ? settled : null,
    /** the shown plane has not settled yet: the file is not cut there yet */
    pending: on && settled !== plane,
    /** alignment pins (null: none), for either cut */
    pins,
    setPins,
    pinOptions,
  };
}

/** The cut plane's state as the controls take it. */
export type CutPlane = Omit<ReturnType<typeof useCutPlane>, 'setOn'> & { setOn: (on: boolean) => void };

/** The plane for the 3D view (null when off or the model is not placed yet); a drag there moves it. */
export function useCutPlaneView(c: CutPlane, bounds: Bounds | null): CutPlaneView | null {
  const { on, plane, setPlane } = c;
  return useMemo(() => {
    if (!on || !bounds) return null;
    const { normal, point } = planeFrame(bounds, plane);
    const onMove = (mm: number) => setPlane((p) => ({ ...p, at: Math.min(1, Math.max(0, fractionAt(bounds, p.axis, mm))) }));
    return { normal, point, axis: plane.axis, onMove };
  }, [on, plane, bounds, setPlane]);
}

export interface CutOutcome {
  parts: CutPart[];
  pins: number;
  facesWithoutPins: number;
}

/** What the cut at the user's plane gave: each part's size as laid out and whether it fits the bed. */
export function planeCutNote(cut: CutOutcome | null, bedMm: Vec3): string {
  const bed = `${bedMm.map((s) => +s.toFixed(1)).join(' × ')} mm bed`;
  if (!cut) return 'Cutting at the plane…';
  if (cut.parts.length < 2) return 'The plane does not cross the model: move it onto the model to cut it.';
  const parts = cut.parts.map((p) => `${p.name}: ${p.sizeMm.map((s) => s.toFixed(1)).join(' × ')} mm, ${p.fits ? 'fits' : 'does not fit'}`);
  return `Cut at the plane into ${cut.parts.length} parts (one per side) for the ${bed}. ${parts.join('; ')}.`;
}

/** The alignment pins the cut got, and the faces too small for one. */
export function pinsNote(cut: CutOutcome | null, pins: PinSetting): string {
  if (!cut) return '';
  const what = `${cut.pins} alignment pin${cut.pins === 1 ? '' : 's'} (${pins.diameterMm} mm, holes ${+(pins.diameterMm + 2 * pins.clearanceMm).toFixed(2)} mm)`;
  const n = cut.facesWithoutPins;
  const none = n ? `; ${n} cut face${n === 1 ? ' has' : 's have'} no room for a pin (it needs a wall of ${pins.diameterMm} mm round its hole, and its length behind the face)` : '';
  return `${what}${none}.`;
}
