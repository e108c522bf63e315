import { useCallback, useEffect, useRef, useState } from 'react';
import { cache, Enums, RenderingEngine, setVolumesForViewports, volumeLoader, type Types } from '@cornerstonejs/core';
import { ToolGroupManager } from '@cornerstonejs/tools';
import type { ThresholdRange, Volume } from '../../workers/core/types';
import { initCornerstone, TOOL_GROUP } from './cornerstone';
import { drawOverlay, drawSeeds, viewGeometry, worldToIndex } from './overlay';
import { voiOf, WINDOW_PRESETS, type WindowPreset } from './windowPresets';
import './viewer.css';

interface Props {
  volume: Volume & { key: string; modality?: string };
  threshold: ThresholdRange;
  /** picked voxels (linear indices), ringed where they lie in a shown slice */
  seeds: number[];
  /** when set, a click (not a drag) in a slice view picks the voxel under the pointer */
  onPick?: (voxel: number) => void;
}

const VIEWS = [
  { id: 'axial', label: 'Axial', orientation: Enums.OrientationAxis.AXIAL },
  { id: 'sagittal', label: 'Sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
  { id: 'coronal', label: 'Coronal', orientation: Enums.OrientationAxis.CORONAL },
] as const;
const ENGINE = 'slice-engine';

/** Axial, sagittal and coronal views of the volume with the threshold overlay drawn over them. */
export function Viewer({ volume, threshold, seeds, onPick }: Props) {
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const overlays = useRef<(HTMLCanvasElement | null)[]>([]);
  const engine = useRef<RenderingEngine | null>(null);
  const shown = useRef<{ volume: Volume; volumeId: string } | null>(null);
  const thresholdRef = useRef(threshold);
  thresholdRef.current = threshold;
  const seedsRef = useRef(seeds);
  seedsRef.current = seeds;
  const [preset, setPreset] = useState<WindowPreset>(WINDOW_PRESETS[0]);
  const [error, setError] = useState<string | null>(null);

  const redraw = useCallback((index: number) => {
    const e = engine.current, s = shown.current, canvas = overlays.current[index], el = elements.current[index];
    if (!e || !s || !canvas || !el) return;
    const vp = e.getViewport(VIEWS[index].id);
    if (!vp) return;
    const toWorld = (p: [number, number]) => vp.canvasToWorld(p as Types.Point2);
    const g = viewGeometry(s.volume);
    drawOverlay(canvas, el.clientWidth, el.clientHeight, toWorld, g, s.volume.data, thresholdRef.current);
    drawSeeds(canvas, (w) => vp.worldToCanvas(w as Types.Point3), toWorld, g, seedsRef.current);
  }, []);

  // A click without a drag picks the voxel under the pointer (drags keep adjusting the window).
  const down = useRef<{ x: number; y: number } | null>(null);
  const pick = (index: number, e: React.PointerEvent) => {
    const start = down.current;
    down.current = null;
    const s = shown.current, el = elements.current[index], vp = engine.current?.getViewport(VIEWS[index].id);
    if (!onPick || !start || !s || !el || !vp || e.button !== 0 || Math.hypot(e.clientX - start.x, e.clientY - start.y) > 4) return;
    const r = el.getBoundingClientRect();
    const ijk = worldToIndex(viewGeometry(s.volume), vp.canvasToWorld([e.clientX - r.left, e.clientY - r.top] as Types.Point2)).map(Math.round);
    const [nx, ny, nz] = s.volume.dims;
    if (ijk.some((v, a) => v < 0 || v >= [nx, ny, nz][a])) return;
    onPick(ijk[0] + nx * (ijk[1] + ny * ijk[2]));
  };

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
  }, [threshold, seeds, redraw]);

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
          <div
            key={v.id}
            className={`slice-view${onPick ? ' picking' : ''}`}
            aria-label={v.label}
            role="img"
            onPointerDown={(e) => void (down.current = { x: e.clientX, y: e.clientY })}
            onPointerUp={(e) => pick(i, e)}
          >
            <div className="cs-element" ref={(el) => void (elements.current[i] = el)} onContextMenu={(e) => e.preventDefault()} />
            <canvas className="overlay-canvas" ref={(el) => void (overlays.current[i] = el)} />
            <span className="slice-label">{v.label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
