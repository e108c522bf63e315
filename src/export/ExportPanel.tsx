import type { ReactNode } from 'react';
import type { Bounds } from '../../workers/core/userPlane';
import { FileControls, PlacementControls } from './ExportControls';
import type { useExport } from './useExport';

interface Props {
  /** the model is built and current (not stale) */
  hasModel: boolean;
  /** the model is out of date: settings changed since it was built */
  stale: boolean;
  exporter: ReturnType<typeof useExport>;
  canDownload: boolean;
  /** the printability report */
  children?: ReactNode;
  /** the model as placed (the cut plane's range), null until placed */
  placedBounds?: Bounds | null;
  /** more print preparation under the placement (drain holes) */
  more?: ReactNode;
}

/** Step 4: the report beside the model, its name, and the file. */
export function ExportPanel({ hasModel, stale, exporter: x, canDownload, children, placedBounds = null, more }: Props) {
  return (
    <section className="panel" aria-labelledby="step-export" id="export">
      <h2 id="step-export">4 · Check and export</h2>
      {!hasModel && <p className="muted">Make the 3D model: its printability report and the download appear here.</p>}
      {hasModel && stale && <p className="muted">The settings changed: make the model again to check and download it.</p>}
      {hasModel && (
        <>
          <label className="field">
            <span>Model name (the file's name; nothing else from the scan goes into the file)</span>
            <input type="text" className="text-input" value={x.name} maxLength={80} spellCheck={false} onChange={(e) => x.setName(e.currentTarget.value)} />
          </label>
          <div className="export-controls">
            <FileControls
              format={x.format}
              onFormat={x.setFormat}
              formatLabel={x.formatInfo.label}
              canDownload={canDownload}
              onDownload={x.download}
              packaging={x.packaging}
              onPackaging={x.setPackaging}
            />
          </div>
          {/* the report next to the download; the printer and placement it follows below it */}
          {!stale && children}
          <div className="export-controls">
            <PlacementControls
              placement={x.placement}
              onPlacement={x.setPlacement}
              cut={
                x.canCut
                  ? { cutToFit: x.cutToFit, onCutToFit: x.setCutToFit, plane: x.cutPlane, bounds: placedBounds, cutNote: x.cutNote, baseMm: x.baseMm, onBaseMm: x.setBaseMm, baseNote: x.baseNote }
                  : null
              }
            />
          </div>
          {!stale && more}
        </>
      )}
    </section>
  );
}
