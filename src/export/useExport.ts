// The model as a file: written as soon as the model, format, placement, cut or typed name changes (so the
// report shows its size and the download is instant), and downloaded under the model's name. The name
// starts from the series description and preset and can be edited before download; only a name the
// user typed goes inside the file (a scan's description can carry identifiers).
// A segments model is written with one object per segment: 3MF holds them as named, coloured objects;
// STL, OBJ and PLY as a zip of one file per segment, or merged into one file (the user's choice).
// A threshold model can also be cut to fit the printer's bed or at a plane the user places (useCutPlane),
// with alignment pins or not, or stood on a flat base (manifold-3d's worker); a segments model is
// written as its segments are. Drain holes (a hollow threshold model) are
// drilled first, and the drilled model goes on to the whole, cut or base file (a base drills its own,
// through the slab). Files from manifold-3d's worker come with the meshes they hold, for the 3D view.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { drainModel, exportCut, exportModel, exportSegments, exportWithBase, wasCancelled } from '../engine';
import type { DrainReport, DrainRequest } from '../../workers/core/drainFile';
import { cutView, wholeView, type FileView } from '../print/fileView';
import type { Placement } from '../../workers/core/placement';
import type { Vec3 } from '../../workers/core/types';
import type { CutHow, CutPart } from '../../workers/manifoldApi';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Model } from '../model/useModel';
import { downloadBlob, modelFileName } from './modelFile';
import { pinsNote, planeCutNote, useCutPlane, type CutPlane } from './useCutPlane';

/** How a segments model goes into STL, OBJ or PLY files. */
export type Packaging = 'zip' | 'merged';

interface Written {
  model: Model;
  format: MeshFormat;
  packaging: Packaging;
  placement: Placement;
  title: string;
  /** a cut was asked for this file, for this bed: to fit it, or at the user's plane (how.plane) */
  cut: { bedMm: Vec3; how: CutHow } | null;
  /** the parts it was cut into (null: written whole, the model fits the bed or no cut was asked for) */
  cutParts: CutPart[] | null;
  cutFitsBed: boolean;
  /** alignment pins the cut got, and cut faces too small for one (null: no cut) */
  cutPins: { pins: number; facesWithoutPins: number } | null;
  /** the flat base's thickness (mm) this file was written with, null without one */
  baseMm: number | null;
  /** the first layer of the model on its base (area mm², holds) */
  baseLayer: { mm2: number; holds: boolean } | null;
  /** the drain holes asked for (null: none), and what was drilled */
  drain: DrainRequest | null;
  drained: DrainReport | null;
  /** what the file holds, for the 3D view (null: the model as placed, see usePrintPrep) */
  view: FileView | null;
  parts: Uint8Array<ArrayBuffer>[];
  bytes: number;
  mime: string;
}

/**
 * `suggest(model)`: the name offered for a model (series description and preset). `bedMm`: the
 * printer's bed, for "Cut to fit the bed" (the parts are laid out on it, at the export scale).
 */
export function useExport(model: Model | null, suggest: (m: Model) => string, bedMm: Vec3, drain: DrainRequest | null = null) {
  const [format, setFormat] = useState<MeshFormat>('stl');
  const [packaging, setPackaging] = useState<Packaging>('zip');
  const [placement, setPlacement] = useState<Placement>({ where: 'scanner', scalePercent: 100 });
  const [typed, setTyped] = useState<string | null>(null);
  const [cutToFit, setCutToFit] = useState(false);
  const plane = useCutPlane();
  const cutOn = cutToFit || plane.on;
  /** "Flat base" thickness in mm, null when off (not with a cut: the parts lie on their own faces) */
  const [baseMm, setBaseMm] = useState<number | null>(null);
  const base = cutOn ? null : baseMm;
  const [written, setWritten] = useState<Written | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = typed ?? (model ? suggest(model) : '');
  // inside the file: only what the user typed
  const title = typed?.trim() ?? '';

  // the bed only matters to a cut file: its sides as a key, so a new array of the same bed rewrites nothing
  const [bx, by, bz] = bedMm;
  const cutBed = useMemo(
    () => (cutOn ? { bedMm: [bx, by, bz] as Vec3, how: { plane: plane.settled ? { placement, plane: plane.settled } : undefined, pins: plane.pinOptions } } : null),
    [cutOn, bx, by, bz, plane.settled, plane.pinOptions, placement],
  );

  useEffect(() => {
    if (!model) return;
    let live = true;
    setError(null);
    type File = Pick<Written, 'parts' | 'bytes' | 'mime' | 'cutParts' | 'cutFitsBed' | 'cutPins' | 'baseLayer' | 'drained' | 'view'>;
    const plain = { cutParts: null, cutFitsBed: true, cutPins: null, baseLayer: null, drained: null, view: null };
    // drain holes first, unless a flat base drills them (through the slab)
    const drills = drain && !model.segments && (cutBed || base === null);
    const file: Promise<File | null> = (drills ? drainModel(model.result.mesh, placement, drain) : Promise.resolve(null)).then((d) => {
      if (!live) return null; // changed meanwhile: the next run writes the file
      const mesh = d?.mesh ?? model.result.mesh;
      const placed = d?.placement ?? placement;
      const drilled = d ? { drained: d.report, view: wholeView(d.view, d.toFile, d.report) } : {};
      const whole = (): Promise<File> =>
        base !== null
          ? exportWithBase(mesh, format, title, placed, base, drain).then((b) => ({
              ...plain,
              parts: b.parts,
              bytes: b.bytes,
              mime: b.mime,
              baseLayer: { mm2: b.firstLayerMm2, holds: b.firstLayerHolds },
              drained: b.drain,
              view: wholeView(b.mesh, b.toFile, b.drain),
            }))
          : exportModel(mesh, format, title, placed).then((e) => ({ ...e, ...plain, ...drilled }));
      return model.segments
        ? exportSegments(
            model.segments.map((g) => ({ mesh: g.mesh, name: g.name, color: g.color })),
            format,
            packaging,
            title || undefined,
            placement,
          ).then((e) => ({ ...e, ...plain, mime: zipped(model, format, packaging) ? 'application/zip' : mimeOf(format) }))
        : cutBed
        ? // (a user's plane is placed on the model as the file places it: the drilled model's placement)
          exportCut(mesh, format, title, placement.scalePercent, cutBed.bedMm, cutBed.how.plane ? { ...cutBed.how, plane: { ...cutBed.how.plane, placement: placed } } : cutBed.how).then((c) =>
            c
              ? {
                  ...plain,
                  ...drilled,
                  parts: c.parts,
                  bytes: c.bytes,
                  mime: c.mime,
                  cutParts: c.cut,
                  cutFitsBed: c.fitsBed,
                  cutPins: { pins: c.pins, facesWithoutPins: c.facesWithoutPins },
                  view: cutView(c.meshes, c.cut.map((p) => p.name)),
                }
              : whole(),
          )
        : whole();
    });
    file.then(
      (f) => live && f && setWritten({ model, format, packaging, placement, title, cut: cutBed, baseMm: base, drain, ...f }),
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [model, format, packaging, placement, title, cutBed, base, drain]);

  const ready =
    written &&
    written.model === model &&
    written.format === format &&
    written.packaging === packaging &&
    written.placement === placement &&
    written.title === title &&
    written.cut === cutBed &&
    !plane.pending &&
    written.baseMm === base &&
    written.drain === drain
      ? written
      : null;
  const formatInfo = MESH_FORMATS.find((f) => f.format === format)!;

  const download = useCallback(() => {
    if (!ready) return;
    // segments in STL/OBJ/PLY, or cut parts, come as a zip of one file each
    const extension = zipped(ready.model, ready.format, ready.packaging) || (ready.cutParts && ready.format !== '3mf') ? 'zip' : formatInfo.extension;
    downloadBlob(ready.parts, modelFileName(name, extension), ready.mime);
  }, [ready, formatInfo, name]);

  const whole = !!model && !model.segments;
  const outcome = ready?.cutParts && ready.cutPins ? { parts: ready.cutParts, ...ready.cutPins } : null;
  const pinsText = plane.pins && outcome ? ` ${pinsNote(outcome, plane.pins)}` : '';
  const note = !whole || !cutOn ? null : plane.on ? planeCutNote(ready ? outcome : null, bedMm) + pinsText : cutNote(ready, bedMm) + pinsText;
  const baseNoteText = base !== null && whole ? baseNote(ready, base) : null;

  const cutPlane: CutPlane = {
    ...plane,
    setOn: (on: boolean) => {
      plane.setOn(on);
      if (on) setCutToFit(false);
    },
  };

  return {
    format,
    setFormat,
    formatInfo,
    /** a segments model in STL, OBJ or PLY: one file per segment in a zip, or merged (null: no choice to make) */
    packaging: model?.segments && format !== '3mf' ? packaging : null,
    setPackaging,
    placement,
    setPlacement,
    /** cut to fit the bed and the flat base are offered: a threshold model (a segments model is written as its segments) */
    canCut: whole,
    cutToFit,
    setCutToFit: (on: boolean) => {
      setCutToFit(on);
      if (on) plane.setOn(false);
    },
    /** the cut plane the user places (on: instead of cut to fit), and alignment pins for either cut */
    cutPlane,
    cutNote: note,
    baseMm,
    setBaseMm,
    baseNote: baseNoteText,
    name,
    setName: setTyped,
    ready,
    error,
    download,
    /** what the latest file of this model holds, for the 3D view (null: the model as placed) */
    view: written && written.model === model ? written.view : null,
    /** the drain holes of the current file (null: none asked for, or still drilling) */
    drained: ready?.drained ?? null,
  };
}

/** What "Cut to fit the bed" gave: how many parts and whether each fits, or that no cut was needed. */
function cutNote(ready: Written | null, bedMm: Vec3): string {
  const bed = `${bedMm.map((s) => +s.toFixed(1)).join(' × ')} mm bed`;
  if (!ready) return `Cutting to fit the ${bed}…`;
  if (!ready.cutParts) return `The model fits the ${bed} whole: no cut needed.`;
  const n = ready.cutParts.length;
  const parts = `${n} part${n === 1 ? '' : 's'}`;
  const misfits = ready.cutParts.filter((p) => !p.fits).length;
  if (misfits === 0) return `Cut into ${parts}; each fits the ${bed}.`;
  return `Cut into ${parts}, but ${misfits} still do not fit the ${bed}: lower the scale or choose a larger printer.`;
}

/** What the flat base gave: the first layer the file now prints. */
function baseNote(ready: Written | null, baseMm: number): string {
  if (!ready?.baseLayer) return `Adding a ${baseMm} mm flat base…`;
  const { mm2, holds } = ready.baseLayer;
  return `On a ${baseMm} mm flat base: first layer ${Math.round(mm2).toLocaleString('en-US')} mm², ${holds ? 'holds' : 'still too small to hold'}.`;
}

const mimeOf = (f: MeshFormat) => MESH_FORMATS.find((x) => x.format === f)!.mime;
/** A segments model in STL, OBJ or PLY, one file per segment: written as a zip. */
const zipped = (m: Model, f: MeshFormat, p: Packaging) => !!m.segments && f !== '3mf' && p === 'zip';
