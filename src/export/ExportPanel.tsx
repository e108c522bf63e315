import type { ReactNode } from 'react';
import type { Placement } from '../../workers/core/placement';
import type { MeshFormat } from '../../workers/core/writers';
import { ExportControls } from './ExportControls';

interface Props {
  /** the model is built and current (not stale) */
  hasModel: boolean;
  /** the model is out of date: settings changed since it was built */
  stale: boolean;
  name: string;
  onName: (name: string) => void;
  format: MeshFormat;
  onFormat: (f: MeshFormat) => void;
  placement: Placement;
  onPlacement: (p: Placement) => void;
  formatLabel: string;
  canDownload: boolean;
  onDownload: () => void;
  cutToFit: boolean;
  onCutToFit: (on: boolean) => void;
  cutNote: string | null;
  baseMm: number | null;
  onBaseMm: (mm: number | null) => void;
  baseNote: string | null;
  /** the printability report */
  children?: ReactNode;
}

/** Step 4: the report beside the model, its name, and the file. */
export function ExportPanel({ hasModel, stale, name, onName, children, ...controls }: Props) {
  return (
    <section className="panel" aria-labelledby="step-export" id="export">
      <h2 id="step-export">4 · Check and export</h2>
      {!hasModel && <p className="muted">Make the 3D model: its printability report and the download appear here.</p>}
      {hasModel && stale && <p className="muted">The settings changed: make the model again to check and download it.</p>}
      {hasModel && (
        <>
          <label className="field">
            <span>Model name (the file's name; nothing else from the scan goes into the file)</span>
            <input type="text" className="text-input" value={name} maxLength={80} spellCheck={false} onChange={(e) => onName(e.currentTarget.value)} />
          </label>
          <div className="export-controls">
            <ExportControls {...controls} />
          </div>
          {!stale && children}
        </>
      )}
    </section>
  );
}
