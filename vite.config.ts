import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// SharedArrayBuffer needs a cross-origin isolated page: both servers send COOP/COEP.
// A static host must send the same two headers (see README, "Deploy").
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Lists every file of the build (scripts, workers, wasm, public files) for the service worker. */
function precacheList(): Plugin {
  return {
    name: 'precache-list',
    apply: 'build',
    generateBundle(_, bundle) {
      const files = [...Object.keys(bundle), 'favicon.svg', 'manifest.webmanifest', 'demo/ct_abdomen_totalsegmentator.nii.gz'].filter((f) => !f.endsWith('.map') && f !== 'index.html');
      this.emitFile({ type: 'asset', fileName: 'precache.json', source: JSON.stringify(files.sort()) });
    },
  };
}

export default defineConfig({
  plugins: [react(), precacheList()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 6000 },
  // Dev server only (see ../shared/notes/stack.md): Cornerstone's codecs are emscripten CommonJS.
  optimizeDeps: {
    include: [
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/metadata',
      'dicom-parser',
      'pako',
      '@cornerstonejs/jpeg-lossless-decoder-js',
      'comlink',
    ],
    exclude: ['@cornerstonejs/dicom-image-loader'],
  },
});
