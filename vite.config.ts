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

/**
 * manifold-3d's worker (cut to fit the bed, drain holes, flat base) and only it may also evaluate
 * strings: manifold-3d's embind bindings build their invokers with `new Function(…)`. A dedicated
 * worker takes its policy from its own script's response (checked in Chromium 156: the page still
 * refuses eval while the worker's `new Function` runs), so the page and every other worker keep the
 * strict policy. The build puts that worker alone in its own folder, so a host's path rule can give
 * it this policy and nothing else gets it.
 */
export const evalWorkerDir = 'eval-worker';
const evalWorkerEntry = 'manifold.worker';
export const evalWorkerPolicy = policyText({ ...policy, 'script-src': [...policy['script-src'], "'unsafe-eval'"] });
/** Where that worker's script is served: the build's /eval-worker/…, the dev server's source file. */
const isEvalWorker = (url: string) => url.startsWith(`/${evalWorkerDir}/`) || url.startsWith(`/workers/${evalWorkerEntry}.ts`);

/**
 * Writes `_headers` and the CSP as a <meta> fallback into the built page. Netlify and Cloudflare Pages
 * give a response the headers of every rule its path matches, and Cloudflare joins two values of one
 * header with a comma, which makes two policies, both enforced (eval would stay refused). So no path
 * matches two CSP rules: `/*` carries everything but the CSP; the strict CSP goes on the page, the
 * service worker and /assets/* (every other script and worker), the looser one on /eval-worker/* only.
 */
function deployFiles(): Plugin {
  const { 'Content-Security-Policy': _csp, ...common } = deployHeaders;
  const rule = (path: string, headers: Record<string, string>) => [path, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)];
  const strict = { 'Content-Security-Policy': contentSecurityPolicy };
  return {
    name: 'deploy-headers',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policyText(metaPolicy) }, injectTo: 'head-prepend' }],
    generateBundle() {
      const rules = [
        rule('/*', common),
        ...['/', '/index.html', '/sw.js', '/assets/*'].map((p) => rule(p, strict)),
        rule(`/${evalWorkerDir}/*`, { 'Content-Security-Policy': evalWorkerPolicy }),
      ];
      this.emitFile({ type: 'asset', fileName: '_headers', source: rules.map((r) => r.join('\n')).join('\n') + '\n' });
    },
  };
}

/**
 * The dev and preview servers send manifold-3d's worker its own policy (evalWorkerPolicy) instead of
 * the page's: whatever sets the CSP on that response, the value written is the worker's.
 */
function evalWorkerHeader(): Plugin {
  const middleware = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    if (req.url && isEvalWorker(req.url)) {
      const set = res.setHeader.bind(res);
      res.setHeader = (name, value) => set(name, name.toLowerCase() === 'content-security-policy' ? evalWorkerPolicy : value);
      res.setHeader('Content-Security-Policy', evalWorkerPolicy);
    }
    next();
  };
  return {
    name: 'eval-worker-header',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
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
    evalWorkerHeader(),
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
  worker: {
    format: 'es',
    // manifold-3d's worker alone in its own folder (see evalWorkerPolicy)
    rolldownOptions: {
      output: { entryFileNames: (chunk) => (chunk.name === evalWorkerEntry ? `${evalWorkerDir}/[name]-[hash].js` : 'assets/[name]-[hash].js') },
    },
  },
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
