// Picking a point on the model in the 3D view: a click (a press and release that did not turn the view)
// casts a ray from the camera; the nearest surface hit kept by `keep` (e.g. not clipped away) gives the
// point and the surface's outward normal there, in the scene's coordinates (the file's mm).
import * as THREE from 'three';
import type { Vec3 } from '../../workers/core/types';

/** Farther than this between press and release (CSS px) is a drag (turning the view), not a click. */
const CLICK_PX = 4;

export function attachPick(
  canvas: HTMLCanvasElement,
  camera: THREE.Camera,
  targets: () => THREE.Object3D[],
  keep: (p: THREE.Vector3) => boolean,
  onPick: (at: Vec3, normal: Vec3) => void,
): () => void {
  let down: { x: number; y: number } | null = null;
  const ray = new THREE.Raycaster();
  const press = (e: PointerEvent) => {
    down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
  };
  const release = (e: PointerEvent) => {
    if (!down || e.button !== 0 || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_PX) return;
    down = null;
    const r = canvas.getBoundingClientRect();
    ray.setFromCamera(new THREE.Vector2(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1), camera);
    const hit = ray.intersectObjects(targets(), false).find((h) => h.face && keep(h.point));
    if (!hit?.face) return;
    // the meshes sit in the scene untransformed: the face's normal (from its winding, outward) is the scene's
    const n = hit.face.normal;
    onPick([hit.point.x, hit.point.y, hit.point.z], [n.x, n.y, n.z]);
  };
  canvas.addEventListener('pointerdown', press);
  canvas.addEventListener('pointerup', release);
  return () => {
    canvas.removeEventListener('pointerdown', press);
    canvas.removeEventListener('pointerup', release);
  };
}

/** Dots `radius` across at `points`, drawn over the model (seen through it); dispose() frees them. */
export function dotGroup(points: Vec3[], colour: number, radius: number, name: string): { group: THREE.Group; dispose: () => void } {
  const dot = new THREE.SphereGeometry(radius, 12, 8);
  const material = new THREE.MeshBasicMaterial({ color: colour, depthTest: false });
  const group = new THREE.Group();
  group.name = name;
  group.renderOrder = 1;
  for (const p of points) {
    const m = new THREE.Mesh(dot, material);
    m.position.set(...p);
    m.renderOrder = 1;
    group.add(m);
  }
  return { group, dispose: () => (dot.dispose(), material.dispose()) };
}
