// What manifold-3d's worker does (cut to fit the bed): the only code in the app that loads manifold-3d.
// Its embind bindings evaluate strings (`new Function`), so it runs in a worker of its own whose script
// is served with a policy that allows that (vite.config.ts evalWorkerPolicy); the page and every other
// worker keep refusing eval.
import { transfer } from 'comlink';
import { cutLayout } from './core/cutLayout';
import { loadManifold } from './core/manifoldKernel';
import { checkMesh } from './core/meshCheck';
import type { Mesh, Vec3 } from './core/types';
import { writeObjects, type MeshFormat } from './core/writers';

export interface CutPart {
  name: string;
  /** as laid out on the bed (turned to fit), mm */
  sizeMm: Vec3;
  volumeMm3: number;
  fits: boolean;
}

export interface CutFile {
  /** the file: a 3MF with one named object per part, or a zip of one file per part */
  parts: Uint8Array[];
  cut: CutPart[];
  fitsBed: boolean;
}

/** Where manifold.wasm is served (the worker script passes the URL the bundler gave it). */
export function manifoldApi(wasmUrl?: string) {
  return {
    /**
     * The model at `scalePercent` cut into parts that each fit `bedMm` (cutLayout.ts), as one file; null
     * when it fits whole (write it as placed). Every part is checked here: a part that is not closed,
     * manifold and outward is refused with its name, never written.
     */
    async cutForBed(mesh: Mesh, format: MeshFormat, name: string, scalePercent: number, bedMm: Vec3): Promise<CutFile | null> {
      const wasm = await loadManifold(wasmUrl);
      const layout = cutLayout(wasm, mesh, scalePercent, bedMm);
      if (!layout) return null;
      for (const o of layout.objects) {
        const r = checkMesh(o.mesh);
        if (!r.closed || !r.manifold || !r.oriented || r.volumeMm3 <= 0) {
          throw new Error(`${o.name}: the cut left a part that is not closed and manifold (${r.boundaryEdges} open edges, ${r.nonManifoldEdges} non-manifold edges); write the model whole instead`);
        }
      }
      const parts = writeObjects(layout.objects, format, 'zip', { name: name || undefined });
      const cut = layout.parts.map((p, i) => ({ name: layout.objects[i].name!, ...p }));
      return transfer({ parts, cut, fitsBed: layout.fitsBed }, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
    },
  };
}

export type ManifoldApi = ReturnType<typeof manifoldApi>;
