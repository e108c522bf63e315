// The model as a file: written as soon as the model, format, placement or typed name changes (so the
// report shows its size and the download is instant), and downloaded under the model's name. The name
// starts from the series description and preset and can be edited before download; only a name the
// user typed goes inside the file (a scan's description can carry identifiers).
// A segments model is written with one object per segment: 3MF holds them as named, coloured objects;
// STL, OBJ and PLY as a zip of one file per segment, or merged into one file (the user's choice).
import { useCallback, useEffect, useState } from 'react';
import { exportModel, exportSegments, wasCancelled } from '../engine';
import type { Placement } from '../../workers/core/placement';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Model } from '../model/useModel';
import { downloadBlob, modelFileName } from './modelFile';

/** How a segments model goes into STL, OBJ or PLY files. */
export type Packaging = 'zip' | 'merged';

interface Written {
  model: Model;
  format: MeshFormat;
  packaging: Packaging;
  placement: Placement;
  title: string;
  parts: Uint8Array<ArrayBuffer>[];
  bytes: number;
  mime: string;
}

/** `suggest(model)`: the name offered for a model (series description and preset). */
export function useExport(model: Model | null, suggest: (m: Model) => string) {
  const [format, setFormat] = useState<MeshFormat>('stl');
  const [packaging, setPackaging] = useState<Packaging>('zip');
  const [placement, setPlacement] = useState<Placement>({ where: 'scanner', scalePercent: 100 });
  const [typed, setTyped] = useState<string | null>(null);
  const [written, setWritten] = useState<Written | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = typed ?? (model ? suggest(model) : '');
  // inside the file: only what the user typed
  const title = typed?.trim() ?? '';

  useEffect(() => {
    if (!model) return;
    let live = true;
    setError(null);
    const write = model.segments
      ? exportSegments(
          model.segments.map((g) => ({ mesh: g.mesh, name: g.name, color: g.color })),
          format,
          packaging,
          title || undefined,
          placement,
        ).then((e) => ({ ...e, mime: zipped(model, format, packaging) ? 'application/zip' : mimeOf(format) }))
      : exportModel(model.result.mesh, format, title, placement);
    write.then(
      (e) => live && setWritten({ model, format, packaging, placement, title, ...e }),
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [model, format, packaging, placement, title]);

  const ready =
    written && written.model === model && written.format === format && written.packaging === packaging && written.placement === placement && written.title === title
      ? written
      : null;
  const formatInfo = MESH_FORMATS.find((f) => f.format === format)!;

  const download = useCallback(() => {
    if (!ready) return;
    const extension = zipped(ready.model, ready.format, ready.packaging) ? 'zip' : formatInfo.extension;
    downloadBlob(ready.parts, modelFileName(name, extension), ready.mime);
  }, [ready, formatInfo, name]);

  return {
    format,
    setFormat,
    formatInfo,
    /** a segments model in STL, OBJ or PLY: one file per segment in a zip, or merged (null: no choice to make) */
    packaging: model?.segments && format !== '3mf' ? packaging : null,
    setPackaging,
    placement,
    setPlacement,
    name,
    setName: setTyped,
    ready,
    error,
    download,
  };
}

const mimeOf = (f: MeshFormat) => MESH_FORMATS.find((x) => x.format === f)!.mime;
/** A segments model in STL, OBJ or PLY, one file per segment: written as a zip. */
const zipped = (m: Model, f: MeshFormat, p: Packaging) => !!m.segments && f !== '3mf' && p === 'zip';
