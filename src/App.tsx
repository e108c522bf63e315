import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  DEFAULT_REFINE,
  MESH_FORMATS,
  exportModel,
  loadDemoVolume,
  currentSeriesId,
  LoadCancelled,
  loadFiles,
  loadSeries,
  makeMesh,
  previewMesh,
  printMask,
  startPreview,
  type LoadedVolume,
  type Downsample,
  type LoadControl,
  type MaskEdits,
  type Mesh,
  type MeshFormat,
  type MeshResult,
  type Progress,
  type Placement,
  type SizeOffer,
  type ThresholdRange,
} from './core';
import { downloadBlob, modelFileName } from './export/modelFile';
import { PrintabilityReport } from './export/PrintabilityReport';
import { latestOnly } from './preview/latest';
import { IntakePanel } from './intake/IntakePanel';
import { DownsampleOffer } from './intake/DownsampleOffer';
import { SeriesPicker } from './intake/SeriesPicker';
import { MeshPreview } from './preview/MeshPreview';
import { ModelOptions, type ModelSettings } from './segmentation/ModelOptions';
import { INITIAL_EDITS, useEdits, type EditState } from './segmentation/useEdits';
import type { CropBox } from '../workers/core/maskOps';
import { defaultRange, presetsFor, valueUnit } from './segmentation/autoThreshold';
import { presetRange, type ThresholdPreset } from './segmentation/presets';
import { ThresholdControls } from './segmentation/ThresholdControls';
import { Viewer } from './viewer/Viewer';
import { sliceEngine } from './viewer/cornerstone';

type Activity = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string } | { kind: 'info'; text: string };

interface Model {
  result: MeshResult;
  range: ThresholdRange;
  edit: EditState;
  refine: ModelSettings;
  ms: number;
}

interface Exported {
  model: Model;
  format: MeshFormat;
  placement: Placement;
  parts: Uint8Array<ArrayBuffer>[];
  bytes: number;
  mime: string;
}

const BED_MM = 200;

const mm = (v: number) => (Math.round(v * 100) / 100).toString();

function volumeSummary(v: LoadedVolume): string {
  const [w, h, d] = v.volume.dims;
  const [sx, sy, sz] = v.volume.spacing;
  return `${v.seriesDescription || 'Unnamed series'}: ${w} × ${h} × ${d} voxels, ${mm(sx)} × ${mm(sy)} × ${mm(sz)} mm`;
}

/** "Decoding slices 37 / 300 · I370.dcm" (the file's base name). */
function progressText(p: Progress): string {
  const file = p.file?.split('/').pop();
  return `${p.phase[0].toUpperCase()}${p.phase.slice(1)} ${p.done} / ${p.total}${file ? ` · ${file}` : ''}`;
}

function modelSummary(m: Model): string {
  const r = m.result.report;
  const closed = r.closed && r.manifold && r.oriented && r.degenerateTriangles === 0 ? 'closed and printable' : 'NOT printable: see the report';
  return `3D model: ${r.triangles.toLocaleString('en-US')} triangles, ${(r.volumeMm3 / 1000).toFixed(1)} mL, ${closed} (${(m.ms / 1000).toFixed(1)} s)`;
}

export function App() {
  const [loaded, setLoaded] = useState<LoadedVolume | null>(null);
  const history = useEdits();
  const edit = history.edits;
  const { range, keepLargest, fillCavities, minPieceMl, seeds } = edit;
  const { change } = history;
  const setRange = useCallback((r: ThresholdRange) => change('range', (s) => ({ ...s, range: r, preset: null, seedBand: undefined })), [change]);
  const setKeepLargest = useCallback((v: boolean) => change('keep', (s) => ({ ...s, keepLargest: v })), [change]);
  const setFillCavities = useCallback((v: boolean) => change('fill', (s) => ({ ...s, fillCavities: v })), [change]);
  const setMinPieceMl = useCallback((v: number) => change('small', (s) => ({ ...s, minPieceMl: v })), [change]);
  const addSeed = useCallback((v: number) => change('seed', (s) => ({ ...s, seeds: [...s.seeds, v] })), [change]);
  const clearSeeds = useCallback(() => change('seed-clear', (s) => ({ ...s, seeds: [] })), [change]);
  const setCrop = useCallback((c: CropBox | null) => change('crop', (s) => ({ ...s, crop: c })), [change]);
  const [activity, setActivity] = useState<Activity>({ kind: 'idle' });
  const [refine, setRefine] = useState<ModelSettings>({ ...DEFAULT_REFINE, resolution: 'full' });
  const [model, setModel] = useState<Model | null>(null);
  const [format, setFormat] = useState<MeshFormat>('stl');
  const [exported, setExported] = useState<Exported | null>(null);
  const [tool, setTool] = useState<'none' | 'pick' | 'crop'>('none');
  // The overlay shows exactly what will print once the mask for the current edits is computed
  // (a moment after the last change); until then, the threshold band.
  const [exact, setExact] = useState<{ mask: Uint8Array; edits: MaskEdits; range: ThresholdRange } | null>(null);
  const [placement, setPlacement] = useState<Placement>({ where: 'scanner', scalePercent: 100 });
  const busy = activity.kind === 'busy';
  const job = useRef(0);
  const [preview, setPreview] = useState<{ mesh: Mesh; requested: number } | null>(null);
  const previewReady = useRef<Promise<void> | null>(null);

  const edits: MaskEdits = useMemo(
    () => ({
      keepLargest,
      fillCavities,
      minPieceMm3: keepLargest || seeds.length ? 0 : minPieceMl * 1000,
      seeds,
      seedBand: edit.seedBand,
      crop: edit.crop ?? undefined,
    }),
    [keepLargest, fillCavities, minPieceMl, seeds, edit.seedBand, edit.crop],
  );
  const presets = useMemo(() => (loaded ? presetsFor(loaded.modality, loaded.counts) : []), [loaded]);
  const onPreset = useCallback(
    (p: ThresholdPreset) => {
      if (!loaded) return;
      const r = presetRange(p, loaded.max);
      const clamp = (v: number) => Math.min(loaded.max, Math.max(loaded.min, v));
      change('preset', (s) => ({ ...s, range: { lower: clamp(r.lower), upper: clamp(r.upper) }, preset: p.id, seedBand: p.seedBand }));
    },
    [loaded, change],
  );

  const adopt = useCallback((v: LoadedVolume) => {
    setLoaded(v);
    setModel(null);
    setPreview(null);
    previewReady.current = startPreview(v.volume);
    const first = presetsFor(v.modality, v.counts)[0];
    history.reset({ ...INITIAL_EDITS, range: defaultRange(v.modality, v.counts), preset: first?.id ?? null, seedBand: first?.seedBand });
    setActivity({ kind: 'idle' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history.reset]);

  const fail = (e: unknown) => setActivity({ kind: 'error', text: e instanceof Error ? e.message : String(e) });

  // The file load running now (its abort stops it), and the size question it is waiting on, if any.
  const running = useRef<AbortController | null>(null);
  const [cancellable, setCancellable] = useState(false);
  const [sizeOffer, setSizeOffer] = useState<{ offer: SizeOffer; answer: (d: Downsample | null) => void } | null>(null);

  /** Shows the downsample offer; resolves to the choice, rejects with LoadCancelled on "Cancel" or abort. */
  const askSize = useCallback(
    (offer: SizeOffer, signal: AbortSignal) =>
      new Promise<Downsample>((resolve, reject) => {
        const cancel = () => {
          setSizeOffer(null);
          reject(new LoadCancelled());
        };
        signal.addEventListener('abort', cancel, { once: true });
        setActivity({ kind: 'busy', text: 'This scan is large: choose how to load it' });
        setSizeOffer({
          offer,
          answer: (d) => {
            signal.removeEventListener('abort', cancel);
            setSizeOffer(null);
            if (d) resolve(d);
            else reject(new LoadCancelled());
          },
        });
      }),
    [],
  );

  /**
   * Runs a load; a newer load (or model build) makes its result stale and a newer load aborts it. A
   * cancellable load (files) gets a signal and the memory offer, and shows "Cancel loading".
   */
  const load = useCallback(
    async (text: string, run: (onProgress: (p: Progress) => void, control: LoadControl) => Promise<LoadedVolume>, cancel = false) => {
      const id = ++job.current;
      running.current?.abort();
      const ac = new AbortController();
      running.current = ac;
      setCancellable(cancel);
      setActivity({ kind: 'busy', text });
      // the slice views' WebGL set-up runs while the files are read (the Viewer reports its errors)
      sliceEngine().catch(() => {});
      try {
        const v = await run(
          (p) => {
            if (id === job.current) setActivity({ kind: 'busy', text: progressText(p) });
          },
          { signal: ac.signal, offer: (o) => askSize(o, ac.signal) },
        );
        if (id === job.current) adopt(v);
      } catch (e) {
        if (id === job.current) {
          if (e instanceof LoadCancelled) setActivity({ kind: 'info', text: 'Loading cancelled' });
          else fail(e);
        }
      } finally {
        if (running.current === ac) {
          running.current = null;
          setCancellable(false);
        }
      }
    },
    [adopt, askSize],
  );
  /** Stops the running load at once: the app is usable again and shows the volume it had before, if any. */
  const onCancelLoad = useCallback(() => {
    running.current?.abort();
    running.current = null;
    ++job.current;
    setCancellable(false);
    setActivity({ kind: 'info', text: 'Loading cancelled' });
  }, []);
  const onDemo = useCallback(() => load('Generating the demo head phantom…', () => loadDemoVolume()), [load]);
  const onFiles = useCallback((files: File[]) => load(`Reading ${files.length} files…`, (p, c) => loadFiles(files, p, c), true), [load]);

  const onPickSeries = useCallback((seriesId: string) => load('Loading the series…', (p, c) => loadSeries(seriesId, p, c), true), [load]);

  const building = useRef(false);
  const [isBuilding, setBuilding] = useState(false);
  // controls stay live during a build (edits made meanwhile start the next one); only a load locks them
  const locked = busy && !isBuilding;
  const rebuildPending = useRef(false);
  const onMakeModel = useCallback(async () => {
    if (!loaded) return;
    // one build at a time: a request during a build runs once it ends, with the settings of then
    if (building.current) {
      rebuildPending.current = true;
      return;
    }
    building.current = true;
    setBuilding(true);
    const id = ++job.current;
    const used = { ...range };
    setActivity({ kind: 'busy', text: 'Building the 3D model…' });
    const t0 = performance.now();
    try {
      const result = await makeMesh(loaded.volume, used, { ...edits, ...refine }, (stage) => {
        if (id === job.current) setActivity({ kind: 'busy', text: `Building the 3D model: ${stage}…` });
      });
      if (id !== job.current) return;
      setModel({ result, range: used, edit, refine, ms: performance.now() - t0 });
      setActivity({ kind: 'idle' });
    } catch (e) {
      if (id === job.current) fail(e);
    } finally {
      building.current = false;
      setBuilding(false);
      if (rebuildPending.current) {
        rebuildPending.current = false;
        setTimeout(() => makeModelRef.current(), 0);
      }
    }
  }, [loaded, range, edit, edits, refine]);
  const makeModelRef = useRef(onMakeModel);
  makeModelRef.current = onMakeModel;
  // Letting go of a threshold slider or handle builds the full-resolution model (the live preview
  // showed the coarse one while dragging).
  const onRelease = useCallback(() => setTimeout(() => makeModelRef.current(), 60), []);

  // Live 3D preview: a coarse mesh follows the threshold and edits while they change, newest wins.
  const requestPreview = useMemo(
    () =>
      latestOnly(
        async (a: { range: ThresholdRange; edits: MaskEdits; requested: number }) => {
          await previewReady.current;
          const t0 = performance.now();
          const mesh = await previewMesh(a.range, a.edits);
          performance.measure('preview-mesh', { start: t0 });
          return mesh;
        },
        (mesh, a) => setPreview({ mesh, requested: a.requested }),
        () => {}, // a failed preview leaves the last one; the real build reports errors
      ),
    [],
  );
  useEffect(() => {
    if (loaded) requestPreview({ range, edits, requested: performance.now() });
  }, [loaded, range, edits, requestPreview]);
  useEffect(() => {
    if (!loaded) return;
    const t = setTimeout(() => {
      printMask(loaded.volume, range, edits).then(
        (mask) => setExact({ mask, range, edits }),
        () => {}, // the overlay keeps showing the threshold band
      );
    }, 250);
    return () => clearTimeout(t);
  }, [loaded, range, edits]);
  const overlayMask = exact && exact.edits === edits && exact.range === range ? exact.mask : null;

  useEffect(() => {
    if (!preview) return;
    // measured once the new mesh has been drawn (the preview renders on mesh change)
    requestAnimationFrame(() => performance.measure('preview-update', { start: preview.requested }));
  }, [preview]);

  const viewerVolume = useMemo(() => (loaded ? { ...loaded.volume, key: loaded.key, modality: loaded.modality } : null), [loaded]);

  const stale = model !== null && (model.edit !== edit || JSON.stringify(model.refine) !== JSON.stringify(refine));

  // The preset the model was made with names the file ("Bone"), if any.
  const presetLabel = (m: Model) => presets.find((p) => p.id === m.edit.preset)?.label ?? '';
  const fileTitle = (m: Model) => [loaded?.seriesDescription, presetLabel(m)].filter(Boolean).join(' ');

  // Write the file as soon as the model or the format changes, so the report shows its size and the
  // download is instant.
  useEffect(() => {
    if (!model) return;
    let live = true;
    exportModel(model.result.mesh, format, fileTitle(model), placement).then(
      (e) => live && setExported({ model, format, placement, ...e }),
      (e) => live && fail(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, format, placement]);
  const ready = exported !== null && exported.model === model && exported.format === format && exported.placement === placement ? exported : null;
  const formatInfo = MESH_FORMATS.find((f) => f.format === format)!;

  const onDownload = useCallback(() => {
    if (!ready || !loaded) return;
    downloadBlob(ready.parts, modelFileName(loaded.seriesDescription, formatInfo.extension, presetLabel(ready.model)), ready.mime);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, loaded, formatInfo]);

  const status = useMemo(() => {
    const parts: string[] = [];
    if (loaded) parts.push(volumeSummary(loaded));
    if (activity.kind !== 'idle') parts.push(activity.text);
    else if (model) parts.push(stale ? 'Settings changed: press "Make 3D model" to update the model' : modelSummary(model));
    else if (loaded) parts.push('Adjust the threshold, then press "Make 3D model"');
    else parts.push('Drop a DICOM folder, open files, or try the demo scan');
    return parts.join(' · ');
  }, [loaded, activity, model, stale]);

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
        <IntakePanel busy={busy} onFiles={onFiles} onDemo={onDemo} onCancel={cancellable ? onCancelLoad : undefined} />
        {sizeOffer && <DownsampleOffer offer={sizeOffer.offer} onChoose={sizeOffer.answer} onCancel={() => sizeOffer.answer(null)} />}
        {loaded?.series && <SeriesPicker series={loaded.series} current={currentSeriesId(loaded)} busy={busy} onPick={onPickSeries} />}
        {loaded && (
          <>
            <ThresholdControls
              range={range}
              hist={loaded.histogram}
              presets={presets}
              unit={valueUnit(loaded.modality)}
              activePreset={edit.preset}
              onPreset={onPreset}
              onRelease={onRelease}
              min={loaded.min}
              max={loaded.max}
              keepLargest={keepLargest}
              fillCavities={fillCavities}
              minPieceMl={minPieceMl}
              disabled={locked}
              onRange={setRange}
              onKeepLargest={setKeepLargest}
              onFillCavities={setFillCavities}
              onMinPieceMl={setMinPieceMl}
            />
            <section className="edit-tools" aria-label="Edit">
              <button type="button" className="button" aria-pressed={tool === 'pick'} onClick={() => setTool((t) => (t === 'pick' ? 'none' : 'pick'))}>
                {tool === 'pick' ? 'Picking pieces: click the slices' : 'Pick pieces in the slices'}
              </button>
              <button type="button" className="button" aria-pressed={tool === 'crop'} onClick={() => setTool((t) => (t === 'crop' ? 'none' : 'crop'))}>
                {tool === 'crop' ? 'Cropping: drag a box on a slice' : 'Crop box'}
              </button>
              {edit.crop && (
                <button type="button" className="button secondary" onClick={() => setCrop(null)}>
                  Remove crop box
                </button>
              )}
              {seeds.length > 0 && (
                <button type="button" className="button secondary" onClick={clearSeeds}>
                  Clear {seeds.length} {seeds.length === 1 ? 'pick' : 'picks'}
                </button>
              )}
              <button type="button" className="button secondary" disabled={!history.canUndo} onClick={history.undo}>
                Undo
              </button>
              <button type="button" className="button secondary" disabled={!history.canRedo} onClick={history.redo}>
                Redo
              </button>
              {seeds.length > 0 && <p className="muted">Only the pieces through your {seeds.length === 1 ? 'pick' : 'picks'} are kept.</p>}
            </section>
            <ModelOptions value={refine} disabled={locked} onChange={setRefine} />
            <section className="actions" aria-label="Model">
              <button type="button" className="button primary" disabled={locked} onClick={onMakeModel}>
                Make 3D model
              </button>
              <label className="field">
                <span>File format</span>
                <select value={format} onChange={(e) => setFormat(e.currentTarget.value as MeshFormat)}>
                  {MESH_FORMATS.map((f) => (
                    <option key={f.format} value={f.format}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Placement</span>
                <select
                  value={placement.where}
                  onChange={(e) => setPlacement({ ...placement, where: e.currentTarget.value as Placement['where'] })}
                >
                  <option value="scanner">As scanned (patient mm)</option>
                  <option value="bed">On the printer bed (flat side down)</option>
                </select>
              </label>
              <label className="field">
                <span>Scale (%)</span>
                <input
                  type="number"
                  className="small-number"
                  min={1}
                  max={1000}
                  value={placement.scalePercent}
                  onChange={(e) => {
                    const v = e.currentTarget.valueAsNumber;
                    if (Number.isFinite(v) && v > 0) setPlacement({ ...placement, scalePercent: v });
                  }}
                />
              </label>
              <button type="button" className="button" disabled={busy || !ready || stale} onClick={onDownload}>
                Download {formatInfo.label}
              </button>
            </section>
            {model && !stale && (
              <PrintabilityReport
                report={model.result.report}
                deviationMm={model.result.deviationMm}
                fileBytes={ready ? ready.bytes : null}
                format={format}
                bedMm={BED_MM}
                scalePercent={placement.scalePercent}
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
            threshold={range}
            seeds={seeds}
            onPick={tool === 'pick' ? addSeed : undefined}
            mask={overlayMask}
            crop={edit.crop}
            onCrop={tool === 'crop' ? setCrop : undefined}
          />
        ) : (
          <div className="empty-views">The scan's axial, sagittal and coronal slices will appear here.</div>
        )}
        <div className="preview-slot">
          <MeshPreview
            mesh={model && !stale ? model.result.mesh : (preview?.mesh ?? null)}
            busy={busy}
            fileStem={loaded ? modelFileName(loaded.seriesDescription, 'png', model ? presetLabel(model) : '') : undefined}
          />
          {(!model || stale) && preview && <span className="preview-badge">Live preview (coarse): press "Make 3D model" for the full model</span>}
        </div>
      </main>
      <footer className="statusbar" role="status" aria-live="polite">
        {status}
      </footer>
    </div>
  );
}
