import { useCallback, useMemo, useRef, useState } from 'react';
import { loadDemoVolume, loadFiles, makeMesh, stlBytes, type LoadedVolume, type MeshReport, type MeshResult, type ThresholdRange } from './core';
import { downloadBlob, stlFileName } from './export/stlFile';
import { IntakePanel } from './intake/IntakePanel';
import { MeshPreview } from './preview/MeshPreview';
import { DEFAULT_PRESET, presetRange } from './segmentation/presets';
import { ThresholdControls } from './segmentation/ThresholdControls';
import { Viewer } from './viewer/Viewer';

type Activity = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'error'; text: string };

interface Model {
  result: MeshResult & { report: MeshReport };
  range: ThresholdRange;
  keepLargest: boolean;
  ms: number;
}

const mm = (v: number) => (Math.round(v * 100) / 100).toString();

function volumeSummary(v: LoadedVolume): string {
  const [w, h, d] = v.volume.dims;
  const [sx, sy, sz] = v.volume.spacing;
  return `${v.seriesDescription || 'Unnamed series'}: ${w} × ${h} × ${d} voxels, ${mm(sx)} × ${mm(sy)} × ${mm(sz)} mm`;
}

function modelSummary(m: Model): string {
  const r = m.result.report;
  const closed = r.closed && r.manifold && r.oriented ? 'closed and printable' : 'NOT closed: check the settings';
  return `3D model: ${r.triangles.toLocaleString('en-US')} triangles, ${(r.volumeMm3 / 1000).toFixed(1)} mL, ${closed} (${(m.ms / 1000).toFixed(1)} s)`;
}

export function App() {
  const [loaded, setLoaded] = useState<LoadedVolume | null>(null);
  const [range, setRange] = useState<ThresholdRange>({ lower: 300, upper: 3071 });
  const [keepLargest, setKeepLargest] = useState(true);
  const [activity, setActivity] = useState<Activity>({ kind: 'idle' });
  const [model, setModel] = useState<Model | null>(null);
  const busy = activity.kind === 'busy';
  const job = useRef(0);

  const adopt = useCallback((v: LoadedVolume) => {
    setLoaded(v);
    setModel(null);
    const r = presetRange(DEFAULT_PRESET, v.max);
    setRange({ lower: Math.min(Math.max(r.lower, v.min), v.max), upper: v.max });
    setActivity({ kind: 'idle' });
  }, []);

  const fail = (e: unknown) => setActivity({ kind: 'error', text: e instanceof Error ? e.message : String(e) });

  const onDemo = useCallback(async () => {
    const id = ++job.current;
    setActivity({ kind: 'busy', text: 'Generating the demo head phantom…' });
    try {
      const v = await loadDemoVolume();
      if (id === job.current) adopt(v);
    } catch (e) {
      fail(e);
    }
  }, [adopt]);

  const onFiles = useCallback(
    async (files: File[]) => {
      const id = ++job.current;
      setActivity({ kind: 'busy', text: `Reading ${files.length} files…` });
      try {
        const v = await loadFiles(files, (p) => {
          if (id === job.current) setActivity({ kind: 'busy', text: `Loading: ${p.phase} ${p.done} / ${p.total}` });
        });
        if (id === job.current) adopt(v);
      } catch (e) {
        if (id === job.current) fail(e);
      }
    },
    [adopt],
  );

  const onMakeModel = useCallback(async () => {
    if (!loaded) return;
    const id = ++job.current;
    const used = { ...range };
    setActivity({ kind: 'busy', text: 'Building the 3D model…' });
    const t0 = performance.now();
    try {
      const result = await makeMesh(loaded.volume, used, { keepLargest }, (stage) => {
        if (id === job.current) setActivity({ kind: 'busy', text: `Building the 3D model: ${stage}…` });
      });
      if (id !== job.current) return;
      setModel({ result, range: used, keepLargest, ms: performance.now() - t0 });
      setActivity({ kind: 'idle' });
    } catch (e) {
      if (id === job.current) fail(e);
    }
  }, [loaded, range, keepLargest]);

  const viewerVolume = useMemo(() => (loaded ? { ...loaded.volume, key: loaded.key, modality: loaded.modality } : null), [loaded]);

  const stale = model !== null && (model.range.lower !== range.lower || model.range.upper !== range.upper || model.keepLargest !== keepLargest);

  const onDownload = useCallback(() => {
    if (!model || !loaded) return;
    downloadBlob(stlBytes(model.result.mesh), stlFileName(loaded.seriesDescription), 'model/stl');
  }, [model, loaded]);

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
        <IntakePanel busy={busy} onFiles={onFiles} onDemo={onDemo} />
        {loaded && (
          <>
            <ThresholdControls
              range={range}
              min={loaded.min}
              max={loaded.max}
              keepLargest={keepLargest}
              disabled={busy}
              onRange={setRange}
              onKeepLargest={setKeepLargest}
            />
            <section className="actions" aria-label="Model">
              <button type="button" className="button primary" disabled={busy} onClick={onMakeModel}>
                Make 3D model
              </button>
              <button type="button" className="button" disabled={busy || !model || stale} onClick={onDownload}>
                Download STL
              </button>
            </section>
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
          <Viewer volume={viewerVolume!} threshold={range} />
        ) : (
          <div className="empty-views">The scan's axial, sagittal and coronal slices will appear here.</div>
        )}
        <MeshPreview mesh={model?.result.mesh ?? null} busy={busy} />
      </main>
      <footer className="statusbar" role="status" aria-live="polite">
        {status}
      </footer>
    </div>
  );
}
