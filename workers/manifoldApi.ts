// What manifold-3d's worker does (cut to fit the bed, a flat base): the only code in the app that loads manifold-3d.
// Its embind bindings evaluate strings (`new Function`), so it runs in a worker of its own whose script
// is served with a policy that allows that (vite.config.ts evalWorkerPolicy); the page and every other
// worker keep refusing eval.
import { transfer } from 'comlink';
import { addBase } from './core/base';
import { cutLayout, planeCutLayout } from './core/cutLayout';
import { firstLayer } from './core/firstLayer';
import { loadManifold } from './core/manifoldKernel';
import { checkMesh } from './core/meshCheck';
import { placeMesh, placeOnBed, type Placement } from './core/placement';
import { placedSize } from './core/printFacts';
import type { PinOptions } from './core/pins';
import type { Mesh, Vec3 } from './core/types';
import type { UserPlane } from './core/userPlane';
import { writeMesh, writeObjects, type MeshFormat } from './core/writers';

export interface CutPart {
  name: string;
  /** as laid out on the bed (turned to fit), mm */
  sizeMm: Vec3;
  volumeMm3: number;
  fits: boolean;
}

export interface BaseFile {
  /** the model on its base, as one file */
  parts: Uint8Array[];
  /** size as written, mm */
  sizeMm: Vec3;
  /** its first layer (firstLayer.ts): area on the bed, mm², and whether that holds */
  firstLayerMm2: number;
  firstLayerHolds: boolean;
}

/** A mesh a stage of this worker made must be closed, manifold and outward; else it is refused with `what`. */
function assertClosed(mesh: Mesh, what: string, instead: string): void {
  const r = checkMesh(mesh);
  if (!r.closed || !r.manifold || !r.oriented || r.volumeMm3 <= 0) {
    throw new Error(`${what} is not closed and manifold (${r.boundaryEdges} open edges, ${r.nonManifoldEdges} non-manifold edges); ${instead}`);
  }
}

export interface CutFile {
  /** the file: a 3MF with one named object per part, or a zip of one file per part */
  parts: Uint8Array[];
  cut: CutPart[];
  fitsBed: boolean;
  /** alignment pins placed, and cut faces with no room for one */
  pins: number;
  facesWithoutPins: number;
}

/** How to cut (cutForBed): at the user's plane in the model as placed (else to fit the bed), with alignment pins or not. */
export interface CutHow {
  plane?: { placement: Placement; plane: UserPlane };
  pins?: PinOptions;
}

/** Where manifold.wasm is served (the worker script passes the URL the bundler gave it). */
export function manifoldApi(wasmUrl?: string) {
  return {
    /**
     * The model at `scalePercent` cut into parts that each fit `bedMm` (cutLayout.ts), as one file; null
     * when it fits whole (write it as placed). With `how.plane`: cut at that plane instead, each part
     * saying whether it fits. Every part is checked here: a part that is not closed, manifold and
     * outward is refused with its name, never written.
     */
    async cutForBed(mesh: Mesh, format: MeshFormat, name: string, scalePercent: number, bedMm: Vec3, how: CutHow = {}): Promise<CutFile | null> {
      const wasm = await loadManifold(wasmUrl);
      const layout = how.plane
        ? planeCutLayout(wasm, mesh, how.plane.placement, how.plane.plane, bedMm, how.pins)
        : cutLayout(wasm, mesh, scalePercent, bedMm, how.pins);
      if (!layout) return null;
      for (const o of layout.objects) assertClosed(o.mesh, `${o.name} of the cut`, 'write the model whole instead');
      const parts = writeObjects(layout.objects, format, 'zip', { name: name || undefined });
      const cut = layout.parts.map((p, i) => ({ name: layout.objects[i].name!, ...p }));
      return transfer({ parts, cut, fitsBed: layout.fitsBed, pins: layout.pins, facesWithoutPins: layout.facesWithoutPins }, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
    },
    /**
     * The model as placed (same placement as the plain file) standing in a flat base slab `thicknessMm`
     * thick under its lowest point (base.ts addBase: its outline seen from below), as one file; on the
     * bed the whole is stood on z = 0 again. The result is checked closed and manifold.
     */
    async writeWithBase(mesh: Mesh, format: MeshFormat, name: string, placement: Placement, thicknessMm: number): Promise<BaseFile> {
      const wasm = await loadManifold(wasmUrl);
      const placed = placeMesh(mesh, placement);
      const joined = addBase(wasm, placed, [0, 0, -1], { thicknessMm });
      const based = placement.where === 'bed' ? placeOnBed(joined, { scalePercent: 100, flatSideDown: false }) : joined;
      assertClosed(based, 'The model on its flat base', 'write it without the base instead');
      const layer = firstLayer(based, [0, 0, -1]);
      const space = placement.where === 'scanner' && placement.scalePercent === 100 ? 'LPS' : undefined;
      const parts = writeMesh(based, format, { name, space });
      const file = { parts, sizeMm: placedSize(based), firstLayerMm2: layer.contactAreaMm2, firstLayerHolds: layer.holds };
      return transfer(file, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
    },
  };
}

export type ManifoldApi = ReturnType<typeof manifoldApi>;
