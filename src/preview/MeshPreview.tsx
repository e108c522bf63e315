import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Rgb } from '../../workers/core/segments';
import type { Mesh, Vec3 } from '../../workers/core/types';
import { downloadBlob } from '../export/modelFile';
import { showCutPlane, type CutPlaneView } from './cutPlaneView';
import { attachPick, dotGroup } from './pickSurface';
import { CLIP_AXES, clipPlane, edgeMidpoints, fmtMm, pictureFileName, type ClipAxis, type Triple } from './previewTools';
import { ThicknessLegend } from './ThicknessLegend';
import { drawThicknessLegend, paintThickness, useThicknessLegend, type WallMapView } from './thicknessView';

/** One object of the view: a closed mesh, in its own colour when given (segments), named for the legend. */
export interface PreviewObject {
  mesh: Mesh;
  color?: Rgb;
  name?: string;
  /** the wall-thickness map of the finished model: per vertex of `mesh`, mm unscaled (see thicknessView.ts) */
  thicknessMm?: Float32Array;
}

interface Props {
  /** what the view shows: one mesh (the threshold model) or one per segment */
  objects: PreviewObject[];
  busy?: boolean;
  /** name of the saved picture, without extension (e.g. the model file's stem); default "preview" */
  fileStem?: string;
  /** a short note shown over the view (e.g. that this is the coarse live preview) */
  badge?: string;
  /** the printer's bed (width, depth, height, mm) drawn as an outline from z = 0, centred on x = y = 0: the model stands on it */
  bedMm?: Vec3 | null;
  /** points to mark (thin walls), drawn as red dots */
  marks?: Vec3[];
  /** how the objects' wall-thickness maps are shown (scale, printer's minimum wall), when they have them */
  wallMap?: WallMapView | null;
  /** the cut plane the user places, drawn through the model and draggable (cutPlaneView.ts) */
  cutPlane?: CutPlaneView | null;
  /** list the objects by name with their colour (e.g. cut parts) */
  legend?: boolean;
  /** drain holes, drawn as blue dots */
  holes?: Vec3[];
  /** when set, a click on the model gives the point and the surface's outward normal there */
  onPick?: (at: Vec3, normal: Vec3) => void;
}

interface Scene {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  controls: OrbitControls;
  render: () => void;
  /** each object's outside surface (front faces) and inside surface (back faces, another colour: visible only through a cut) */
  parts: { outside: THREE.Mesh; inside: THREE.Mesh }[];
  boxHelper: THREE.Box3Helper | null;
  /** the box the camera was last framed on: a new model far from it is framed again */
  framed: THREE.Box3 | null;
  box: THREE.Box3 | null;
  /** the bed's outline (see Props.bedMm) */
  bed: THREE.Group | null;
  clip: THREE.Plane;
  /** screen positions (CSS px) of the bounding-box labels at the last render, null when hidden */
  labelAt: ({ x: number; y: number } | null)[];
}

const BONE_COLOUR = 0xe8e0c8;
const INSIDE_COLOUR = 0xb5524a;
const BOX_COLOUR = 0x3b82f6;
const BED_COLOUR = 0x6b7280;
const MARK_COLOUR = 0xef4444;
const HOLE_COLOUR = 0x38bdf8;
const AXIS_NAMES = ['Left–right', 'Front–back', 'Head–foot'];

const tripleOf = (v: THREE.Vector3): Triple => [v.x, v.y, v.z];

/**
 * three.js view of the model: orbit (left drag), zoom (wheel), pan (right drag); lit, framed to fit,
 * seen from the patient's front-left (anterior is −y in LPS) with superior up. Renders on demand.
 * Tools: reset view, wireframe, bounding box with its size in mm, a clip plane along one patient axis
 * (the inside shows in another colour through the cut), and a PNG of the current view.
 */
export function MeshPreview({ objects, busy, fileStem, badge, bedMm, marks, wallMap, cutPlane, holes, onPick, legend: listObjects }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const labelEls = useRef<(HTMLLIElement | null)[]>([null, null, null]);
  const view = useRef<Scene | null>(null);
  const [info, setInfo] = useState<string>('');
  const [size, setSize] = useState<Triple | null>(null);
  const [wireframe, setWireframe] = useState(false);
  const [showBox, setShowBox] = useState(false);
  const [clipAxis, setClipAxis] = useState<ClipAxis>('z');
  const [clipPercent, setClipPercent] = useState(100);
  const [showThickness, setShowThickness] = useState(false);
  const maps = useMemo(() => objects.filter((o) => o.mesh.indices.length > 0).map((o) => o.thicknessMm), [objects]);
  const mapReady = !!wallMap && maps.length > 0 && maps.every(Boolean);
  const legend = useThicknessLegend(maps, showThickness && mapReady ? wallMap : null);

  useEffect(() => {
    const el = host.current!;
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setClearColor(0x101216);
    renderer.localClippingEnabled = true;
    el.appendChild(renderer.domElement);
    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(35, 1, 1, 10000);
    camera.up.set(0, 0, 1);
    scene.add(new THREE.HemisphereLight(0xffffff, 0x404050, 1.4));
    const key = new THREE.DirectionalLight(0xffffff, 1.6);
    key.position.set(0.5, -1, 1.2);
    camera.add(key);
    scene.add(camera);
    const controls = new OrbitControls(camera, renderer.domElement);
    const v: Scene = {
      renderer,
      scene,
      camera,
      controls,
      render: () => {},
      parts: [],
      boxHelper: null,
      framed: null,
      box: null,
      bed: null,
      clip: new THREE.Plane(),
      labelAt: [null, null, null],
    };
    v.render = () => {
      renderer.render(scene, camera);
      placeLabels(v, el.clientWidth, el.clientHeight);
      labelEls.current.forEach((li, i) => {
        if (!li) return;
        const at = v.labelAt[i];
        li.style.visibility = at ? 'visible' : 'hidden';
        if (at) li.style.transform = `translate(${at.x}px, ${at.y}px) translate(-50%, -50%)`;
      });
    };
    controls.addEventListener('change', v.render);
    const resize = () => {
      const w = Math.max(1, el.clientWidth), h = Math.max(1, el.clientHeight);
      renderer.setSize(w, h, false);
      camera.aspect = w / h;
      camera.updateProjectionMatrix();
      v.render();
    };
    const ro = new ResizeObserver(resize);
    ro.observe(el);
    resize();
    view.current = v;
    return () => {
      ro.disconnect();
      controls.dispose();
      clearModel(v);
      renderer.dispose();
      renderer.domElement.remove();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    clearModel(v);
    const shown = objects.filter((o) => o.mesh.indices.length > 0);
    host.current!.dataset.objects = String(shown.length);
    if (!shown.length) {
      setInfo('');
      setSize(null);
      v.render();
      return;
    }
    const box = new THREE.Box3();
    let triangles = 0;
    for (const o of shown) {
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(o.mesh.positions, 3));
      geometry.setIndex(new THREE.BufferAttribute(o.mesh.indices, 1));
      geometry.computeVertexNormals();
      geometry.computeBoundingBox();
      box.union(geometry.boundingBox!);
      triangles += o.mesh.indices.length / 3;
      const colour = o.color ? new THREE.Color().setRGB(o.color[0] / 255, o.color[1] / 255, o.color[2] / 255, THREE.SRGBColorSpace) : BONE_COLOUR;
      const outside = new THREE.MeshStandardMaterial({ color: colour, roughness: 0.65, metalness: 0.0, side: THREE.FrontSide });
      const inside = new THREE.MeshStandardMaterial({ color: INSIDE_COLOUR, roughness: 0.8, metalness: 0.0, side: THREE.BackSide });
      const part = { outside: new THREE.Mesh(geometry, outside), inside: new THREE.Mesh(geometry, inside) };
      part.outside.name = o.name ?? '';
      v.parts.push(part);
      v.scene.add(part.outside, part.inside);
    }
    v.box = box;
    v.boxHelper = new THREE.Box3Helper(v.box, BOX_COLOUR);
    v.scene.add(v.boxHelper);
    const s = v.box.getSize(new THREE.Vector3());
    setSize(tripleOf(s));
    const what = shown.length > 1 ? `${shown.length} objects · ` : '';
    setInfo(`${what}${triangles.toLocaleString('en-US')} triangles · ${s.x.toFixed(1)} × ${s.y.toFixed(1)} × ${s.z.toFixed(1)} mm`);
    // the bed (when the model stands on it) is in the frame too
    const frameBox = box.clone();
    if (bedMm) {
      v.bed = bedOutline(bedMm);
      v.scene.add(v.bed);
      frameBox.union(new THREE.Box3(new THREE.Vector3(-bedMm[0] / 2, -bedMm[1] / 2, 0), new THREE.Vector3(bedMm[0] / 2, bedMm[1] / 2, bedMm[2])));
    }
    // framed again only when the model moved or changed size a lot (an edit keeps the view the user turned to)
    if (!v.framed || farApart(v.framed, frameBox)) {
      frame(v, bedMm ? frameBox.getBoundingSphere(new THREE.Sphere()) : enclosingSphere(shown.map((o) => o.mesh), box));
      v.framed = frameBox.clone();
    }
    // The tools' effect below applies wireframe, box and clip, and renders.
  }, [objects, bedMm]);

  useEffect(() => {
    const v = view.current;
    if (!v || !v.parts.length || !v.box) return;
    const plane = clipPlane(clipAxis, clipPercent, tripleOf(v.box.min), tripleOf(v.box.max));
    if (plane) v.clip.set(new THREE.Vector3(...plane.normal), plane.constant);
    const planes = plane ? [v.clip] : [];
    for (const p of v.parts) {
      const outside = p.outside.material as THREE.MeshStandardMaterial;
      const inside = p.inside.material as THREE.MeshStandardMaterial;
      outside.clippingPlanes = planes;
      inside.clippingPlanes = planes;
      outside.wireframe = wireframe; // three.js notices plane-count changes itself (new program)
      // A closed surface shows its back faces only through a cut; wireframe shows every edge anyway.
      p.inside.visible = !!plane && !wireframe;
    }
    v.boxHelper!.visible = showBox;
    v.render();
  }, [objects, bedMm, wireframe, showBox, clipAxis, clipPercent]);

  // marks: a dot a fiftieth of the model's size across (at least 1 mm) at each marked point
  useEffect(() => {
    const v = view.current;
    if (!v || !v.box || !marks?.length) return;
    const radius = Math.max(1, v.box.getBoundingSphere(new THREE.Sphere()).radius / 50);
    const dot = new THREE.SphereGeometry(radius, 12, 8);
    const material = new THREE.MeshBasicMaterial({ color: MARK_COLOUR, depthTest: false });
    const group = new THREE.Group();
    group.name = 'marks';
    group.renderOrder = 1; // over the model, so a mark on the far side still shows
    for (const point of marks) {
      const m = new THREE.Mesh(dot, material);
      m.position.set(...point);
      m.renderOrder = 1;
      group.add(m);
    }
    v.scene.add(group);
    v.render();
    return () => {
      v.scene.remove(group);
      dot.dispose();
      material.dispose();
      v.render();
    };
  }, [objects, bedMm, marks]);

  // the wall-thickness map's colours (parts are the shown objects, in order)
  useEffect(() => {
    const v = view.current;
    if (!v || !v.parts.length) return;
    paintThickness(v.parts.map((p) => p.outside), maps, wallMap?.scale ?? 1, legend);
    v.render();
  }, [objects, bedMm, maps, wallMap, legend]);

  useEffect(() => {
    const v = view.current;
    if (!v || !v.box || !cutPlane) return;
    return showCutPlane({ scene: v.scene, camera: v.camera, canvas: v.renderer.domElement, orbit: v.controls, render: v.render }, cutPlane, v.box);
  }, [objects, bedMm, cutPlane]);

  // drain holes: blue dots, a little larger than the thin-wall marks
  useEffect(() => {
    const v = view.current;
    if (!v || !v.box || !holes?.length) return;
    const { group, dispose } = dotGroup(holes, HOLE_COLOUR, Math.max(1.5, v.box.getBoundingSphere(new THREE.Sphere()).radius / 40), 'drain holes');
    v.scene.add(group);
    v.render();
    return () => {
      v.scene.remove(group);
      dispose();
      v.render();
    };
  }, [objects, bedMm, holes]);

  // picking a point on the model (e.g. a drain hole), on the part of it the clip plane keeps
  useEffect(() => {
    const v = view.current;
    if (!v || !onPick) return;
    return attachPick(v.renderer.domElement, v.camera, () => v.parts.map((p) => p.outside), (p) => !(v.parts[0]?.outside.material as THREE.Material | undefined)?.clippingPlanes?.length || v.clip.distanceToPoint(p) >= 0, onPick);
  }, [onPick]);

  const resetView = () => {
    const v = view.current;
    if (!v?.parts.length) return;
    v.controls.reset(); // back to the state saved when the model was framed; dispatches 'change'
    v.render();
  };

  const savePicture = () => {
    const v = view.current;
    if (!v) return;
    v.render();
    const src = v.renderer.domElement;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    const ctx = out.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    if (showBox && size) {
      // The HTML labels are not in the WebGL canvas: draw them into the picture too.
      const k = src.width / Math.max(1, src.clientWidth);
      ctx.font = `${Math.round(12 * k)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = '#ffffff';
      ctx.shadowColor = '#000000';
      ctx.shadowBlur = 3 * k;
      v.labelAt.forEach((at, i) => at && ctx.fillText(fmtMm(size[i]), at.x * k, at.y * k));
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(`${size.map((x) => x.toFixed(1)).join(' × ')} mm`, 10 * k, out.height - 8 * k);
    }
    if (legend && wallMap) drawThicknessLegend(ctx, legend, wallMap.printer, src.width / Math.max(1, src.clientWidth));
    out.toBlob((blob) => {
      if (blob) downloadBlob([blob], pictureFileName(fileStem), 'image/png');
    }, 'image/png');
  };

  const ready = !!info;
  return (
    <section className="preview" aria-label="3D preview">
      <div className="preview-tools" role="toolbar" aria-label="Preview tools">
        <button type="button" className="chip" onClick={resetView} disabled={!ready}>
          Reset view
        </button>
        <button type="button" className={`chip${wireframe ? ' active' : ''}`} aria-pressed={wireframe} onClick={() => setWireframe((w) => !w)} disabled={!ready}>
          Wireframe
        </button>
        <button type="button" className={`chip${showBox ? ' active' : ''}`} aria-pressed={showBox} onClick={() => setShowBox((b) => !b)} disabled={!ready}>
          Bounding box
        </button>
        <button type="button" className={`chip${legend ? ' active' : ''}`} aria-pressed={!!legend} onClick={() => setShowThickness((t) => !t)} disabled={!ready || !mapReady} title={mapReady ? 'Colour the model by its wall thickness' : 'The wall thickness is measured once the model is made'}>
          Wall thickness
        </button>
        <span className="preview-clip">
          <select aria-label="Clip axis" value={clipAxis} onChange={(e) => setClipAxis(e.target.value as ClipAxis)} disabled={!ready}>
            {CLIP_AXES.map((a) => (
              <option key={a.axis} value={a.axis}>
                {a.label}
              </option>
            ))}
          </select>
          <input
            type="range"
            aria-label="Clip plane"
            min={0}
            max={100}
            step={1}
            value={clipPercent}
            onChange={(e) => setClipPercent(Number(e.target.value))}
            aria-valuetext={clipPercent >= 100 ? 'no clipping' : `${clipPercent} % kept`}
            disabled={!ready}
          />
          <span className="preview-clip-value" aria-hidden="true">
            {clipPercent >= 100 ? 'no cut' : `${clipPercent} %`}
          </span>
        </span>
        <button type="button" className="chip" onClick={savePicture} disabled={!ready}>
          Save picture
        </button>
      </div>
      <div className="preview-stage">
        {badge && <span className="preview-badge">{badge}</span>}
        <div ref={host} className={`preview-canvas${onPick ? ' picking' : ''}`} role="img" aria-label="3D view of the model" />
        {listObjects && (
          <ul className="preview-legend" aria-label="Objects in the 3D view">
            {objects.map((o) => (
              <li key={o.name}>
                <span className="swatch-dot" style={{ background: `rgb(${o.color!.join(',')})` }} aria-hidden="true" /> {o.name}
              </li>
            ))}
          </ul>
        )}
        {legend && wallMap && <ThicknessLegend legend={legend} printer={wallMap.printer} />}
        {showBox && size && (
          <ul className="preview-box-labels" aria-label="Bounding box size">
            {size.map((mm, i) => (
              <li
                key={AXIS_NAMES[i]}
                ref={(li) => {
                  labelEls.current[i] = li;
                }}
                title={AXIS_NAMES[i]}
                aria-label={`${AXIS_NAMES[i]} ${fmtMm(mm)}`}
              >
                {fmtMm(mm)}
              </li>
            ))}
          </ul>
        )}
        <p className="preview-info">
          {busy ? 'Working…' : info || "Press 'Make 3D model' to build the mesh"}
          {info && <span className="muted"> · drag to turn, wheel to zoom, right-drag to pan</span>}
        </p>
      </div>
    </section>
  );
}

function clearModel(v: Scene) {
  for (const p of v.parts) {
    v.scene.remove(p.outside, p.inside);
    p.outside.geometry.dispose(); // shared with `inside`
    (p.outside.material as THREE.Material).dispose();
    (p.inside.material as THREE.Material).dispose();
  }
  v.parts = [];
  if (v.boxHelper) {
    v.scene.remove(v.boxHelper);
    v.boxHelper.dispose();
    v.boxHelper = null;
  }
  if (v.bed) {
    v.scene.remove(v.bed);
    v.bed.traverse((o) => {
      if (o instanceof THREE.LineSegments || o instanceof THREE.GridHelper) {
        o.geometry.dispose();
        (o.material as THREE.Material).dispose();
      }
    });
    v.bed = null;
  }
  v.box = null;
  v.labelAt = [null, null, null];
}

/**
 * The sphere about the box's centre through the farthest vertex (three.js's boundingSphere, over
 * several meshes): a rounded model fills the view, where the box's own sphere (its half diagonal)
 * would leave it a third smaller.
 */
function enclosingSphere(meshes: Mesh[], box: THREE.Box3): THREE.Sphere {
  const c = box.getCenter(new THREE.Vector3());
  let r2 = 0;
  for (const m of meshes) {
    const p = m.positions;
    for (let i = 0; i < p.length; i += 3) r2 = Math.max(r2, (p[i] - c.x) ** 2 + (p[i + 1] - c.y) ** 2 + (p[i + 2] - c.z) ** 2);
  }
  return new THREE.Sphere(c, Math.sqrt(r2));
}

/** Whether two boxes differ by more than a fifth of the larger one's diagonal (at a corner or in size). */
function farApart(a: THREE.Box3, b: THREE.Box3): boolean {
  const d = Math.max(a.getSize(new THREE.Vector3()).length(), b.getSize(new THREE.Vector3()).length());
  return a.min.distanceTo(b.min) > d / 5 || a.max.distanceTo(b.max) > d / 5;
}

/** The bed: its build volume's edges, and a grid every 10 mm on the plate (z = 0). */
function bedOutline([w, d, h]: Vec3): THREE.Group {
  const group = new THREE.Group();
  group.name = 'printer bed';
  const box = new THREE.BoxGeometry(w, d, h);
  box.translate(0, 0, h / 2);
  const edges = new THREE.LineSegments(new THREE.EdgesGeometry(box), new THREE.LineBasicMaterial({ color: BED_COLOUR }));
  box.dispose();
  const size = Math.max(w, d);
  const grid = new THREE.GridHelper(size, Math.max(1, Math.round(size / 10)), BED_COLOUR, 0x2a2e36);
  grid.rotation.x = Math.PI / 2; // GridHelper lies in x–z; the bed is the x–y plane
  grid.scale.set(w / size, 1, d / size);
  group.add(edges, grid);
  return group;
}

/**
 * Frames the bounding sphere from the front (anterior = −y), turned 30° towards the patient's left
 * (+x) and 15° from above, superior up: a three-quarter view that shows the shape at once. Saves the
 * controls' state so "Reset view" returns here.
 */
function frame(v: Scene, sphere: THREE.Sphere) {
  const { center, radius } = sphere;
  const distance = (radius / Math.sin(((v.camera.fov / 2) * Math.PI) / 180)) * 1.1;
  const turn = Math.PI / 6, lift = Math.PI / 12;
  v.camera.position.set(
    center.x + distance * Math.cos(lift) * Math.sin(turn),
    center.y - distance * Math.cos(lift) * Math.cos(turn),
    center.z + distance * Math.sin(lift),
  );
  v.camera.near = distance / 100;
  v.camera.far = distance * 10;
  v.camera.zoom = 1;
  v.camera.updateProjectionMatrix();
  v.controls.target.copy(center);
  v.controls.update();
  v.controls.saveState();
}

const _p = new THREE.Vector3();

/**
 * For each axis, puts the label on the box edge (of the four parallel to that axis) that projects
 * farthest from the box's centre on screen, an outline edge so the label rarely covers the model, among
 * the edges whose midpoints are in view (clear of the toolbar); when none is, the nearest one, pulled in.
 */
function placeLabels(v: Scene, width: number, height: number) {
  if (!v.box || !v.boxHelper?.visible) {
    v.labelAt = [null, null, null];
    return;
  }
  const toScreen = (p: Triple) => {
    _p.set(p[0], p[1], p[2]).project(v.camera);
    return { x: ((_p.x + 1) / 2) * width, y: ((1 - _p.y) / 2) * height, z: _p.z };
  };
  const c = toScreen(tripleOf(v.box.getCenter(new THREE.Vector3())));
  const min = tripleOf(v.box.min), max = tripleOf(v.box.max);
  const x0 = Math.min(40, width / 2), x1 = Math.max(x0, width - 40);
  const y0 = Math.min(48, height / 2), y1 = Math.max(y0, height - 28);
  v.labelAt = ([0, 1, 2] as const).map((axis) => {
    let best: { x: number; y: number } | null = null, bestScore = -Infinity;
    for (const m of edgeMidpoints(axis, min, max)) {
      const s = toScreen(m);
      if (s.z < -1 || s.z > 1) continue; // behind the camera or beyond the far plane
      const d = Math.hypot(s.x - c.x, s.y - c.y);
      const k = d > 0 ? 14 / d : 0; // nudge outward, away from the model
      const x = s.x + (s.x - c.x) * k, y = s.y + (s.y - c.y) * k;
      const cx = Math.min(x1, Math.max(x0, x)), cy = Math.min(y1, Math.max(y0, y));
      const outside = Math.hypot(x - cx, y - cy);
      const score = outside > 0 ? -outside : 1 + d;
      if (score > bestScore) {
        bestScore = score;
        best = { x: cx, y: cy };
      }
    }
    return best;
  });
}
