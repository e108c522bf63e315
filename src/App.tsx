import { useCallback, useMemo, useRef, useState } from 'react';
import { DEFAULT_REFINE } from '../workers/core/refine';
import { ExportControls } from './export/ExportControls';
import { modelFileName } from './export/modelFile';
import { PrintabilityReport } from './export/PrintabilityReport';
import { useExport } from './export/useExport';
import { DownsampleOffer } from './intake/DownsampleOffer';
import { IntakePanel } from './intake/IntakePanel';
import { SeriesPicker } from './intake/SeriesPicker';
import { useScan } from './intake/useScan';
import { ModelOptions, type ModelSettings } from './model/ModelOptions';
import { useModel, type Model } from './model/useModel';
import { MeshPreview } from './preview/MeshPreview';
import { defaultRange, presetsFor, valueUnit } from './segmentation/autoThreshold';
import { EditTools, type SliceTool } from './segmentation/EditTools';
import { ThresholdControls } from './segmentation/ThresholdControls';
import { INITIAL_EDITS, useEdits } from './segmentation/useEdits';
import { useLiveMask } from './segmentation/useLiveMask';
import { statusText } from './status';
import { Viewer } from './viewer/Viewer';
import type { LoadedVolume } from './engine';

const BED_MM = 200;

export function App() {
  const edits = useEdits();
  const edit = edits.state;
  const [refine, setRefine] = useState<ModelSettings>({ ...DEFAULT_REFINE, resolution: 'full' });
  const [tool, setTool] = useState<SliceTool>('none');

  // a new scan starts with its modality's first preset (bone for CT) and a fresh undo history
  const onLoaded = useCallback(
    (v: LoadedVolume) => {
      const first = presetsFor(v.modality, v.counts)[0];
      edits.reset({ ...INITIAL_EDITS, range: defaultRange(v.modality, v.counts), preset: first?.id ?? null, seedBand: first?.seedBand });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [edits.reset],
  );
  // a load stops the build of the old scan (useModel needs the scan, so it comes after useScan)
  const stopBuild = useRef<() => void>(() => {});
  const scan = useScan({ onLoadStart: () => stopBuild.current(), onLoaded });
  const { loaded } = scan;
  const live = useLiveMask(loaded, edit.range, edits.maskEdits);
  const build = useModel(loaded, edit, edits.maskEdits, refine);
  stopBuild.current = build.stop;

  const presets = useMemo(() => (loaded ? presetsFor(loaded.modality, loaded.counts) : []), [loaded]);
  // the preset the model was made with names the file ("Bone"), if any
  const presetLabel = (m: Model) => presets.find((p) => p.id === m.edit.preset)?.label ?? '';
  const exporter = useExport(build.model, (m) => ({ description: m.of.seriesDescription, preset: presetLabel(m) }));

  const { model, stale } = build;
  const busy = scan.busy || build.building;
  // controls stay live during a build (edits made meanwhile start the next one); only a load locks them
  const locked = scan.busy;
  const activity = scan.activity.kind !== 'idle' ? scan.activity : build.activity.kind !== 'idle' ? build.activity : exporter.error ? { kind: 'error' as const, text: exporter.error } : { kind: 'idle' as const };
  const viewerVolume = useMemo(() => (loaded ? { ...loaded.volume, key: loaded.key, modality: loaded.modality } : null), [loaded]);

  return (
    <div className="app">
      <header className="top">
        <h1>Scan to print</h1>
        <p>CT or MRI to a 3D-printable STL, entirely in your browser. Nothing is uploaded.</p>
      </header>
      <aside className="side">
        {!crossOriginIsolated && (
          <p className="error" role="alert">
            This page is not cross-origin isolated, so it cannot share memory with its workers. The server must send the
            headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (see README).
          </p>
        )}
        <IntakePanel busy={scan.busy} onFiles={scan.openFiles} onDemo={scan.openDemo} onCancel={scan.cancelLoad} />
        {scan.sizeOffer && <DownsampleOffer offer={scan.sizeOffer.offer} onChoose={scan.sizeOffer.answer} onCancel={() => scan.sizeOffer!.answer(null)} />}
        {loaded?.series && <SeriesPicker series={loaded.series} current={scan.seriesId} busy={scan.busy} onPick={scan.pickSeries} />}
        {loaded && (
          <>
            <ThresholdControls
              range={edit.range}
              hist={loaded.histogram}
              presets={presets}
              unit={valueUnit(loaded.modality)}
              activePreset={edit.preset}
              onPreset={(p) => edits.set.preset(p, loaded.min, loaded.max)}
              onRelease={build.makeSoon}
              min={loaded.min}
              max={loaded.max}
              keepLargest={edit.keepLargest}
              fillCavities={edit.fillCavities}
              minPieceMl={edit.minPieceMl}
              disabled={locked}
              onRange={edits.set.range}
              onKeepLargest={edits.set.keepLargest}
              onFillCavities={edits.set.fillCavities}
              onMinPieceMl={edits.set.minPieceMl}
            />
            <EditTools
              tool={tool}
              onTool={setTool}
              hasCrop={!!edit.crop}
              onRemoveCrop={() => edits.set.crop(null)}
              picks={edit.seeds.length}
              onClearPicks={edits.set.clearSeeds}
              canUndo={edits.canUndo}
              canRedo={edits.canRedo}
              onUndo={edits.undo}
              onRedo={edits.redo}
            />
            <ModelOptions value={refine} disabled={locked} onChange={setRefine} />
            <section className="actions" aria-label="Model">
              <button type="button" className="button primary" disabled={locked} onClick={build.make}>
                Make 3D model
              </button>
              {build.cancel && (
                <button type="button" className="button secondary" onClick={build.cancel}>
                  Cancel build
                </button>
              )}
              <ExportControls
                format={exporter.format}
                onFormat={exporter.setFormat}
                placement={exporter.placement}
                onPlacement={exporter.setPlacement}
                formatLabel={exporter.formatInfo.label}
                canDownload={!busy && !!exporter.ready && !stale}
                onDownload={exporter.download}
              />
            </section>
            {model && !stale && (
              <PrintabilityReport
                report={model.result.report}
                deviationMm={model.result.deviationMm}
                fileBytes={exporter.ready ? exporter.ready.bytes : null}
                format={exporter.format}
                bedMm={BED_MM}
                scalePercent={exporter.placement.scalePercent}
              />
            )}
          </>
        )}
        {loaded && loaded.notes.length > 0 && (
          <ul className="notes" aria-label="Notes about this scan">
            {loaded.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {activity.kind === 'error' && (
          <p className="error" role="alert">
            {activity.text}
          </p>
        )}
      </aside>
      <main className="views">
        {loaded ? (
          <Viewer
            volume={viewerVolume!}
            threshold={edit.range}
            seeds={edit.seeds}
            onPick={tool === 'pick' ? edits.set.addSeed : undefined}
            mask={live.overlayMask}
            crop={edit.crop}
            onCrop={tool === 'crop' ? edits.set.crop : undefined}
          />
        ) : (
          <div className="empty-views">The scan's axial, sagittal and coronal slices will appear here.</div>
        )}
        <div className="preview-slot">
          <MeshPreview
            mesh={model && !stale ? model.result.mesh : live.previewMesh}
            busy={busy}
            fileStem={loaded ? modelFileName(loaded.seriesDescription, 'png', model ? presetLabel(model) : '') : undefined}
          />
          {(!model || stale) && live.previewMesh && <span className="preview-badge">Live preview (coarse): press "Make 3D model" for the full model</span>}
        </div>
      </main>
      <footer className="statusbar" role="status" aria-live="polite">
        {statusText(loaded, activity, model, stale)}
      </footer>
    </div>
  );
}
