// The cut plane in the 3D view: a translucent square through the model (userPlane.ts planeFrame: the
// same plane the file is cut at) with its outline, and an arrow to drag it along its axis (three.js
// TransformControls, translate, that one axis only). Orbiting pauses while dragging; the new position
// is handed back when the drag ends (each position is a cut in manifold-3d's worker).
import * as THREE from 'three';
import type { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';
import type { Vec3 } from '../../workers/core/types';

export interface CutPlaneView {
  /** unit normal and a point on the plane, in the view's (the placed model's) mm */
  normal: Vec3;
  point: Vec3;
  /** the axis it moves along (0: x, 1: y, 2: z) */
  axis: 0 | 1 | 2;
  /** the point's new coordinate along the axis, mm, when a drag ends */
  onMove: (mm: number) => void;
}

const PLANE_COLOUR = 0x38bdf8;

interface Host {
  scene: THREE.Scene;
  camera: THREE.Camera;
  canvas: HTMLElement;
  orbit: OrbitControls;
  render: () => void;
}

/** Draws the plane (as wide as 1.2 × the model's largest side) and its drag arrow; returns the clean-up. */
export function showCutPlane(host: Host, plane: CutPlaneView, modelBox: THREE.Box3): () => void {
  const s = modelBox.getSize(new THREE.Vector3());
  const side = 1.2 * Math.max(s.x, s.y, s.z);
  const square = new THREE.PlaneGeometry(side, side);
  const fill = new THREE.Mesh(
    square,
    new THREE.MeshBasicMaterial({ color: PLANE_COLOUR, transparent: true, opacity: 0.28, side: THREE.DoubleSide, depthWrite: false }),
  );
  const edges = new THREE.EdgesGeometry(square);
  const outline = new THREE.LineSegments(edges, new THREE.LineBasicMaterial({ color: PLANE_COLOUR }));
  const group = new THREE.Group();
  group.name = 'cut plane';
  group.add(fill, outline);
  group.quaternion.setFromUnitVectors(new THREE.Vector3(0, 0, 1), new THREE.Vector3(...plane.normal));
  group.position.set(...plane.point);
  host.scene.add(group);

  const drag = new TransformControls(host.camera, host.canvas);
  drag.setMode('translate');
  drag.setSpace('world');
  drag.showX = plane.axis === 0;
  drag.showY = plane.axis === 1;
  drag.showZ = plane.axis === 2;
  drag.attach(group);
  const helper = drag.getHelper();
  host.scene.add(helper);
  const lo = modelBox.min.getComponent(plane.axis), hi = modelBox.max.getComponent(plane.axis);
  const onDragging = (e: { value: unknown }) => {
    host.orbit.enabled = !e.value;
    if (e.value) return;
    const at = Math.min(hi, Math.max(lo, group.position.getComponent(plane.axis)));
    plane.onMove(at);
  };
  const onChange = () => {
    // only along its axis, and not off the model
    const at = group.position.getComponent(plane.axis);
    group.position.set(...plane.point);
    group.position.setComponent(plane.axis, Math.min(hi, Math.max(lo, at)));
    host.render();
  };
  drag.addEventListener('dragging-changed', onDragging);
  drag.addEventListener('objectChange', onChange);
  drag.addEventListener('change', host.render);
  host.render();
  return () => {
    drag.removeEventListener('dragging-changed', onDragging);
    drag.removeEventListener('objectChange', onChange);
    drag.removeEventListener('change', host.render);
    drag.detach();
    host.scene.remove(helper, group);
    drag.dispose();
    square.dispose();
    edges.dispose();
    (fill.material as THREE.Material).dispose();
    (outline.material as THREE.Material).dispose();
    host.orbit.enabled = true;
    host.render();
  };
}
