// What manifold-3d's worker does (cut to fit the bed, a flat base, drain holes): the only code in the app
// that loads manifold-3d. Each returns, besides the file, the meshes the file holds (for the 3D view).
// Its embind bindings evaluate strings (`new Function`), so it runs in a worker of its own whose script
// is served with a policy that allows that (vite.config.ts evalWorkerPolicy); the page and every other
// worker keep refusing eval.
import { transfer } from 'comlink';
import { applyPoint, bedPlacementMatrix, invertAffine, placementMatrix } from './core/affine';
import { addBase } from './core/base';
import { cutLayout, planeCutLayout } from './core/cutLayout';
import { firstLayer } from './core/firstLayer';
import { loadManifold } from './core/manifoldKernel';
import { checkMesh } from './core/meshCheck';
import { drainInFile, type DrainReport, type DrainRequest } from './core/drainFile';
import { findBase, multiply4, placeMesh, placeOnBed, transformMesh, type Mat4, type Placement } from './core/placement';
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
  /** the mesh written, and the matrix from the model's coordinates to it */
  mesh: Mesh;
  toFile: Mat4;
  /** the drain holes drilled through model and base (null: none asked for) */
  drain: DrainReport | null;
}

/** The model with its drain holes, for the file's other steps (whole, base, cut). */
export interface DrainedModel {
  /** in the model's own coordinates: write it with `placement` */
  mesh: Mesh;
  /** the placement asked for, on the bed with the "down" the holes were drilled for */
  placement: Placement;
  /** as the whole file has it (placeMesh(mesh, placement)), and the matrix from the model's coordinates to it */
  view: Mesh;
  toFile: Mat4;
  report: DrainReport;
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
  /** each part's mesh as written (laid out on the bed), in the order of `cut` */
  meshes: Mesh[];
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
      const meshes = layout.objects.map((o) => o.mesh);
      return transfer({ parts, cut, fitsBed: layout.fitsBed, pins: layout.pins, facesWithoutPins: layout.facesWithoutPins, meshes }, buffersOf(parts, meshes));
    },
    /**
     * The model as placed (same placement as the plain file) standing in a flat base slab `thicknessMm`
     * thick under its lowest point (base.ts addBase: its outline seen from below), as one file; on the
     * bed the whole is stood on z = 0 again. With `drain`, the drain holes are drilled after the base, so
     * a hole at the bottom goes through the slab too. The result is checked closed and manifold.
     */
    async writeWithBase(mesh: Mesh, format: MeshFormat, name: string, placement: Placement, thicknessMm: number, drain?: DrainRequest | null): Promise<BaseFile> {
      const wasm = await loadManifold(wasmUrl);
      const placed = placeMesh(mesh, placement);
      const joined = addBase(wasm, placed, [0, 0, -1], { thicknessMm });
      const standOnBed = { scalePercent: 100, flatSideDown: false };
      const stood = placement.where === 'bed' ? placeOnBed(joined, standOnBed) : joined;
      const toFile = placement.where === 'bed' ? multiply4(bedPlacementMatrix(joined, standOnBed), placementMatrix(mesh, placement)) : placementMatrix(mesh, placement);
      const drained = drain ? drainInFile(wasm, stood, toFile, drain) : null;
      const based = drained?.mesh ?? stood;
      assertClosed(based, drain ? 'The model on its flat base with drain holes' : 'The model on its flat base', 'write it without the base instead');
      const layer = firstLayer(based, [0, 0, -1]);
      const space = placement.where === 'scanner' && placement.scalePercent === 100 ? 'LPS' : undefined;
      const parts = writeMesh(based, format, { name, space });
      const file = { parts, sizeMm: placedSize(based), firstLayerMm2: layer.contactAreaMm2, firstLayerHolds: layer.holds, mesh: based, toFile, drain: drained?.report ?? null };
      return transfer(file, buffersOf(parts, [based]));
    },
    /**
     * Drain holes (drainFile.ts) drilled in the model as `placement` places it, its −z down: on the bed,
     * the flattest side down as the plain file has it, kept in the returned placement so the file is
     * written the way the holes were drilled for. The result is checked closed and manifold.
     */
    async drain(mesh: Mesh, placement: Placement, request: DrainRequest): Promise<DrainedModel> {
      const wasm = await loadManifold(wasmUrl);
      const placed: Placement = placement.where === 'bed' ? { ...placement, down: placement.down ?? findBase(mesh).down } : placement;
      const toPlaced = placementMatrix(mesh, placed);
      const drilled = drainInFile(wasm, transformMesh(mesh, toPlaced), toPlaced, request);
      // back to the model's coordinates, for the file's other steps; the view is what the whole file holds
      const model = drilled.report.holes.some((h) => h.cut) ? transformMesh(drilled.mesh, invertAffine(toPlaced)) : mesh;
      const view = placeMesh(model, placed);
      assertClosed(view, 'The model with its drain holes', 'write it without drain holes instead');
      const toFile = placementMatrix(model, placed);
      const fromPlaced = multiply4(toFile, invertAffine(toPlaced));
      const holes = drilled.report.holes.map((h) => ({ ...h, at: applyPoint(fromPlaced, h.at) }));
      const out: DrainedModel = { mesh: model, placement: placed, view, toFile, report: { ...drilled.report, holes } };
      return transfer(out, buffersOf([], [model, view]));
    },
  };
}

/** The buffers to transfer: each once (a mesh may be another's, or share its arrays). */
function buffersOf(parts: Uint8Array[], meshes: Mesh[]): ArrayBuffer[] {
  return [...new Set([...parts.map((p) => p.buffer), ...meshes.flatMap((m) => [m.positions.buffer, m.indices.buffer])] as ArrayBuffer[])];
}

export type ManifoldApi = ReturnType<typeof manifoldApi>;
