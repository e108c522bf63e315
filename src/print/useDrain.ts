// Drain holes (a hollow threshold model): on or off, their diameter, and the holes the user clicked on
// the model in the 3D view, kept in the model's own coordinates (so a new placement or scale keeps them).
// The holes are drilled when the file is written (useExport, manifold-3d's worker).
import { useCallback, useMemo, useState } from 'react';
import { applyDirection, applyPoint, invertAffine } from '../../workers/core/affine';
import type { DrainClick } from '../../workers/core/drain';
import type { DrainRequest } from '../../workers/core/drainFile';
import type { Mat4 } from '../../workers/core/placement';
import type { Vec3 } from '../../workers/core/types';
import type { Model } from '../model/useModel';
import { MIN_CAVITY_MM3 } from './HollowControls';
import type { Printer } from './printers';

/**
 * The default hole: 3.5 mm for resin (the smallest drain hole Formlabs' design rules give: thick resin
 * flows out and air in), 5 mm otherwise (FDM or a powder service: a hole a 0.4 mm nozzle prints round
 * and open, and wide enough to shake powder out or pour a filler in).
 */
export const defaultDrainMm = (p: Printer) => (p.technology === 'resin' ? 3.5 : 5);

export function useDrain(model: Model | null, printer: Printer) {
  const [on, setOn] = useState(false);
  const [typed, setDiameter] = useState<number | null>(null);
  const diameterMm = typed ?? defaultDrainMm(printer);
  const [clicks, setClicks] = useState<DrainClick[]>([]);
  const [picking, setPicking] = useState(false);
  const offered = !!model && !model.segments && !!model.result.hollow;
  const request: DrainRequest | null = useMemo(() => (on && offered ? { diameterMm, clicks, minVoidMm3: MIN_CAVITY_MM3 } : null), [on, offered, diameterMm, clicks]);

  /** A point picked on the model in the 3D view, with the surface's outward normal there; `toFile`: the view's model-to-file matrix. */
  const addClick = useCallback((at: Vec3, normal: Vec3, toFile: Mat4) => {
    const back = invertAffine(toFile);
    setClicks((c) => [...c, { at: applyPoint(back, at), inward: applyDirection(back, [-normal[0], -normal[1], -normal[2]]) }]);
  }, []);
  const removeClick = useCallback((i: number) => setClicks((c) => c.filter((_, k) => k !== i)), []);

  return {
    /** drain holes are offered: a hollow threshold model */
    offered,
    on,
    setOn,
    diameterMm,
    setDiameter,
    clicks,
    addClick,
    removeClick,
    /** clicks on the 3D view add holes */
    picking: picking && on && offered,
    setPicking,
    /** what the file's drain step drills (null: no drain holes) */
    request,
  };
}
