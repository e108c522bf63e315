import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// Response headers, in one place: both servers send them, the build writes them into `_headers`
// (the format of Netlify and Cloudflare Pages), and README "Deploy" lists them for other hosts.

/** SharedArrayBuffer needs a cross-origin isolated page. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The page may load and contact its own origin only ("nothing is uploaded" is then enforced by the
 * browser, not just by the code): scripts and workers from the origin, WebAssembly compiled from the
 * codec files, images also from data:/blob: URLs (thumbnails, screenshots), no plugins, no framing,
 * no form posts, no <base>. Inline styles stay allowed: React and the viewers set style attributes.
 */
const policy = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};
type Policy = typeof policy;
const policyText = (p: Partial<Policy>) => Object.entries(p).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');

/** The page's Content-Security-Policy header. */
export const contentSecurityPolicy = policyText(policy);

/** The same in a <meta> tag (a host that cannot send headers): frame-ancestors is only honoured as a header. */
const { 'frame-ancestors': _headerOnly, ...metaPolicy } = policy;

/** The dev server's: its hot reload runs an inline script and talks over a WebSocket. */
const devPolicy = policyText({ ...policy, 'script-src': [...policy['script-src'], "'unsafe-inline'"], 'connect-src': ["'self'", 'ws:', 'wss:'] });

const security = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const deployHeaders: Record<string, string> = { ...isolation, 'Content-Security-Policy': contentSecurityPolicy, ...security };

/** Writes `_headers` (every response gets deployHeaders) and the CSP as a <meta> fallback into the built page. */
function deployFiles(): Plugin {
  return {
    name: 'deploy-headers',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policyText(metaPolicy) }, injectTo: 'head-prepend' }],
    generateBundle() {
      const lines = Object.entries(deployHeaders).map(([k, v]) => `  ${k}: ${v}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: ['/*', ...lines, ''].join('\n') });
    },
  };
}

/** The build's time, in the page (<meta name="scan2print-build">): says which build a browser runs. */
function buildStamp(): Plugin {
  const built = new Date().toISOString();
  return {
    name: 'build-stamp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'scan2print-build', content: built }, injectTo: 'head' }],
  };
}

export default defineConfig({
  plugins: [
    react(),
    deployFiles(),
    buildStamp(),
    // The service worker (Workbox, generated at build time): every file of the build precached with a
    // content revision, so a new deploy is a new worker; it waits until the page's "Reload" (or until
    // no tab runs the old version) instead of swapping files under a running page. Only the app shell
    // (index.html, for "/" and "/index.html") answers navigations from the cache.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      injectRegister: false,
      manifest: false, // public/manifest.webmanifest
      workbox: {
        // every file of the build (public/ included: the manifest, the icon, a demo scan .nii.gz)
        globPatterns: ['**/*.{html,js,css,wasm,svg,webmanifest,gz}'],
        // the main bundle (~4.4 MB) and the codec .wasm files are precached too
        maximumFileSizeToCacheInBytes: 32 * 2 ** 20,
        navigateFallback: 'index.html',
        navigateFallbackAllowlist: [/^\/(index\.html)?(\?.*)?$/],
        cleanupOutdatedCaches: true,
        clientsClaim: false,
        skipWaiting: false,
      },
    }),
  ],
  server: { headers: { ...isolation, 'Content-Security-Policy': devPolicy, ...security } },
  preview: { headers: deployHeaders },
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
