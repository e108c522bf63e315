import { useCallback, useEffect, useRef, useState } from 'react';
import { cache, Enums, setVolumesForViewports, volumeLoader, type RenderingEngine, type Types } from '@cornerstonejs/core';
import { ToolGroupManager } from '@cornerstonejs/tools';
import type { ThresholdRange, Vec3, Volume } from '../../workers/core/types';
import { clearMeasurements, ENGINE, releaseSliceEngine, setPrimaryTool, sliceEngine, TOOL_GROUP, type PrimaryTool } from './cornerstone';
import { drawCrop, drawOverlay, drawSeeds, sliceFrame, viewGeometry, worldToIndex, type SegmentOverlay } from './overlay';
import { clearTool, drawBrush, drawOutline, mmPerPixel } from './sliceTools';
import type { CropBox } from '../../workers/core/maskOps';
import { drawArriving } from './arrivingPreview';
import { voiOf, WINDOW_PRESETS, type WindowPreset } from './windowPresets';
import './viewer.css';

interface Props {
  volume: Volume & { key: string; modality?: string };
  threshold: ThresholdRange;
  /** picked voxels (linear indices), ringed where they lie in a shown slice */
  seeds: number[];
  /** when set, a click (not a drag) in a slice view picks the voxel under the pointer */
  onPick?: (voxel: number) => void;
  /** what will print for the current settings, once computed (else the overlay shows the threshold band) */
  mask: Uint8Array | null;
  crop: CropBox | null;
  /** when set, a drag in a slice view sets the crop box's extent along that view's two axes */
  onCrop?: (box: CropBox) => void;
  /** the segments drawn over the slices, each shown one in its colour (the threshold then as an outline) */
  segments?: SegmentOverlay | null;
  /** when set, a drag paints (or erases) with a sphere brush along the pointer, in any view */
  brush?: BrushHandlers | null;
  /**
   * when set, an outline drawn in a view (drag: freehand; clicks: a polygon closed by a double-click
   * or a click on its first point) is given in patient mm on the view's plane, with the view's normal
   */
  onCut?: (polygon: Vec3[], normal: Vec3) => void;
  /** the left button measures: Cornerstone's HU probe or ruler (mm) */
  measure?: 'probe' | 'ruler' | null;
  /**
   * set while the volume is still loading: the slices written so far (1 by k), and `listen`, which
   * calls back with each slice written from now on and returns the call that stops that. The views
   * then show the planes they will show, drawn from the voxels (see arrivingPreview.ts) as the
   * slices arrive; WebGL gets the volume once it is loaded (a volume without `arriving`).
   */
  arriving?: { arrived: Uint8Array; listen(onSlice: (k: number) => void): () => void } | null;
  /** the probe and ruler buttons of the views' bar choose (or leave) a measuring tool */
  onMeasure?: (m: 'probe' | 'ruler' | null) => void;
}

/** The paint and erase tools: a stroke starts (false: refused), moves and ends, in voxel index coordinates. */
export interface BrushHandlers {
  radiusMm: number;
  erase: boolean;
  start(centre: Vec3): boolean;
  move(centre: Vec3): void;
  end(): void;
}

const VIEWS = [
  { id: 'axial', label: 'Axial', orientation: Enums.OrientationAxis.AXIAL },
  { id: 'sagittal', label: 'Sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
  { id: 'coronal', label: 'Coronal', orientation: Enums.OrientationAxis.CORONAL },
] as const;

/** How often the views of a scan still loading are drawn again while its slices arrive (ms). */
const ARRIVAL_MS = 200;

/**
 * Drops a volume from Cornerstone's cache with the per-slice images createLocalVolume made for it:
 * removing the volume alone leaves those images (and through them the whole voxel buffer) cached.
 */
function releaseVolume(volumeId: string): void {
  const imageIds = cache.getVolume(volumeId)?.imageIds ?? [];
  if (cache.getVolumeLoadObject(volumeId)) cache.removeVolumeLoadObject(volumeId);
  for (const id of imageIds) if (cache.getImageLoadObject(id)) cache.removeImageLoadObject(id, { force: true });
}

/**
 * Puts the three viewports on their elements (once per rendering engine): the tool group, the
 * overlay redraw after each render, and a re-fit when an element changes size. Module-level so its
 * closures, which live as long as the views, cannot keep a scan's voxels alive.
 */
function startViews(e: RenderingEngine, elements: HTMLDivElement[], redraw: (index: number) => void): ResizeObserver {
  e.setViewports(
    VIEWS.map((v, i) => ({
      viewportId: v.id,
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: elements[i],
      defaultOptions: { orientation: v.orientation, background: [0, 0, 0] as Types.Point3 },
    })),
  );
  const group = ToolGroupManager.getToolGroup(TOOL_GROUP)!;
  for (const v of VIEWS) group.addViewport(v.id, ENGINE);
  VIEWS.forEach((_, i) => elements[i].addEventListener(Enums.Events.IMAGE_RENDERED, () => redraw(i)));
  // the views change size with the window and the layout: re-fit them (one resize per frame)
  let queued = 0;
  const resizer = new ResizeObserver(() => {
    cancelAnimationFrame(queued);
    queued = requestAnimationFrame(() => e.resize(true, false));
  });
  for (const el of elements) resizer.observe(el);
  return resizer;
}

/** Axial, sagittal and coronal views of the volume with the threshold overlay drawn over them. */
export function Viewer({ volume, threshold, seeds, onPick, mask, crop, onCrop, segments = null, brush = null, onCut, measure = null, onMeasure, arriving = null }: Props) {
  const elements = useRef<(HTMLDivElement | null)[]>([]);
  const overlays = useRef<(HTMLCanvasElement | null)[]>([]);
  const toolCanvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const engine = useRef<RenderingEngine | null>(null);
  const resizer = useRef<ResizeObserver | null>(null);
  const shown = useRef<{ volume: Volume; volumeId: string } | null>(null);
  // Closures read the volume through this ref: a closure that captured the prop itself would keep
  // its render's scope, and with it an old scan's voxels, alive after the scan is replaced.
  const volumeRef = useRef(volume);
  volumeRef.current = volume;
  const thresholdRef = useRef(threshold);
  thresholdRef.current = threshold;
  const seedsRef = useRef(seeds);
  seedsRef.current = seeds;
  const maskRef = useRef(mask);
  maskRef.current = mask;
  const cropRef = useRef(crop);
  cropRef.current = crop;
  const segmentsRef = useRef(segments);
  segmentsRef.current = segments;
  const brushRef = useRef(brush);
  brushRef.current = brush;
  const arrivingRef = useRef(arriving);
  arrivingRef.current = arriving;
  /** the views show the loading scan's planes (drawn on the overlay canvases) until WebGL shows the loaded one */
  const previewing = useRef(false);
  // the left button: our tools take it from window/level; or Cornerstone's probe or ruler measure
  const primary: PrimaryTool = onCrop || brush || onCut ? 'none' : (measure ?? 'window');
  const primaryRef = useRef(primary);
  primaryRef.current = primary;
  /** the view the brush is painting in (pointer held), and where the pointer is over a view */
  const painting = useRef<number | null>(null);
  const hover = useRef<{ view: number; at: [number, number] } | null>(null);
  /** the scissors outline being drawn: its view, canvas points, and whether the button is held */
  const cutPath = useRef<{ view: number; points: [number, number][]; held: boolean; dragged: boolean } | null>(null);
  const queued = useRef(0);
  /** the crop rectangle being dragged: view index and its two canvas corners */
  const band = useRef<{ view: number; a: [number, number]; b: [number, number] } | null>(null);
  const [preset, setPreset] = useState<WindowPreset>(WINDOW_PRESETS[0]);
  const presetRef = useRef(preset);
  presetRef.current = preset;
  const [error, setError] = useState<string | null>(null);

  const redraw = useCallback((index: number) => {
    const e = engine.current, s = shown.current, canvas = overlays.current[index], el = elements.current[index];
    if (!e || !s || !canvas || !el || previewing.current) return;
    const vp = e.getViewport(VIEWS[index].id);
    if (!vp) return;
    const toWorld = (p: [number, number]) => vp.canvasToWorld(p as Types.Point2);
    const g = viewGeometry(s.volume);
    const toCanvas = (w: number[]) => vp.worldToCanvas(w as Types.Point3);
    drawOverlay(canvas, el.clientWidth, el.clientHeight, toWorld, g, s.volume.data, thresholdRef.current, maskRef.current, segmentsRef.current);
    drawSeeds(canvas, toCanvas, toWorld, g, seedsRef.current);
    if (cropRef.current) drawCrop(canvas, toCanvas, toWorld, g, cropRef.current);
    const b = band.current;
    if (b && b.view === index) {
      const ctx = canvas.getContext('2d')!;
      ctx.strokeStyle = '#ffe04a';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(b.a[0], b.a[1], b.b[0] - b.a[0], b.b[1] - b.a[1]);
      ctx.setLineDash([]);
    }
  }, []);

  // Cropping: a drag draws the box's extent along the view's two axes (window/level is paused).
  const local = (index: number, e: React.PointerEvent): [number, number] => {
    const r = elements.current[index]!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const cropEnd = (index: number, e: React.PointerEvent) => {
    const b = band.current, s = shown.current, vp = engine.current?.getViewport(VIEWS[index].id);
    band.current = null;
    if (!onCrop || !b || b.view !== index || !s || !vp) return;
    b.b = local(index, e);
    const g = viewGeometry(s.volume);
    const toWorld = (p: [number, number]) => vp.canvasToWorld(p as Types.Point2);
    const p = worldToIndex(g, toWorld(b.a)), q = worldToIndex(g, toWorld(b.b));
    const { u, v } = sliceFrame(toWorld, g);
    const dims = s.volume.dims;
    const base = cropRef.current ?? { min: [0, 0, 0] as Vec3, max: [dims[0] - 1, dims[1] - 1, dims[2] - 1] as Vec3 };
    const box: CropBox = { min: [...base.min] as Vec3, max: [...base.max] as Vec3 };
    for (const a of [u, v]) {
      box.min[a] = Math.max(0, Math.round(Math.min(p[a], q[a])));
      box.max[a] = Math.min(dims[a] - 1, Math.round(Math.max(p[a], q[a])));
    }
    if (box.max[u] - box.min[u] < 1 || box.max[v] - box.min[v] < 1) return redraw(index); // a click, not a box
    onCrop(box);
  };

  useEffect(() => setPrimaryTool(primary), [primary]);

  // ---- the segment tools: brush and scissors ----
  const viewport = (index: number) => engine.current?.getViewport(VIEWS[index].id);
  const toWorldOf = (index: number) => {
    const vp = viewport(index)!;
    return (p: [number, number]) => vp.canvasToWorld(p as Types.Point2);
  };
  /** The voxel index coordinates (fractional) under a canvas point of a view. */
  const indexAt = (index: number, at: [number, number]): Vec3 => worldToIndex(viewGeometry(shown.current!.volume), toWorldOf(index)(at));

  /** Redraws the tool canvas of a view: the brush under the pointer, the scissors outline. */
  const drawTools = useCallback((index: number) => {
    const canvas = toolCanvases.current[index], el = elements.current[index], vp = engine.current?.getViewport(VIEWS[index].id);
    if (!canvas || !el || !vp) return;
    const ctx = clearTool(canvas, el.clientWidth, el.clientHeight);
    const b = brushRef.current, h = hover.current;
    if (b && h && h.view === index) drawBrush(ctx, h.at[0], h.at[1], b.radiusMm / mmPerPixel((p) => vp.canvasToWorld(p as Types.Point2)), b.erase);
    const c = cutPath.current;
    if (c && c.view === index) drawOutline(ctx, c.points, !c.held && h?.view === index ? h.at : null);
  }, []);

  /** The overlay of every view again, at most once a frame (a brush stroke writes voxels all three show). */
  const redrawSoon = () => {
    cancelAnimationFrame(queued.current);
    queued.current = requestAnimationFrame(() => VIEWS.forEach((_, i) => redraw(i)));
  };

  const finishCut = () => {
    const c = cutPath.current;
    cutPath.current = null;
    const vp = c && viewport(c.view);
    if (!c || !vp) return;
    drawTools(c.view);
    if (c.points.length < 3 || !onCut) return;
    const toWorld = toWorldOf(c.view);
    const normal = vp.getCamera().viewPlaneNormal as number[];
    onCut(
      c.points.map((p) => [...toWorld(p)] as Vec3),
      [normal[0], normal[1], normal[2]],
    );
  };

  // Escape drops the outline being drawn
  useEffect(() => {
    if (!onCut) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !cutPath.current) return;
      const v = cutPath.current.view;
      cutPath.current = null;
      drawTools(v);
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onCut, drawTools]);
  useEffect(() => {
    if (onCut) return;
    const v = cutPath.current?.view;
    cutPath.current = null;
    if (v !== undefined) drawTools(v);
  }, [onCut, drawTools]);
  useEffect(() => VIEWS.forEach((_, i) => drawTools(i)), [brush, drawTools]);

  const toolDown = (index: number, e: React.PointerEvent): boolean => {
    if (e.button !== 0 || !shown.current) return false;
    const at = local(index, e);
    if (brush) {
      if (brush.start(indexAt(index, at))) {
        painting.current = index;
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        redrawSoon();
      }
      return true;
    }
    if (onCut) {
      const c = cutPath.current;
      if (!c || c.view !== index) cutPath.current = { view: index, points: [at], held: true, dragged: false };
      else {
        // a click on the first point closes the polygon
        if (c.points.length >= 3 && Math.hypot(at[0] - c.points[0][0], at[1] - c.points[0][1]) < 8) {
          finishCut();
          return true;
        }
        c.points.push(at);
        c.held = true;
        c.dragged = false;
      }
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      drawTools(index);
      return true;
    }
    return false;
  };

  const toolMove = (index: number, e: React.PointerEvent) => {
    const at = local(index, e);
    hover.current = { view: index, at };
    if (painting.current === index && brushRef.current) {
      brushRef.current.move(indexAt(index, at));
      redrawSoon();
    }
    const c = cutPath.current;
    if (c && c.held && c.view === index) {
      const last = c.points[c.points.length - 1];
      if (Math.hypot(at[0] - last[0], at[1] - last[1]) >= 3) {
        c.points.push(at);
        c.dragged = true;
      }
    }
    if (brushRef.current || c) drawTools(index);
  };

  const toolUp = (index: number): boolean => {
    if (painting.current !== null) {
      painting.current = null;
      brushRef.current?.end();
      redrawSoon();
      return true;
    }
    const c = cutPath.current;
    if (c && c.held) {
      c.held = false;
      // a freehand drag closes at once; clicks build a polygon
      if (c.dragged && c.points.length >= 6) finishCut();
      else drawTools(index);
      return true;
    }
    return false;
  };

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

  /** The loading scan's planes on the overlay canvases (see arrivingPreview.ts). */
  const drawPreview = (v: Volume, a: NonNullable<Props['arriving']>) => {
    previewing.current = true;
    const g = viewGeometry(v);
    VIEWS.forEach((view, i) => {
      const canvas = overlays.current[i], el = elements.current[i];
      if (canvas && el) drawArriving(canvas, el.clientWidth, el.clientHeight, g, v.data, a.arrived, view.id, voiOf(presetRef.current));
    });
  };
  // The loading scan's planes again as its slices arrive, at most every ARRIVAL_MS.
  useEffect(() => {
    if (!arriving) return;
    const v = volumeRef.current;
    let timer = 0;
    drawPreview(v, arriving);
    const stop = arriving.listen(() => {
      if (!timer)
        timer = window.setTimeout(() => {
          timer = 0;
          drawPreview(v, arriving);
        }, ARRIVAL_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
      drawPreview(v, arriving); // (every slice is there now, or the load failed and the views go)
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arriving]);

  // Show a volume: one rendering engine for the component's life, a new cached volume per load (none
  // while it is still loading: see `arriving`).
  useEffect(() => {
    let cancelled = false;
    const volume = volumeRef.current;
    const loading = !!arrivingRef.current;
    // (the views' viewports and tools too: on views without a volume, Cornerstone's tools throw)
    if (loading) return;
    (async () => {
      const e = await sliceEngine();
      if (cancelled) return;
      if (!engine.current) {
        resizer.current = startViews(e, elements.current as HTMLDivElement[], redraw);
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
      if (previous && previous.volumeId !== volumeId) {
        releaseVolume(previous.volumeId);
        clearMeasurements();
      }
      setPrimaryTool(primaryRef.current);
      applyPreset(preset);
      // A fresh local volume renders flat grey the first time (its slices go to WebGL after that
      // render): render again next frame. A preview of the loading scan stays until then.
      requestAnimationFrame(() => {
        previewing.current = false; // (each view's overlay replaces it as the view draws)
        engine.current?.render();
      });
      setError(null);
    })().catch((e: unknown) => setError(`The slice views could not start: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [volume]);

  useEffect(
    () => () => {
      resizer.current?.disconnect();
      if (shown.current) releaseVolume(shown.current.volumeId);
      shown.current = null;
      releaseSliceEngine();
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
  }, [threshold, seeds, mask, crop, segments, redraw]);

  const applyPreset = (p: WindowPreset) => {
    setPreset(p);
    presetRef.current = p;
    // (a scan still loading: its preview, WebGL has no volume yet)
    const a = arrivingRef.current;
    if (a) return drawPreview(volumeRef.current, a);
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
        {onMeasure && (
          <div role="group" aria-label="Measure" className="presets">
            <button type="button" className="chip" aria-pressed={measure === 'probe'} onClick={() => onMeasure(measure === 'probe' ? null : 'probe')} title="Click a slice to read the value there">
              {volume.modality === 'CT' ? 'HU probe' : 'Probe'}
            </button>
            <button type="button" className="chip" aria-pressed={measure === 'ruler'} onClick={() => onMeasure(measure === 'ruler' ? null : 'ruler')} title="Drag on a slice to measure a distance in mm">
              Ruler
            </button>
            {measure && (
              <button type="button" className="chip" onClick={clearMeasurements}>
                Clear measurements
              </button>
            )}
          </div>
        )}
        <span className="muted viewer-help">
          Scroll: slices · Left drag: {primary === 'window' ? 'brightness/contrast' : primary === 'none' ? 'the tool chosen' : measure === 'probe' ? 'probe' : 'ruler'} · Right drag: zoom · Middle drag: pan
        </span>
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
            className={`slice-view${onPick || onCrop || onCut ? ' picking' : ''}${brush ? ' painting' : ''}`}
            aria-label={v.label}
            role="img"
            onPointerDown={(e) => {
              down.current = { x: e.clientX, y: e.clientY };
              if (toolDown(i, e)) return;
              if (onCrop && e.button === 0) {
                const at = local(i, e);
                band.current = { view: i, a: at, b: at };
              }
            }}
            onPointerMove={(e) => {
              toolMove(i, e);
              const b = band.current;
              if (b && b.view === i) {
                b.b = local(i, e);
                redraw(i);
              }
            }}
            onPointerUp={(e) => {
              if (toolUp(i)) return;
              if (onCrop) cropEnd(i, e);
              else pick(i, e);
            }}
            onPointerLeave={() => {
              if (hover.current?.view !== i) return;
              hover.current = null;
              drawTools(i);
            }}
            onDoubleClick={() => {
              if (cutPath.current?.view === i) finishCut();
            }}
          >
            <div className="cs-element" ref={(el) => void (elements.current[i] = el)} onContextMenu={(e) => e.preventDefault()} />
            <canvas className="overlay-canvas" ref={(el) => void (overlays.current[i] = el)} />
            <canvas className="overlay-canvas tool-canvas" ref={(el) => void (toolCanvases.current[i] = el)} />
            <span className="slice-label">{v.label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
