import { useCallback, useMemo, useRef, useState } from 'react';
import { DEFAULT_REFINE } from '../workers/core/refine';
import { meshBounds } from '../workers/core/userPlane';
import { ExportPanel } from './export/ExportPanel';
import { modelFileName } from './export/modelFile';
import { useCutPlaneView } from './export/useCutPlane';
import { useExport } from './export/useExport';
import type { IntakeOpeners } from './intake/IntakePanel';
import { LoadPanel } from './intake/LoadPanel';
import { useScan } from './intake/useScan';
import { BuildPanel } from './model/BuildPanel';
import type { ModelSettings } from './model/ModelOptions';
import { useModel, type Model } from './model/useModel';
import { MeshPreview } from './preview/MeshPreview';
import { usePreviewObjects } from './preview/previewObjects';
import { PrintPrep } from './print/PrintPrep';
import { DrainControls } from './print/DrainControls';
import { useDrain } from './print/useDrain';
import { usePrinter } from './print/usePrinter';
import { usePrintPrep } from './print/usePrintPrep';
import { defaultRange, presetsFor, valueUnit } from './segmentation/autoThreshold';
import { ChoosePanel } from './segmentation/ChoosePanel';
import { DenoiseControl } from './segmentation/DenoiseControl';
import type { SliceTool } from './segmentation/EditTools';
import { useDenoise } from './segmentation/useDenoise';
import { INITIAL_EDITS, useEdits } from './segmentation/useEdits';
import { useLiveMask } from './segmentation/useLiveMask';
import { largePiecesLeftOut } from './segmentation/largePieces';
import { LargePiecesNote } from './segmentation/LargePiecesNote';
import { voxelVolume } from '../workers/core/hollow';
import { usePicking } from './segmentation/usePicking';
import { SegmentPanel } from './segments/SegmentPanel';
import { useSegmentPreview } from './segments/useSegmentPreview';
import { useSegments, useSegmentStore } from './segments/useSegments';
import { useViewerTools } from './segments/useViewerTools';
import { ShortcutList, useShortcuts } from './shortcuts';
import { statusText } from './status';
import { Viewer } from './viewer/Viewer';
import type { LoadedVolume } from './engine';
import type { Vec3 } from '../workers/core/types';

const STEPS = [
  { id: 'load', label: 'Load' },
  { id: 'choose', label: 'Choose what to print' },
  { id: 'build', label: 'Build' },
  { id: 'export', label: 'Check and export' },
];
/** no picked voxels (the scan while it loads) */
const NO_SEEDS: number[] = [];

export function App() {
  const segmentStore = useSegmentStore();
  const edits = useEdits(segmentStore);
  const edit = edits.state;
  const [refine, setRefine] = useState<ModelSettings>({ ...DEFAULT_REFINE, resolution: 'full' });
  const [tool, setTool] = useState<SliceTool>('none');
  const [help, setHelp] = useState(false);
  const openers = useRef<IntakeOpeners | null>(null);

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
  const importOnto = useRef<(files: File[], key: string) => void>(() => {});
  const scan = useScan({ onLoadStart: () => stopBuild.current(), onLoaded, onSegmentations: (f, key) => importOnto.current(f, key) });
  const { loaded } = scan;
  const denoise = useDenoise(loaded);
  const masked = denoise.source; // what masks read: the scan or its denoised copy (the slices show the scan)
  const live = useLiveMask(masked, edit.range, edits.maskEdits);
  const picking = usePicking(masked, edits);
  const segments = useSegments(masked, edits, segmentStore);
  importOnto.current = segments.importOnto;
  const viewerTools = useViewerTools(tool, setTool, segments, picking.pick);
  const segmentPreview = useSegmentPreview(loaded, segments.layers, segments.version, segments.visible);
  const parts = useMemo(() => (segments.layers ? { layers: segments.layers, visible: segments.visible } : null), [segments.layers, segments.visible]);
  // the threshold's model only (a segments model prints its segments)
  const leftOut = loaded && !parts ? largePiecesLeftOut(live.pieceStats, loaded.volume.spacing, voxelVolume(loaded.volume) / 1000, edit.keepLargest) : null;
  const build = useModel(masked, edit, edits.maskEdits, refine, parts);
  stopBuild.current = build.stop;

  const presets = useMemo(() => (loaded ? presetsFor(loaded.modality, loaded.counts) : []), [loaded]);
  // the preset the model was made with names the file ("Bone"), if any; a segments model, "segments"
  const presetLabel = (m: Model) => (m.segments ? 'segments' : (presets.find((p) => p.id === m.edit.preset)?.label ?? ''));
  const { printer, setPrinter } = usePrinter();
  const drain = useDrain(build.model, printer);
  const exporter = useExport(build.model, (m) => [m.description, presetLabel(m)].filter(Boolean).join(' '), printer.bedMm, drain.request);

  const { model, stale } = build;
  const prep = usePrintPrep(model && !stale ? model : null, exporter.placement, printer);
  const busy = scan.busy || build.building;
  // controls stay live during a build (edits made meanwhile start the next one); only a load locks them
  const locked = scan.busy;
  const canDownload = !busy && !!exporter.ready && !stale;
  const activity = scan.activity.kind !== 'idle' ? scan.activity : build.activity;
  const viewerVolume = useMemo(() => (loaded ? { ...loaded.volume, key: loaded.key, modality: loaded.modality } : null), [loaded]);
  const { arriving } = scan;
  const arrivingVolume = useMemo(() => (arriving ? { ...arriving.volume, key: arriving.key } : null), [arriving]);
  const placedBounds = useMemo(() => (prep.placed ? meshBounds(prep.placed.mesh) : null), [prep.placed]);
  const cutPlaneView = useCutPlaneView(exporter.cutPlane, placedBounds);
  // the file as written (cut parts, base, drain holes), except while the user places a cut plane: that
  // is drawn through the model as placed, so the view shows that model
  const fileView = exporter.cutPlane.on ? null : exporter.view;
  const view3d = usePreviewObjects(model, stale, live.previewMesh, segmentPreview, prep.placed?.mesh ?? null, prep.thinVertices, prep.thickness, fileView);
  const wallMap = useMemo(
    () => ({ scale: exporter.placement.scalePercent / 100, minWallMm: printer.minWallMm, printer: printer.label }),
    [exporter.placement.scalePercent, printer.minWallMm, printer.label],
  );
  const { addClick } = drain;
  const toFile = view3d.toFile;
  const pickHole = useMemo(() => (drain.picking && toFile ? (at: Vec3, normal: Vec3) => addClick(at, normal, toFile) : undefined), [drain.picking, toFile, addClick]);
  const step = !loaded ? 0 : model && !stale ? 3 : build.building ? 2 : 1;

  const goTo = (n: number) => {
    const el = document.getElementById(STEPS[n - 1].id);
    el?.scrollIntoView({ block: 'nearest' });
    (el?.querySelector<HTMLElement>('button:not(:disabled), input:not(:disabled), select:not(:disabled)') ?? el)?.focus();
  };
  const closeScan = () => {
    build.stop();
    scan.close();
  };
  useShortcuts({
    openFiles: scan.busy ? undefined : () => openers.current?.files(),
    openFolder: scan.busy ? undefined : () => openers.current?.folder(),
    make: loaded && !locked ? build.make : undefined,
    download: canDownload ? exporter.download : undefined,
    cancel: help ? () => setHelp(false) : (scan.cancelLoad ?? build.cancel),
    step: goTo,
    help: () => setHelp((h) => !h),
  });

  return (
    <div className="app">
      <header className="top">
        <h1>Scan to print</h1>
        <nav aria-label="Steps">
          <ol className="steps">
            {STEPS.map((s, i) => (
              <li key={s.id}>
                <button type="button" className="step" aria-current={i === step ? 'step' : undefined} onClick={() => goTo(i + 1)}>
                  <span className="step-n">{i + 1}</span> {s.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <p className="tagline">Nothing is uploaded: your scan stays on this computer.</p>
        <button type="button" className="button secondary small" aria-expanded={help} onClick={() => setHelp((h) => !h)} aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      </header>
      {help && <ShortcutList onClose={() => setHelp(false)} />}
      <aside className="side" aria-label="Scan and what to print">
        {!crossOriginIsolated && (
          <p className="error" role="alert">
            This page is not cross-origin isolated, so it cannot share memory with its workers. The server must send the
            headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (see README).
          </p>
        )}
        <LoadPanel scan={scan} onClose={closeScan} openers={openers} />
        {loaded && (
          <ChoosePanel
            {...{ loaded, presets, edits, tool, locked }}
            onTool={setTool}
            onRelease={build.makeSoon}
            pickMiss={picking.miss}
            segmentsFirst={segments.records.length > 0}
            denoise={<DenoiseControl denoise={denoise} disabled={locked} />}
            segments={
              <SegmentPanel
                {...{ segments, tool, locked }}
                source={{ range: edit.range, maskEdits: edits.maskEdits, label: presets.find((p) => p.id === edit.preset)?.label ?? '' }}
                onTool={setTool}
                range={edit.range}
                unit={valueUnit(loaded.modality)}
              />
            }
          />
        )}
      </aside>
      <main className="views" aria-label="Views">
        {loaded ? (
          <Viewer
            volume={viewerVolume!}
            threshold={edit.range}
            seeds={edit.seeds}
            mask={live.overlayMask}
            crop={edit.crop}
            onCrop={tool === 'crop' ? edits.set.crop : undefined}
            {...viewerTools}
          />
        ) : arriving ? (
          // the scan still loading, drawn from its slices as they arrive; the same Viewer as above (one
          // place in the tree), so the loaded scan takes over its views without a blank moment
          <Viewer volume={arrivingVolume!} arriving={arriving} threshold={edit.range} seeds={NO_SEEDS} mask={null} crop={null} />
        ) : (
          <div className="empty-views">
            <p>The scan's axial, sagittal and coronal slices will appear here, with the 3D model beside them.</p>
            <p className="muted">Start with step 1: open a DICOM folder, a zip or a NIfTI file, or try the demo scan.</p>
          </div>
        )}
        {loaded && (
          <div className="preview-slot">
            <MeshPreview
              objects={view3d.objects}
              bedMm={model && !stale && (prep.placed?.placement.where === 'bed' || view3d.legend) ? printer.bedMm : null}
              marks={view3d.marks}
              wallMap={wallMap}
              cutPlane={model && !stale && !view3d.live && exporter.canCut ? cutPlaneView : null}
              holes={view3d.holes}
              legend={view3d.legend}
              onPick={pickHole}
              busy={busy}
              fileStem={modelFileName(model ? exporter.name : loaded.seriesDescription, 'png').replace(/\.png$/, '')}
              badge={view3d.live ? 'Live preview (coarse): press "Make 3D model" for the full model' : undefined}
            />
          </div>
        )}
      </main>
      <aside className="model-side" aria-label="Model">
        <BuildPanel
          volume={loaded?.volume ?? null}
          settings={refine}
          onSettings={setRefine}
          locked={locked}
          onMake={build.make}
          onCancel={build.cancel}
          error={build.activity.kind === 'error' ? build.activity.text : exporter.error}
          segments={parts && { shown: parts.visible.length, total: segments.records.length }}
          progress={build.progress}
          tooLarge={build.tooLarge}
          onHalf={() => (setRefine((r) => ({ ...r, resolution: 'half' })), build.makeSoon())}
          onAnyway={build.makeAnyway}
          notes={
            leftOut && (
              <LargePiecesNote leftOut={leftOut} disabled={locked} onKeep={(seeds) => edits.change('seed', (s) => ({ ...s, seeds }))} />
            )
          }
        />
        <ExportPanel
          hasModel={!!model}
          stale={stale}
          exporter={exporter}
          canDownload={canDownload}
          placedBounds={placedBounds}
          more={<DrainControls drain={drain} report={exporter.drained} canPick={!!exporter.view?.toFile && !exporter.cutPlane.on} />}
        >
          {model && (
            <PrintPrep
              model={model}
              deviationMm={build.deviationMm}
              printer={printer}
              onPrinter={setPrinter}
              prep={prep}
              format={exporter.format}
              fileBytes={exporter.ready ? exporter.ready.bytes : null}
              scalePercent={exporter.placement.scalePercent}
              drained={exporter.drained}
              onFillCavities={() => {
                edits.set.fillCavities(true);
                build.makeSoon();
              }}
            />
          )}
        </ExportPanel>
      </aside>
      <footer className="statusbar" role="status" aria-live="polite">
        {statusText(loaded, activity, model, stale)}
      </footer>
    </div>
  );
}
