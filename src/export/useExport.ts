// The model as a file: written as soon as the model, format, placement or typed name changes (so the
// report shows its size and the download is instant), and downloaded under the model's name. The name
// starts from the series description and preset and can be edited before download; only a name the
// user typed goes inside the file (a scan's description can carry identifiers).
import { useCallback, useEffect, useState } from 'react';
import { exportModel, wasCancelled } from '../engine';
import type { Placement } from '../../workers/core/placement';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Model } from '../model/useModel';
import { downloadBlob, modelFileName } from './modelFile';

interface Written {
  model: Model;
  format: MeshFormat;
  placement: Placement;
  title: string;
  parts: Uint8Array<ArrayBuffer>[];
  bytes: number;
  mime: string;
}

/** `suggest(model)`: the name offered for a model (series description and preset). */
export function useExport(model: Model | null, suggest: (m: Model) => string) {
  const [format, setFormat] = useState<MeshFormat>('stl');
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
    exportModel(model.result.mesh, format, title, placement).then(
      (e) => live && setWritten({ model, format, placement, title, ...e }),
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [model, format, placement, title]);

  const ready =
    written && written.model === model && written.format === format && written.placement === placement && written.title === title ? written : null;
  const formatInfo = MESH_FORMATS.find((f) => f.format === format)!;

  const download = useCallback(() => {
    if (!ready) return;
    downloadBlob(ready.parts, modelFileName(name, formatInfo.extension), ready.mime);
  }, [ready, formatInfo, name]);

  return { format, setFormat, formatInfo, placement, setPlacement, name, setName: setTyped, ready, error, download };
}
