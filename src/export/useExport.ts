// The model as a file: written as soon as the model, format or placement changes (so the report shows
// its size and the download is instant), and downloaded under a name from the series and preset.
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
  parts: Uint8Array<ArrayBuffer>[];
  bytes: number;
  mime: string;
}

/** `title(model)`: the words the file is named after (series description and preset). */
export function useExport(model: Model | null, title: (m: Model) => { description: string; preset: string }) {
  const [format, setFormat] = useState<MeshFormat>('stl');
  const [placement, setPlacement] = useState<Placement>({ where: 'scanner', scalePercent: 100 });
  const [written, setWritten] = useState<Written | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!model) return;
    let live = true;
    const { description, preset } = title(model);
    setError(null);
    exportModel(model.result.mesh, format, [description, preset].filter(Boolean).join(' '), placement).then(
      (e) => live && setWritten({ model, format, placement, ...e }),
      (e) => live && !wasCancelled(e) && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, format, placement]);

  const ready = written && written.model === model && written.format === format && written.placement === placement ? written : null;
  const formatInfo = MESH_FORMATS.find((f) => f.format === format)!;

  const download = useCallback(() => {
    if (!ready) return;
    const { description, preset } = title(ready.model);
    downloadBlob(ready.parts, modelFileName(description, formatInfo.extension, preset), ready.mime);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, formatInfo]);

  return { format, setFormat, formatInfo, placement, setPlacement, ready, error, download };
}
