import { useEffect, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Mesh } from '../../workers/core/types';

interface Props {
  mesh: Mesh | null;
  busy?: boolean;
}

interface Scene {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  controls: OrbitControls;
  render: () => void;
  object: THREE.Mesh | null;
}

const fmt = (v: number) => v.toFixed(1);

/**
 * three.js view of the model: orbit (left drag), zoom (wheel), pan (right drag); lit, framed to fit,
 * seen from the patient's front-left (anterior is −y in LPS) with superior up. Renders on demand.
 */
export function MeshPreview({ mesh, busy }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<Scene | null>(null);
  const [info, setInfo] = useState<string>('');

  useEffect(() => {
    const el = host.current!;
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setClearColor(0x101216);
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
    const v: Scene = { renderer, scene, camera, controls, render: () => renderer.render(scene, camera), object: null };
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
      v.object?.geometry.dispose();
      renderer.dispose();
      renderer.domElement.remove();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    if (v.object) {
      v.scene.remove(v.object);
      v.object.geometry.dispose();
      (v.object.material as THREE.Material).dispose();
      v.object = null;
    }
    if (!mesh || mesh.indices.length === 0) {
      setInfo('');
      v.render();
      return;
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
    geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
    geometry.computeVertexNormals();
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
    const material = new THREE.MeshStandardMaterial({ color: 0xe8e0c8, roughness: 0.65, metalness: 0.0 });
    v.object = new THREE.Mesh(geometry, material);
    v.scene.add(v.object);
    const box = geometry.boundingBox!;
    const size = box.getSize(new THREE.Vector3());
    setInfo(`${(mesh.indices.length / 3).toLocaleString('en-US')} triangles · ${fmt(size.x)} × ${fmt(size.y)} × ${fmt(size.z)} mm`);
    // Frame the bounding sphere from the front (anterior = −y), turned 30° towards the patient's left
    // (+x) and 15° from above, superior up: a three-quarter view that shows the shape at once.
    const { center, radius } = geometry.boundingSphere!;
    const distance = (radius / Math.sin(((v.camera.fov / 2) * Math.PI) / 180)) * 1.1;
    const turn = Math.PI / 6, lift = Math.PI / 12;
    v.camera.position.set(
      center.x + distance * Math.cos(lift) * Math.sin(turn),
      center.y - distance * Math.cos(lift) * Math.cos(turn),
      center.z + distance * Math.sin(lift),
    );
    v.camera.near = distance / 100;
    v.camera.far = distance * 10;
    v.camera.updateProjectionMatrix();
    v.controls.target.copy(center);
    v.controls.update();
    v.render();
  }, [mesh]);

  return (
    <section className="preview" aria-label="3D preview" role="img">
      <div ref={host} className="preview-canvas" />
      <p className="preview-info">
        {busy ? 'Working…' : info || "Press 'Make 3D model' to build the mesh"}
        {info && <span className="muted"> · drag to turn, wheel to zoom, right-drag to pan</span>}
      </p>
    </section>
  );
}
