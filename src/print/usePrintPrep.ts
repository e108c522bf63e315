// The model as it will be written (placement and scale) for the 3D view and the report's size, and
// the report's measures of the finished model: solids and voids, the thinnest wall against the
// printer's minimum (measured at the export scale).
import { useEffect, useMemo, useState } from 'react';
import { placeModel, printFacts, wasCancelled } from '../engine';
import type { Placement } from '../../workers/core/placement';
import type { PieceFacts, WallFacts } from '../../workers/core/printFacts';
import type { Mesh, Vec3 } from '../../workers/core/types';
import type { Model } from '../model/useModel';
import type { Printer } from './printers';

export interface Placed {
  model: Model;
  placement: Placement;
  mesh: Mesh;
  size: Vec3;
  /** the first layer (base.ts firstLayer): area printed on the bed (mm²), and whether that holds */
  firstLayerMm2: number;
  firstLayerHolds: boolean;
}

export interface Facts {
  model: Model;
  /** the minimum wall they were measured against, in the model's own (unscaled) mm */
  belowMm: number;
  pieces: PieceFacts;
  walls: WallFacts;
}

export function usePrintPrep(model: Model | null, placement: Placement, printer: Printer) {
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** how much of the model's wall-thickness map is measured, while it is */
  const [measured, setMeasured] = useState<{ model: Model; fraction: number } | null>(null);

  useEffect(() => {
    if (!model) return;
    let live = true;
    placeModel(model.result.mesh, placement).then(
      (p) => {
        if (!live) return;
        setPlaced({ model, placement, ...p });
        setError(null);
      },
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [model, placement]);

  // thin walls as printed: the printer's minimum over the export scale
  const belowMm = printer.minWallMm / (placement.scalePercent / 100);
  useEffect(() => {
    if (!model) return;
    let live = true;
    printFacts(model.result.mesh, belowMm, (fraction) => live && setMeasured({ model, fraction })).then(
      (f) => live && setFacts({ model, belowMm, ...f }),
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [model, belowMm]);

  const current = facts && facts.model === model ? facts : null;
  const wallsCurrent = !!current && current.belowMm === belowMm;
  // the thin places' vertices (the placed mesh keeps the model's vertex order), for the 3D view
  const thinVertices = useMemo(() => (current && wallsCurrent ? current.walls.thin.map((p) => p.vertex) : []), [current, wallsCurrent]);

  return {
    /** the model as placed: the latest placement of this model (the one before while a new one is computed) */
    placed: placed && placed.model === model ? placed : null,
    /** the size as written and its first layer, mm and mm² (null until the current placement is measured) */
    current: placed && placed.model === model && placed.placement === placement ? placed : null,
    facts: current,
    wallsCurrent,
    thinVertices,
    /** the fraction of the current model's wall-thickness map measured (null: not started, or not measured again for this model) */
    wallsProgress: measured && measured.model === model && !current ? measured.fraction : null,
    /** the current model's wall-thickness map (mm per vertex, unscaled; null until measured) */
    thickness: current?.walls.thicknessMm ?? null,
    error,
  };
}
