import { useCallback, useEffect, useRef, useState } from 'react';
import { cache, Enums, RenderingEngine, setVolumesForViewports, volumeLoader, type Types } from '@cornerstonejs/core';
import { ToolGroupManager } from '@cornerstonejs/tools';
import type { ThresholdRange, Volume } from '../../workers/core/types';
import { initCornerstone, TOOL_GROUP } from './cornerstone';
import { drawOverlay, viewGeometry } from './overlay';
import { voiOf, WINDOW_PRESETS, type WindowPreset } from './windowPresets';
import './viewer.css';

interface Props {
  volume: Volume & { key: string; modality?: string };
  threshold: ThresholdRange;
}

const VIEWS = [
  { id: 'axial', label: 'Axial', orientation: Enums.OrientationAxis.AXIAL },
  { id: 'sagittal', label: 'Sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
  { id: 'coronal', label: 'Coronal', orientation: Enums.OrientationAxis.CORONAL },
] as const;
const ENGINE = 'slice-engine';

/** Axial, sagittal and coronal views of the volume with the threshold overlay drawn over them. */
export function Viewer({ volume, threshold }: Props) {
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const overlays = useRef<(HTMLCanvasElement | null)[]>([]);
  const engine = useRef<RenderingEngine | null>(null);
  const shown = useRef<{ volume: Volume; volumeId: string } | null>(null);
  const thresholdRef = useRef(threshold);
  thresholdRef.current = threshold;
  const [preset, setPreset] = useState<WindowPreset>(WINDOW_PRESETS[0]);
  const [error, setError] = useState<string | null>(null);

  const redraw = useCallback((index: number) => {
    const e = engine.current, s = shown.current, canvas = overlays.current[index], el = elements.current[index];
    if (!e || !s || !canvas || !el) return;
    const vp = e.getViewport(VIEWS[index].id);
    if (!vp) return;
    drawOverlay(canvas, el.clientWidth, el.clientHeight, (p) => vp.canvasToWorld(p as Types.Point2), viewGeometry(s.volume), s.volume.data, thresholdRef.current);
  }, []);

  // Show a volume: one rendering engine for the component's life, a new cached volume per load.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      await initCornerstone();
      if (cancelled) return;
      if (!engine.current) {
        const e = new RenderingEngine(ENGINE);
        e.setViewports(
          VIEWS.map((v, i) => ({
            viewportId: v.id,
            type: Enums.ViewportType.ORTHOGRAPHIC,
            element: elements.current[i]!,
            defaultOptions: { orientation: v.orientation, background: [0, 0, 0] as Types.Point3 },
          })),
        );
        const group = ToolGroupManager.getToolGroup(TOOL_GROUP)!;
        for (const v of VIEWS) group.addViewport(v.id, ENGINE);
        VIEWS.forEach((_, i) => elements.current[i]!.addEventListener(Enums.Events.IMAGE_RENDERED, () => redraw(i)));
        engine.current = e;
      }
      const g = viewGeometry(volume);
      const volumeId = `scan-${volume.key}`; // no ':' in local volume ids (see notes)
      volumeLoader.createLocalVolume(volumeId, {
        dimensions: g.dims as Types.Point3,
        spacing: g.spacing as Types.Point3,
        origin: g.origin as Types.Point3,
        direction: g.direction as unknown as Types.Mat3,
        scalarData: volume.data,
        metadata: {
          BitsAllocated: 16,
          BitsStored: 16,
          SamplesPerPixel: 1,
          HighBit: 15,
          PhotometricInterpretation: 'MONOCHROME2',
          PixelRepresentation: 1,
          Modality: volume.modality ?? 'CT',
          ImageOrientationPatient: g.direction.slice(0, 6),
          PixelSpacing: [g.spacing[1], g.spacing[0]],
          FrameOfReferenceUID: volumeId,
          Columns: g.dims[0],
          Rows: g.dims[1],
          voiLut: [],
        } as unknown as Types.Metadata,
      });
      await setVolumesForViewports(engine.current, [{ volumeId }], VIEWS.map((v) => v.id));
      if (cancelled) return;
      const previous = shown.current;
      shown.current = { volume, volumeId };
      if (previous && previous.volumeId !== volumeId) cache.removeVolumeLoadObject(previous.volumeId);
      applyPreset(preset);
      // A fresh local volume sometimes renders flat grey the first time: render again next frame.
      requestAnimationFrame(() => engine.current?.render());
      setError(null);
    })().catch((e: unknown) => setError(`The slice views could not start: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [volume]);

  useEffect(
    () => () => {
      engine.current?.destroy();
      engine.current = null;
    },
    [],
  );

  // The overlay follows the threshold while the slider moves.
  useEffect(() => {
    if (!shown.current) return;
    performance.mark('overlay-start');
    VIEWS.forEach((_, i) => redraw(i));
    performance.measure('overlay-update', 'overlay-start');
  }, [threshold, redraw]);

  const applyPreset = (p: WindowPreset) => {
    setPreset(p);
    const e = engine.current;
    if (!e) return;
    for (const v of VIEWS) {
      const vp = e.getViewport(v.id) as Types.IVolumeViewport | undefined;
      vp?.setProperties({ voiRange: voiOf(p) });
    }
    e.render();
  };

  return (
    <section className="viewer" aria-label="Slice views">
      <div className="viewer-bar">
        <div role="group" aria-label="Window presets" className="presets">
          {WINDOW_PRESETS.map((p) => (
            <button key={p.label} type="button" className={`chip${p === preset ? ' active' : ''}`} aria-pressed={p === preset} onClick={() => applyPreset(p)}>
              {p.label}
            </button>
          ))}
        </div>
        <span className="muted">Scroll: slices · Left drag: brightness/contrast · Right drag: zoom · Middle drag: pan</span>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="slice-views">
        {VIEWS.map((v, i) => (
          <div key={v.id} className="slice-view" aria-label={v.label} role="img">
            <div className="cs-element" ref={(el) => void (elements.current[i] = el)} onContextMenu={(e) => e.preventDefault()} />
            <canvas className="overlay-canvas" ref={(el) => void (overlays.current[i] = el)} />
            <span className="slice-label">{v.label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
