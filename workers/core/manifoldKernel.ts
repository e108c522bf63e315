// manifold-3d (WebAssembly) for the core: loading it once per thread, and converting meshes both ways.
//
// Loading: `loadManifold()` in Node finds manifold.wasm next to manifold.js (the package resolves it
// with `new URL('manifold.wasm', import.meta.url)` and reads it with fs). In a Vite-bundled module
// worker pass the URL Vite gives the file, so the bundle does not depend on how the dependency is
// pre-bundled:
//     import wasmUrl from 'manifold-3d/manifold.wasm?url';
//     const wasm = await loadManifold(wasmUrl);
// (`?url` makes Vite emit the .wasm as an asset and return its URL; Emscripten's `locateFile` then
// fetches it. The page must serve .wasm with COEP-compatible headers, which it already does for the
// codecs.)
//
// Every Manifold object lives in WebAssembly memory and must be freed with .delete(): the helpers
// here free what they create; callers free what they keep.
import Module, { type Manifold, type ManifoldToplevel } from 'manifold-3d';
import type { Mesh } from './types';

export type { Manifold, ManifoldToplevel };

let loading: Promise<ManifoldToplevel> | null = null;

/** Loads manifold-3d once (per thread); `wasmUrl` is where manifold.wasm is served (browser). */
export function loadManifold(wasmUrl?: string): Promise<ManifoldToplevel> {
  loading ??= Module(wasmUrl ? { locateFile: () => wasmUrl } : undefined).then((wasm) => {
    wasm.setup();
    return wasm;
  });
  return loading;
}

/**
 * Our mesh → a Manifold. Throws, naming `what`, when the mesh is not a closed, oriented 2-manifold
 * (manifold-3d refuses it), so the caller can say which stage produced it.
 */
export function toManifold(wasm: ManifoldToplevel, mesh: Mesh, what = 'the mesh'): Manifold {
  const m = new wasm.Mesh({ numProp: 3, vertProperties: mesh.positions, triVerts: mesh.indices });
  let solid: Manifold;
  try {
    solid = new wasm.Manifold(m);
  } catch (e) {
    throw new Error(`${what} is not a closed, oriented 2-manifold, so it cannot be cut or joined (${(e as Error).message})`);
  }
  const status = solid.status();
  if (status !== 'NoError') {
    solid.delete();
    throw new Error(`${what} is not a closed, oriented 2-manifold, so it cannot be cut or joined (manifold-3d: ${status})`);
  }
  return solid;
}

/** A Manifold → our mesh (positions and triangles only). Does not free `solid`. */
export function fromManifold(solid: Manifold): Mesh {
  const m = solid.getMesh();
  const np = m.numProp;
  const nv = m.vertProperties.length / np;
  const positions = new Float32Array(3 * nv);
  for (let v = 0; v < nv; v++) for (let k = 0; k < 3; k++) positions[3 * v + k] = m.vertProperties[np * v + k];
  return { positions, indices: new Uint32Array(m.triVerts) };
}

/** Row-major 4×4 (placement.ts's Mat4) → manifold-3d's column-major one. */
export function columnMajor(m: number[]): [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [m[0], m[4], m[8], m[12], m[1], m[5], m[9], m[13], m[2], m[6], m[10], m[14], m[3], m[7], m[11], m[15]];
}
