// Web Worker entry for manifold-3d (cut to fit the bed): served with its own, looser script policy
// (see manifoldApi.ts and vite.config.ts evalWorkerPolicy). manifold.wasm is fetched from the URL Vite
// gives it.
import { expose } from 'comlink';
import wasmUrl from 'manifold-3d/manifold.wasm?url';
import { manifoldApi } from './manifoldApi';

expose(manifoldApi(wasmUrl));
