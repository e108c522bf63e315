import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// SharedArrayBuffer needs a cross-origin isolated page: both servers send COOP/COEP.
// A static host must send the same two headers (see README, "Deploy").
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
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
